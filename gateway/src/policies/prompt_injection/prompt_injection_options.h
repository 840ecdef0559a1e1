#pragma once
// prompt-injection's options (policies.policy.prompt-injection), parsed by prompt_injection.cpp.
#include "sluice/gateway/config.h"
#include "policies/policy_action.h"

namespace sluice::gateway {

struct prompt_injection_options final : policy_options {
  double threshold = 0.8;
  policy_action action = policy_action::block;  // block | flag
};

}  // namespace sluice::gateway
