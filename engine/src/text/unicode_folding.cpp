// The normalizer's code-point tables. Small sorted tables and ranges, no allocation.
#include "text/unicode_folding.h"

#include <algorithm>
#include <iterator>

namespace sluice::engine::detail {
namespace {

struct pair_entry {
  std::uint32_t cp;
  char ascii;
};

// Sorted by code point.
constexpr pair_entry confusables[] = {
    {0x0391, 'A'}, {0x0392, 'B'}, {0x0395, 'E'}, {0x0396, 'Z'}, {0x0397, 'H'}, {0x0399, 'I'},
    {0x039A, 'K'}, {0x039C, 'M'}, {0x039D, 'N'}, {0x039F, 'O'}, {0x03A1, 'P'}, {0x03A4, 'T'},
    {0x03A5, 'Y'}, {0x03A7, 'X'}, {0x03B1, 'a'}, {0x03B2, 'b'}, {0x03B3, 'y'}, {0x03B5, 'e'},
    {0x03B7, 'n'}, {0x03B9, 'i'}, {0x03BA, 'k'}, {0x03BC, 'u'}, {0x03BD, 'v'}, {0x03BF, 'o'},
    {0x03C1, 'p'}, {0x03C2, 's'}, {0x03C4, 't'}, {0x03C5, 'u'}, {0x03C7, 'x'}, {0x03C9, 'w'},
    {0x0405, 'S'}, {0x0406, 'I'}, {0x0408, 'J'}, {0x0410, 'A'}, {0x0412, 'B'}, {0x0415, 'E'},
    {0x041A, 'K'}, {0x041C, 'M'}, {0x041D, 'H'}, {0x041E, 'O'}, {0x0420, 'P'}, {0x0421, 'C'},
    {0x0422, 'T'}, {0x0423, 'Y'}, {0x0425, 'X'}, {0x0430, 'a'}, {0x0432, 'b'}, {0x0435, 'e'},
    {0x043A, 'k'}, {0x043C, 'm'}, {0x043D, 'h'}, {0x043E, 'o'}, {0x0440, 'p'}, {0x0441, 'c'},
    {0x0442, 't'}, {0x0443, 'y'}, {0x0445, 'x'}, {0x0451, 'e'}, {0x0455, 's'}, {0x0456, 'i'},
    {0x0457, 'i'}, {0x0458, 'j'}, {0x04BA, 'H'}, {0x04BB, 'h'}, {0x04C0, 'I'}, {0x04CF, 'l'},
    {0x0501, 'd'}, {0x051A, 'Q'}, {0x051B, 'q'}, {0x051C, 'W'}, {0x051D, 'w'},
};

// Single compatibility characters (letterlike symbols, small capitals), sorted by code point.
constexpr pair_entry compatibility_singles[] = {
    {0x00A0, ' '}, {0x0262, 'G'}, {0x026A, 'I'}, {0x0274, 'N'}, {0x0280, 'R'}, {0x028F, 'Y'},
    {0x0299, 'B'}, {0x029C, 'H'}, {0x029F, 'L'}, {0x1D00, 'A'}, {0x1D04, 'C'}, {0x1D05, 'D'},
    {0x1D07, 'E'}, {0x1D0A, 'J'}, {0x1D0B, 'K'}, {0x1D0D, 'M'}, {0x1D0F, 'O'}, {0x1D18, 'P'},
    {0x1D1B, 'T'}, {0x1D1C, 'U'}, {0x1D20, 'V'}, {0x1D21, 'W'}, {0x1D22, 'Z'}, {0x202F, ' '},
    {0x205F, ' '}, {0x2102, 'C'}, {0x210A, 'g'}, {0x210B, 'H'}, {0x210C, 'H'}, {0x210D, 'H'},
    {0x210E, 'h'}, {0x2110, 'I'}, {0x2111, 'I'}, {0x2112, 'L'}, {0x2113, 'l'}, {0x2115, 'N'},
    {0x2119, 'P'}, {0x211A, 'Q'}, {0x211B, 'R'}, {0x211C, 'R'}, {0x211D, 'R'}, {0x2124, 'Z'},
    {0x2128, 'Z'}, {0x212C, 'B'}, {0x212D, 'C'}, {0x212F, 'e'}, {0x2130, 'E'}, {0x2131, 'F'},
    {0x2133, 'M'}, {0x2134, 'o'}, {0x2139, 'i'}, {0x3000, ' '}, {0xA730, 'F'}, {0xA731, 'S'},
};

char lookup(const pair_entry* first, const pair_entry* last, std::uint32_t cp) noexcept {
  const pair_entry* it =
      std::lower_bound(first, last, cp, [](const pair_entry& e, std::uint32_t v) { return e.cp < v; });
  return (it != last && it->cp == cp) ? it->ascii : 0;
}

char letter_at(std::uint32_t index, char first) noexcept { return static_cast<char>(first + index); }

}  // namespace

bool is_invisible(std::uint32_t cp) noexcept {
  return cp == 0x00AD || cp == 0x034F || cp == 0x061C || cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x2069) ||
         cp == 0xFEFF || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xE0001 || cp == 0xE007F;
}

