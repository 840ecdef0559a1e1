// The usage ledger's two halves: the request path queues (enqueue*), the writer thread drains the
// queue into the store once per interval and raises what the batch shows (anomalies, budget alerts).
#include "governance/usage/usage_ledger.h"

#include <algorithm>
#include <random>

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
      notifier_(std::make_unique<alert_notifier>(options.alert_webhook_url)),
      batch_prefix_([] {
        std::random_device rd;
        return std::to_string((static_cast<std::uint64_t>(rd()) << 32) ^ rd());
      }()) {
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

void usage_ledger::enqueue(pending_usage&& usage, const fleet_settlement* settlement) noexcept {
  try {
    std::lock_guard lock(queue_mutex_);
    queue_.push_back(std::move(usage));
    if (settlement != nullptr) {
      settlements_.push_back(*settlement);
    }
    ++queued_;
  } catch (...) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
}

void usage_ledger::enqueue_release(const fleet_settlement& settlement) noexcept {
  try {
    std::lock_guard lock(queue_mutex_);
    settlements_.push_back(settlement);
    ++queued_;  // flush() waits for it like for a usage record
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
  std::vector<fleet_settlement> settlements;
  batch.reserve(4096);
  std::unique_lock lock(queue_mutex_);
  for (;;) {
    queue_cv_.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(1, flush_interval_ms_)),
                       [&] { return stopping_ || flush_requested_; });
    flush_requested_ = false;
    // Swap buffers: appenders keep the capacity of the batch we just wrote.
    batch.swap(queue_);
    alerts.swap(alerts_);
    settlements.swap(settlements_);
    const std::uint64_t target = queued_;
    const bool stop = stopping_;
    lock.unlock();
    write_batch(batch, settlements, alerts);
    batch.clear();
    alerts.clear();
    settlements.clear();
    lock.lock();
    written_ = target;
    flushed_cv_.notify_all();
    if (stop && queue_.empty() && alerts_.empty() && settlements_.empty()) {
      lock.unlock();
      if (!unsent_.empty() && audit_) {
        // Stopping while the store is still unreachable: what is kept is lost, and the log says so.
        json_fields fields;
        fields.add("error", "stopped while the governance store was unreachable");
        fields.add("records_lost", unsent_records_.load(std::memory_order_relaxed));
        audit_->append("usage.write_failed", fields.str());
      }
      return;
    }
  }
}

void usage_ledger::fleet_alerts(const std::vector<fleet_budget_use>& uses, const std::vector<pending_usage>& batch,
                                std::vector<pending_alert>& alerts) {
  for (const auto& use : uses) {
    const auto it = std::find_if(batch.begin(), batch.end(),
                                 [&](const pending_usage& p) { return p.key && p.key->record.id == use.key_id; });
    if (it == batch.end()) {
      continue;  // a release only: the key's next settled request reports the month again
    }
    const auto& key = it->key;
    const key_limits& limits = key->record.limits;
    const double fraction = std::max(
        limits.monthly_token_budget ? static_cast<double>(use.tokens) / limits.monthly_token_budget : 0.0,
        key->usd_budget_micro ? static_cast<double>(use.micro_usd) / key->usd_budget_micro : 0.0);
    const auto& thresholds = limits.alert_thresholds;
    std::uint32_t reach = 0;
    while (reach < thresholds.size() && fraction >= thresholds[reach]) {
      ++reach;
    }
    if (reach == 0) {
      continue;
    }
    try {
      // One replica wins each threshold: the one whose claim raises the fleet's announced level.
      if (store_.claim_alert_level(use.key_id, use.month, reach) < reach) {
        alerts.push_back(pending_alert{key, use.month, thresholds[reach - 1], fraction});
      }
    } catch (const std::exception&) {
      // Redis failed between the batch and the claim: the next batch's totals try again.
    }
  }
}

bool usage_ledger::write_unsent() {
  while (!unsent_.empty()) {
    try {
      store_.append_batch(unsent_.front());
    } catch (const std::exception&) {
      return false;
    }
    const std::size_t n = unsent_.front().usage.size();
    unsent_records_.fetch_sub(n, std::memory_order_relaxed);
    if (audit_) {
      json_fields fields;
      fields.add("batch", unsent_.front().id).add("records", static_cast<std::uint64_t>(n));
      fields.add("settlements", static_cast<std::uint64_t>(unsent_.front().settlements.size()));
      audit_->append("usage.replayed", fields.str());
    }
    unsent_.pop_front();
  }
  return true;
}

void usage_ledger::keep_unsent(usage_batch&& batch, const std::string& why) {
  if (audit_ && unsent_.empty()) {
    json_fields fields;
    fields.add("error", why).add("records_kept", static_cast<std::uint64_t>(batch.usage.size()));
    audit_->append("usage.write_deferred", fields.str());
  }
  unsent_records_.fetch_add(batch.usage.size(), std::memory_order_relaxed);
  unsent_.push_back(std::move(batch));
  std::uint64_t lost = 0;
  while (unsent_.size() > 1 && unsent_records_.load(std::memory_order_relaxed) > max_unsent_records) {
    lost += unsent_.front().usage.size();
    unsent_records_.fetch_sub(unsent_.front().usage.size(), std::memory_order_relaxed);
    unsent_.pop_front();
  }
  if (lost > 0 && audit_) {
    json_fields fields;
    fields.add("error", "too many usage records waiting for the governance store").add("records_lost", lost);
    audit_->append("usage.write_failed", fields.str());
  }
}

void usage_ledger::write_batch(std::vector<pending_usage>& batch, std::vector<fleet_settlement>& settlements,
                               std::vector<pending_alert>& alerts) {
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
  usage_batch out;
  out.usage = std::move(records);
  out.settlements.assign(settlements.begin(), settlements.end());
  const bool earlier_written = write_unsent();
  if (!out.usage.empty() || !out.settlements.empty()) {
    out.id = batch_prefix_ + "." + std::to_string(batch_seq_++);
  }
  try {
    if (!earlier_written) {
      throw std::runtime_error("governance store still unreachable");
    }
    const std::vector<fleet_budget_use> uses = store_.append_batch(out);
    if (!uses.empty()) {
      fleet_alerts(uses, batch, alerts);
    }
  } catch (const std::exception& e) {
    if (store_.keeps_failed_batches()) {
      // A shared store that can come back (Redis restarting): keep the batch and write it later.
      if (!out.usage.empty() || !out.settlements.empty()) {
        keep_unsent(std::move(out), e.what());
      }
    } else if (audit_) {
      // The embedded store is failing (disk full, locked): keep serving; the loss is visible in the
      // audit log.
      fields.clear();
      fields.add("error", e.what()).add("records_lost", static_cast<std::uint64_t>(out.usage.size()));
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
