#pragma once
// For tests: the normalizer without its shortcut for plain ASCII words, so that property tests can check
// that the shortcut changes nothing.
#include <string_view>

#include "sluice/engine/normalizer.h"
#include "sluice/engine/result.h"

namespace sluice::engine::detail {

// Like normalizer::normalize, but every character goes through the general path.
[[nodiscard]] errc normalize_without_shortcuts(std::string_view input, normalized_text& out) noexcept;

}  // namespace sluice::engine::detail
