#pragma once
// prompt-injection's options (policies.policy.prompt-injection), parsed by prompt_injection.cpp.
#include <memory>
#include <string>

#include "sluice/engine/injection_model.h"
#include "sluice/gateway/config.h"
#include "policies/policy_action.h"

namespace sluice::gateway {

struct prompt_injection_options final : policy_options {
  double threshold = 0.8;
  policy_action action = policy_action::block;  // block | flag
  // The learned scorer: "default" (the model shipped with the build, or $SLUICE_MODEL), "none"
  // (signatures alone) or a model file's path.
  std::string model = "default";
  // The system prompt is the operator's own text (and often quotes attacks in order to forbid them):
  // scored only when asked.
  bool scan_system = false;
  // The model `model` names, loaded with the configuration (null: signatures alone). Shared read-only by
  // every shard; a reload loads it again.
  std::shared_ptr<const engine::injection_model> loaded_model;
};

}  // namespace sluice::gateway
