#pragma once
// Where a stream must stop emitting: the earliest offset from which some pii/secret rule could still
// have a match that has not ended yet. See stream_redactor.h for the reasoning.
#include <cstdint>
#include <string_view>

#include "sluice/engine/ruleset.h"

namespace sluice::engine::detail {

// `text` holds absolute offsets [base, base + text.size()); nothing before `floor` can be held (it was
// emitted). Returns a hold point in [floor, end], never inside a UTF-8 character.
[[nodiscard]] std::uint64_t hold_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                                       const ruleset& rules) noexcept;

// Moves `offset` back to the start of the UTF-8 character it falls in, and before a trailing
// character that is not complete yet.
[[nodiscard]] std::uint64_t utf8_safe_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                                            std::uint64_t offset) noexcept;

}  // namespace sluice::engine::detail
