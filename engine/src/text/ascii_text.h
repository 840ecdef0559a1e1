#pragma once
// ASCII character and text helpers shared by the normalizer, the compiler, the scanner and the
// validators. ASCII only and locale-free on purpose: <cctype> depends
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

// A C-style identifier: a letter or '_', then letters, digits or '_'.
constexpr bool is_identifier(std::string_view s) noexcept {
  if (s.empty() || (!is_alpha(s[0]) && s[0] != '_')) {
    return false;
  }
  for (char c : s) {
    if (!is_alnum(c) && c != '_') {
      return false;
    }
  }
  return true;
}

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

// Copies the characters of `s` into `out` (capacity `cap`), each passed through `keep` (which returns
// the character to store, or '\0' to reject the text), where characters may be separated by single
// characters from `separators`: no separator first, last or twice in a row. Returns how many were
// stored, or -1 when the text breaks those rules or holds more than `cap` characters.
template <class Keep>
int collect_separated(std::string_view s, std::string_view separators, Keep keep, char* out, int cap) noexcept {
  int n = 0;
  bool previous_was_separator = true;  // so a leading separator is rejected
  for (char c : s) {
    if (separators.find(c) != std::string_view::npos) {
      if (previous_was_separator) {
        return -1;
      }
      previous_was_separator = true;
      continue;
    }
    const char kept = keep(c);
    if (kept == '\0' || n == cap) {
      return -1;
    }
    out[n++] = kept;
    previous_was_separator = false;
  }
  return previous_was_separator ? -1 : n;
}

// Digits separated by single `separators` (card numbers).
inline int collect_separated_digits(std::string_view s, std::string_view separators, char* out, int cap) noexcept {
  return collect_separated(s, separators, [](char c) { return is_digit(c) ? c : '\0'; }, out, cap);
}

// Letters and digits, upper-cased, separated by single spaces (IBAN print form, spaced NINOs).
inline int collect_spaced_alnum(std::string_view s, char* out, int cap) noexcept {
  return collect_separated(s, " ", [](char c) { return is_alnum(c) ? to_upper(c) : '\0'; }, out, cap);
}

}  // namespace sluice::engine::detail
