#include "governance/keys/ip_allowlist.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace sluice::gateway {

bool parse_ip(std::string_view text, ip_bytes& out) noexcept {
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) {
    return false;
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in_addr v4{};
  if (::inet_pton(AF_INET, buf, &v4) == 1) {
    out.fill(0);
    out[10] = 0xff;
    out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return true;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, buf, &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return true;
  }
  return false;
}

bool parse_cidr(std::string_view text, cidr_block& out) noexcept {
  const auto slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  if (!parse_ip(address, out.network)) {
    return false;
  }
  const bool v4 = address.find(':') == std::string_view::npos;
  const int max_bits = v4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (digits.empty() || r.ec != std::errc{} || r.ptr != digits.data() + digits.size() || bits < 0 ||
        bits > max_bits) {
      return false;
    }
  }
  out.prefix_bits = v4 ? bits + 96 : bits;
  // Clear host bits so "10.1.2.3/8" means 10.0.0.0/8.
  for (int i = 0; i < 16; ++i) {
    const int keep = out.prefix_bits - i * 8;
    if (keep <= 0) {
      out.network[i] = 0;
    } else if (keep < 8) {
      out.network[i] &= static_cast<std::uint8_t>(0xFF << (8 - keep));
    }
  }
  return true;
}

bool cidr_contains(const cidr_block& block, const ip_bytes& ip) noexcept {
  const int full = block.prefix_bits / 8;
  if (std::memcmp(block.network.data(), ip.data(), static_cast<std::size_t>(full)) != 0) {
    return false;
  }
  const int rest = block.prefix_bits % 8;
  if (rest == 0) {
    return true;
  }
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (ip[full] & mask) == block.network[full];
}

}  // namespace sluice::gateway
