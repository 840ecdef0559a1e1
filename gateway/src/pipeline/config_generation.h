#pragma once
// The read-only state one configuration generation gives every shard: the configuration, the compiled
// rules, the policy factories and the audit writer. Built off the request path (start-up, SIGHUP) and
// shared as shared_ptr<const config_generation>.
#include <memory>
#include <string>

#include "sluice/engine/ruleset.h"
#include "governance/governance_service.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/config.h"
#include "policies/policy_chain.h"
#include "policies/stream_hook.h"

namespace sluice::gateway {

struct config_generation {
  std::shared_ptr<const gateway_config> config;
  std::shared_ptr<const engine::ruleset> rules;
  std::unique_ptr<policy_chain> chain;
  std::shared_ptr<audit_log> audit;  // null without audit-logger; reused across reloads by directory
  // Keys, limits, budgets: null in open mode (no `governance:` section). Kept across reloads, so that
  // counters and reservations survive a SIGHUP; changing the section needs a restart.
  std::shared_ptr<governance_service> access;
  response_rules response;  // what streamed responses are checked for (the chain's stream hooks)
  std::uint64_t generation = 0;
};

// Builds a runtime. `previous` lends its audit log when the audit directory did not change, so a reload
// does not reopen the log. Throws std::runtime_error (bad option, unopenable audit log).
[[nodiscard]] std::shared_ptr<const config_generation> build_generation(std::shared_ptr<const gateway_config> config,
                                                                   std::shared_ptr<const engine::ruleset> rules,
                                                                   const config_generation* previous,
                                                                   std::uint64_t generation);

// The entity and category names of a rule catalog, to check a configuration against.
[[nodiscard]] config_vocabulary vocabulary_of(const std::vector<engine::rule>& rules);

// Replaces every target's base_url (e.g. `make run` pointing at the simulator). Throws config_error.
[[nodiscard]] std::shared_ptr<const gateway_config> with_upstream(std::shared_ptr<const gateway_config> config,
                                                                  const std::string& url);

}  // namespace sluice::gateway
