#pragma once
// How the finding policies (pii-detector, content-filter) end, once they have counted the findings of
// their selected rules in the current phase: the same verdict and refusal protocol for both.
#include <cstdint>
#include <string_view>

#include "policies/policy.h"

namespace sluice::gateway {

// Nothing found: a "pass" verdict, proceed. Otherwise a verdict named `action` with the count; unless
// `block`, proceed. When blocking: a 403 permission_error refusal by `policy` whose message `message()`
// builds (called only then; it may throw, which is an internal error), and reject.
template <class Message>
[[nodiscard]] filter_status settle_findings(exchange& ex, policy_id id, std::string_view policy,
                                            std::uint32_t found, std::string_view action, bool block,
                                            Message&& message) noexcept {
  if (found == 0) {
    ex.add_verdict(id, "pass", 0);
    return filter_status::proceed;
  }
  ex.add_verdict(id, action, found);
  if (!block) {
    return filter_status::proceed;
  }
  try {
    ex.refuse(403, "permission_error", policy, message());
  } catch (...) {
    return filter_status::error;
  }
  return filter_status::reject;
}

}  // namespace sluice::gateway
