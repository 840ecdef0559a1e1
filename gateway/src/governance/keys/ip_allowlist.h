#pragma once
// CIDR allowlists for keys, IPv4 and IPv6. IPv4 is held as an IPv4-mapped IPv6 address so one
// comparison serves both ("10.0.0.0/8" and a client "::ffff:10.1.2.3" match).
#include <array>
#include <cstdint>
#include <string_view>

namespace sluice::gateway {

using ip_bytes = std::array<std::uint8_t, 16>;

struct cidr_block {
  ip_bytes network{};
  int prefix_bits = 128;  // in the IPv6 (mapped) space
};

// Parses "203.0.113.7", "2001:db8::1" (no brackets, no zone). False on anything else. noexcept, no
// allocation: it runs on the request path.
[[nodiscard]] bool parse_ip(std::string_view text, ip_bytes& out) noexcept;
// Parses "10.0.0.0/8", "2001:db8::/32" or a bare address (a /32 or /128). False when malformed.
[[nodiscard]] bool parse_cidr(std::string_view text, cidr_block& out) noexcept;
[[nodiscard]] bool cidr_contains(const cidr_block& block, const ip_bytes& ip) noexcept;

}  // namespace sluice::gateway
