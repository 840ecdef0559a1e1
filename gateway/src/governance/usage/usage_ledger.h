#pragma once
// The usage ledger: what admitted requests used, on its way from the request path to the store.
// settle() queues one fixed-size record (one short critical section, no allocation while the queue
// has capacity); a background writer thread writes each interval's records in one store transaction
// and, off the request path, feeds the Prometheus counters, anomaly detection, budget alerts (audit
// log + webhook). A crash loses at most the records of one interval.
//
// With a shared store (Redis) the writer also carries the settlements of fleet-wide reservations
// (governance/store/fleet_limits.h) in the same transaction as the usage, and keeps a batch that could
// not be written (Redis down) to write again, oldest first, once the store is back: nothing admitted
// is lost unless the process stops while Redis is still down (or more than max_unsent_records pile
// up; the oldest are dropped, and the audit log says how many).
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/fixed_text.h"
#include "governance/keys/ip_allowlist.h"
#include "governance/keys/key_table.h"
#include "governance/keys/refusal.h"
#include "governance/store/fleet_limits.h"
#include "governance/store/key_store.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

class audit_log;
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

class usage_ledger {
 public:
  // Starts the writer over `store` (not owned: it must outlive the ledger). From `options` it uses the
  // flush interval, the audit log, the alert webhook and whether anomaly detection is on.
  usage_ledger(governance_store& store, const governance_options& options);
  ~usage_ledger();  // stops the writer after a final flush
  usage_ledger(const usage_ledger&) = delete;
  usage_ledger& operator=(const usage_ledger&) = delete;

  // Request path: queue a settled request / a budget alert for the writer. noexcept; drops (and
  // counts) a record only if memory runs out. `settlement`: what the request reserved in the shared
  // store, applied with its usage.
  void enqueue(pending_usage&& usage, const fleet_settlement* settlement = nullptr) noexcept;
  // Request path: give back a shared-store reservation of a request that never went upstream.
  void enqueue_release(const fleet_settlement& settlement) noexcept;
  void enqueue_alert(pending_alert&& alert) noexcept;
  // Request path: a refusal before any key was known (no key's counters to count it in).
  void count_keyless_refusal(refusal why) noexcept {
    refused_without_key_[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
  }
  // Blocks until everything queued before the call is in the store.
  void flush();

  // Records written to the store yet (kept while a shared store is unreachable).
  [[nodiscard]] std::uint64_t unsent_records() const noexcept { return unsent_records_.load(std::memory_order_relaxed); }

  static constexpr std::size_t max_unsent_records = 1'000'000;

  // Appends the Prometheus families of usage, refusals (per key from `table`'s counters) and alerts.
  void append_metrics(std::string& out, const key_table& table) const;

 private:
  void writer_loop();
  void write_batch(std::vector<pending_usage>& batch, std::vector<fleet_settlement>& settlements,
                   std::vector<pending_alert>& alerts);
  // Shared store: budget alerts from the fleet's month totals after a batch, announced by this replica
  // for the thresholds it is the first to claim (appended to `alerts`).
  void fleet_alerts(const std::vector<fleet_budget_use>& uses, const std::vector<pending_usage>& batch,
                    std::vector<pending_alert>& alerts);
  // Writes the kept batches, oldest first; false (and the rest kept) at the first failure.
  bool write_unsent();
  void keep_unsent(usage_batch&& batch, const std::string& why);

  governance_store& store_;
  const std::int64_t flush_interval_ms_;
  const bool anomaly_detection_;
  const std::shared_ptr<audit_log> audit_;

  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::condition_variable flushed_cv_;
  std::vector<pending_usage> queue_;
  std::vector<pending_alert> alerts_;
  std::vector<fleet_settlement> settlements_;
  std::uint64_t queued_ = 0;
  std::uint64_t written_ = 0;
  bool flush_requested_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> dropped_{0};
  std::array<std::atomic<std::uint64_t>, refusal_count> refused_without_key_{};
  // Writer thread only: batches a shared store could not take yet, and this process's batch ids.
  std::deque<usage_batch> unsent_;
  std::atomic<std::uint64_t> unsent_records_{0};
  const std::string batch_prefix_;
  std::uint64_t batch_seq_ = 0;

  std::unique_ptr<usage_metrics> metrics_;
  std::unique_ptr<anomaly_detector> anomalies_;
  std::unique_ptr<alert_notifier> notifier_;
  std::thread writer_;  // last: starts once everything it reads is built
};

}  // namespace sluice::gateway
