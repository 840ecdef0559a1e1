// Assembles one configuration generation (see gateway_runtime.h).
#include "gateway_runtime.h"

#include "sluice/gateway/governance_options.h"

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
  // One audit chain: the audit-logger policy's log, else governance.audit's (the loader checked that
  // the two agree when both are given).
  const governance_audit_config& gov_audit = rt->config->governance.audit;
  audit_options wanted;
  if (const policy_config* audit = rt->config->find(policy_kind::audit_logger)) {
    wanted.directory = audit->audit.directory;
    wanted.immutable = audit->audit.immutable;
    wanted.retention_days = audit->audit.retention_days;
    wanted.flush_interval_ms = audit->audit.flush_interval.count();
  } else if (rt->config->governance.enabled && gov_audit.present) {
    wanted.directory = gov_audit.directory;
    wanted.immutable = gov_audit.immutable;
    wanted.retention_days = gov_audit.retention_days;
    wanted.flush_interval_ms = gov_audit.flush_interval.count();
  }
  if (!wanted.directory.empty()) {
    rt->audit_directory = wanted.directory;
    rt->audit_immutable = wanted.immutable;
    if (previous != nullptr && previous->audit && previous->audit_directory == rt->audit_directory) {
      // One writer per directory: the running log is kept, with the options it was opened with
      // (immutable, retention, signing key); changing those needs a restart.
      rt->audit = previous->audit;
    } else {
      if (!gov_audit.signing_key.env.empty() || !gov_audit.signing_key.file.empty()) {
        wanted.checkpoint_key = read_secret(gov_audit.signing_key);
      }
      wanted.checkpoint_interval_ms = gov_audit.checkpoint_interval_s * 1000;
      rt->audit = std::make_shared<audit_log>(wanted);
    }
  }
  rt->chain = std::make_unique<policy_chain>(*rt->config, env);
  if (rt->config->governance.enabled) {
    if (previous != nullptr && previous->access) {
      rt->access = previous->access;
    } else {
      const governance_config& g = rt->config->governance;
      governance_options options;
      options.require_keys = g.require_keys;
      options.store_path = g.store_path;
      options.rotation_grace_seconds = g.rotation_grace_seconds;
      options.usage_flush_interval_ms = g.usage_flush_interval_ms;
      options.alert_webhook_url = g.alert_webhook_url;
      options.anomaly_detection = g.anomaly_detection;
      options.prices = g.prices;
      options.audit = rt->audit;
      rt->access = std::make_shared<access_controller>(options);
    }
  }
  if (const policy_config* pii = rt->config->find(policy_kind::pii_detector); pii != nullptr && pii->pii.responses) {
    rt->response.pii = true;
    rt->response.pii_action = pii->pii.action;
    rt->response.pii_rules =
        select_rules(*rt->rules, {engine::rule_kind::pii, engine::rule_kind::secret}, pii->pii.entities);
  }
  // Streams replace exactly what the non-streaming path would: the selected entities when pii-detector
  // redacts, nothing otherwise (flag counts them, block ends the stream).
  rt->response.redact_rules.selected.assign(rt->rules->size(), false);
  if (rt->response.pii && rt->response.pii_action == policy_action::redact) {
    rt->response.redact_rules = rt->response.pii_rules;
  }
  if (const policy_config* c = rt->config->find(policy_kind::content_filter); c != nullptr && c->content.responses) {
    rt->response.content = true;
    rt->response.content_action = c->content.action;
    rt->response.content_rules = select_rules(*rt->rules, {engine::rule_kind::content}, c->content.categories);
  }
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
