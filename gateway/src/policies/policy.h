#pragma once
// The policy chain's filter interface. A config name (`pii-detector`…) selects, through the policy
// registry (policy_registry.h), a factory built once from the immutable configuration; the factory
// makes one filter per request (in the exchange's arena, so it costs no heap allocation) and the chain
// calls the filters in the configured order.
//
// Contract of each call:
// - on_request: the request's texts are scanned (exchange::texts, entities, content, injection of the
//   request phase). Answer proceed, or reject after calling exchange::refuse(); a rejected request is
//   never sent upstream and later filters are not called. A filter marks entities for redaction by
//   setting marked_finding::redact (and scanned_text::redact).
// - on_response: the same for a whole (non-streamed) response; reject replaces the response with the
//   refusal. For streams the stream filter applies the same decisions delta by delta through the
//   policy's stream hook (stream_hook.h).
// - on_complete: the exchange is over (status, tokens known); compute what must be recorded. Called for
//   every filter, refused exchanges included.
// - on_record: after every on_complete; writers (the audit log) see the final exchange here.
// - error: the filter could not decide (an internal failure). The chain fails closed (refuses with 500)
//   unless the policy is configured `fail_open: true`.
#include <memory>
#include <memory_resource>
#include <span>
#include <string_view>

#include "sluice/engine/redactor.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"
#include "sluice/gateway/config.h"
#include "policies/exchange.h"
#include "policies/policy_id.h"

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

// What the configured policies need from the rest of the gateway, gathered once per configuration from
// each policy's registration (policy_registry.h: declare_needs).
struct chain_requirements {
  engine::scan_options scan = nothing_to_scan();  // what the scanner must look for in requests
  bool wants_text = false;       // the (redacted) request and response texts are recorded
  // What whole responses are scanned for, before on_response: only what a policy reads there. Injection
  // is a request-side policy, so an answer is never scanned for signatures or scored by the model.
  bool response_entities = false;
  bool response_content = false;
  bool redacts = false;          // some policy redacts entities
  engine::redaction_style redaction = engine::redaction_style::tag;  // how redacted entities are written

  [[nodiscard]] static engine::scan_options nothing_to_scan() noexcept {
    engine::scan_options o;
    o.entities = false;
    o.injection = false;
    o.content = false;
    return o;
  }
};

class policy_factory {
 public:
  virtual ~policy_factory() = default;
  [[nodiscard]] virtual const policy_config& config() const noexcept = 0;
  // The policy's number in the registry (what its verdicts carry).
  [[nodiscard]] virtual policy_id id() const noexcept = 0;
  // Makes this request's filter in `arena` (released wholesale between requests).
  [[nodiscard]] virtual policy_filter* make(std::pmr::polymorphic_allocator<> arena) const = 0;
};

// Everything a factory may need besides its own options.
struct policy_environment {
  std::shared_ptr<const engine::ruleset> rules;
};

// A factory whose filters are `Filter` objects constructed from (const Options&, policy_id, const State&):
// what most policies need. `State` is built once per configuration (e.g. the rules a policy selected).
template <class Filter, class Options, class State>
class simple_factory final : public policy_factory {
 public:
  simple_factory(const policy_config& config, const Options& options, policy_id id, State state)
      : config_(config), options_(options), id_(id), state_(std::move(state)) {}
  [[nodiscard]] const policy_config& config() const noexcept override { return config_; }
  [[nodiscard]] policy_id id() const noexcept override { return id_; }
  [[nodiscard]] policy_filter* make(std::pmr::polymorphic_allocator<> arena) const override {
    return arena.new_object<Filter>(options_, id_, state_);
  }

 private:
  policy_config config_;    // holds the options alive (shared)
  const Options& options_;  // *config_.options
  policy_id id_;
  State state_;
};

// For filters that need nothing built per configuration.
struct no_state {};

}  // namespace sluice::gateway
