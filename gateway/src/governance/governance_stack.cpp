#include "sluice/gateway/governance_stack.h"

#include "governance/governance_service.h"

#include <unistd.h>

#include <stdexcept>

#include "governance/store/redis_store.h"

namespace sluice::gateway {

governance_options governance_options_of(const governance_config& g) {
  return {.require_keys = g.require_keys,
          .store_path = g.store_path,
          .store_password = g.store_password.env.empty() && g.store_password.file.empty()
                                ? std::string()
                                : read_secret(g.store_password),
          .store_key_prefix = g.store_key_prefix,
          .store_tls = g.store_tls,
          .store_failure_local = g.on_store_failure == "local",
          .rotation_grace_seconds = g.rotation_grace_seconds,
          .usage_flush_interval_ms = g.usage_flush_interval_ms,
          .prices = g.prices,
          .alert_webhook_url = g.alert_webhook_url,
          .anomaly_detection = g.anomaly_detection};
}

std::string replica_id_of(const governance_config& g) {
  if (!g.replica_id.empty()) {
    return g.replica_id;
  }
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
    return "replica";
  }
  std::string id(host);
  // A name that is also a safe directory name.
  for (char& c : id) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.';
    if (!safe) {
      c = '_';
    }
  }
  return id;
}

audit_options audit_options_of(const gateway_config& config) {
  const governance_audit_config& gov_audit = config.governance.audit;
  audit_options wanted;
  if (const auto& audit = config.audit_log) {  // the audit-logger policy's log
    wanted.directory = audit->directory;
    wanted.immutable = audit->immutable;
    wanted.retention_days = audit->retention_days;
    wanted.flush_interval_ms = audit->flush_interval.count();
  } else if (config.governance.enabled && gov_audit.present) {
    wanted.directory = gov_audit.directory;
    wanted.immutable = gov_audit.immutable;
    wanted.retention_days = gov_audit.retention_days;
    wanted.flush_interval_ms = gov_audit.flush_interval.count();
  }
  if (wanted.directory.empty()) {
    return wanted;
  }
  if (config.governance.enabled && is_redis_url(config.governance.store_path)) {
    // Replicas share the keys and limits, never a chain: each writes its own, named by its id.
    wanted.directory += "/" + replica_id_of(config.governance);
  }
  if (!gov_audit.signing_key.env.empty() || !gov_audit.signing_key.file.empty()) {
    wanted.checkpoint_key = read_secret(gov_audit.signing_key);
  }
  wanted.checkpoint_interval_ms = gov_audit.checkpoint_interval_s * 1000;
  return wanted;
}

std::unique_ptr<admin_server> start_admin_listener(const governance_admin_config& admin, const std::string& listen,
                                                   governance_service& service, std::shared_ptr<audit_log> audit,
                                                   std::string& why_not) {
  if (!admin.enabled) {
    why_not = "disabled in the configuration (governance.admin.enabled: false)";
    return nullptr;
  }
  admin_options options;
  options.listen = listen;
  try {
    options.token = load_admin_token(admin.token_env, admin.token_file);
  } catch (const std::exception& e) {
    if (admin.required) {
      throw std::runtime_error(std::string("governance.admin.enabled is true but ") + e.what());
    }
    why_not = e.what();
    return nullptr;
  }
  return std::make_unique<admin_server>(service, std::move(audit), options);
}

governance_stack::governance_stack(const gateway_config& config) {
  const governance_config& g = config.governance;
  governance_options options = governance_options_of(g);
  if (const audit_options ao = audit_options_of(config); !ao.directory.empty()) {
    audit_ = std::make_shared<audit_log>(ao);
    options.audit = audit_;
  }
  service_ = std::make_unique<governance_service>(options);
  admin_ = start_admin_listener(g.admin, g.admin.listen, *service_, audit_, admin_disabled_reason_);
}

governance_stack::~governance_stack() {
  admin_.reset();    // stop taking admin calls first
  service_.reset();  // final usage flush (may write alerts to the audit log)
}

}  // namespace sluice::gateway
