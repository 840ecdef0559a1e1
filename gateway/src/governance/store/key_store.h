#pragma once
// Virtual keys as stored, usage records, and the one small interface every stateful piece of
// governance goes through. The embedded implementation is SQLite (WAL); a shared backend for several
// replicas implements the same interface without touching the request path.
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "governance/store/fleet_limits.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

struct redis_target;  // governance/store/redis_store.h

struct key_limits {
  std::uint32_t requests_per_minute = 0;  // 0: no limit
  std::uint32_t tokens_per_minute = 0;    // input + output tokens; 0: no limit
  std::uint64_t monthly_token_budget = 0; // 0: none
  double monthly_usd_budget = 0.0;        // 0: none
  bool hard_budget = true;                // hard: refuse once reached; soft: alert only
  std::vector<double> alert_thresholds{0.8, 1.0};  // fractions of the budget that raise an alert
};

struct key_record {
  std::string id;                  // public id "key_<16 hex>"
  std::string name;
  std::string description;
  std::string team;
  std::string project;
  std::string environment;
  std::vector<std::string> allowed_models;     // globs (* and ?); empty: any model
  std::vector<std::string> allowed_endpoints;  // globs on the path; empty: any endpoint
  std::vector<std::string> ip_allowlist;       // CIDRs, IPv4 and IPv6; empty: any address
  key_limits limits;
  std::int64_t expires_at_ms = 0;  // 0: never
  std::int64_t created_at_ms = 0;
  std::int64_t rotated_at_ms = 0;  // 0: never rotated
  std::int64_t revoked_at_ms = 0;  // 0: active
  std::string secret_hint;         // "sk-sluice-AbCd…wxyz": enough to recognise, useless to attack
  std::string secret_sha256;       // hex SHA-256 of the current secret
  std::string previous_secret_sha256;     // hex SHA-256 of the secret replaced by the last rotation
  std::int64_t previous_valid_until_ms = 0;  // the previous secret works until then (grace)
};

struct usage_record {
  std::int64_t ts_ms = 0;
  std::string key_id;   // empty in open mode
  std::string team;
  std::string project;
  std::string model;
  std::uint32_t input_tokens = 0;
  std::uint32_t output_tokens = 0;
  std::int64_t cost_micro_usd = 0;
  std::uint16_t http_status = 0;
  std::uint32_t latency_us = 0;
  std::string verdicts;
};

enum class usage_grouping : std::uint8_t { key, team, project, model };

struct usage_total {
  std::string group;  // the key id, team, project or model (may be empty: "none")
  std::uint64_t requests = 0;
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
  std::int64_t cost_micro_usd = 0;
};

// What the usage writer hands the store each interval: the usage records and, with a shared store,
// the settlements of fleet-wide reservations, applied together or not at all.
struct usage_batch {
  // Unique across the fleet and kept when the batch is written again after a failure, so a replay
  // whose first attempt did land (only its reply was lost) changes nothing.
  std::string id;
  std::vector<usage_record> usage;
  std::vector<fleet_settlement> settlements;
};

// A running subscription to another process's key changes; destroying it stops it (and waits for its
// thread, so the callback is never called afterwards).
class key_change_watch {
 public:
  virtual ~key_change_watch() = default;
};

class governance_store {
 public:
  virtual ~governance_store() = default;
  // All keys, revoked ones included. Throws std::runtime_error on a storage error.
  virtual std::vector<key_record> load_keys() = 0;
  // Insert or replace by id. Throws std::runtime_error on a storage error.
  virtual void save_key(const key_record& key) = 0;
  // One transaction for the batch. Throws std::runtime_error on a storage error.
  virtual void append_usage(std::span<const usage_record> batch) = 0;
  // The usage and settlements of one interval, in one transaction. Throws std::runtime_error on a
  // storage error (then nothing of the batch was applied, or all of it was and only the reply was lost).
  // Returns, with a shared store, each budgeted key's use of the month after the batch (the whole
  // fleet's, for budget alerts); empty otherwise.
  virtual std::vector<fleet_budget_use> append_batch(const usage_batch& batch) {
    append_usage(batch.usage);
    return {};
  }
  // Shared store: raises the announced budget-alert level of `key_id` for `month` to `level` if it is
  // higher, atomically for the fleet, and returns the level announced before (so exactly one replica
  // announces each threshold). Throws std::runtime_error on a storage error. Default: 0 (not shared).
  virtual std::uint32_t claim_alert_level(std::string_view key_id, std::uint32_t month, std::uint32_t level) {
    (void)key_id;
    (void)month;
    (void)level;
    return 0;
  }
  // True when a batch that failed should be kept and written again (a shared store that can come back:
  // what was admitted must be counted); false drops it (the embedded store: a write error is a disk
  // problem that retrying does not fix, and one process counts its own limits anyway).
  [[nodiscard]] virtual bool keeps_failed_batches() const noexcept { return false; }
  // The Redis server behind a shared store (for the request path's own connections), else nullptr.
  [[nodiscard]] virtual const redis_target* redis() const noexcept { return nullptr; }
  // Tokens (in + out) and cost a key used with ts in [from_ms, to_ms).
  virtual usage_total usage_of_key(std::string_view key_id, std::int64_t from_ms, std::int64_t to_ms) = 0;
  // Totals grouped by `grouping` over [from_ms, to_ms), largest cost first.
  virtual std::vector<usage_total> usage_by(usage_grouping grouping, std::int64_t from_ms,
                                            std::int64_t to_ms) = 0;
  // Small named state (alert levels, anomaly baselines). get: empty when absent.
  virtual std::string get_state(std::string_view name) = 0;
  virtual void set_state(std::string_view name, std::string_view value) = 0;
  // Calls `on_change` (from a thread of the store's own) whenever another process sharing the store
  // may have changed a key, and periodically as a safety net; the callback reloads the keys. nullptr
  // when the store is private to one process (SQLite: nothing else can change it).
  virtual std::unique_ptr<key_change_watch> watch_key_changes(std::function<void()> on_change) {
    (void)on_change;
    return nullptr;
  }
};

// Opens (creating if needed) the SQLite store at `path` in WAL mode; "" opens a private in-memory
// database. Throws std::runtime_error naming the path when it cannot be opened or migrated.
[[nodiscard]] std::unique_ptr<governance_store> open_sqlite_store(const std::string& path);

// The configured store: Redis when `path_or_url` is a redis:// or rediss:// URL (with `password`,
// `key_prefix` and, for rediss://, `tls`), else SQLite at that path. Throws std::runtime_error when it
// cannot be opened.
[[nodiscard]] std::unique_ptr<governance_store> open_governance_store(const std::string& path_or_url,
                                                                      const std::string& password,
                                                                      const std::string& key_prefix,
                                                                      const store_tls_options& tls = {});

}  // namespace sluice::gateway
