// UK National Insurance numbers: two prefix letters, six digits, a suffix letter A-D. HMRC never
// allocates some letters and some prefix pairs, which is what separates a NINO from any other
// letters-digits-letter code.
#include <array>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

constexpr std::string_view bad_first = "DFIQUV";
constexpr std::string_view bad_second = "DFIOQUV";
constexpr std::array<std::string_view, 7> bad_prefixes{"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"};

}  // namespace

bool valid_uk_nino(std::string_view span) noexcept {
  // Written as AB123456C or AB 12 34 56 C: single spaces may separate characters, never lead or trail.
  char n[9];
  if (collect_spaced_alnum(span, n, 9) != 9) {
    return false;
  }
  if (!is_upper(n[0]) || !is_upper(n[1]) || !all_digits(std::string_view(n + 2, 6))) {
    return false;
  }
  if (n[8] < 'A' || n[8] > 'D') {
    return false;
  }
  if (bad_first.find(n[0]) != std::string_view::npos || bad_second.find(n[1]) != std::string_view::npos) {
    return false;
  }
  const std::string_view prefix(n, 2);
  for (std::string_view bad : bad_prefixes) {
    if (prefix == bad) {
      return false;
    }
  }
  return true;
}

}  // namespace sluice::engine::detail
