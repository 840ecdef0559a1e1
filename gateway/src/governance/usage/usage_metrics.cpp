#include "governance/usage/usage_metrics.h"

#include <cstdio>

#include "governance/keys/key_table.h"
#include "governance/keys/refusal.h"
#include "governance/store/key_store.h"

namespace sluice::gateway {

void append_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
}

namespace {
void append_number(std::string& out, double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.9g", v);
  out.append(buf, static_cast<std::size_t>(n));
}
void append_number(std::string& out, std::uint64_t v) { out += std::to_string(v); }

std::string status_class(std::uint16_t status) {
  if (status < 100 || status > 599) {
    return "other";
  }
  return std::string(1, static_cast<char>('0' + status / 100)) + "xx";
}
}  // namespace

void usage_metrics::observe(const usage_record& u, std::uint32_t added_latency_us) {
  std::lock_guard lock(mutex_);
  auto& t = by_key_[{u.key_id, u.team, u.model, status_class(u.http_status)}];
  ++t.requests;
  t.input_tokens += u.input_tokens;
  t.output_tokens += u.output_tokens;
  t.cost_micro_usd += u.cost_micro_usd;
  // verdicts: "policy:action,policy:action"
  std::string_view rest = u.verdicts;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    const auto colon = item.find(':');
    if (colon != std::string_view::npos) {
      ++verdicts_[{std::string(item.substr(0, colon)), std::string(item.substr(colon + 1))}];
    }
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  std::size_t b = 0;
  while (b < latency_bounds_us.size() && added_latency_us > latency_bounds_us[b]) {
    ++b;
  }
  ++latency_buckets_[b];
  latency_sum_seconds_ += added_latency_us / 1e6;
  ++latency_count_;
}

void usage_metrics::count_alert(const std::string& key_id, std::string_view kind) {
  std::lock_guard lock(mutex_);
  ++alerts_[{key_id, std::string(kind)}];
}

void usage_metrics::append_prometheus(std::string& out, const key_table& table,
                                      const std::array<std::uint64_t, refusal_count>& refused_without_key,
                                      std::uint64_t dropped) const {
  std::lock_guard lock(mutex_);
  auto labels3 = [&](const std::string& key, const std::string& team, const std::string& model) {
    out += "key=\"";
    append_label_value(out, key.empty() ? "none" : key);
    out += "\",team=\"";
    append_label_value(out, team);
    out += "\",model=\"";
    append_label_value(out, model);
    out += '"';
  };
  out += "# HELP sluice_key_requests_total Requests settled, by key, team, model and status class.\n";
  out += "# TYPE sluice_key_requests_total counter\n";
  for (const auto& [k, t] : by_key_) {
    out += "sluice_key_requests_total{";
    labels3(std::get<0>(k), std::get<1>(k), std::get<2>(k));
    out += ",status=\"" + std::get<3>(k) + "\"} ";
    append_number(out, t.requests);
    out += '\n';
  }
  out += "# HELP sluice_key_tokens_total Tokens used, by key, team, model and direction.\n";
  out += "# TYPE sluice_key_tokens_total counter\n";
  for (const auto& [k, t] : by_key_) {
    for (const bool input : {true, false}) {
      out += "sluice_key_tokens_total{";
      labels3(std::get<0>(k), std::get<1>(k), std::get<2>(k));
      out += ",status=\"" + std::get<3>(k) + "\",direction=\"";
      out += input ? "input\"} " : "output\"} ";
      append_number(out, input ? t.input_tokens : t.output_tokens);
      out += '\n';
    }
  }
  out += "# HELP sluice_key_cost_usd_total Cost in USD, by key, team and model.\n";
  out += "# TYPE sluice_key_cost_usd_total counter\n";
  for (const auto& [k, t] : by_key_) {
    out += "sluice_key_cost_usd_total{";
    labels3(std::get<0>(k), std::get<1>(k), std::get<2>(k));
    out += ",status=\"" + std::get<3>(k) + "\"} ";
    append_number(out, static_cast<double>(t.cost_micro_usd) / 1e6);
    out += '\n';
  }
  out += "# HELP sluice_refusals_total Requests refused by governance, by key and reason.\n";
  out += "# TYPE sluice_refusals_total counter\n";
  for (std::size_t r = 1; r < refused_without_key.size(); ++r) {
    if (refused_without_key[r] != 0) {
      out += "sluice_refusals_total{key=\"none\",reason=\"";
      out += to_string(static_cast<refusal>(r));
      out += "\"} ";
      append_number(out, refused_without_key[r]);
      out += '\n';
    }
  }
  for (const auto& [id, entry] : table.by_id) {
    for (std::size_t r = 1; r < refusal_count; ++r) {
      const std::uint64_t n = entry->counters->refused[r].load(std::memory_order_relaxed);
      if (n != 0) {
        out += "sluice_refusals_total{key=\"";
        append_label_value(out, id);
        out += "\",reason=\"";
        out += to_string(static_cast<refusal>(r));
        out += "\"} ";
        append_number(out, n);
        out += '\n';
      }
    }
  }
  out += "# HELP sluice_policy_verdicts_total Policy verdicts reported with settled requests.\n";
  out += "# TYPE sluice_policy_verdicts_total counter\n";
  for (const auto& [k, n] : verdicts_) {
    out += "sluice_policy_verdicts_total{policy=\"";
    append_label_value(out, k.first);
    out += "\",action=\"";
    append_label_value(out, k.second);
    out += "\"} ";
    append_number(out, n);
    out += '\n';
  }
  out += "# HELP sluice_governance_alerts_total Budget and anomaly alerts, by key and kind.\n";
  out += "# TYPE sluice_governance_alerts_total counter\n";
  for (const auto& [k, n] : alerts_) {
    out += "sluice_governance_alerts_total{key=\"";
    append_label_value(out, k.first);
    out += "\",kind=\"";
    append_label_value(out, k.second);
    out += "\"} ";
    append_number(out, n);
    out += '\n';
  }
  out += "# HELP sluice_settled_added_latency_seconds Gateway-added latency of settled requests.\n";
  out += "# TYPE sluice_settled_added_latency_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < latency_bounds_us.size(); ++b) {
    cumulative += latency_buckets_[b];
    out += "sluice_settled_added_latency_seconds_bucket{le=\"";
    append_number(out, latency_bounds_us[b] / 1e6);
    out += "\"} ";
    append_number(out, cumulative);
    out += '\n';
  }
  out += "sluice_settled_added_latency_seconds_bucket{le=\"+Inf\"} ";
  append_number(out, latency_count_);
  out += "\nsluice_settled_added_latency_seconds_sum ";
  append_number(out, latency_sum_seconds_);
  out += "\nsluice_settled_added_latency_seconds_count ";
  append_number(out, latency_count_);
  out += "\n# HELP sluice_usage_records_dropped_total Usage records lost because memory ran out.\n";
  out += "# TYPE sluice_usage_records_dropped_total counter\nsluice_usage_records_dropped_total ";
  append_number(out, dropped);
  out += '\n';
}

}  // namespace sluice::gateway
