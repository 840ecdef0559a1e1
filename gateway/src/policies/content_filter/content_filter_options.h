#pragma once
// content-filter's options (policies.policy.content-filter), parsed by content_filter.cpp.
#include <set>
#include <string>

#include "sluice/gateway/config.h"
#include "policies/policy_action.h"

namespace sluice::gateway {

struct content_filter_options final : policy_options {
  std::set<std::string> categories;  // empty: every content category of the catalog
  policy_action action = policy_action::block;  // block | flag
  bool requests = true;
  bool responses = true;
};

}  // namespace sluice::gateway
