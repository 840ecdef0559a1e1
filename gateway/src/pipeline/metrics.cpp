// Prometheus text exposition of the shards' counters.
#include "pipeline/metrics.h"

#include <algorithm>
#include <cstdio>

#include "policies/policy_registry.h"

namespace sluice::gateway {

std::string_view to_string(endpoint_kind e) noexcept {
  switch (e) {
    case endpoint_kind::messages: return "/v1/messages";
    case endpoint_kind::chat_completions: return "/v1/chat/completions";
    case endpoint_kind::models: return "/v1/models";
    case endpoint_kind::health: return "health";
    case endpoint_kind::metrics: return "/metrics";
    case endpoint_kind::other: return "other";
    case endpoint_kind::count: break;
  }
  return "other";
}

namespace {

constexpr std::string_view action_names[policy_action_slots] = {"pass", "flag", "redact", "block",
                                                                 "error", "skip", "annotate"};
constexpr std::string_view outcome_names[] = {"ok", "http_error", "retried", "connect_error", "timeout", "broken"};

std::size_t action_slot(std::string_view action) noexcept {
  for (std::size_t i = 0; i < policy_action_slots; ++i) {
    if (action_names[i] == action) {
      return i;
    }
  }
  return 0;
}

}  // namespace

void shard_metrics::count_request(endpoint_kind e, unsigned status) noexcept {
  if (status >= 600) {
    status = 599;
  }
  add(requests_[static_cast<std::size_t>(e)][status]);
}

void shard_metrics::count_verdict(policy_id p, std::string_view action) noexcept {
  if (p >= max_policies) {
    return;
  }
  add(verdicts_[p][action_slot(action)]);
}

void shard_metrics::observe_overhead(double ms) noexcept {
  std::size_t i = 0;
  while (i < latency_buckets_ms.size() && ms > latency_buckets_ms[i]) {
    ++i;
  }
  add(overhead_buckets_[i]);
  add(overhead_sum_us_, static_cast<std::uint64_t>(ms * 1000.0));
  add(overhead_count_);
}

void shard_metrics::render(std::span<const shard_metrics* const> shards, std::string& out) {
  auto sum = [&](auto member) {
    std::uint64_t total = 0;
    for (const shard_metrics* s : shards) {
      total += member(*s).load(std::memory_order_relaxed);
    }
    return total;
  };
  char line[256];
  out += "# HELP sluice_requests_total Requests answered, by endpoint and HTTP status.\n";
  out += "# TYPE sluice_requests_total counter\n";
  for (std::size_t e = 0; e < static_cast<std::size_t>(endpoint_kind::count); ++e) {
    for (unsigned code = 100; code < 600; ++code) {
      const std::uint64_t n = sum([&](const shard_metrics& s) -> const counter& { return s.requests_[e][code]; });
      if (n == 0) {
        continue;
      }
      std::snprintf(line, sizeof line, "sluice_requests_total{endpoint=\"%s\",code=\"%u\"} %llu\n",
                    std::string(to_string(static_cast<endpoint_kind>(e))).c_str(), code,
                    static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP sluice_policy_verdicts_total Policy decisions, by policy and action.\n";
  out += "# TYPE sluice_policy_verdicts_total counter\n";
  // Rows in registry order (policy_registry.h), the same in every process.
  const std::size_t policies = std::min(policy_registry::all().size(), max_policies);
  for (std::size_t p = 0; p < policies; ++p) {
    for (std::size_t a = 0; a < policy_action_slots; ++a) {
      const std::uint64_t n = sum([&](const shard_metrics& s) -> const counter& { return s.verdicts_[p][a]; });
      if (n == 0) {
        continue;
      }
      std::snprintf(line, sizeof line, "sluice_policy_verdicts_total{policy=\"%s\",action=\"%s\"} %llu\n",
                    std::string(policy_registry::name_of(static_cast<policy_id>(p))).c_str(),
                    std::string(action_names[a]).c_str(), static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP sluice_upstream_attempts_total Upstream attempts, by outcome.\n";
  out += "# TYPE sluice_upstream_attempts_total counter\n";
  for (std::size_t o = 0; o < static_cast<std::size_t>(upstream_outcome::count); ++o) {
    const std::uint64_t n = sum([&](const shard_metrics& s) -> const counter& { return s.upstream_[o]; });
    std::snprintf(line, sizeof line, "sluice_upstream_attempts_total{outcome=\"%s\"} %llu\n",
                  std::string(outcome_names[o]).c_str(), static_cast<unsigned long long>(n));
    out += line;
  }
  out += "# HELP sluice_tokens_total Tokens reported by the upstream, by direction.\n";
  out += "# TYPE sluice_tokens_total counter\n";
  std::snprintf(line, sizeof line, "sluice_tokens_total{direction=\"input\"} %llu\n",
                static_cast<unsigned long long>(sum([](const shard_metrics& s) -> const counter& { return s.tokens_in_; })));
  out += line;
  std::snprintf(line, sizeof line, "sluice_tokens_total{direction=\"output\"} %llu\n",
                static_cast<unsigned long long>(sum([](const shard_metrics& s) -> const counter& { return s.tokens_out_; })));
  out += line;
  out += "# HELP sluice_stream_errors_total Streams ended with an error event sent to the client.\n";
  out += "# TYPE sluice_stream_errors_total counter\n";
  std::snprintf(line, sizeof line, "sluice_stream_errors_total %llu\n",
                static_cast<unsigned long long>(sum([](const shard_metrics& s) -> const counter& { return s.stream_errors_; })));
  out += line;
  out += "# HELP sluice_requests_in_flight Requests being handled now.\n";
  out += "# TYPE sluice_requests_in_flight gauge\n";
  std::snprintf(line, sizeof line, "sluice_requests_in_flight %llu\n",
                static_cast<unsigned long long>(sum([](const shard_metrics& s) -> const counter& { return s.in_flight_; })));
  out += line;
  out += "# HELP sluice_gateway_overhead_milliseconds Time spent in the gateway per request, upstream excluded.\n";
  out += "# TYPE sluice_gateway_overhead_milliseconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= latency_buckets_ms.size(); ++i) {
    cumulative += sum([&](const shard_metrics& s) -> const counter& { return s.overhead_buckets_[i]; });
    if (i < latency_buckets_ms.size()) {
      std::snprintf(line, sizeof line, "sluice_gateway_overhead_milliseconds_bucket{le=\"%g\"} %llu\n",
                    latency_buckets_ms[i], static_cast<unsigned long long>(cumulative));
    } else {
      std::snprintf(line, sizeof line, "sluice_gateway_overhead_milliseconds_bucket{le=\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    }
    out += line;
  }
  std::snprintf(line, sizeof line, "sluice_gateway_overhead_milliseconds_sum %.3f\n",
                static_cast<double>(sum([](const shard_metrics& s) -> const counter& { return s.overhead_sum_us_; })) / 1000.0);
  out += line;
  std::snprintf(line, sizeof line, "sluice_gateway_overhead_milliseconds_count %llu\n",
                static_cast<unsigned long long>(sum([](const shard_metrics& s) -> const counter& { return s.overhead_count_; })));
  out += line;
}

}  // namespace sluice::gateway
