#include "governance/admin/admin_json.h"

#include <cstdio>
#include <limits>

#include "base/time_util.h"
#include "governance/audit/json_fields.h"

namespace sluice::gateway {

namespace {

void append_string_array(std::string& out, const std::vector<std::string>& items) {
  out.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) {
      out.push_back(',');
    }
    append_json_string(out, items[i]);
  }
  out.push_back(']');
}

std::string time_or_null(std::int64_t ms) {
  return ms == 0 ? "null" : "\"" + timeutil::iso8601(ms) + "\"";
}

std::string get_text(simdjson::dom::element value, std::string_view name, std::string& out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return "field '" + std::string(name) + "' must be a string";
  }
  out = text;
  return {};
}

std::string get_list(simdjson::dom::element value, std::string_view name, std::vector<std::string>& out) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return "field '" + std::string(name) + "' must be an array of strings";
  }
  out.clear();
  for (const auto item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return "field '" + std::string(name) + "' must be an array of strings";
    }
    out.emplace_back(text);
  }
  return {};
}

template <class T>
std::string get_count(simdjson::dom::element value, std::string_view name, T& out) {
  std::uint64_t n = 0;
  if (value.get_uint64().get(n) != simdjson::SUCCESS || n > std::numeric_limits<T>::max()) {
    return "field '" + std::string(name) + "' must be a non-negative integer";
  }
  out = static_cast<T>(n);
  return {};
}

std::string apply_limits(simdjson::dom::object object, key_limits& limits) {
  for (const auto field : object) {
    const std::string_view name = field.key;
    std::string error;
    if (name == "requests_per_minute") {
      error = get_count(field.value, "limits.requests_per_minute", limits.requests_per_minute);
    } else if (name == "tokens_per_minute") {
      error = get_count(field.value, "limits.tokens_per_minute", limits.tokens_per_minute);
    } else if (name == "monthly_token_budget") {
      error = get_count(field.value, "limits.monthly_token_budget", limits.monthly_token_budget);
    } else if (name == "monthly_usd_budget") {
      double usd = 0;
      if (field.value.get_double().get(usd) != simdjson::SUCCESS || usd < 0) {
        std::int64_t whole = 0;
        if (field.value.get_int64().get(whole) != simdjson::SUCCESS || whole < 0) {
          return "field 'limits.monthly_usd_budget' must be a non-negative number (USD)";
        }
        usd = static_cast<double>(whole);
      }
      limits.monthly_usd_budget = usd;
    } else if (name == "hard_budget") {
      if (field.value.get_bool().get(limits.hard_budget) != simdjson::SUCCESS) {
        return "field 'limits.hard_budget' must be true or false";
      }
    } else if (name == "alert_thresholds") {
      simdjson::dom::array array;
      if (field.value.get_array().get(array) != simdjson::SUCCESS) {
        return "field 'limits.alert_thresholds' must be an array of fractions, e.g. [0.8, 1.0]";
      }
      limits.alert_thresholds.clear();
      for (const auto item : array) {
        double v = 0;
        std::int64_t whole = 0;
        if (item.get_double().get(v) == simdjson::SUCCESS) {
          limits.alert_thresholds.push_back(v);
        } else if (item.get_int64().get(whole) == simdjson::SUCCESS) {
          limits.alert_thresholds.push_back(static_cast<double>(whole));
        } else {
          return "field 'limits.alert_thresholds' must be an array of fractions, e.g. [0.8, 1.0]";
        }
      }
    } else {
      return "unknown field 'limits." + std::string(name) +
             "' (known: requests_per_minute, tokens_per_minute, monthly_token_budget, monthly_usd_budget, "
             "hard_budget, alert_thresholds)";
    }
    if (!error.empty()) {
      return error;
    }
  }
  return {};
}

}  // namespace

