// US passport numbers: nine digits (books issued before 2021) or a letter and eight digits (the Next
// Generation passport). The format is weak on its own, so rules pair it with context words; this check
// removes the filler people type instead of a real number.
#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

// 012345678, 123456789, 987654321 and the like: each digit one more (or one less) than the previous.
bool is_run(std::string_view digits) noexcept {
  bool up = true, down = true;
  for (std::size_t i = 1; i < digits.size(); ++i) {
    const int step = digits[i] - digits[i - 1];
    up = up && (step == 1);
    down = down && (step == -1);
  }
  return up || down;
}

}  // namespace

bool valid_us_passport(std::string_view span) noexcept {
  std::string_view digits = span;
  if (span.size() == 9 && is_upper(span[0])) {
    digits = span.substr(1);
  } else if (span.size() != 9) {
    return false;
  }
  if (!all_digits(digits)) {
    return false;
  }
  if (digits.find_first_not_of(digits[0]) == std::string_view::npos) {
    return false;  // 000000000, 999999999, C11111111
  }
  return !is_run(digits);
}

}  // namespace sluice::engine::detail
