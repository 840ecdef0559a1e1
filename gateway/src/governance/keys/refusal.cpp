#include "governance/keys/refusal.h"

namespace sluice::gateway {

std::string_view to_string(refusal r) noexcept {
  switch (r) {
    case refusal::none: return "none";
    case refusal::missing_key: return "missing_key";
    case refusal::unknown_key: return "unknown_key";
    case refusal::revoked_key: return "revoked_key";
    case refusal::expired_key: return "expired_key";
    case refusal::model_not_allowed: return "model_not_allowed";
    case refusal::endpoint_not_allowed: return "endpoint_not_allowed";
    case refusal::ip_not_allowed: return "ip_not_allowed";
    case refusal::rate_limited: return "rate_limited";
    case refusal::budget_exceeded: return "budget_exceeded";
    case refusal::rotated_secret: return "rotated_secret";
    case refusal::unavailable: return "unavailable";
  }
  return "unknown";
}

}  // namespace sluice::gateway
