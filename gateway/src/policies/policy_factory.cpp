// Maps a policy name from the configuration to the factory that makes its filters.
#include "policies/policies.h"

namespace sluice::gateway {

std::unique_ptr<policy_factory> make_policy_factory(const policy_config& config, const policy_environment& env) {
  switch (config.kind) {
    case policy_kind::prompt_injection: return make_prompt_injection_factory(config, env);
    case policy_kind::pii_detector: return make_pii_detector_factory(config, env);
    case policy_kind::content_filter: return make_content_filter_factory(config, env);
    case policy_kind::audit_logger: return make_audit_logger_factory(config, env);
    case policy_kind::cost_attribution: return make_cost_attribution_factory(config, env);
    case policy_kind::disclaimer: return make_disclaimer_factory(config, env);
  }
  throw std::runtime_error("unknown policy kind");
}

}  // namespace sluice::gateway
