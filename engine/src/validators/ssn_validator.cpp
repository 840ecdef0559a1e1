// US Social Security numbers: the SSA never issues area 000, 666 or 900-999, group 00 or serial 0000,
// and a few numbers are famous from advertising or are stock placeholders; none of those is anybody's.
#include <array>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

// 078-05-1120 (the Woolworth wallet card), 219-09-9999 (an SSA pamphlet), 457-55-5462 (a LifeLock
// advertisement), 123-45-6789 (the placeholder everybody types).
constexpr std::array<std::string_view, 4> not_real{"078051120", "219099999", "457555462", "123456789"};

// Accepts AAA-GG-SSSS, AAA GG SSSS and AAAGGSSSS; the two separators must be the same.
bool split(std::string_view s, char out[9]) noexcept {
  if (s.size() == 9) {
    if (!all_digits(s)) {
      return false;
    }
    s.copy(out, 9);
    return true;
  }
  if (s.size() != 11 || s[3] != s[6] || (s[3] != '-' && s[3] != ' ')) {
    return false;
  }
  const std::string_view area = s.substr(0, 3), group = s.substr(4, 2), serial = s.substr(7, 4);
  if (!all_digits(area) || !all_digits(group) || !all_digits(serial)) {
    return false;
  }
  area.copy(out, 3);
  group.copy(out + 3, 2);
  serial.copy(out + 5, 4);
  return true;
}

}  // namespace

bool valid_us_ssn(std::string_view span, bool labelled) noexcept {
  char d[9];
  if (!split(span, d)) {
    return false;
  }
  const std::string_view all(d, 9);
  const int area = number_of(all.substr(0, 3));
  if (area == 0 || area == 666 || area >= 900) {
    return false;
  }
  if (number_of(all.substr(3, 2)) == 0 || number_of(all.substr(5, 4)) == 0) {
    return false;
  }
  if (all.find_first_not_of(d[0]) == std::string_view::npos) {
    return false;  // 111-11-1111 and friends: typed as filler, not issued
  }
  if (labelled) {
    return true;
  }
  for (std::string_view fake : not_real) {
    if (all == fake) {
      return false;
    }
  }
  return true;
}

}  // namespace sluice::engine::detail
