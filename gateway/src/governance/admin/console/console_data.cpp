// JSON for the console's charts and checks (see console_data.h).
#include "governance/admin/console/console_data.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <vector>

#include "base/time_util.h"
#include "governance/audit/json_fields.h"

namespace sluice::gateway {

namespace {

constexpr std::int64_t day_ms = 86'400'000;

std::int64_t day_start(std::int64_t ms) {
  const auto c = timeutil::to_civil(ms);
  return timeutil::from_civil(c.year, c.month, c.day);
}

// One sample line "name{a="x",b="y"} 12.5": its name, labels and value; false for comments and junk.
bool parse_sample(std::string_view line, std::string_view& name, std::map<std::string, std::string>& labels,
                  double& value) {
  labels.clear();
  if (line.empty() || line.front() == '#') {
    return false;
  }
  const auto brace = line.find('{');
  const auto space = line.rfind(' ');
  if (space == std::string_view::npos) {
    return false;
  }
  name = line.substr(0, std::min(brace, space));
  if (brace != std::string_view::npos && brace < space) {
    std::string_view rest = line.substr(brace + 1);
    while (!rest.empty() && rest.front() != '}') {
      const auto eq = rest.find("=\"");
      if (eq == std::string_view::npos) {
        return false;
      }
      const std::string key(rest.substr(0, eq));
      std::string text;
      std::size_t i = eq + 2;
      for (; i < rest.size() && rest[i] != '"'; ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) {
          ++i;
          text.push_back(rest[i] == 'n' ? '\n' : rest[i]);
        } else {
          text.push_back(rest[i]);
        }
      }
      labels[key] = std::move(text);
      rest.remove_prefix(std::min(rest.size(), i + 1));
      if (!rest.empty() && rest.front() == ',') {
        rest.remove_prefix(1);
      }
    }
  }
  const std::string number(line.substr(space + 1));
  char* end = nullptr;
  value = std::strtod(number.c_str(), &end);
  return end != number.c_str();
}

std::string object_of(const std::map<std::string, double>& counts) {
  json_fields f;
  for (const auto& [name, n] : counts) {
    f.add(name, static_cast<std::uint64_t>(std::llround(n)));
  }
  return "{" + f.str() + "}";
}

// The latency below which `q` of the observations fall, interpolated inside the bucket (Prometheus'
// histogram_quantile does the same); the last finite bound when it lies in the +Inf bucket.
double quantile_ms(const std::vector<std::pair<double, double>>& cumulative, double q) {
  if (cumulative.empty() || cumulative.back().second <= 0) {
    return 0;
  }
  const double rank = q * cumulative.back().second;
  double lower_bound = 0, lower_count = 0;
  for (const auto& [bound, count] : cumulative) {
    if (count >= rank) {
      if (std::isinf(bound)) {
        return lower_bound * 1000;
      }
      const double in_bucket = count - lower_count;
      const double share = in_bucket > 0 ? (rank - lower_count) / in_bucket : 0;
      return (lower_bound + (bound - lower_bound) * share) * 1000;
    }
    lower_bound = bound;
    lower_count = count;
  }
  return lower_bound * 1000;
}

}  // namespace

std::string usage_daily_json(governance_store& store, usage_grouping grouping, std::string_view group_by,
                             std::int64_t from_ms, std::int64_t to_ms) {
  const std::int64_t first_day = day_start(from_ms);
  if ((to_ms - first_day) / day_ms > max_usage_days) {
    throw std::invalid_argument("a daily usage range may span at most " + std::to_string(max_usage_days) + " days");
  }
  std::string out = "{\"group_by\":";
  append_json_string(out, group_by);
  out += ",\"from\":\"" + timeutil::iso8601(from_ms) + "\",\"to\":\"" + timeutil::iso8601(to_ms) + "\",\"days\":[";
  std::string rows;
  bool first_day_listed = true;
  for (std::int64_t day = first_day; day < to_ms; day += day_ms) {
    const std::string label = timeutil::iso8601(day).substr(0, 10);
    out += first_day_listed ? "\"" : ",\"";
    out += label + "\"";
    first_day_listed = false;
    // One grouped query per day keeps the store interface as it is; a month is 31 indexed queries.
    for (const auto& row : store.usage_by(grouping, std::max(day, from_ms), std::min(day + day_ms, to_ms))) {
      json_fields f;
      f.add("day", label).add("group", row.group).add("requests", row.requests);
      f.add("input_tokens", row.input_tokens).add("output_tokens", row.output_tokens);
      f.add("cost_usd", static_cast<double>(row.cost_micro_usd) / 1e6);
      rows += rows.empty() ? "{" : ",{";
      rows += f.str();
      rows += '}';
    }
  }
  out += "],\"rows\":[" + rows + "]}";
  return out;
}

