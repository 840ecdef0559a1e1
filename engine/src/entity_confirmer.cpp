#include "entity_confirmer.h"

#include <algorithm>

namespace sluice::engine::detail {
namespace {

struct window_scan {
  const ruleset* rules;
  const text_window* text;
  confirm_window window;
  std::uint64_t text_end;
  bool complete;
  std::vector<candidate>* out;
  std::vector<candidate>* too_long;  // leftmost start too far back: rescan tightly
};

int on_confirm(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) noexcept {
  auto& w = *static_cast<window_scan*>(ctx);
  if (id >= w.rules->size()) {
    return 0;
  }
  const std::uint64_t start = w.window.start + from;
  const std::uint64_t end = w.window.start + to;
  // A match touching a window edge that is not the text's edge saw a false boundary there.
  if (start == w.window.start && w.window.start != 0) {
    return 0;
  }
  if (end == w.window.end && !(w.complete && end == w.text_end)) {
    return 0;
  }
  if (end - start > w.rules->bound(id).max_width) {
    if (w.too_long != nullptr) {
      w.too_long->push_back({id, start, end});
    }
    return 0;
  }
  w.out->push_back({id, start, end});
  return 0;
}

errc scan_window(const confirm_window& window, const text_window& text, bool complete,
                 const ruleset& rules, hs_scratch_t* scratch, std::vector<candidate>& out,
                 std::vector<candidate>* too_long) noexcept {
  const std::uint64_t text_end = text.text_base + text.text.size();
  window_scan ctx{&rules, &text, window, text_end, complete, &out, too_long};
  const std::string_view bytes = text.slice(window.start, window.end);
  const hs_error_t rc = hs_scan(rules.confirm_database(), bytes.data(), static_cast<unsigned>(bytes.size()),
                                0, scratch, on_confirm, &ctx);
  return rc == HS_SUCCESS ? errc::ok : errc::hyperscan_failure;
}

}  // namespace

errc confirm_hits(std::span<const entity_hit> hits, const text_window& text, bool complete,
                  const ruleset& rules, hs_scratch_t* scratch, std::vector<confirm_window>& windows,
                  std::vector<candidate>& out) noexcept {
  if (hits.empty()) {
    return errc::ok;
  }
  const std::uint64_t base = text.text_base;
  const std::uint64_t text_end = base + text.text.size();
  windows.clear();
  for (const entity_hit& h : hits) {
    const std::uint64_t w = rules.bound(h.rule).max_width + 1;
    const std::uint64_t start = h.end > base + w ? h.end - w : base;
    const std::uint64_t end = std::min(text_end, h.end + w);
    windows.push_back({start, end});
  }
  std::sort(windows.begin(), windows.end(),
            [](const confirm_window& a, const confirm_window& b) { return a.start < b.start; });
  // Merge overlapping windows so each byte is scanned once.
  std::size_t merged = 0;
  for (std::size_t i = 1; i < windows.size(); ++i) {
    if (windows[i].start <= windows[merged].end) {
      windows[merged].end = std::max(windows[merged].end, windows[i].end);
    } else {
      windows[++merged] = windows[i];
    }
  }
  windows.resize(merged + 1);

  std::vector<candidate> too_long_storage;  // only used in the pathological case below
  for (const confirm_window& window : windows) {
    if (const errc e = scan_window(window, text, complete, rules, scratch, out, &too_long_storage); e != errc::ok) {
      return e;
    }
  }
  // A leftmost start further back than the rule's width: the bounded-leftmost start for that end lies in
  // the tight window [end - W - 1, end + 1).
  for (const candidate& c : too_long_storage) {
    const std::uint64_t w = rules.bound(c.rule).max_width + 1;
    const confirm_window tight{std::max(base, c.end > w ? c.end - w : 0), std::min(text_end, c.end + 1)};
    std::vector<candidate> found;
    if (const errc e = scan_window(tight, text, complete, rules, scratch, found, nullptr); e != errc::ok) {
      return e;
    }
    for (const candidate& f : found) {
      if (f.rule == c.rule && f.end == c.end) {
        out.push_back(f);
      }
    }
  }
  return errc::ok;
}

}  // namespace sluice::engine::detail
