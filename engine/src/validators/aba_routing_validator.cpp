// ABA routing transit numbers: nine digits whose weighted sum (3, 7, 1 repeating) is a multiple of 10,
// and whose first two digits are a Federal Reserve routing symbol that is actually in use.
#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

// 00 U.S. Government, 01-12 the twelve Federal Reserve districts, 21-32 thrift institutions,
// 61-72 electronic (ACH) routing, 80 traveler's cheques. Everything else is unassigned.
bool assigned_prefix(int p) noexcept {
  return (p >= 0 && p <= 12) || (p >= 21 && p <= 32) || (p >= 61 && p <= 72) || p == 80;
}

}  // namespace

bool valid_aba_routing(std::string_view span) noexcept {
  if (span.size() != 9 || !all_digits(span)) {
    return false;
  }
  if (span.find_first_not_of(span[0]) == std::string_view::npos) {
    return false;  // 000000000 passes the checksum but is filler
  }
  if (!assigned_prefix(number_of(span.substr(0, 2)))) {
    return false;
  }
  constexpr int weights[9] = {3, 7, 1, 3, 7, 1, 3, 7, 1};
  int sum = 0;
  for (int i = 0; i < 9; ++i) {
    sum += weights[i] * digit_value(span[static_cast<std::size_t>(i)]);
  }
  return sum % 10 == 0;
}

}  // namespace sluice::engine::detail