char compatibility_ascii(std::uint32_t cp) noexcept {
  if (cp < 0x00A0) {
    return 0;
  }
  if (cp >= 0xFF01 && cp <= 0xFF5E) {  // fullwidth ASCII
    return static_cast<char>(cp - 0xFEE0);
  }
  if ((cp >= 0x2000 && cp <= 0x200A)) {  // en quad .. hair space
    return ' ';
  }
  if (cp >= 0x1D400 && cp <= 0x1D6A3) {  // mathematical alphanumerics: 13 styles of A-Z a-z
    const std::uint32_t k = (cp - 0x1D400) % 52;
    return k < 26 ? letter_at(k, 'A') : letter_at(k - 26, 'a');
  }
  if (cp == 0x1D6A4) {
    return 'i';
  }
  if (cp == 0x1D6A5) {
    return 'j';
  }
  if (cp >= 0x1D7CE && cp <= 0x1D7FF) {  // mathematical digits: 5 styles of 0-9
    return static_cast<char>('0' + (cp - 0x1D7CE) % 10);
  }
  if (cp >= 0x24B6 && cp <= 0x24CF) {  // circled capitals
    return letter_at(cp - 0x24B6, 'A');
  }
  if (cp >= 0x24D0 && cp <= 0x24E9) {  // circled small letters
    return letter_at(cp - 0x24D0, 'a');
  }
  if (cp >= 0x249C && cp <= 0x24B5) {  // parenthesized small letters
    return letter_at(cp - 0x249C, 'a');
  }
  if (cp >= 0x1F130 && cp <= 0x1F149) {  // squared capitals
    return letter_at(cp - 0x1F130, 'A');
  }
  if (cp >= 0x1F150 && cp <= 0x1F169) {  // negative circled capitals
    return letter_at(cp - 0x1F150, 'A');
  }
  if (cp >= 0x1F170 && cp <= 0x1F189) {  // negative squared capitals
    return letter_at(cp - 0x1F170, 'A');
  }
  if (cp >= 0x1F1E6 && cp <= 0x1F1FF) {  // regional indicator letters
    return letter_at(cp - 0x1F1E6, 'A');
  }
  if (cp >= 0xE0020 && cp <= 0xE007E) {  // tag characters: invisible copies of ASCII ("ASCII smuggling")
    return static_cast<char>(cp - 0xE0000);
  }
  return lookup(std::begin(compatibility_singles), std::end(compatibility_singles), cp);
}

char confusable_latin(std::uint32_t cp) noexcept {
  if (cp < 0x0391 || cp > 0x051D) {
    return 0;
  }
  return lookup(std::begin(confusables), std::end(confusables), cp);
}

script script_of(std::uint32_t cp) noexcept {
  if (cp < 0x80) {
    if ((cp | 0x20) - 'a' < 26) {
      return script::latin;
    }
    return (cp - '0' < 10) ? script::digit : script::none;
  }
  if (cp < 0xC0) {
    return (cp == 0xAA || cp == 0xB5 || cp == 0xBA) ? script::latin : script::none;
  }
  if (cp <= 0x024F) {
    return (cp == 0xD7 || cp == 0xF7) ? script::none : script::latin;
  }
  if (cp <= 0x02AF) {
    return script::latin;  // IPA extensions
  }
  if (cp >= 0x0300 && cp <= 0x036F) {
    return script::mark;
  }
  if (cp >= 0x0370 && cp <= 0x03FF) {
    return (cp == 0x037E || cp == 0x0387) ? script::none : script::greek;
  }
  if (cp >= 0x0400 && cp <= 0x052F) {
    return (cp >= 0x0483 && cp <= 0x0489) ? script::mark : script::cyrillic;
  }
  if (cp >= 0x1E00 && cp <= 0x1EFF) {
    return script::latin;
  }
  if (cp >= 0x1F00 && cp <= 0x1FFF) {
    return script::greek;
  }
  if (cp >= 0x20D0 && cp <= 0x20FF) {
    return script::mark;
  }
  if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F) ||
      (cp >= 0xFF00 && cp <= 0xFF65) || (cp >= 0x1F000 && cp <= 0x1FAFF)) {
    return script::none;  // punctuation, symbols, arrows, CJK punctuation, emoji
  }
  return script::other;
}

}  // namespace sluice::engine::detail
