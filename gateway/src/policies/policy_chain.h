#pragma once
// The configured policies in order: factories built once per configuration (shared read-only by every
// shard) and, per request, a chain_run that makes the filters in the exchange's arena and calls them.
#include <memory>
#include <memory_resource>
#include <vector>

#include "sluice/engine/scanner.h"
#include "policies/policy.h"

namespace sluice::gateway {

class policy_chain {
 public:
  // Builds every factory. Throws std::runtime_error on an option the ruleset cannot honour.
  policy_chain(const gateway_config& config, const policy_environment& env);

  [[nodiscard]] const std::vector<std::unique_ptr<policy_factory>>& factories() const noexcept {
    return factories_;
  }
  // What the scanner must look for, given the policies configured.
  [[nodiscard]] const engine::scan_options& scan_options() const noexcept { return scan_options_; }
  [[nodiscard]] bool scans_anything() const noexcept { return scans_; }
  // True when the audit log wants the (redacted) text of requests and responses.
  [[nodiscard]] bool wants_text() const noexcept { return wants_text_; }
  [[nodiscard]] bool scans_responses() const noexcept { return scans_responses_; }
  [[nodiscard]] bool redacts() const noexcept { return redacts_; }

 private:
  std::vector<std::unique_ptr<policy_factory>> factories_;
  engine::scan_options scan_options_;
  bool scans_ = false;
  bool wants_text_ = false;
  bool scans_responses_ = false;
  bool redacts_ = false;
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
