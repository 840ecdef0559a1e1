#pragma once
// Derives a cheap prefilter from a signature pattern: a few plain word alternations ("parts") that all
// occur inside every match. Injection signatures and content terms are phrase patterns with word gaps;
// in one database they keep Hyperscan's automata busy on every word of ordinary prose (measured: 177
// signatures together scanned prose at 0.04 GB/s), and even their literal pieces joined by separators
// (`do\W+not`) made a combined database ten times slower than plain literal alternations. So the main
// database holds only parts, and a signature is confirmed with its exact pattern in a window where all
// parts of one of its branches occur close together (scanner.cpp).
//
// Every required top-level piece of a sequence guarantees a word: a literal its rarest word, a group one
// of its alternatives' words (each alternative a sequence of its own). A word's evidence is its length
// (at most 8), 2 for a common word, 1 for a function word or a word of one or two letters; a group is as
// rare as its most common alternative. Parts are taken rarest first until their evidence adds up
// ("ignore" … "previous" … "instructions"); a branch with nothing better takes weaker pieces, down to
// common words, never function words. A common word's part is added only while the evidence is below
// the minimum: on prose it hits hundreds of times per 64 KiB (each hit costs the main scan tens of
// nanoseconds) and took away no confirmation window on the benchmark texts. A top-level alternation
// gets parts for every branch. (Parts are
// not word-bounded: `\b(?:ask|tell)\b` spares the hits inside "asked", but measured on 2.4 MB of benign
// text it saved 13 % of the hits and made the database 25 % slower.)
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/rule.h"

namespace sluice::engine::detail {

// Parts are taken from pieces with at least this much evidence when the branch has enough of them.
inline constexpr std::size_t minimum_part_evidence = 4;
// Weaker pieces are used when a branch has no better, down to this: below it (function words) a part
// would hit every line of ordinary text.
inline constexpr std::size_t weakest_part_evidence = 2;
// Parts are added until their evidence reaches this, or there are this many.
inline constexpr std::size_t minimum_prefilter_evidence = 6;
inline constexpr std::size_t target_prefilter_evidence = 10;
inline constexpr std::size_t max_prefilter_parts = 3;

struct prefilter_plan {
  // One entry per top-level branch of the pattern; each holds the parts (Hyperscan patterns) that all
  // occur inside every match of that branch, in pattern order: in every match, the last part's match
  // ends after the others'.
  std::vector<std::vector<std::string>> branches;
};

// The derived prefilter, or nullopt when some branch has no qualifying runs (the rule is then scanned
// whole).
[[nodiscard]] std::optional<prefilter_plan> derive_prefilter(std::string_view pattern);

// The parts an injection or content rule is screened by: its written `prefilter` parts, else those derived
// from its pattern (nullopt: matched whole).
[[nodiscard]] std::optional<prefilter_plan> signature_prefilter(const rule& r);

// The words of a part that is a plain alternation of words ("(?:ignore|disregard)" or "ignore": letters,
// digits, '_' and non-ASCII bytes), or nothing when it is anything else (classes, escapes, separators,
// groups inside).
[[nodiscard]] std::vector<std::string> plain_part_words(std::string_view part);

// The evidence a literal carries by the measure above (exposed for tests).
[[nodiscard]] std::size_t prefilter_evidence(std::string_view literal);

}  // namespace sluice::engine::detail
