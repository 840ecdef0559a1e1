// Client addresses enter audit records masked to their network (/24, /48): enough to see where
// traffic comes from, not enough to identify a person's device.
#include "governance/audit/client_ip_mask.h"

#include <arpa/inet.h>

#include "governance/keys/ip_allowlist.h"

namespace sluice::gateway {

std::string mask_client_ip(std::string_view ip) {
  ip_bytes bytes{};
  if (!parse_ip(ip, bytes)) {
    return {};
  }
  char text[INET6_ADDRSTRLEN] = {};
  const bool v4 = ip.find(':') == std::string_view::npos;
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
