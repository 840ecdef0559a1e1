#pragma once
// Base64url (RFC 4648 §5) decoding into a caller's buffer, as used by JWT segments: no padding
// required, '=' padding tolerated at the end, no other characters allowed.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::engine::detail {

// Value of a base64url character, or -1.
constexpr int base64url_value(char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// True when `s` is a well-formed base64url segment (possibly empty).
constexpr bool is_base64url(std::string_view s) noexcept {
  while (!s.empty() && s.back() == '=') {
    s.remove_suffix(1);
  }
  for (char c : s) {
    if (base64url_value(c) < 0) {
      return false;
    }
  }
  return s.size() % 4 != 1;  // one leftover character cannot encode a byte
}

// Decodes `s` into `out` (capacity `cap`). Returns the decoded length, or -1 for a malformed segment
// or one that does not fit.
inline long decode_base64url(std::string_view s, std::uint8_t* out, std::size_t cap) noexcept {
  if (!is_base64url(s)) {
    return -1;
  }
  while (!s.empty() && s.back() == '=') {
    s.remove_suffix(1);
  }
  if (s.size() / 4 * 3 + (s.size() % 4 == 0 ? 0 : s.size() % 4 - 1) > cap) {
    return -1;
  }
  std::size_t n = 0;
  std::uint32_t bits = 0;
  int held = 0;
  for (char c : s) {
    bits = (bits << 6) | static_cast<std::uint32_t>(base64url_value(c));
    held += 6;
    if (held >= 8) {
      held -= 8;
      out[n++] = static_cast<std::uint8_t>(bits >> held);
    }
  }
  return static_cast<long>(n);
}

}  // namespace sluice::engine::detail
