#pragma once
// What stands behind an access_controller: options, the key table snapshot, the store, and the
// background usage writer. Private to the gateway library (admin API, tests).
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/fixed_text.h"
#include "governance/keys/key_table.h"
#include "governance/token_prices.h"
#include "governance/access_control.h"
#include "sluice/gateway/audit_log.h"
#include "governance/clock_source.h"
#include "sluice/gateway/governance_options.h"
#include "governance/store/key_store.h"

namespace sluice::gateway {

class usage_metrics;
class anomaly_detector;
class alert_notifier;

// One settled request waiting for the background writer. Fixed size: no allocation to queue it.
struct pending_usage {
  std::shared_ptr<const detail::key_entry> key;  // null in open mode
  std::int64_t ts_ms = 0;
  fixed_text<64> model;
  fixed_text<48> team;     // from headers in open mode; the key's otherwise
  fixed_text<48> project;
  fixed_text<160> verdicts;
  ip_bytes ip{};
  bool has_ip = false;
  std::uint32_t input_tokens = 0;
  std::uint32_t output_tokens = 0;
  std::int64_t cost_micro_usd = 0;
  std::uint16_t http_status = 0;
  std::uint32_t latency_us = 0;
  std::uint32_t added_latency_us = 0;
};

// An alert raised on the request path (budget threshold crossed), handled by the writer thread.
struct pending_alert {
  std::shared_ptr<const detail::key_entry> key;
  std::uint32_t month = 0;
  double threshold = 0.0;
  double used_fraction = 0.0;
};

namespace detail {

class controller_core {
 public:
  // Opens the store, loads keys and this month's usage, starts the writer. Throws on load errors.
  explicit controller_core(const governance_options& options);
  ~controller_core();  // stops the writer after a final flush

  [[nodiscard]] std::int64_t now_ms() const noexcept { return clock_->now_ms(); }
  // The current key table; lock-free on the hot path (a per-thread cached copy, refreshed when the
  // generation moves).
  [[nodiscard]] const key_table& snapshot() noexcept;
  [[nodiscard]] std::shared_ptr<const key_table> snapshot_shared() const;
  [[nodiscard]] bool require_keys() const noexcept { return options_.require_keys; }

  // Price of tokens in micro-USD (rounded up), using the first matching model price.
  [[nodiscard]] std::uint64_t price_micro_usd(std::string_view model, std::uint64_t input_tokens,
                                              std::uint64_t output_tokens) const noexcept {
    return gateway::price_micro_usd(options_.prices, model, input_tokens, output_tokens);
  }

  // Request path: queue a settled request / a budget alert for the writer. noexcept; drops (and
  // counts) a record only if memory runs out.
  void enqueue(pending_usage&& usage) noexcept;
  void enqueue_alert(pending_alert&& alert) noexcept;
  // Blocks until everything queued before the call is in the store.
  void flush();

  // Admin operations, serialised by admin_mutex_. Each persists, swaps the snapshot and audits.
  struct created_key {
    key_record record;
    std::string secret;  // the only time the secret exists outside the client
  };
  created_key create_key(key_record spec, std::string_view actor);
  std::optional<created_key> rotate_key(std::string_view id, std::optional<std::int64_t> grace_seconds,
                                        std::string_view actor);
  std::optional<key_record> revoke_key(std::string_view id, std::string_view actor);
  std::optional<key_record> update_key(std::string_view id, const key_record& replacement, std::string_view actor);
  [[nodiscard]] std::vector<key_record> list_keys() const;
  [[nodiscard]] std::optional<key_record> find_key(std::string_view id) const;
  // This month's budget use of a key (tokens, micro-USD), as the limiter sees it.
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> budget_used(std::string_view id) const;

  [[nodiscard]] governance_store& store() noexcept { return *store_; }
  [[nodiscard]] const std::shared_ptr<audit_log>& audit() const noexcept { return options_.audit; }
  [[nodiscard]] const governance_options& options() const noexcept { return options_; }
  void append_metrics(std::string& out) const;

  std::array<std::atomic<std::uint64_t>, refusal_count> refused_without_key{};

 private:
  void publish(std::shared_ptr<const key_table> table);
  void audit_key_event(std::string_view type, const key_record& key, std::string_view actor);
  void writer_loop();
  void write_batch(std::vector<pending_usage>& batch, std::vector<pending_alert>& alerts);

  governance_options options_;
  std::shared_ptr<const clock_source> clock_;
  std::unique_ptr<governance_store> store_;
  const std::uint64_t instance_id_;

  mutable std::mutex admin_mutex_;   // serialises admin changes
  mutable std::mutex table_mutex_;   // guards current_
  std::shared_ptr<const key_table> current_;
  std::atomic<std::uint64_t> generation_{1};

  // Writer queue.
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::condition_variable flushed_cv_;
  std::vector<pending_usage> queue_;
  std::vector<pending_alert> alerts_;
  std::uint64_t queued_ = 0;
  std::uint64_t written_ = 0;
  bool flush_requested_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> dropped_{0};

  std::unique_ptr<usage_metrics> metrics_;
  std::unique_ptr<anomaly_detector> anomalies_;
  std::unique_ptr<alert_notifier> notifier_;
  std::thread writer_;
};

}  // namespace detail
}  // namespace sluice::gateway