std::string metrics_snapshot_json(std::string_view prometheus, std::int64_t now_ms) {
  double requests = 0, alerts = 0;
  std::map<std::string, double> by_status, refusals, verdicts;
  std::vector<std::pair<double, double>> latency;  // (upper bound in seconds, cumulative count)
  double latency_count = 0;
  std::map<std::string, std::string> labels;
  while (!prometheus.empty()) {
    const auto newline = prometheus.find('\n');
    const std::string_view line = prometheus.substr(0, newline);
    prometheus.remove_prefix(newline == std::string_view::npos ? prometheus.size() : newline + 1);
    std::string_view name;
    double value = 0;
    if (!parse_sample(line, name, labels, value)) {
      continue;
    }
    if (name == "sluice_key_requests_total") {
      requests += value;
      by_status[labels["status"]] += value;
    } else if (name == "sluice_refusals_total") {
      refusals[labels["reason"]] += value;
    } else if (name == "sluice_policy_verdicts_total") {
      verdicts[labels["policy"] + ":" + labels["action"]] += value;
    } else if (name == "sluice_governance_alerts_total") {
      alerts += value;
    } else if (name == "sluice_settled_added_latency_seconds_bucket") {
      const std::string& le = labels["le"];
      latency.emplace_back(le == "+Inf" ? INFINITY : std::strtod(le.c_str(), nullptr), value);
    } else if (name == "sluice_settled_added_latency_seconds_count") {
      latency_count = value;
    }
  }
  std::sort(latency.begin(), latency.end());
  json_fields f;
  f.add("ts", timeutil::iso8601(now_ms)).add("ts_ms", now_ms);
  f.add("requests_total", static_cast<std::uint64_t>(std::llround(requests)));
  f.add_raw("requests_by_status", object_of(by_status));
  f.add_raw("refusals", object_of(refusals));
  f.add_raw("verdicts", object_of(verdicts));
  f.add("alerts_total", static_cast<std::uint64_t>(std::llround(alerts)));
  json_fields lat;
  lat.add("count", static_cast<std::uint64_t>(std::llround(latency_count)));
  lat.add("p50_ms", quantile_ms(latency, 0.5)).add("p99_ms", quantile_ms(latency, 0.99));
  std::string buckets = "[";
  for (const auto& [bound, count] : latency) {
    if (std::isinf(bound)) {
      continue;
    }
    json_fields b;
    b.add("le_ms", bound * 1000).add("count", static_cast<std::uint64_t>(std::llround(count)));
    buckets += buckets.size() > 1 ? ",{" : "{";
    buckets += b.str() + "}";
  }
  buckets += "]";
  lat.add_raw("buckets", buckets);
  f.add_raw("added_latency", "{" + lat.str() + "}");
  return "{" + f.str() + "}";
}

std::string audit_verify_json(const audit_verify_result& result) {
  json_fields f;
  f.add("ok", result.ok()).add("problem", to_string(result.problem)).add("message", result.message);
  f.add("records", result.records).add("first_seq", result.first_seq).add("head", result.head);
  f.add("signed_checkpoints", result.signed_checkpoints);
  if (!result.ok()) {
    f.add("file", result.file).add("line", result.line).add("seq", result.seq);
  }
  return "{" + f.str() + "}";
}

}  // namespace sluice::gateway
