// Shannon entropy, and the `entropy` validator for generic secrets: random keys spread their bytes
// over the alphabet, while identifiers, words and filler repeat a few characters.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine {

double shannon_entropy(std::string_view s) noexcept {
  if (s.empty()) {
    return 0.0;
  }
  std::uint32_t counts[256] = {};
  for (char c : s) {
    ++counts[static_cast<unsigned char>(c)];
  }
  const double total = static_cast<double>(s.size());
  double bits = 0.0;
  for (std::uint32_t count : counts) {
    if (count != 0) {
      const double p = count / total;
      bits -= p * std::log2(p);
    }
  }
  return bits;
}

namespace detail {
namespace {

// Shortest string we call a secret on entropy alone: below this, any mix of characters is as likely
// to be a word or an id.
constexpr std::size_t min_secret_length = 8;

// How close a short string must come to its ceiling log2(length): a string of all-distinct
// characters reaches 1.0, so 0.85 still lets a few repeats through.
constexpr double short_string_ratio = 0.85;

}  // namespace

double required_entropy(std::size_t length, double configured) noexcept {
  if (length < 2) {
    return configured;
  }
  return std::min(configured, short_string_ratio * std::log2(static_cast<double>(length)));
}

bool high_entropy_secret(std::string_view span, const validator_options& options) noexcept {
  if (span.size() < min_secret_length) {
    return false;
  }
  for (char c : span) {
    if (static_cast<unsigned char>(c) <= ' ' || static_cast<unsigned char>(c) > '~') {
      return false;  // keys and tokens are printable ASCII without blanks; anything else is prose or binary
    }
  }
  // Famous documentation keys (AWS's AKIAIOSFODNN7EXAMPLE and its secret …EXAMPLEKEY) and masks.
  if (span.find("EXAMPLE") != std::string_view::npos || is_placeholder_secret(span)) {
    return false;
  }
  return shannon_entropy(span) >= required_entropy(span.size(), options.min_entropy_bits_per_char);
}

}  // namespace detail
}  // namespace sluice::engine
