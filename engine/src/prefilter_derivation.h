#pragma once
// Derives a cheap prefilter from a signature pattern: the most selective top-level piece that every
// match must contain. Injection signatures and content terms are phrase patterns whose first word is
// often common ("do not", "with", "the following"); in one database with the rest they keep Hyperscan's
// automata busy on every word of ordinary prose (measured: 177 signatures together scanned prose at
// 0.04 GB/s). Scanning for one required, literal-rich piece of each instead, and confirming the whole
// pattern only in a window around a hit, keeps the main scan at literal-matching speed.
//
// A piece qualifies when it is required (at the top level of the pattern, not optional, not inside a
// top-level alternation) and is a literal run or a group of alternatives; its score is the length of
// the shortest literal prefix among its alternatives. The best piece must score at least 3 bytes.
#include <optional>
#include <string>
#include <string_view>

namespace sluice::engine::detail {

// The derived prefilter pattern, or nullopt when no piece qualifies (the rule is then scanned whole).
[[nodiscard]] std::optional<std::string> derive_prefilter(std::string_view pattern);

}  // namespace sluice::engine::detail
