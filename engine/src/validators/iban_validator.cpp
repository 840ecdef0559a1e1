// IBANs (ISO 13616): the country's registered length and the mod-97 check digits. Together they reject
// practically every string that merely looks like an IBAN (a random candidate passes mod-97 once in 97).
#include <array>
#include <cstdint>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

struct country_length {
  char code[3];
  std::uint8_t length;
};

// Every country in the SWIFT IBAN registry (release 99, 2024), with its IBAN length.
constexpr country_length registry[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16}, {"BG", 22},
    {"BH", 22}, {"BI", 27}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28}, {"CZ", 24},
    {"DE", 22}, {"DJ", 27}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24}, {"FI", 18},
    {"FK", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18}, {"GR", 27},
    {"GT", 28}, {"HN", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23}, {"IS", 26},
    {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32}, {"LI", 21}, {"LT", 20},
    {"LU", 20}, {"LV", 21}, {"LY", 25}, {"MC", 27}, {"MD", 24}, {"ME", 22}, {"MK", 19}, {"MN", 20},
    {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NI", 28}, {"NL", 18}, {"NO", 15}, {"OM", 23}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33}, {"SA", 24},
    {"SC", 31}, {"SD", 18}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"SO", 23}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"YE", 30},
};

// 26x26 table indexed by the two letters: the IBAN length, or 0 for a country without IBANs.
constexpr std::array<std::uint8_t, 26 * 26> length_by_country = [] {
  std::array<std::uint8_t, 26 * 26> t{};
  for (const country_length& c : registry) {
    t[static_cast<std::size_t>((c.code[0] - 'A') * 26 + (c.code[1] - 'A'))] = c.length;
  }
  return t;
}();

constexpr int longest_iban = 34;  // ISO 13616 maximum

}  // namespace

std::size_t iban_country_count() noexcept { return std::size(registry); }

bool valid_iban(std::string_view span) noexcept {
  // Electronic form (no spaces) or print form (single spaces, usually every four characters).
  char iban[longest_iban];
  const int n = collect_spaced_alnum(span, iban, longest_iban);
  if (n < 15) {
    return false;  // also -1: malformed text or longer than any IBAN
  }
  if (!is_upper(iban[0]) || !is_upper(iban[1]) || !is_digit(iban[2]) || !is_digit(iban[3])) {
    return false;
  }
  const int expected = length_by_country[static_cast<std::size_t>((iban[0] - 'A') * 26 + (iban[1] - 'A'))];
  if (expected != n) {
    return false;
  }
  // mod 97 of the number formed by moving the first four characters to the end and writing each
  // letter as two digits (A = 10 … Z = 35); computed piecewise so no big integers are needed.
  int remainder = 0;
  for (int k = 0; k < n; ++k) {
    const char c = iban[(k + 4) % n];
    if (is_digit(c)) {
      remainder = (remainder * 10 + digit_value(c)) % 97;
    } else {
      remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return remainder == 1;
}

}  // namespace sluice::engine::detail
