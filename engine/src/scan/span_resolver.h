#pragma once
// Turns raw Hyperscan matches of pii/secret rules into confirmed, non-overlapping findings. Block scans
// and stream redactors share this code, which is what makes a stream's redaction identical to the
// block-mode redaction of the same text.
//
// Semantics, in order:
//  1. per (rule, start) only the longest match counts (Hyperscan reports every end; SOM is leftmost);
//  2. that span must pass the rule's validator, and, for rules with required context, a context word
//     must end within the rule's window before the span's start (with `same_clause`, no digit,
//     ',' or ';' between the word and the span), or the header of the span's table column names one
//     of the rule's context words; validators read up to context_lookbehind bytes before the span;
//  3. overlapping confirmed spans merge into one finding whose type is the longest span's (ties: the
//     rule written first).
#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sluice/engine/finding.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/validators.h"
#include "validators/reading_context.h"

namespace sluice::engine::detail {

struct candidate {
  std::uint32_t rule;
  std::uint64_t start;
  std::uint64_t end;
};

struct context_hit {
  std::uint32_t rule;  // the generated context rule's id
  std::uint64_t end;
};

// The context hits (sorted by end, as every scan keeps them) from the first one ending at or after
// `lowest` on: where the lookups for a context word before a span start.
[[nodiscard]] inline std::span<const context_hit> context_hits_from(std::span<const context_hit> hits,
                                                                    std::uint64_t lowest) noexcept {
  const auto it = std::lower_bound(hits.begin(), hits.end(), lowest,
                                   [](const context_hit& h, std::uint64_t v) { return h.end < v; });
  return hits.subspan(static_cast<std::size_t>(it - hits.begin()));
}

// Offsets are absolute positions in the scanned text; `text` holds the bytes from `text_base` on, and
// must cover every candidate span passed in and the context window before it.
struct text_window {
  std::string_view text;
  std::uint64_t text_base = 0;

  [[nodiscard]] std::string_view slice(std::uint64_t start, std::uint64_t end) const noexcept {
    return text.substr(static_cast<std::size_t>(start - text_base), static_cast<std::size_t>(end - start));
  }
};

// Whether a rule with required context gets it from the header of the table column that offset `at`
// sits in: a hit of its context rule `context_rule` (from `hits`, sorted by end) ends inside that
// header cell (see reading_context.h for what a table is). `cache` remembers the tables of lines
// already looked at (one per pass over one text).
[[nodiscard]] bool column_gives_context(std::uint32_t context_rule, std::uint64_t at,
                                        std::span<const context_hit> hits, const text_window& text,
                                        column_cache* cache) noexcept;

// Steps 1 and 2: sorts `candidates` in place, keeps the longest per (rule, start), validates, checks
// context (`hits` sorted by end), and appends confirmed spans to `confirmed` (unsorted).
void confirm_candidates(std::vector<candidate>& candidates, std::span<const context_hit> hits,
                        const text_window& text, const ruleset& rules,
                        const validator_options& options, std::vector<candidate>& confirmed) noexcept;

// Step 3: sorts `confirmed` and merges overlaps into `out` (appended, sorted, non-overlapping).
// Offsets in `out` are `offset - out_base`.
void merge_overlaps(std::vector<candidate>& confirmed, std::uint64_t out_base,
                    std::vector<finding>& out) noexcept;

}  // namespace sluice::engine::detail
