#pragma once
// cost-attribution's options (policies.policy.cost-attribution), parsed by cost_attribution.cpp.
#include <functional>
#include <map>
#include <string>

#include "sluice/gateway/config.h"

namespace sluice::gateway {

struct model_price {
  double input_per_mtok = 0;   // USD per million input tokens
  double output_per_mtok = 0;  // USD per million output tokens
};

struct cost_attribution_options final : policy_options {
  std::map<std::string, model_price, std::less<>> prices;  // by model name
  std::string default_team = "unassigned";
  std::string default_project = "unassigned";
};

}  // namespace sluice::gateway
