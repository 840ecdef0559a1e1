// The usage ledger's two halves: the request path queues (enqueue*), the writer thread drains the
// queue into the store once per interval and raises what the batch shows (anomalies, budget alerts).
#include "governance/usage/usage_ledger.h"

#include <algorithm>

#include "base/time_util.h"
#include "governance/audit/json_fields.h"
#include "governance/store/key_store.h"
#include "governance/usage/alert_notifier.h"
#include "governance/usage/anomaly_detector.h"
#include "governance/usage/usage_metrics.h"
#include "sluice/gateway/audit_log.h"

namespace sluice::gateway {

usage_ledger::usage_ledger(governance_store& store, const governance_options& options)
    : store_(store),
      flush_interval_ms_(options.usage_flush_interval_ms),
      anomaly_detection_(options.anomaly_detection),
      audit_(options.audit),
      metrics_(std::make_unique<usage_metrics>()),
      anomalies_(std::make_unique<anomaly_detector>()),
      notifier_(std::make_unique<alert_notifier>(options.alert_webhook_url)) {
  queue_.reserve(4096);
  writer_ = std::thread([this] { writer_loop(); });
}

usage_ledger::~usage_ledger() {
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  writer_.join();
}

void usage_ledger::enqueue(pending_usage&& usage) noexcept {
  try {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(usage));
    ++queued_;
  } catch (...) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

void usage_ledger::enqueue_alert(pending_alert&& alert) noexcept {
  try {
    std::lock_guard lock(queue_mutex_);
    alerts_.push_back(std::move(alert));
  } catch (...) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

void usage_ledger::flush() {
  std::unique_lock lock(queue_mutex_);
  const std::uint64_t target = queued_;
  flush_requested_ = true;
  queue_cv_.notify_all();
  flushed_cv_.wait(lock, [&] { return written_ >= target && alerts_.empty(); });
}

void usage_ledger::writer_loop() {
  std::vector<pending_usage> batch;
  std::vector<pending_alert> alerts;
  batch.reserve(4096);
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    queue_cv_.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(1, flush_interval_ms_)),
                       [&] { return stopping_ || flush_requested_; });
    flush_requested_ = false;
    // Swap buffers: appenders keep the capacity of the batch we just wrote.
    batch.swap(queue_);
    alerts.swap(alerts_);
    const std::uint64_t target = queued_;
    const bool stop = stopping_;
    lock.unlock();
    write_batch(batch, alerts);
    batch.clear();
    alerts.clear();
    lock.lock();
    written_ = target;
    flushed_cv_.notify_all();
    if (stop && queue_.empty() && alerts_.empty()) {
      return;
    }
  }
}

void usage_ledger::write_batch(std::vector<pending_usage>& batch, std::vector<pending_alert>& alerts) {
  std::vector<usage_record> records;
  records.reserve(batch.size());
  std::vector<anomaly> found;
  json_fields fields;
  auto raise = [&](const std::string& key_id, std::string_view type, std::string_view kind, const json_fields& f) {
    metrics_->count_alert(key_id, kind);
    if (audit_) {
      audit_->append(type, f.str());
    }
    std::string body = "{\"type\":";
    append_json_string(body, type);
    body += ',';
    body += f.str();
    body += '}';
    notifier_->notify(std::move(body));
  };
  for (const auto& p : batch) {
    usage_record u;
    u.ts_ms = p.ts_ms;
    if (p.key) {
      u.key_id = p.key->record.id;
    }
    u.team = p.team.view();
    u.project = p.project.view();
    u.model = p.model.view();
    u.input_tokens = p.input_tokens;
    u.output_tokens = p.output_tokens;
    u.cost_micro_usd = p.cost_micro_usd;
    u.http_status = p.http_status;
    u.latency_us = p.latency_us;
    u.verdicts = p.verdicts.view();
    metrics_->observe(u, p.added_latency_us);
    if (p.key && anomaly_detection_) {
      found.clear();
      anomalies_->observe(u.key_id, p.ts_ms, std::uint64_t{p.input_tokens} + p.output_tokens,
                          p.has_ip ? &p.ip : nullptr, found);
      for (const auto& a : found) {
        fields.clear();
        fields.add("key_id", u.key_id).add("key_name", p.key->record.name).add("kind", a.kind).add("detail", a.detail);
        raise(u.key_id, "alert.anomaly", a.kind, fields);
      }
    }
    records.push_back(std::move(u));
  }
  try {
    store_.append_usage(records);
  } catch (const std::exception& e) {
    // The store is failing (disk full, locked): keep serving; the loss is visible in the audit log.
    if (audit_) {
      fields.clear();
      fields.add("error", e.what()).add("records_lost", static_cast<std::uint64_t>(records.size()));
      audit_->append("usage.write_failed", fields.str());
    }
  }
  for (const auto& alert : alerts) {
    const key_record& k = alert.key->record;
    fields.clear();
    fields.add("key_id", k.id).add("key_name", k.name).add("kind", "budget_threshold");
    fields.add("threshold", alert.threshold).add("used_fraction", alert.used_fraction);
    fields.add("hard_budget", k.limits.hard_budget);
    fields.add("month", timeutil::iso8601(timeutil::month_start_ms(alert.month)).substr(0, 7));
    raise(k.id, "alert.budget", "budget_threshold", fields);
    // Remember the level so a restart does not announce it again this month.
    const auto level = static_cast<std::size_t>(
        std::find(k.limits.alert_thresholds.begin(), k.limits.alert_thresholds.end(), alert.threshold) -
        k.limits.alert_thresholds.begin() + 1);
    try {
      store_.set_state("budget_alert/" + k.id, std::to_string(alert.month) + ":" + std::to_string(level));
    } catch (const std::exception&) {
      // not fatal: at worst the alert repeats after a restart
    }
  }
}

void usage_ledger::append_metrics(std::string& out, const key_table& table) const {
  std::array<std::uint64_t, refusal_count> keyless{};
  for (std::size_t i = 0; i < keyless.size(); ++i) {
    keyless[i] = refused_without_key_[i].load(std::memory_order_relaxed);
  }
  metrics_->append_prometheus(out, table, keyless, dropped_.load(std::memory_order_relaxed));
}

}  // namespace sluice::gateway
