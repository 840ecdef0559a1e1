#pragma once
// disclaimer's options (policies.policy.disclaimer), parsed by disclaimer.cpp.
#include <string>

#include "sluice/gateway/config.h"

namespace sluice::gateway {

struct disclaimer_options final : policy_options {
  std::string text;
};

}  // namespace sluice::gateway
