#include "sluice/gateway/governance_runtime.h"

#include <stdexcept>

#include "sluice/gateway/config.h"

namespace sluice::gateway {

namespace {

[[noreturn]] void problem(const YAML::Node& node, const std::string& key, const std::string& what) {
  std::string where = "governance." + key;
  if (node.Mark().line >= 0) {
    where += " (line " + std::to_string(node.Mark().line + 1) + ", column " + std::to_string(node.Mark().column + 1) + ")";
  }
  throw std::invalid_argument(where + ": " + what);
}

template <class T>
T scalar(const YAML::Node& node, const std::string& key, const char* expected) {
  if (!node.IsScalar()) {
    problem(node, key, std::string("must be ") + expected);
  }
  try {
    return node.as<T>();
  } catch (const YAML::Exception&) {
    problem(node, key, std::string("must be ") + expected);
  }
}

void check_keys(const YAML::Node& map, const std::string& prefix, std::initializer_list<const char*> known) {
  for (const auto& item : map) {
    const std::string name = item.first.as<std::string>();
    bool found = false;
    std::string list;
    for (const char* k : known) {
      found = found || name == k;
      list += list.empty() ? k : std::string(", ") + k;
    }
    if (!found) {
      problem(item.first, prefix + name, "unknown key (known: " + list + ")");
    }
  }
}

}  // namespace

governance_runtime_config parse_governance_config(const YAML::Node& section) {
  governance_runtime_config c;
  if (!section || section.IsNull()) {
    return c;
  }
  if (!section.IsMap()) {
    problem(section, "", "must be a mapping");
  }
  // The gateway's config loader accepts require_keys, store, rotation_grace_seconds,
  // usage_flush_interval_ms, alert_webhook_url and anomaly_detection; the rest is for `sluice admin
  // serve` and embedders. The short names usage_flush_ms and alert_webhook are accepted as aliases.
  check_keys(section, "", {"require_keys", "store", "rotation_grace_seconds", "usage_flush_interval_ms",
                           "usage_flush_ms", "alert_webhook_url", "alert_webhook", "anomaly_detection", "prices",
                           "audit", "admin"});
  auto& o = c.options;
  if (const auto n = section["require_keys"]) {
    o.require_keys = scalar<bool>(n, "require_keys", "true or false");
  }
  if (const auto n = section["store"]) {
    o.store_path = scalar<std::string>(n, "store", "a file path");
  }
  if (const auto n = section["rotation_grace_seconds"]) {
    o.rotation_grace_seconds = scalar<std::int64_t>(n, "rotation_grace_seconds", "a number of seconds");
    if (o.rotation_grace_seconds < 0) {
      problem(n, "rotation_grace_seconds", "must not be negative");
    }
  }
  for (const char* name : {"usage_flush_interval_ms", "usage_flush_ms"}) {
    if (const auto n = section[name]) {
      o.usage_flush_interval_ms = scalar<std::int64_t>(n, name, "a number of milliseconds");
      if (o.usage_flush_interval_ms < 1 || o.usage_flush_interval_ms > 3'600'000) {
        problem(n, name, "must be between 1 and 3600000");
      }
    }
  }
  for (const char* name : {"alert_webhook_url", "alert_webhook"}) {
    if (const auto n = section[name]) {
      o.alert_webhook_url = scalar<std::string>(n, name, "an http:// URL");
      if (o.alert_webhook_url.rfind("http://", 0) != 0) {
        problem(n, name, "must be an http:// URL");
      }
    }
  }
  if (const auto n = section["anomaly_detection"]) {
    o.anomaly_detection = scalar<bool>(n, "anomaly_detection", "true or false");
  }
  if (const auto prices = section["prices"]) {
    if (!prices.IsSequence()) {
      problem(prices, "prices", "must be a list of {model, input_per_mtok, output_per_mtok}");
    }
    for (std::size_t i = 0; i < prices.size(); ++i) {
      const auto p = prices[i];
      const std::string key = "prices[" + std::to_string(i) + "]";
      if (!p.IsMap()) {
        problem(p, key, "must be a mapping {model, input_per_mtok, output_per_mtok}");
      }
      check_keys(p, key + ".", {"model", "input_per_mtok", "output_per_mtok"});
      token_price price;
      price.model_glob = scalar<std::string>(p["model"], key + ".model", "a model name or glob");
      price.input_usd_per_mtok = scalar<double>(p["input_per_mtok"], key + ".input_per_mtok", "USD per million tokens");
      price.output_usd_per_mtok = scalar<double>(p["output_per_mtok"], key + ".output_per_mtok", "USD per million tokens");
      o.prices.push_back(price);
    }
    if (!o.prices.empty()) {
      // Models missing from the list are priced like the most expensive Claude model, so USD budgets hold.
      o.prices.push_back({"*", 15.0, 75.0});
    }
  }
  if (const auto a = section["audit"]) {
    if (!a.IsMap()) {
      problem(a, "audit", "must be a mapping");
    }
    check_keys(a, "audit.", {"directory", "immutable", "retention_days", "flush_ms", "signing_key_env",
                             "signing_key_file", "checkpoint_interval_s"});
    // Without a directory here, the audit-logger policy's is used (`sluice admin serve` looks it up).
    if (const auto n = a["directory"]) {
      c.audit.directory = scalar<std::string>(n, "audit.directory", "a directory path");
      c.audit_enabled = true;
    }
    if (const auto n = a["immutable"]) {
      c.audit.immutable = scalar<bool>(n, "audit.immutable", "true or false");
    }
    if (const auto n = a["retention_days"]) {
      c.audit.retention_days = scalar<std::int64_t>(n, "audit.retention_days", "a number of days");
      if (c.audit.retention_days < 0) {
        problem(n, "audit.retention_days", "must not be negative");
      }
    }
    if (const auto n = a["flush_ms"]) {
      c.audit.flush_interval_ms = scalar<std::int64_t>(n, "audit.flush_ms", "a number of milliseconds");
    }
    if (const auto n = a["checkpoint_interval_s"]) {
      const auto seconds = scalar<std::int64_t>(n, "audit.checkpoint_interval_s", "a number of seconds");
      if (seconds < 0 || seconds > 86400) {
        problem(n, "audit.checkpoint_interval_s", "must be between 0 and 86400");
      }
      c.audit.checkpoint_interval_ms = seconds * 1000;
    }
    // The checkpoint signing key, read the way the gateway reads it (config.h read_secret).
    secret_ref key;
    const auto key_env = a["signing_key_env"];
    const auto key_file = a["signing_key_file"];
    if (key_env && key_file) {
      problem(key_file, "audit.signing_key_file", "give either signing_key_env or signing_key_file, not both");
    }
    if (key_env) {
      key.env = scalar<std::string>(key_env, "audit.signing_key_env", "an environment variable name");
    } else if (key_file) {
      key.file = scalar<std::string>(key_file, "audit.signing_key_file", "a file path");
    }
    if (key_env || key_file) {
      const auto& at = key_env ? key_env : key_file;
      const std::string name = key_env ? "audit.signing_key_env" : "audit.signing_key_file";
      try {
        c.audit.checkpoint_key = read_secret(key);
      } catch (const std::exception& e) {
        problem(at, name, e.what());
      }
      if (c.audit.checkpoint_key.size() < 16) {
        problem(at, name, "the signing key must be at least 16 characters");
      }
    }
  }
  if (const auto a = section["admin"]) {
    if (!a.IsMap()) {
      problem(a, "admin", "must be a mapping");
    }
    check_keys(a, "admin.", {"enabled", "listen", "token_env", "token_file"});
    if (const auto n = a["enabled"]) {
      c.admin_enabled = scalar<bool>(n, "admin.enabled", "true or false");
    }
    if (const auto n = a["listen"]) {
      c.admin_listen = scalar<std::string>(n, "admin.listen", "host:port");
    }
    if (const auto n = a["token_env"]) {
      c.admin_token_env = scalar<std::string>(n, "admin.token_env", "an environment variable name");
    }
    if (const auto n = a["token_file"]) {
      c.admin_token_file = scalar<std::string>(n, "admin.token_file", "a file path");
    }
  }
  return c;
}

governance_runtime::governance_runtime(const governance_runtime_config& config) {
  governance_options options = config.options;
  if (config.audit_enabled) {
    audit_options ao = config.audit;
    if (!ao.clock) {
      ao.clock = options.clock;
    }
    audit_ = std::make_shared<audit_log>(ao);
    options.audit = audit_;
  }
  access_ = std::make_unique<access_controller>(options);
  if (!config.admin_enabled) {
    admin_disabled_reason_ = "disabled in the configuration (governance.admin.enabled: false)";
    return;
  }
  std::string token;
  try {
    token = load_admin_token(config.admin_token_env, config.admin_token_file);
  } catch (const std::exception& e) {
    admin_disabled_reason_ = e.what();
    return;
  }
  admin_options admin;
  admin.listen = config.admin_listen;
  admin.token = token;
  admin_ = std::make_unique<admin_server>(*access_, audit_, admin);
}

governance_runtime::~governance_runtime() {
  admin_.reset();   // stop taking admin calls first
  access_.reset();  // final usage flush (may write alerts to the audit log)
}

}  // namespace sluice::gateway
