#pragma once
// Decimal numbers appended to a string the caller reuses (response heads, JSON, SSE fields): no
// std::to_string temporary on the request path.
#include <charconv>
#include <cstdint>
#include <string>

namespace sluice::gateway {

inline void append_number(std::string& out, std::uint64_t n) {
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

inline void append_signed(std::string& out, std::int64_t n) {
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

}  // namespace sluice::gateway
