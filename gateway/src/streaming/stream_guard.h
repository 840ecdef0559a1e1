#pragma once
// The output policy the stream filter consults before text goes to the client: the configured policies'
// stream hooks (policies/stream_hook.h; pii-detector and content-filter today), each deciding on what a
// release found, in registry order. Keeps each hook's per-stream state, so the audit log gets the same
// verdicts as for a whole response.
#include <string>
#include <vector>

#include "policies/exchange.h"
#include "policies/stream_hook.h"
#include "streaming/stream_filter.h"

namespace sluice::gateway {

class stream_guard final : public stream_output_policy {
 public:
  void begin(exchange& ex, const response_rules& rules) noexcept;
  [[nodiscard]] stream_verdict check(const stream_release& release) noexcept override;
  // Adds the response verdicts to the exchange (after the stream).
  void finish() noexcept;

 private:
  exchange* ex_ = nullptr;
  const response_rules* rules_ = nullptr;
  std::vector<stream_hook_state> states_;  // one per hook, reused between streams
  bool blocked_ = false;
  std::string message_;
};

}  // namespace sluice::gateway
