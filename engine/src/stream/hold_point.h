#pragma once
// Where a stream must stop emitting: the earliest offset from which some pii/secret rule could still
// have a match that has not ended yet. See stream_redactor.h for the reasoning.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sluice/engine/ruleset.h"
#include "scan/span_resolver.h"

namespace sluice::engine::detail {

// Keeps, per hold group (ruleset::hold_groups), where the trailing run of the group's characters starts
// and where the next occurrence of its lead is, updated from each piece as it arrives. The answer is
// the one a scan back from the end would give, but a long run (a hex dump, a base64 blob) costs each
// delta its own bytes instead of a rescan of up to the widest entity (8 KiB) per group.
class hold_tracker {
 public:
  // Forgets everything: a new stream starts at offset 0. Sizes the state once per rule set.
  void reset(const ruleset& rules);

  // `piece` was appended at absolute offset `piece_base`.
  void append(std::string_view piece, std::uint64_t piece_base, const ruleset& rules) noexcept;

  // `text` holds absolute offsets [base, base + text.size()), ending at the last appended byte; nothing
  // before `floor` can be held (it was emitted). `context` holds the context-word hits so far, sorted by
  // end, back to at least the widest context window before `floor`. Returns a hold point in [floor, end],
  // never inside a UTF-8 character. `floor` never decreases between calls.
  [[nodiscard]] std::uint64_t hold_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                                         std::span<const context_hit> context, const ruleset& rules) noexcept;

 private:
  static constexpr std::uint64_t none = ~std::uint64_t{0};
  struct group_state {
    std::uint64_t run_start = 0;      // first byte of the trailing run of the group's characters
    std::uint64_t next_lead = none;   // a lead occurrence at or after the last search start, or none
    std::uint64_t searched_to = 0;    // lead occurrences starting before this were looked for
    std::uint64_t next_digit = none;  // likewise for stream_bound::digit_within: a digit, or none
    std::uint64_t digits_searched_to = 0;
  };
  [[nodiscard]] std::uint64_t earliest_open_start(std::string_view text, std::uint64_t base, std::uint64_t lowest,
                                                  std::span<const context_hit> context, const stream_bound& g,
                                                  group_state& st) noexcept;
  std::vector<group_state> groups_;
};

// Moves `offset` back to the start of the UTF-8 character it falls in, and before a trailing
// character that is not complete yet.
[[nodiscard]] std::uint64_t utf8_safe_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                                            std::uint64_t offset) noexcept;

}  // namespace sluice::engine::detail
