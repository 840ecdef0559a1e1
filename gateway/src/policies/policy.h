#pragma once
// The policy chain's filter interface. A config name (`pii-detector`…) selects a factory built once from
// the immutable configuration; the factory makes one filter per request (in the exchange's arena, so it
// costs no heap allocation) and the chain calls the filters in the configured order.
//
// Contract of each call:
// - on_request: the request's texts are scanned (exchange::texts, entities, content, injection of the
//   request phase). Answer proceed, or reject after calling exchange::refuse(); a rejected request is
//   never sent upstream and later filters are not called. A filter marks entities for redaction by
//   setting marked_finding::redact (and scanned_text::redact).
// - on_response: the same for a whole (non-streamed) response; reject replaces the response with the
//   refusal. For streams the stream filter applies the same decisions delta by delta (see
//   stream_hooks()).
// - on_complete: the exchange is over (status, tokens known); compute what must be recorded. Called for
//   every filter, refused exchanges included.
// - on_record: after every on_complete; writers (the audit log) see the final exchange here.
// - error: the filter could not decide (an internal failure). The chain fails closed (refuses with 500)
//   unless the policy is configured `fail_open: true`.
#include <memory>
#include <memory_resource>
#include <span>
#include <string_view>

#include "sluice/gateway/config.h"
#include "policies/exchange.h"

namespace sluice::gateway {

enum class filter_status : std::uint8_t { proceed, reject, error };

class policy_filter {
 public:
  virtual ~policy_filter() = default;
  [[nodiscard]] virtual filter_status on_request(exchange& ex) noexcept { return filter_status::proceed; }
  [[nodiscard]] virtual filter_status on_response(exchange& ex) noexcept { return filter_status::proceed; }
  virtual void on_complete(exchange& ex) noexcept {}
  virtual void on_record(const exchange& ex) noexcept {}
};

class policy_factory {
 public:
  virtual ~policy_factory() = default;
  [[nodiscard]] virtual const policy_config& config() const noexcept = 0;
  // Makes this request's filter in `arena` (released wholesale between requests).
  [[nodiscard]] virtual policy_filter* make(std::pmr::polymorphic_allocator<> arena) const = 0;
};

class audit_log;

// Everything a factory may need besides its own options.
struct policy_environment {
  std::shared_ptr<const engine::ruleset> rules;
};

// Builds the factory for `config` (load time; throws std::runtime_error on bad options).
[[nodiscard]] std::unique_ptr<policy_factory> make_policy_factory(const policy_config& config,
                                                                  const policy_environment& env);

}  // namespace sluice::gateway
