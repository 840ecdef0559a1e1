#include "scan/entity_confirmer.h"

#include <algorithm>

namespace sluice::engine::detail {
namespace {

struct window_scan {
  const ruleset* rules;
  std::uint32_t rule;  // the window's rule: its database holds that one pattern
  confirm_window window;
  std::uint64_t text_end;
  bool complete;
  std::vector<candidate>* out;
  std::vector<candidate>* too_long;  // leftmost start too far back: rescan tightly
};

int on_confirm(unsigned, unsigned long long from, unsigned long long to, unsigned, void* ctx) noexcept {
  auto& w = *static_cast<window_scan*>(ctx);
  const std::uint64_t start = w.window.start + from;
  const std::uint64_t end = w.window.start + to;
  // A match ending at a window edge that is not the text's edge may still grow.
  if (end == w.window.end && !(w.complete && end == w.text_end)) {
    return 0;
  }
  // Too long, even from the window's edge: the true leftmost start is at least as far back, so the
  // bounded start for this end is looked for in a tight window.
  if (end - start > w.rules->bound(w.rule).max_width) {
    if (w.too_long != nullptr) {
      w.too_long->push_back({w.rule, start, end});
    }
    return 0;
  }
  // A match starting at a window edge that is not the text's edge saw a false boundary there.
  if (start == w.window.start && w.window.start != 0) {
    return 0;
  }
  w.out->push_back({w.rule, start, end});
  return 0;
}

errc scan_window(std::uint32_t rule, const confirm_window& window, const text_window& text, bool complete,
                 const ruleset& rules, hs_scratch_t* scratch, std::vector<candidate>& out,
                 std::vector<candidate>* too_long) noexcept {
  const hs_database_t* db = rules.confirm_database(rule);
  if (db == nullptr) {
    return errc::ok;
  }
  const std::uint64_t text_end = text.text_base + text.text.size();
  window_scan ctx{&rules, rule, window, text_end, complete, &out, too_long};
  const std::string_view bytes = text.slice(window.start, window.end);
  const hs_error_t rc = hs_scan(db, bytes.data(), static_cast<unsigned>(bytes.size()), 0, scratch, on_confirm, &ctx);
  return rc == HS_SUCCESS ? errc::ok : errc::hyperscan_failure;
}

// Whether a word of `rule`'s required context ends where it could confirm a match that holds or ends at
// `at`: such a match starts in [at - max_width, at], and confirm_candidates looks for a context word
// ending at most context_window bytes before that start. Rules without required context always may.
bool context_may_confirm(std::uint32_t rule, std::uint64_t at, std::span<const context_hit> context,
                         const ruleset& rules, const text_window& text, column_cache& columns) noexcept {
  const std::uint32_t context_rule = rules.context_rule_of(rule);
  if (context_rule == ruleset::npos) {
    return true;
  }
  const std::uint64_t reach = std::uint64_t{rules.bound(rule).max_width} + rules.at(rule).context_window;
  for (const context_hit& h : context_hits_from(context, at > reach ? at - reach : 0)) {
    if (h.end > at) {
      break;
    }
    if (h.rule == context_rule) {
      return true;
    }
  }
  // A table column headed by a context word gives it to the cell (matches hold no delimiter or line
  // break, so the hit's column is its match's).
  return column_gives_context(context_rule, at, context, text, &columns);
}

// Puts `hits` in `by_rule` ordered by rule and then end. A counting sort: a log page has thousands of
// hits over a few hundred rules, and a comparison sort of them took 7 % of its scan. Each rule's hits
// keep their order, which is already by end when Hyperscan reports in order; a rule whose hits are not
// is sorted on its own.
void order_by_rule(std::span<const entity_hit> hits, std::size_t rule_count, std::vector<entity_hit>& by_rule,
                   std::vector<std::uint32_t>& rule_ends) noexcept {
  rule_ends.assign(rule_count + 1, 0);
  for (const entity_hit& h : hits) {
    ++rule_ends[h.rule + 1];
  }
  for (std::size_t r = 1; r <= rule_count; ++r) {
    rule_ends[r] += rule_ends[r - 1];
  }
  by_rule.resize(hits.size());
  for (const entity_hit& h : hits) {
    by_rule[rule_ends[h.rule]++] = h;  // afterwards rule_ends[r] is where rule r's hits end
  }
  const auto by_end = [](const entity_hit& a, const entity_hit& b) { return a.end < b.end; };
  std::uint32_t first = 0;
  for (std::size_t r = 0; r < rule_count; ++r) {
    const auto from = by_rule.begin() + first;
    const auto to = by_rule.begin() + rule_ends[r];
    if (!std::is_sorted(from, to, by_end)) {
      std::sort(from, to, by_end);
    }
    first = rule_ends[r];
  }
}

}  // namespace

errc confirm_hits(std::span<const entity_hit> hits, std::span<const context_hit> context,
                  const text_window& text, bool complete, const ruleset& rules, hs_scratch_t* scratch,
                  confirm_scratch& work, std::vector<candidate>& out) noexcept {
  if (hits.empty()) {
    return errc::ok;
  }
  const std::uint64_t base = text.text_base;
  const std::uint64_t text_end = base + text.text.size();
  // Each rule is confirmed in the windows around its own hits, with its own database. Hits come in
  // order of their ends; ordered by rule and then end, each rule's windows come out sorted, and a hit's
  // window that overlaps the previous one extends it.
  std::vector<entity_hit>& by_rule = work.by_rule;
  std::vector<confirm_window>& windows = work.windows;
  order_by_rule(hits, rules.size(), by_rule, work.rule_ends);
  column_cache columns;  // the tables of the lines seen in this pass (keys point into `text`)
  work.too_long.clear();
  for (std::size_t i = 0; i < by_rule.size();) {
    const std::uint32_t rule = by_rule[i].rule;
    const bool gated = rules.context_gated(rule);
    const std::uint64_t w = rules.bound(rule).max_width + 1;
    windows.clear();
    for (; i < by_rule.size() && by_rule[i].rule == rule; ++i) {
      const std::uint64_t at = by_rule[i].end;
      // A rule that needs a context word opens windows only where one is near: a match without one
      // would be dropped by confirm_candidates anyway.
      if (gated && !context_may_confirm(rule, at, context, rules, text, columns)) {
        continue;
      }
      const std::uint64_t start = at > base + w ? at - w : base;
      const std::uint64_t end = std::min(text_end, at + w);
      if (!windows.empty() && start <= windows.back().end) {
        windows.back().end = std::max(windows.back().end, end);
      } else {
        windows.push_back({start, end});
      }
    }
    for (const confirm_window& window : windows) {
      if (const errc e = scan_window(rule, window, text, complete, rules, scratch, out, &work.too_long);
          e != errc::ok) {
        return e;
      }
    }
  }
  // A leftmost start further back than the rule's width: the bounded-leftmost start for that end lies in
  // the tight window [end - W - 1, end + 1). Each such rescan costs a scan of W bytes, and a long run of
  // a rule's characters makes every end one: rescanning only where a required context word could
  // confirm the result skips what confirm_candidates would drop.
  for (const candidate& c : work.too_long) {
    if (!context_may_confirm(c.rule, c.end, context, rules, text, columns)) {
      continue;
    }
    const std::uint64_t w = rules.bound(c.rule).max_width + 1;
    const confirm_window tight{std::max(base, c.end > w ? c.end - w : 0), std::min(text_end, c.end + 1)};
    // Appended to `out` directly; of what the tight window yields, only the match for this end stays.
    const std::size_t before = out.size();
    if (const errc e = scan_window(c.rule, tight, text, complete, rules, scratch, out, nullptr); e != errc::ok) {
      return e;
    }
    out.erase(std::remove_if(out.begin() + static_cast<std::ptrdiff_t>(before), out.end(),
                             [&](const candidate& f) { return f.end != c.end; }),
              out.end());
  }
  return errc::ok;
}

}  // namespace sluice::engine::detail