void append_key_json(std::string& out, const key_record& k, std::int64_t now_ms) {
  json_fields f;
  f.add("id", k.id).add("name", k.name).add("description", k.description).add("team", k.team);
  f.add("project", k.project).add("environment", k.environment);
  std::string list;
  append_string_array(list, k.allowed_models);
  f.add_raw("allowed_models", list);
  list.clear();
  append_string_array(list, k.allowed_endpoints);
  f.add_raw("allowed_endpoints", list);
  list.clear();
  append_string_array(list, k.ip_allowlist);
  f.add_raw("ip_allowlist", list);
  json_fields limits;
  limits.add("requests_per_minute", k.limits.requests_per_minute);
  limits.add("tokens_per_minute", k.limits.tokens_per_minute);
  limits.add("monthly_token_budget", k.limits.monthly_token_budget);
  limits.add("monthly_usd_budget", k.limits.monthly_usd_budget);
  limits.add("hard_budget", k.limits.hard_budget);
  std::string thresholds = "[";
  for (std::size_t i = 0; i < k.limits.alert_thresholds.size(); ++i) {
    char number[32];
    std::snprintf(number, sizeof number, "%s%.6g", i ? "," : "", k.limits.alert_thresholds[i]);
    thresholds += number;
  }
  thresholds += "]";
  limits.add_raw("alert_thresholds", thresholds);
  f.add_raw("limits", "{" + limits.str() + "}");
  const char* status = k.revoked_at_ms != 0                                  ? "revoked"
                       : (k.expires_at_ms != 0 && now_ms >= k.expires_at_ms) ? "expired"
                                                                              : "active";
  f.add("status", status);
  f.add_raw("expires_at", time_or_null(k.expires_at_ms));
  f.add_raw("created_at", time_or_null(k.created_at_ms));
  f.add_raw("rotated_at", time_or_null(k.rotated_at_ms));
  f.add_raw("revoked_at", time_or_null(k.revoked_at_ms));
  f.add_raw("previous_secret_valid_until",
            time_or_null(k.previous_valid_until_ms > now_ms ? k.previous_valid_until_ms : 0));
  f.add("secret_hint", k.secret_hint);
  out += '{';
  out += f.str();
  out += '}';
}

std::string apply_key_json(simdjson::dom::object object, key_record& key) {
  for (const auto field : object) {
    const std::string_view name = field.key;
    std::string error;
    if (name == "name") {
      error = get_text(field.value, name, key.name);
    } else if (name == "description") {
      error = get_text(field.value, name, key.description);
    } else if (name == "team") {
      error = get_text(field.value, name, key.team);
    } else if (name == "project") {
      error = get_text(field.value, name, key.project);
    } else if (name == "environment") {
      error = get_text(field.value, name, key.environment);
    } else if (name == "allowed_models") {
      error = get_list(field.value, name, key.allowed_models);
    } else if (name == "allowed_endpoints") {
      error = get_list(field.value, name, key.allowed_endpoints);
    } else if (name == "ip_allowlist") {
      error = get_list(field.value, name, key.ip_allowlist);
    } else if (name == "limits") {
      simdjson::dom::object limits;
      if (field.value.get_object().get(limits) != simdjson::SUCCESS) {
        return "field 'limits' must be an object";
      }
      error = apply_limits(limits, key.limits);
    } else if (name == "expires_at") {
      std::string_view text;
      std::int64_t seconds = 0;
      if (field.value.is_null()) {
        key.expires_at_ms = 0;
      } else if (field.value.get_string().get(text) == simdjson::SUCCESS) {
        std::int64_t ms = 0;
        if (!timeutil::parse_time(std::string(text), ms)) {
          return "field 'expires_at' must be a date like 2026-12-31 or 2026-12-31T23:59:59Z";
        }
        key.expires_at_ms = ms;
      } else if (field.value.get_int64().get(seconds) == simdjson::SUCCESS && seconds >= 0) {
        key.expires_at_ms = seconds * 1000;
      } else {
        return "field 'expires_at' must be a date string, Unix seconds or null";
      }
    } else {
      return "unknown field '" + std::string(name) +
             "' (known: name, description, team, project, environment, allowed_models, allowed_endpoints, "
             "ip_allowlist, limits, expires_at)";
    }
    if (!error.empty()) {
      return error;
    }
  }
  return {};
}

}  // namespace sluice::gateway
