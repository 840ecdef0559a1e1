// Payment card numbers: the Luhn checksum catches typos and random digit runs (9 in 10 fail), and the
// issuer table rejects numbers no network issues (a 16-digit order id starting with 9, say).
#include <cstdint>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

// Bit n set: the network issues n-digit numbers in that range.
constexpr std::uint32_t length_bit(int n) { return std::uint32_t{1} << n; }
constexpr std::uint32_t lengths(int low, int high) {
  std::uint32_t bits = 0;
  for (int n = low; n <= high; ++n) {
    bits |= length_bit(n);
  }
  return bits;
}

struct issuer_range {
  std::string_view network;  // for the reader; not used at run time
  int digits;                // how many leading digits `low`..`high` compare against
  int low;
  int high;
  std::uint32_t issued_lengths;
};

// IIN ranges and lengths as the networks publish them (ISO/IEC 7812 numbering; the ranges are the
// ones the usual public IIN tables list). Where a network's published range was narrowed over time and
// numbers from the older, wider range are still in circulation (JCB), the wider range is kept: a
// missed card leaks data, while a Luhn-valid number in such a range that is not a card is rare.
constexpr issuer_range issuers[] = {
    {"visa", 1, 4, 4, length_bit(13) | length_bit(16) | length_bit(19)},
    {"mastercard", 2, 51, 55, length_bit(16)},
    {"mastercard", 4, 2221, 2720, length_bit(16)},
    {"amex", 2, 34, 34, length_bit(15)},
    {"amex", 2, 37, 37, length_bit(15)},
    {"discover", 4, 6011, 6011, lengths(16, 19)},
    {"discover", 3, 644, 649, lengths(16, 19)},
    {"discover", 2, 65, 65, lengths(16, 19)},
    // JCB publishes 3528-3589 today; older tables give all of 35, and 15-digit numbers under 1800 and
    // 2131 (JCB's first ranges).
    {"jcb", 2, 35, 35, lengths(16, 19)},
    {"jcb", 4, 1800, 1800, length_bit(15)},
    {"jcb", 4, 2131, 2131, length_bit(15)},
    // Diners Club International: 300-305, 309, 36, 38-39; 14 digits, 16-19 since the Discover merger.
    {"diners", 3, 300, 305, lengths(14, 19)},
    {"diners", 3, 309, 309, lengths(14, 19)},
    {"diners", 2, 36, 36, lengths(14, 19)},
    {"diners", 2, 38, 39, lengths(14, 19)},
    {"unionpay", 2, 62, 62, lengths(16, 19)},
    // Maestro (Mastercard's debit brand): BINs under 50 and 56-69, 12 to 19 digits. The well-known
    // prefixes 5018, 5020, 5038, 5893, 6304, 6759, 6761-6763 and 6390 are inside these ranges; 0604
    // is a Maestro prefix listed apart in the public tables.
    {"maestro", 2, 50, 50, lengths(12, 19)},
    {"maestro", 2, 56, 58, lengths(12, 19)},
    {"maestro", 1, 6, 6, lengths(12, 19)},
    {"maestro", 4, 604, 604, lengths(12, 19)},  // "0604": four digits compared, leading zero
    {"mir", 4, 2200, 2204, lengths(16, 19)},
};

bool luhn_ok(const char* digits, int n) noexcept {
  int sum = 0;
  bool twice = false;
  for (int i = n - 1; i >= 0; --i) {
    int d = digit_value(digits[i]);
    if (twice) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    twice = !twice;
  }
  return sum % 10 == 0;
}

bool known_issuer(const char* digits, int n) noexcept {
  for (const issuer_range& r : issuers) {
    if ((r.issued_lengths & length_bit(n)) == 0) {
      continue;
    }
    const int prefix = number_of(std::string_view(digits, static_cast<std::size_t>(r.digits)));
    if (prefix >= r.low && prefix <= r.high) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool valid_card_number(std::string_view span) noexcept {
  char digits[19];
  const int n = collect_separated_digits(span, " -", digits, 19);
  if (n < 12) {
    return false;
  }
  return luhn_ok(digits, n) && known_issuer(digits, n);
}

}  // namespace sluice::engine::detail
