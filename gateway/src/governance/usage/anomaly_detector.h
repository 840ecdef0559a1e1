#pragma once
// Per-key usage baselines and the three anomaly rules: a minute with more than twice the usual
// requests or tokens, a client address never seen for the key, activity in an hour of the day the
// key is rarely used in. Runs on the usage writer thread only (not thread-safe by design).
#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "governance/keys/ip_allowlist.h"

namespace sluice::gateway {

struct anomaly {
  std::string kind;    // "usage_spike", "new_ip", "unusual_hour"
  std::string detail;  // human-readable, no PII (addresses masked)
};

struct anomaly_settings {
  double smoothing = 0.2;            // weight of the newest minute in the moving average
  std::uint32_t min_history_minutes = 10;  // no spike alerts before this many minutes of history
  std::uint32_t min_spike_requests = 10;   // a spike needs at least this many requests in the minute
  std::uint64_t min_spike_tokens = 10000;  // ... or at least this many tokens
  std::uint64_t min_hour_history = 100;    // unusual-hour alerts need this many requests of history
  double rare_hour_fraction = 0.01;        // an hour with under 1% of the key's activity is unusual
  std::size_t max_ips_per_key = 256;       // remembered addresses (beyond: no more new-IP alerts)
};

class anomaly_detector {
 public:
  explicit anomaly_detector(anomaly_settings settings = {}) : settings_(settings) {}
  // One settled request of `key_id` at `ts_ms`; appends any alerts it raises to `out`.
  void observe(const std::string& key_id, std::int64_t ts_ms, std::uint64_t tokens, const ip_bytes* ip,
               std::vector<anomaly>& out);

 private:
  struct key_state {
    std::int64_t minute = -1;
    std::uint64_t minute_requests = 0;
    std::uint64_t minute_tokens = 0;
    double baseline_requests = 0;
    double baseline_tokens = 0;
    std::uint32_t history_minutes = 0;
    bool spike_reported = false;
    std::vector<ip_bytes> ips;
    std::array<std::uint64_t, 24> hours{};
    std::uint64_t total = 0;
    std::int64_t last_hour_alert = -1;
  };
  void close_minutes(key_state& s, std::int64_t minute);

  anomaly_settings settings_;
  std::unordered_map<std::string, key_state> keys_;
};

}  // namespace sluice::gateway
