#pragma once
// Why governance refused a request. Lives with the keys because every per-key counter set counts
// refusals by this reason (key_counters), and the usage metrics report them; the admission that
// carries one to the client is governance_service.h's.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sluice::gateway {

// Each value maps to exactly one status and error type, see admission (governance_service.h).
enum class refusal : std::uint8_t {
  none = 0,              // admitted
  missing_key,           // 401 authentication_error: no credential and require_keys is on
  unknown_key,           // 401 authentication_error: not a key we know
  revoked_key,           // 401 authentication_error: the key was revoked
  expired_key,           // 401 authentication_error: past the key's expiry
  model_not_allowed,     // 403 permission_error: model outside the key's allowed globs
  endpoint_not_allowed,  // 403 permission_error: endpoint outside the key's allowed endpoints
  ip_not_allowed,        // 403 permission_error: client address outside the key's allowlist
  rate_limited,          // 429 rate_limit_error, retry-after set: requests or tokens per minute
  budget_exceeded,       // 429 budget_exceeded, retry-after set: hard monthly budget (tokens or USD)
  rotated_secret,        // 401 authentication_error: a known key's old secret, used after its rotation grace
  unavailable,           // 503 api_error: governance could not decide (e.g. store failed to load)
};
[[nodiscard]] std::string_view to_string(refusal r) noexcept;

inline constexpr std::size_t refusal_count = static_cast<std::size_t>(refusal::unavailable) + 1;

}  // namespace sluice::gateway
