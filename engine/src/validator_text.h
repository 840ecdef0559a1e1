#pragma once
// Character helpers shared by the validators. ASCII only and locale-free on purpose: <cctype> depends
// on the C locale and is undefined for negative chars, and every entity we validate is ASCII.
#include <cstddef>
#include <string_view>

namespace sluice::engine::detail {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_upper(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool is_lower(char c) noexcept { return c >= 'a' && c <= 'z'; }
constexpr bool is_alpha(char c) noexcept { return is_upper(c) || is_lower(c); }
constexpr bool is_alnum(char c) noexcept { return is_digit(c) || is_alpha(c); }
constexpr bool is_hex(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr char to_upper(char c) noexcept { return is_lower(c) ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr char to_lower(char c) noexcept { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr int digit_value(char c) noexcept { return c - '0'; }

constexpr bool all_digits(std::string_view s) noexcept {
  for (char c : s) {
    if (!is_digit(c)) {
      return false;
    }
  }
  return !s.empty();
}

// Case-insensitive equality for ASCII; `lower` must already be lower case.
constexpr bool iequals(std::string_view s, std::string_view lower) noexcept {
  if (s.size() != lower.size()) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (to_lower(s[i]) != lower[i]) {
      return false;
    }
  }
  return true;
}

// Case-insensitive substring search for ASCII; `lower` must already be lower case.
constexpr bool icontains(std::string_view s, std::string_view lower) noexcept {
  if (lower.empty()) {
    return true;
  }
  if (s.size() < lower.size()) {
    return false;
  }
  for (std::size_t i = 0; i + lower.size() <= s.size(); ++i) {
    if (iequals(s.substr(i, lower.size()), lower)) {
      return true;
    }
  }
  return false;
}

// Value of an all-digit string of at most 9 digits (callers check the length).
constexpr int number_of(std::string_view digits) noexcept {
  int v = 0;
  for (char c : digits) {
    v = v * 10 + digit_value(c);
  }
  return v;
}

// Copies the digits of `s` into `out` (capacity `cap`) where digits may be separated by single
// characters from `separators`: no separator first, last or twice in a row, nothing else allowed.
// Returns the number of digits, or -1 when the text breaks those rules or has more than `cap` digits.
inline int collect_separated_digits(std::string_view s, std::string_view separators, char* out,
                                    int cap) noexcept {
  int n = 0;
  bool previous_was_separator = true;  // so a leading separator is rejected
  for (char c : s) {
    if (is_digit(c)) {
      if (n == cap) {
        return -1;
      }
      out[n++] = c;
      previous_was_separator = false;
    } else if (separators.find(c) != std::string_view::npos) {
      if (previous_was_separator) {
        return -1;
      }
      previous_was_separator = true;
    } else {
      return -1;
    }
  }
  return previous_was_separator ? -1 : n;
}

}  // namespace sluice::engine::detail
