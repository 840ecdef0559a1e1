#pragma once
// pii-detector's options (policies.policy.pii-detector), parsed by pii_detector.cpp.
#include <set>
#include <string>

#include "sluice/gateway/config.h"
#include "policies/policy_action.h"

namespace sluice::gateway {

struct pii_detector_options final : policy_options {
  policy_action action = policy_action::redact;  // redact | block | flag
  std::set<std::string> entities;                 // empty: every pii/secret entity of the catalog
  bool numbered = false;                          // <EMAIL_1> instead of [REDACTED:EMAIL]
  bool requests = true;                           // apply to requests
  bool responses = true;                          // apply to responses
  std::string phone_region = "US";                // ISO 3166 region national phone numbers are read in
  std::string phone_regions;                      // "DE,ES,JP": other regions, by evidence (empty: default list)
};

}  // namespace sluice::gateway
