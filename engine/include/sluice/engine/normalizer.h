#pragma once
// Normalization against evasion, applied before the injection and content scan: fullwidth and
// compatibility forms folded, zero-width and bidi controls removed, confusable Cyrillic/Greek homoglyphs
// folded to Latin, letter-spacing ("i g n o r e") and common leetspeak ("1gn0r3") collapsed, ASCII
// lower-cased. An offset map sends every normalized byte back to the original text.
//
// Plain ASCII text without spaced letters or leetspeak is returned unchanged (`changed == false`) after a
// SIMD check, so the common case costs one pass at memory speed.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/result.h"

namespace sluice::engine {

struct normalized_text {
  std::string text;                   // the normalized bytes (valid UTF-8)
  std::vector<std::uint32_t> origin;  // origin[i] = offset in the original of normalized byte i;
                                      // origin[text.size()] = original size
  bool changed = false;               // false: text is byte-identical to the input and origin is empty

  // Maps a normalized half-open range back to the original text.
  [[nodiscard]] std::uint32_t original_offset(std::uint32_t normalized_offset) const noexcept {
    return changed ? origin[normalized_offset] : normalized_offset;
  }
};

class normalizer {
 public:
  // Normalizes `input` into `out`, reusing out's buffers.
  // Errors: errc::invalid_utf8 when `input` is not well-formed UTF-8; errc::input_too_large when it is
  // 4 GiB or more (offsets are 32-bit). On error `out` reads as unchanged (changed == false).
  [[nodiscard]] errc normalize(std::string_view input, normalized_text& out) const noexcept;
};

// True when every byte of `s` is below 0x80. Uses the widest SIMD the CPU offers (chosen once at start-up;
// SLUICE_SIMD=scalar|sse2|avx2 forces one, for tests).
[[nodiscard]] bool is_ascii(std::string_view s) noexcept;
// The name of the implementation is_ascii uses: "avx2", "sse2" or "scalar".
[[nodiscard]] std::string_view ascii_check_implementation() noexcept;

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
[[nodiscard]] bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace sluice::engine
