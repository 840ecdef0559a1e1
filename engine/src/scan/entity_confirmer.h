#pragma once
// Confirms entity hits from the main scan with the exact patterns. The main databases carry only each
// entity's cheap prefilter (no start-of-match), so a hit says "an entity may end near here". This step
// scans small windows around each rule's hits with that rule's confirmation database (its exact pattern,
// leftmost start) and yields exact candidates.
//
// Semantics (identical for block and stream): for each end e where rule r's exact pattern matches, the
// candidate's start is the leftmost s with e - s <= max_width(r). A window [p - W - 1, p + W + 1) around
// a prefilter hit at p contains every such match whose span holds p, with one byte of context on each
// side for \b, so the answer does not depend on where windows fall. A prefilter must hold wherever its
// rule's pattern matches (for a rule that requires context: wherever the pattern and its context do),
// or matches outside its hits' windows are never found.
#include <cstdint>
#include <span>
#include <vector>

#include <hs/hs.h>

#include "sluice/engine/result.h"
#include "scan/span_resolver.h"

namespace sluice::engine::detail {

struct entity_hit {
  std::uint32_t rule;
  std::uint64_t end;  // absolute end offset of the prefilter match
};

struct confirm_window {
  std::uint64_t start;
  std::uint64_t end;
};

// What confirm_hits reuses from call to call (a scanner or a stream owns one): hits ordered by rule, the
// counting sort's offsets, one rule's windows, and matches too long for their window.
struct confirm_scratch {
  std::vector<entity_hit> by_rule;
  std::vector<std::uint32_t> rule_ends;
  std::vector<confirm_window> windows;
  std::vector<candidate> too_long;
};

// `text` covers absolute offsets [text.text_base, text.text_base + text.text.size()). When `complete` is
// false more text may follow, so matches ending at the last byte are left for later (they may grow).
// `context` holds the context-word hits seen so far, sorted by end: a too-long match of a rule that
// requires context is only rescanned where a context word could still confirm it (see the .cpp).
// Appends candidates to `out`. Errors: hyperscan_failure.
[[nodiscard]] errc confirm_hits(std::span<const entity_hit> hits, std::span<const context_hit> context,
                                const text_window& text, bool complete, const ruleset& rules, hs_scratch_t* scratch,
                                confirm_scratch& work, std::vector<candidate>& out) noexcept;

}  // namespace sluice::engine::detail
