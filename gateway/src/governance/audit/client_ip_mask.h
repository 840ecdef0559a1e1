#pragma once
// Client addresses as audit records and anomaly alerts write them: masked to their network.
#include <string>
#include <string_view>

namespace sluice::gateway {

// "203.0.113.7" (or "::ffff:203.0.113.7") -> "203.0.113.0/24", "2001:db8:1:2::5" -> "2001:db8:1::/48";
// anything else -> "".
[[nodiscard]] std::string mask_client_ip(std::string_view ip);

}  // namespace sluice::gateway
