#pragma once
// The governance stack: everything governance needs at run time, built from a loaded configuration
// (config.h reads the `governance:` section; nothing else does) and torn down in the right order: the
// governance service (keys, limits, budgets, usage), the chained audit log, and the admin API
// listener. `sluice admin serve` makes one from the gateway's config file, read with
// config_scope::governance:
//
//   auto gov = std::make_unique<governance_stack>(*load_config(file, {}, config_scope::governance));
//   shards call gov->service().admit(...) / settle(...); /metrics calls gov->service().append_metrics(out);
//   the shards hand their audit-logger batches to gov->audit()->hand_over(...).
// `sluice gateway run` builds the same objects itself (config_generation.cpp, server.cpp) with the same
// conversions below, so both open the same store and audit log from the same file.
#include <memory>
#include <string>

#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/config.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

class governance_service;  // governance/governance_service.h: private to the library

// The governance service's options from governance settings (options.audit and options.clock unset).
[[nodiscard]] governance_options governance_options_of(const governance_config& g);

// This replica's id: governance.replica_id, else the host name (else "replica").
[[nodiscard]] std::string replica_id_of(const governance_config& g);

// The audit log a configuration writes: the audit-logger policy's, else governance.audit's (the loader
// checked that the two agree); the checkpoint signing key is read now. `directory` empty: no audit log.
// With a shared (Redis) store, every replica keeps its own chain in <directory>/<replica id>/.
// Throws std::runtime_error when the signing key cannot be read.
[[nodiscard]] audit_options audit_options_of(const gateway_config& config);

// Starts the admin listener that governance.admin asks for, on `listen` (the configured address or a
// command-line override), over `service` and `audit`. Returns nullptr with `why_not` set when the admin
// API is disabled or no token can be loaded (a listener without a token would be an open door); with
// governance.admin.required a missing token throws std::runtime_error instead. `sluice gateway run` and
// `sluice admin serve` both start their listener here.
[[nodiscard]] std::unique_ptr<admin_server> start_admin_listener(const governance_admin_config& admin,
                                                                 const std::string& listen,
                                                                 governance_service& service,
                                                                 std::shared_ptr<audit_log> audit,
                                                                 std::string& why_not);

class governance_stack {
 public:
  // Opens the audit log and store, loads keys, starts the admin listener on governance.admin
  // (start_admin_listener: check admin() and admin_disabled_reason()). A default
  // gateway_config gives open mode, an in-memory store, no audit log. Throws std::runtime_error on
  // load errors.
  explicit governance_stack(const gateway_config& config);
  ~governance_stack();

  [[nodiscard]] governance_service& service() noexcept { return *service_; }
  [[nodiscard]] const std::shared_ptr<audit_log>& audit() const noexcept { return audit_; }
  [[nodiscard]] admin_server* admin() noexcept { return admin_.get(); }
  // Why the admin API is not running (empty when it is).
  [[nodiscard]] const std::string& admin_disabled_reason() const noexcept { return admin_disabled_reason_; }

 private:
  std::shared_ptr<audit_log> audit_;
  std::unique_ptr<governance_service> service_;
  std::unique_ptr<admin_server> admin_;
  std::string admin_disabled_reason_;
};

}  // namespace sluice::gateway
