#pragma once
// Private: the per-code-point tables of the normalizer: what is invisible, which compatibility forms
// fold to ASCII, which Cyrillic and Greek letters look like which Latin ones, and which script a letter
// belongs to.
#include <cstdint>

namespace sluice::engine::detail {

enum class script : std::uint8_t {
  none,      // not part of a word: spaces, punctuation, symbols, emoji
  latin,     // A-Z, a-z and the Latin letters with diacritics
  cyrillic,
  greek,
  digit,     // 0-9
  mark,      // combining mark: belongs to the letter before it
  other,     // letters of other scripts (CJK, Arabic, ...): part of a word, never folded
};

// Zero-width characters, bidi controls, soft hyphen, invisible tag controls: removed.
[[nodiscard]] bool is_invisible(std::uint32_t cp) noexcept;

// Compatibility forms that read as one ASCII character (fullwidth forms, mathematical alphanumerics,
// enclosed and squared letters, small capitals, letterlike symbols, tag characters, exotic spaces):
// that character; 0 when `cp` has none.
[[nodiscard]] char compatibility_ascii(std::uint32_t cp) noexcept;

// The Latin letter a Cyrillic or Greek letter is mistaken for (а→a, ο→o, Р→P); 0 when none.
[[nodiscard]] char confusable_latin(std::uint32_t cp) noexcept;

[[nodiscard]] script script_of(std::uint32_t cp) noexcept;

}  // namespace sluice::engine::detail
