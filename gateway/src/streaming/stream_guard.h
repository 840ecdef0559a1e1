#pragma once
// The output policy the stream filter consults before text goes to the client: pii-detector and
// content-filter decisions applied delta by delta (what a whole-response check would decide, but before
// the offending bytes are sent). Counts what it saw so the audit log gets the same verdicts as for a
// whole response.
#include "policies/rule_selection.h"
#include "policies/exchange.h"
#include "streaming/stream_filter.h"

namespace sluice::gateway {

struct response_rules {
  bool pii = false;  // pii-detector applies to responses
  policy_action pii_action = policy_action::redact;
  rule_selection pii_rules;
  bool content = false;  // content-filter applies to responses
  policy_action content_action = policy_action::block;
  rule_selection content_rules;

  // What a stream replaces, by rule id: exactly what a whole response would (the pii-detector's
  // entities when it redacts; nothing when it flags or blocks, or is not applied to responses).
  [[nodiscard]] const std::vector<bool>& redaction_mask() const noexcept {
    static const std::vector<bool> none;
    return pii && pii_action == policy_action::redact ? pii_rules.selected : none;
  }
};

class stream_guard final : public stream_output_policy {
 public:
  void begin(exchange& ex, const response_rules& rules) noexcept;
  [[nodiscard]] stream_verdict check(const stream_release& release) noexcept override;
  // Adds the response verdicts to the exchange (after the stream).
  void finish() noexcept;

 private:
  exchange* ex_ = nullptr;
  const response_rules* rules_ = nullptr;
  std::uint32_t pii_found_ = 0;
  std::uint32_t content_found_ = 0;
  bool blocked_ = false;
  std::string message_;
};

}  // namespace sluice::gateway
