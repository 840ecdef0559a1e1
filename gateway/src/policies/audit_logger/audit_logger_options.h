#pragma once
// audit-logger's options (policies.policy.audit-logger), parsed by audit_logger.cpp. Where the log
// lives is the gateway's (gateway_config::audit_log, set from `log`): governance.audit describes the
// same chain and the server flushes it.
#include "sluice/gateway/config.h"

namespace sluice::gateway {

struct audit_logger_options final : policy_options {
  audit_log_config log;
  bool log_all_access = false;  // also log refused and non-model requests
  bool include_text = false;    // add the (redacted) prompt and response text
};

}  // namespace sluice::gateway
