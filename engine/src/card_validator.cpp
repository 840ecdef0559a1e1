// Payment card numbers: the Luhn checksum catches typos and random digit runs (9 in 10 fail), and the
// issuer table rejects numbers no network issues (a 16-digit order id starting with 9, say).
#include <array>
#include <cstdint>

#include "validator_checks.h"
#include "validator_text.h"

namespace sluice::engine::detail {
namespace {

struct issuer_range {
  std::string_view network;  // for the reader; not used at run time
  int digits;                // how many leading digits `low`..`high` compare against
  int low;
  int high;
  int min_length;
  int max_length;
};

// From the networks' published IIN ranges (ISO/IEC 7812). Lengths are the ones each network issues.
constexpr std::array<issuer_range, 22> issuers{{
    {"visa", 1, 4, 4, 13, 19},  // 13 (old), 16, 19; 14, 15, 17 and 18 rejected below
    {"mastercard", 2, 51, 55, 16, 16},
    {"mastercard", 4, 2221, 2720, 16, 16},
    {"amex", 2, 34, 34, 15, 15},
    {"amex", 2, 37, 37, 15, 15},
    {"discover", 4, 6011, 6011, 16, 19},
    {"discover", 3, 644, 649, 16, 19},
    {"discover", 2, 65, 65, 16, 19},
    {"jcb", 4, 3528, 3589, 16, 19},
    {"diners", 3, 300, 305, 14, 19},
    {"diners", 4, 3095, 3095, 14, 19},
    {"diners", 2, 36, 36, 14, 19},
    {"diners", 2, 38, 39, 16, 19},
    {"unionpay", 2, 62, 62, 16, 19},
    {"maestro", 4, 5018, 5018, 12, 19},
    {"maestro", 4, 5020, 5020, 12, 19},
    {"maestro", 4, 5038, 5038, 12, 19},
    {"maestro", 4, 5893, 5893, 12, 19},
    {"maestro", 4, 6304, 6304, 12, 19},
    {"maestro", 4, 6759, 6759, 12, 19},
    {"maestro", 4, 6761, 6763, 12, 19},
    {"mir", 4, 2200, 2204, 16, 19},
}};

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

bool issued_length(std::string_view network, int length) noexcept {
  if (network == "visa") {
    return length == 13 || length == 16 || length == 19;
  }
  return true;
}

bool known_issuer(const char* digits, int n) noexcept {
  for (const issuer_range& r : issuers) {
    if (n < r.min_length || n > r.max_length) {
      continue;
    }
    const int prefix = number_of(std::string_view(digits, static_cast<std::size_t>(r.digits)));
    if (prefix >= r.low && prefix <= r.high && issued_length(r.network, n)) {
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
