#pragma once
// The policies shipped with the gateway, one line each (builtin_policies.cpp).
#include <vector>

#include "policies/policy_registry.h"

namespace sluice::gateway {

// Their descriptors, in no particular order (the registry sorts them).
[[nodiscard]] std::vector<policy_descriptor> builtin_policies();

// Each defined in its folder, policies/<name>/<name>.cpp.
[[nodiscard]] policy_descriptor prompt_injection_policy();
[[nodiscard]] policy_descriptor pii_detector_policy();
[[nodiscard]] policy_descriptor content_filter_policy();
[[nodiscard]] policy_descriptor audit_logger_policy();
[[nodiscard]] policy_descriptor cost_attribution_policy();
[[nodiscard]] policy_descriptor disclaimer_policy();

}  // namespace sluice::gateway
