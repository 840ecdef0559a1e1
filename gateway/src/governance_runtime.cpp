#include "sluice/gateway/governance_runtime.h"

#include <stdexcept>

namespace sluice::gateway {

governance_options access_options_of(const governance_config& g) {
  return {.require_keys = g.require_keys,
          .store_path = g.store_path,
          .rotation_grace_seconds = g.rotation_grace_seconds,
          .usage_flush_interval_ms = g.usage_flush_interval_ms,
          .prices = g.prices,
          .alert_webhook_url = g.alert_webhook_url,
          .anomaly_detection = g.anomaly_detection};
}

audit_options audit_options_of(const gateway_config& config) {
  const governance_audit_config& gov_audit = config.governance.audit;
  audit_options wanted;
  if (const policy_config* audit = config.find(policy_kind::audit_logger)) {
    wanted.directory = audit->audit.directory;
    wanted.immutable = audit->audit.immutable;
    wanted.retention_days = audit->audit.retention_days;
    wanted.flush_interval_ms = audit->audit.flush_interval.count();
  } else if (config.governance.enabled && gov_audit.present) {
    wanted.directory = gov_audit.directory;
    wanted.immutable = gov_audit.immutable;
    wanted.retention_days = gov_audit.retention_days;
    wanted.flush_interval_ms = gov_audit.flush_interval.count();
  }
  if (wanted.directory.empty()) {
    return wanted;
  }
  if (!gov_audit.signing_key.env.empty() || !gov_audit.signing_key.file.empty()) {
    wanted.checkpoint_key = read_secret(gov_audit.signing_key);
  }
  wanted.checkpoint_interval_ms = gov_audit.checkpoint_interval_s * 1000;
  return wanted;
}

governance_runtime::governance_runtime(const gateway_config& config) {
  const governance_config& g = config.governance;
  governance_options options = access_options_of(g);
  if (const audit_options ao = audit_options_of(config); !ao.directory.empty()) {
    audit_ = std::make_shared<audit_log>(ao);
    options.audit = audit_;
  }
  access_ = std::make_unique<access_controller>(options);
  if (!g.admin.enabled) {
    admin_disabled_reason_ = "disabled in the configuration (governance.admin.enabled: false)";
    return;
  }
  admin_options admin;
  admin.listen = g.admin.listen;
  try {
    admin.token = load_admin_token(g.admin.token_env, g.admin.token_file);
  } catch (const std::exception& e) {
    admin_disabled_reason_ = e.what();
    return;
  }
  admin_ = std::make_unique<admin_server>(*access_, audit_, admin);
}

governance_runtime::~governance_runtime() {
  admin_.reset();   // stop taking admin calls first
  access_.reset();  // final usage flush (may write alerts to the audit log)
}

}  // namespace sluice::gateway
