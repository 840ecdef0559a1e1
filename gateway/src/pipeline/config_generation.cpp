// Assembles one configuration generation (see config_generation.h).
#include "pipeline/config_generation.h"

#include "sluice/gateway/governance_options.h"
#include "sluice/gateway/governance_stack.h"
#include "governance/governance_service.h"

namespace sluice::gateway {

std::shared_ptr<const config_generation> build_generation(std::shared_ptr<const gateway_config> config,
                                                     std::shared_ptr<const engine::ruleset> rules,
                                                     const config_generation* previous, std::uint64_t generation) {
  auto rt = std::make_shared<config_generation>();
  rt->config = std::move(config);
  rt->rules = std::move(rules);
  rt->generation = generation;
  policy_environment env;
  env.rules = rt->rules;
  // One audit chain: the audit-logger policy's log, else governance.audit's (audit_options_of, which
  // `sluice admin serve` uses too).
  const audit_options wanted = audit_options_of(*rt->config);
  if (!wanted.directory.empty()) {
    if (previous != nullptr && previous->audit && previous->audit->directory() == wanted.directory) {
      // One writer per directory: the running log is kept, with the options it was opened with
      // (immutable, retention, signing key); changing those needs a restart.
      rt->audit = previous->audit;
    } else {
      rt->audit = std::make_shared<audit_log>(wanted);
    }
  }
  rt->chain = std::make_unique<policy_chain>(*rt->config, env);
  if (rt->config->governance.enabled) {
    if (previous != nullptr && previous->access) {
      rt->access = previous->access;
    } else {
      governance_options options = governance_options_of(rt->config->governance);
      options.audit = rt->audit;
      rt->access = std::make_shared<governance_service>(options);
    }
  }
  // What streamed responses are checked for: the configured policies' stream hooks (owned by the chain).
  rt->response = rt->chain->stream_rules();
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
