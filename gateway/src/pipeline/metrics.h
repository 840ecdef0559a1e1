#pragma once
// Per-shard counters: each shard writes only its own (relaxed atomics, no contention, no locks); a
// /metrics scrape reads every shard's and sums them into Prometheus text format.
#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string>

#include "sluice/gateway/config.h"
#include "policies/policy_id.h"

namespace sluice::gateway {

enum class endpoint_kind : std::uint8_t { messages, chat_completions, models, health, metrics, other, count };
[[nodiscard]] std::string_view to_string(endpoint_kind e) noexcept;

enum class upstream_outcome : std::uint8_t { ok, http_error, retried, connect_error, timeout, broken, count };

inline constexpr std::array<double, 12> latency_buckets_ms = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250};
inline constexpr std::size_t policy_action_slots = 7;  // pass flag redact block error skip annotate

class shard_metrics {
 public:
  using counter = std::atomic<std::uint64_t>;

  void count_request(endpoint_kind e, unsigned status) noexcept;
  void count_verdict(policy_id p, std::string_view action) noexcept;
  void count_upstream(upstream_outcome o) noexcept { add(upstream_[static_cast<int>(o)]); }
  void count_tokens(std::uint64_t in, std::uint64_t out) noexcept {
    add(tokens_in_, in);
    add(tokens_out_, out);
  }
  // Time the gateway itself spent on a request, upstream excluded.
  void observe_overhead(double ms) noexcept;
  void request_started() noexcept { add(in_flight_); }
  void request_finished() noexcept { in_flight_.fetch_sub(1, std::memory_order_relaxed); }
  void count_stream_errors() noexcept { add(stream_errors_); }
  [[nodiscard]] std::uint64_t in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }

  // Appends the sum over `shards` in Prometheus text format.
  static void render(std::span<const shard_metrics* const> shards, std::string& out);

 private:
  static void add(counter& c, std::uint64_t n = 1) noexcept { c.fetch_add(n, std::memory_order_relaxed); }

  std::array<std::array<counter, 600>, static_cast<std::size_t>(endpoint_kind::count)> requests_{};
  std::array<std::array<counter, policy_action_slots>, max_policies> verdicts_{};  // by policy_id
  std::array<counter, static_cast<std::size_t>(upstream_outcome::count)> upstream_{};
  std::array<counter, latency_buckets_ms.size() + 1> overhead_buckets_{};
  counter overhead_sum_us_{0};
  counter overhead_count_{0};
  counter tokens_in_{0};
  counter tokens_out_{0};
  counter in_flight_{0};
  counter stream_errors_{0};
};

}  // namespace sluice::gateway
