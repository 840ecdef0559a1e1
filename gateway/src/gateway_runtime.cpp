// Assembles one configuration generation (see gateway_runtime.h).
#include "gateway_runtime.h"

namespace sluice::gateway {

std::shared_ptr<const gateway_runtime> build_runtime(std::shared_ptr<const gateway_config> config,
                                                     std::shared_ptr<const engine::ruleset> rules,
                                                     const gateway_runtime* previous, std::uint64_t generation) {
  auto rt = std::make_shared<gateway_runtime>();
  rt->config = std::move(config);
  rt->rules = std::move(rules);
  rt->generation = generation;
  policy_environment env;
  env.rules = rt->rules;
  if (const policy_config* audit = rt->config->find(policy_kind::audit_logger)) {
    if (previous != nullptr && previous->audit && previous->audit->options().path == audit->audit.path &&
        previous->audit->options().immutable == audit->audit.immutable) {
      rt->audit = previous->audit;
    } else {
      rt->audit = std::make_shared<audit_writer>(audit->audit);
    }
    env.audit = rt->audit;
  }
  rt->chain = std::make_unique<policy_chain>(*rt->config, env);
  return rt;
}

config_vocabulary vocabulary_of(const std::vector<engine::rule>& rules) {
  config_vocabulary v;
  for (const auto& r : rules) {
    if (r.kind == engine::rule_kind::pii || r.kind == engine::rule_kind::secret) {
      v.entities.insert(r.entity);
    } else if (r.kind == engine::rule_kind::content) {
      v.categories.insert(r.entity);
    }
  }
  return v;
}

std::shared_ptr<const gateway_config> with_upstream(std::shared_ptr<const gateway_config> config,
                                                    const std::string& url) {
  if (url.empty()) {
    return config;
  }
  auto copy = std::make_shared<gateway_config>(*config);
  for (auto& t : copy->targets) {
    std::string why;
    if (!set_base_url(t, url, why)) {
      config_problem p;
      p.file = "--upstream";
      p.key = "upstream";
      p.message = why;
      throw config_error({p});
    }
  }
  return copy;
}

}  // namespace sluice::gateway
