#pragma once
// Everything governance needs at run time, built from the `governance:` section of the config: the
// access controller (keys, limits, budgets, usage), the chained audit log, and the admin API
// listener. The gateway makes one at start-up and keeps it for its lifetime:
//
//   auto gov = std::make_unique<governance_runtime>(parse_governance_config(root["governance"]));
// (The gateway's own loader, config.cpp, reads the same section with the same keys into its config
// and builds the access_controller and admin_server itself, as `sluice gateway run` does.)
//   shards call gov->access().admit(...) / settle(...); /metrics calls gov->access().append_metrics(out);
//   the audit-logger policy hands batches to gov->audit()->append_lines(...).
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

#include "sluice/gateway/access_control.h"
#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

struct governance_runtime_config {
  governance_options options;
  bool audit_enabled = false;  // audit.directory set (the other audit settings apply either way)
  audit_options audit;
  bool admin_enabled = true;
  std::string admin_listen = "127.0.0.1:41003";
  std::string admin_token_env = "SLUICE_ADMIN_TOKEN";
  std::string admin_token_file;
};

// Reads the `governance:` mapping (a null node gives the defaults: open mode, in-memory store, no
// audit, admin API on if a token is available). Throws std::invalid_argument naming the key, line
// and column of the first problem, e.g. "governance.require_keys (line 12, column 17): must be true
// or false". Keys:
//   require_keys, store, rotation_grace_seconds, usage_flush_interval_ms, alert_webhook_url,
//   anomaly_detection (the keys the gateway's config loader accepts too),
//   prices: [{model: "claude-sonnet-4*", input_per_mtok: 3, output_per_mtok: 15}, …],
//   audit: {directory, immutable, retention_days, flush_ms, signing_key_env | signing_key_file,
//           checkpoint_interval_s},
//   admin: {enabled, listen, token_env, token_file}
[[nodiscard]] governance_runtime_config parse_governance_config(const YAML::Node& section);

class governance_runtime {
 public:
  // Opens the audit log and store, loads keys, starts the admin listener. The admin API is skipped
  // (admin_enabled false, or no token in admin_token_env / admin_token_file) — check admin() — since
  // a listener without a token would be an open door. Throws std::runtime_error on load errors.
  explicit governance_runtime(const governance_runtime_config& config);
  ~governance_runtime();

  [[nodiscard]] access_controller& access() noexcept { return *access_; }
  [[nodiscard]] const std::shared_ptr<audit_log>& audit() const noexcept { return audit_; }
  [[nodiscard]] admin_server* admin() noexcept { return admin_.get(); }
  // Why the admin API is not running (empty when it is).
  [[nodiscard]] const std::string& admin_disabled_reason() const noexcept { return admin_disabled_reason_; }

 private:
  std::shared_ptr<audit_log> audit_;
  std::unique_ptr<access_controller> access_;
  std::unique_ptr<admin_server> admin_;
  std::string admin_disabled_reason_;
};

}  // namespace sluice::gateway
