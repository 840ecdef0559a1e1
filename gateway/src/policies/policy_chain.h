#pragma once
// The configured policies in order: factories (and stream hooks) built once per configuration through
// the policy registry, shared read-only by every shard, and, per request, a chain_run that makes the
// filters in the exchange's arena and calls them.
#include <memory>
#include <memory_resource>
#include <vector>

#include "sluice/engine/scanner.h"
#include "policies/policy.h"
#include "policies/stream_hook.h"

namespace sluice::gateway {

class policy_chain {
 public:
  // Builds every factory and stream hook. Throws std::runtime_error on an option the ruleset cannot
  // honour, or a policy the registry does not know (config loading has checked the names).
  policy_chain(const gateway_config& config, const policy_environment& env);
  ~policy_chain();
  policy_chain(const policy_chain&) = delete;
  policy_chain& operator=(const policy_chain&) = delete;

  [[nodiscard]] const std::vector<std::unique_ptr<policy_factory>>& factories() const noexcept {
    return factories_;
  }
  // What the scanner must look for, given the policies configured.
  [[nodiscard]] const engine::scan_options& scan_options() const noexcept { return needs_.scan; }
  // What a whole response is scanned for (a subset of the request's options: see chain_requirements).
  [[nodiscard]] const engine::scan_options& response_scan_options() const noexcept { return response_scan_; }
  [[nodiscard]] bool scans_anything() const noexcept { return scans_; }
  // True when the audit log wants the (redacted) text of requests and responses.
  [[nodiscard]] bool wants_text() const noexcept { return needs_.wants_text; }
  [[nodiscard]] bool scans_responses() const noexcept { return needs_.response_entities || needs_.response_content; }
  [[nodiscard]] bool redacts() const noexcept { return needs_.redacts; }
  // How redacted entities are written (the pii-detector's `redaction`).
  [[nodiscard]] engine::redaction_style redaction_style() const noexcept { return needs_.redaction; }
  // What streamed responses are checked for: the configured policies' stream hooks.
  [[nodiscard]] const response_rules& stream_rules() const noexcept { return stream_rules_; }

 private:
  std::vector<std::unique_ptr<policy_factory>> factories_;
  std::vector<std::unique_ptr<stream_hook>> hooks_;
  chain_requirements needs_;
  engine::scan_options response_scan_;
  response_rules stream_rules_;  // views of hooks_
  bool scans_ = false;
};

// One request's filters. Reused by a session: begin() for each request, end() after it.
class chain_run {
 public:
  chain_run();
  ~chain_run();
  chain_run(const chain_run&) = delete;
  chain_run& operator=(const chain_run&) = delete;

  void begin(const policy_chain& chain);
  void end() noexcept;

  // Runs on_request (or on_response) in order; stops at the first reject. An error from a filter
  // refuses the exchange with 500 unless that policy is fail_open. Returns true when the exchange may
  // go on.
  [[nodiscard]] bool request(exchange& ex) noexcept;
  [[nodiscard]] bool response(exchange& ex) noexcept;
  // on_complete then on_record for every filter.
  void complete(exchange& ex) noexcept;

 private:
  bool run(exchange& ex, bool request_phase) noexcept;

  const policy_chain* chain_ = nullptr;
  std::vector<policy_filter*> filters_;
  alignas(std::max_align_t) unsigned char initial_[1024];
  std::pmr::monotonic_buffer_resource arena_;
};

// Scans every text of the exchange's current phase and fills its entity, content and injection ranges.
// Sets exchange::scan_failed when the engine refuses a text.
void scan_texts(engine::scanner& scanner, engine::scan_result& scratch, const engine::scan_options& options,
                exchange& ex) noexcept;

}  // namespace sluice::gateway
