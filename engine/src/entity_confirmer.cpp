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

errc scan_window(const confirm_window& window, bool gated, const text_window& text, bool complete,
                 const ruleset& rules, hs_scratch_t* scratch, std::vector<candidate>& out,
                 std::vector<candidate>* too_long) noexcept {
  const std::uint64_t text_end = text.text_base + text.text.size();
  window_scan ctx{&rules, &text, window, text_end, complete, &out, too_long};
  const std::string_view bytes = text.slice(window.start, window.end);
  const hs_error_t rc = hs_scan(rules.confirm_database(gated), bytes.data(), static_cast<unsigned>(bytes.size()),
                                0, scratch, on_confirm, &ctx);
  return rc == HS_SUCCESS ? errc::ok : errc::hyperscan_failure;
}

// Whether a word of `rule`'s required context ends where it could confirm a match that holds or ends at
// `at`: such a match starts in [at - max_width, at], and confirm_candidates looks for a context word
// ending at most context_window bytes before that start. Rules without required context always may.
bool context_may_confirm(std::uint32_t rule, std::uint64_t at, std::span<const context_hit> context,
                         const ruleset& rules) noexcept {
  const std::uint32_t context_rule = rules.context_rule_of(rule);
  if (context_rule == ruleset::npos) {
    return true;
  }
  const std::uint64_t reach = std::uint64_t{rules.bound(rule).max_width} + rules.at(rule).context_window;
  const std::uint64_t lowest = at > reach ? at - reach : 0;
  auto it = std::lower_bound(context.begin(), context.end(), lowest,
                             [](const context_hit& h, std::uint64_t v) { return h.end < v; });
  for (; it != context.end() && it->end <= at; ++it) {
    if (it->rule == context_rule) {
      return true;
    }
  }
  return false;
}

// The windows around one group's hits, sorted and merged so each byte is scanned once. Hits come in
// order of their ends, so a hit's window mostly overlaps the one before it and is folded in there at
// once (a run of digits brings thousands of hits, and would otherwise bring as many windows to sort);
// the sort and merge put right whatever that greedy step leaves out of order.
void group_windows(std::span<const entity_hit> hits, bool gated, std::span<const context_hit> context,
                   const text_window& text, const ruleset& rules, std::vector<confirm_window>& windows) noexcept {
  const std::uint64_t base = text.text_base;
  const std::uint64_t text_end = base + text.text.size();
  windows.clear();
  for (const entity_hit& h : hits) {
    if (rules.context_gated(h.rule) != gated || (gated && !context_may_confirm(h.rule, h.end, context, rules))) {
      continue;
    }
    const std::uint64_t w = rules.bound(h.rule).max_width + 1;
    const std::uint64_t start = h.end > base + w ? h.end - w : base;
    const std::uint64_t end = std::min(text_end, h.end + w);
    if (!windows.empty() && start <= windows.back().end && end >= windows.back().start) {
      windows.back().start = std::min(windows.back().start, start);
      windows.back().end = std::max(windows.back().end, end);
    } else {
      windows.push_back({start, end});
    }
  }
  if (windows.empty()) {
    return;
  }
  std::sort(windows.begin(), windows.end(),
            [](const confirm_window& a, const confirm_window& b) { return a.start < b.start; });
  std::size_t merged = 0;
  for (std::size_t i = 1; i < windows.size(); ++i) {
    if (windows[i].start <= windows[merged].end) {
      windows[merged].end = std::max(windows[merged].end, windows[i].end);
    } else {
      windows[++merged] = windows[i];
    }
  }
  windows.resize(merged + 1);
}

}  // namespace

errc confirm_hits(std::span<const entity_hit> hits, std::span<const context_hit> context,
                  const text_window& text, bool complete, const ruleset& rules, hs_scratch_t* scratch,
                  std::vector<confirm_window>& windows, std::vector<candidate>& out) noexcept {
  if (hits.empty()) {
    return errc::ok;
  }
  const std::uint64_t base = text.text_base;
  const std::uint64_t text_end = base + text.text.size();
  std::vector<candidate> too_long_storage;  // only used in the pathological case below
  // Rules that need a context word are confirmed in their own windows, opened only where such a word is
  // near (a match without one would be dropped by confirm_candidates anyway); all others share theirs.
  for (const bool gated : {false, true}) {
    group_windows(hits, gated, context, text, rules, windows);
    for (const confirm_window& window : windows) {
      if (const errc e = scan_window(window, gated, text, complete, rules, scratch, out, &too_long_storage);
          e != errc::ok) {
        return e;
      }
    }
  }
  // A leftmost start further back than the rule's width: the bounded-leftmost start for that end lies in
  // the tight window [end - W - 1, end + 1). Each such rescan costs a scan of W bytes, and a long run of
  // a rule's characters makes every end one: rescanning only where a required context word could
  // confirm the result skips what confirm_candidates would drop.
  for (const candidate& c : too_long_storage) {
    if (!context_may_confirm(c.rule, c.end, context, rules)) {
      continue;
    }
    const std::uint64_t w = rules.bound(c.rule).max_width + 1;
    const confirm_window tight{std::max(base, c.end > w ? c.end - w : 0), std::min(text_end, c.end + 1)};
    std::vector<candidate> found;
    if (const errc e = scan_window(tight, rules.context_gated(c.rule), text, complete, rules, scratch, found, nullptr);
        e != errc::ok) {
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
