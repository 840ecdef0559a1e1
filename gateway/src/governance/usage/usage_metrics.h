#pragma once
// Prometheus counters per key, team and model, fed by the usage writer thread (never the request
// path) and read by /metrics. One mutex between those two, nothing else.
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "governance/keys/key_table.h"

namespace sluice::gateway {

struct usage_record;

class usage_metrics {
 public:
  void observe(const usage_record& usage, std::uint32_t added_latency_us);
  void count_alert(const std::string& key_id, std::string_view kind);
  // Appends every family (HELP/TYPE once each). Refusals come from the key table's atomics.
  void append_prometheus(std::string& out, const key_table& table,
                         const std::array<std::uint64_t, refusal_count>& refused_without_key, std::uint64_t dropped) const;

 private:
  struct totals {
    std::uint64_t requests = 0;
    std::uint64_t input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::int64_t cost_micro_usd = 0;
  };
  // (key id, team, model, status class "2xx") -> totals
  std::map<std::tuple<std::string, std::string, std::string, std::string>, totals> by_key_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> verdicts_;  // (policy, action)
  std::map<std::pair<std::string, std::string>, std::uint64_t> alerts_;    // (key id, kind)
  static constexpr std::array<double, 12> latency_bounds_us{10, 25, 50, 100, 200, 500, 1000, 2500, 5000, 10000, 50000, 250000};
  std::array<std::uint64_t, 13> latency_buckets_{};
  double latency_sum_seconds_ = 0;
  std::uint64_t latency_count_ = 0;
  mutable std::mutex mutex_;
};

// Appends `value` escaped for a Prometheus label value (backslash, quote, newline).
void append_label_value(std::string& out, std::string_view value);

}  // namespace sluice::gateway
