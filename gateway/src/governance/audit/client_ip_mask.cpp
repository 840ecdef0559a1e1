// Client addresses enter audit records masked to their network (/24, /48): enough to see where
// traffic comes from, not enough to identify a person's device.
#include "governance/audit/client_ip_mask.h"

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>

#include "governance/keys/ip_allowlist.h"

namespace sluice::gateway {

std::string mask_client_ip(std::string_view ip) {
  ip_bytes bytes{};
  if (!parse_ip(ip, bytes)) {
    return {};
  }
  char text[INET6_ADDRSTRLEN] = {};
  // IPv4, also as an IPv6 socket reports it (::ffff:203.0.113.7): masked as IPv4, to its /24.
  static constexpr std::uint8_t mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  const bool v4 = std::memcmp(bytes.data(), mapped_prefix, sizeof mapped_prefix) == 0;
  if (v4) {
    bytes[15] = 0;
    ::inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
    return std::string(text) + "/24";
  }
  for (std::size_t i = 6; i < bytes.size(); ++i) {
    bytes[i] = 0;
  }
  ::inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  return std::string(text) + "/48";
}

}  // namespace sluice::gateway
