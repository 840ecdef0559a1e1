// The admin API's routes, independent of the network: admin_server feeds it parsed requests.
#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>

#include "governance/admin/admin_json.h"
#include "governance/admin/console/console_assets.h"
#include "governance/admin/console/console_data.h"
#include "governance/admin/console/console_sessions.h"
#include "governance/audit/audit_files.h"
#include "base/crypto_util.h"
#include "governance/governance_service.h"
#include "governance/key_registry.h"
#include "governance/usage/usage_ledger.h"
#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/audit_verify.h"
#include "base/time_util.h"
#include "governance/audit/client_ip_mask.h"
#include "governance/audit/json_fields.h"

namespace sluice::gateway {

namespace {

admin_reply error_reply(unsigned status, std::string_view type, std::string_view message) {
  admin_reply r;
  r.status = status;
  json_fields inner;
  inner.add("type", type).add("message", message);
  r.body = "{\"error\":{" + inner.str() + "}}";
  return r;
}

admin_reply json_reply(unsigned status, std::string body) {
  admin_reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_digit(s[i + 1]) >= 0 && hex_digit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2])));
      i += 2;
    } else if (s[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    out[percent_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
    if (amp == std::string_view::npos) {
      break;
    }
    query.remove_prefix(amp + 1);
  }
  return out;
}

// Splits "/admin/keys/key_12/rotate" into its segments after "/admin".
std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(percent_decode(path.substr(0, slash)));
    path.remove_prefix(slash == std::string_view::npos ? path.size() : slash);
  }
  return out;
}

// [from, to) from the query; defaults: start of this month until now (+1 ms).
std::string time_range(const std::map<std::string, std::string>& q, std::int64_t now, std::int64_t& from,
                       std::int64_t& to) {
  from = timeutil::month_start_ms(timeutil::month_index(now));
  to = now + 1;
  if (const auto it = q.find("from"); it != q.end() && !timeutil::parse_time(it->second, from)) {
    return "'from' must be a date like 2026-03-01, a time like 2026-03-01T12:00:00Z, or Unix seconds";
  }
  if (const auto it = q.find("to"); it != q.end() && !timeutil::parse_time(it->second, to)) {
    return "'to' must be a date like 2026-04-01, a time like 2026-04-01T00:00:00Z, or Unix seconds";
  }
  if (to <= from) {
    return "'to' must be after 'from'";
  }
  return {};
}

// The usage routes' query: ?group_by=key|team|project|model (default key) and the time range.
struct usage_query {
  std::string group;
  usage_grouping grouping = usage_grouping::key;
  std::int64_t from = 0;
  std::int64_t to = 0;
};

std::string parse_usage_query(const std::map<std::string, std::string>& q, std::int64_t now, usage_query& out) {
  out.group = q.count("group_by") ? q.at("group_by") : "key";
  if (out.group == "key") {
    out.grouping = usage_grouping::key;
  } else if (out.group == "team") {
    out.grouping = usage_grouping::team;
  } else if (out.group == "project") {
    out.grouping = usage_grouping::project;
  } else if (out.group == "model") {
    out.grouping = usage_grouping::model;
  } else {
    return "group_by must be key, team, project or model";
  }
  return time_range(q, now, out.from, out.to);
}

constexpr std::string_view session_cookie = "sluice_console";

// True when `presented` is the admin token (digest compared in constant time).
bool token_matches(const std::string& token_digest, std::string_view presented) {
  crypto::digest expected{}, got{};
  (void)crypto::from_hex(token_digest, expected);
  got = crypto::sha256(presented);
  return !presented.empty() && crypto::equal_constant_time(expected, got);
}

}  // namespace

std::string load_admin_token(const std::string& env_name, const std::string& file) {
  if (!env_name.empty()) {
    if (const char* value = std::getenv(env_name.c_str()); value != nullptr && *value != '\0') {
      return value;
    }
  }
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) {
      throw std::runtime_error("admin token file " + file + " cannot be read");
    }
    std::string token((std::istreambuf_iterator<char>(in)), {});
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
      token.pop_back();
    }
    if (token.empty()) {
      throw std::runtime_error("admin token file " + file + " is empty");
    }
    return token;
  }
  throw std::runtime_error("no admin token: set " + (env_name.empty() ? std::string("an environment variable") : env_name) +
                           " or configure an admin token file");
}

admin_api::admin_api(governance_service& service, std::shared_ptr<audit_log> audit, std::string token)
    : service_(service), audit_(std::move(audit)) {
  if (token.size() < 16) {
    throw std::invalid_argument("the admin token must be at least 16 characters");
  }
  token_digest_ = crypto::to_hex(crypto::sha256(token));
  sessions_ = std::make_shared<console_sessions>();
}

admin_reply admin_api::handle(const admin_call& call) {
  key_registry& keys = service_.keys();
  const std::int64_t now = keys.now_ms();
  const std::string_view target = call.target;
  const auto question = target.find('?');
  const std::string_view path = target.substr(0, question);
  const auto query = parse_query(question == std::string_view::npos ? std::string_view() : target.substr(question + 1));
  auto record = [&](std::string_view type, std::string_view why) {
    if (audit_) {
      json_fields f;
      f.add("method", call.method).add("path", path).add("client", mask_client_ip(call.client_ip)).add("reason", why);
      audit_->append(type, f.str());
    }
  };

  // The console's page and scripts hold no data and no secret: served without a token, so the browser
  // can load the login form.
  if (call.method == "GET" && (path == "/" || path == "/index.html" || path.starts_with("/console/"))) {
    const std::string_view name = path == "/" || path == "/index.html" ? std::string_view("index.html")
                                                                        : path.substr(9);
    if (const console_asset* asset = find_console_asset(name)) {
      admin_reply r;
      r.body = std::string(asset->body);
      r.content_type = std::string(asset->content_type);
      return r;
    }
    return error_reply(404, "not_found_error", "no console file " + std::string(path));
  }
  const bool console_header = call.console_header == "1";
  if (path == "/console/login" || path == "/console/logout") {
    if (call.method != "POST") {
      return error_reply(405, "invalid_request_error", "method " + call.method + " is not allowed on " +
                                                           std::string(path) + " (allowed: POST)");
    }
    if (!console_header) {
      record("admin.auth_failed", "console request without X-Sluice-Console header");
      return error_reply(403, "permission_error", "console requests must carry the header `X-Sluice-Console: 1`");
    }
    if (path == "/console/logout") {
      sessions_->close(cookie_value(call.cookie, session_cookie));
      admin_reply r = json_reply(200, "{\"logged_out\":true}");
      r.set_cookie = std::string(session_cookie) + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
      return r;
    }
    simdjson::dom::parser login_parser;
    simdjson::dom::element doc;
    std::string_view token;
    if (login_parser.parse(call.body).get(doc) != simdjson::SUCCESS ||
        doc["token"].get_string().get(token) != simdjson::SUCCESS) {
      record("admin.bad_request", "console login without a token");
      return error_reply(400, "invalid_request_error", "log in with a JSON body {\"token\": \"<admin token>\"}");
    }
    if (!token_matches(token_digest_, token)) {
      record("admin.auth_failed", token.empty() ? "missing admin token" : "wrong admin token");
      return error_reply(401, "authentication_error", token.empty() ? "missing admin token" : "wrong admin token");
    }
    const std::string id = sessions_->open(now);
    record("admin.console_login", "admin token accepted");
    admin_reply r = json_reply(200, "{\"logged_in\":true,\"expires_in_seconds\":" +
                                        std::to_string(console_sessions::lifetime_ms / 1000) + "}");
    r.set_cookie = std::string(session_cookie) + "=" + id + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                   std::to_string(console_sessions::lifetime_ms / 1000);
    return r;
  }

  // Authentication first: nothing about keys is revealed to a caller without the token. A console
  // session cookie stands in for the bearer token, but only with the console's header, which a
  // cross-site page cannot add to a request (no CORS is answered here).
  std::string_view presented = call.authorization;
  if (presented.size() >= 7 && (presented.substr(0, 7) == "Bearer " || presented.substr(0, 7) == "bearer ")) {
    presented.remove_prefix(7);
  } else {
    presented = {};
  }
  const std::string_view session = cookie_value(call.cookie, session_cookie);
  if (presented.empty() && !session.empty()) {
    if (!sessions_->valid(session, now)) {
      record("admin.auth_failed", "expired or unknown console session");
      return error_reply(401, "authentication_error", "the console session has expired or is unknown: log in again");
    }
    if (!console_header) {
      record("admin.auth_failed", "console session without X-Sluice-Console header");
      return error_reply(403, "permission_error",
                         "a console session cookie is accepted only with the header `X-Sluice-Console: 1`");
    }
  } else if (!token_matches(token_digest_, presented)) {
    record("admin.auth_failed", presented.empty() ? "missing admin token" : "wrong admin token");
    return error_reply(401, "authentication_error",
                       presented.empty() ? "missing admin token: send `Authorization: Bearer <admin token>`"
                                         : "wrong admin token");
  }

  const auto parts = segments(path);
  if (parts.empty() || parts[0] != "admin") {
    return error_reply(404, "not_found_error", "unknown route " + std::string(path) + "; routes start with /admin/");
  }
  const std::string actor = "admin:" + mask_client_ip(call.client_ip);

  // Bodies: parsed once, must be a JSON object when present.
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  const bool has_body = (call.method == "POST" || call.method == "PATCH") && !call.body.empty();
  if (has_body) {
    simdjson::dom::element doc;
    if (auto error = parser.parse(call.body).get(doc); error != simdjson::SUCCESS) {
      record("admin.bad_request", "malformed JSON");
      return error_reply(400, "invalid_request_error",
                         std::string("the body is not valid JSON: ") + simdjson::error_message(error));
    }
    if (doc.get_object().get(body) != simdjson::SUCCESS) {
      record("admin.bad_request", "body is not an object");
      return error_reply(400, "invalid_request_error", "the body must be a JSON object");
    }
  }
  auto method_not_allowed = [&](std::string_view allowed) {
    return error_reply(405, "invalid_request_error",
                       "method " + call.method + " is not allowed on " + std::string(path) + " (allowed: " +
                           std::string(allowed) + ")");
  };

  try {
    if (parts.size() >= 2 && parts[1] == "keys") {
      if (parts.size() == 2) {
        if (call.method == "GET") {
          std::string out = "{\"keys\":[";
          bool first = true;
          for (const auto& k : keys.list_keys()) {
            if (!first) {
              out += ',';
            }
            first = false;
            append_key_json(out, k, now);
            if (query.count("usage") != 0 && query.at("usage") == "1") {
              // The console's list shows budget use beside each key: this month's, from the counters.
              const auto [tokens, micro_usd] = keys.budget_used(k.id);
              json_fields used;
              used.add("tokens", tokens).add("usd", static_cast<double>(micro_usd) / 1e6);
              out.pop_back();
              out += ",\"budget_used_this_month\":{" + used.str() + "}}";
            }
          }
          out += "]}";
          return json_reply(200, std::move(out));
        }
        if (call.method == "POST") {
          if (call.body.empty()) {
            return error_reply(400, "invalid_request_error", "creating a key needs a JSON body with at least \"name\"");
          }
          key_record spec;
          if (std::string error = apply_key_json(body, spec); !error.empty()) {
            record("admin.bad_request", error);
            return error_reply(400, "invalid_request_error", error);
          }
          auto created = keys.create_key(std::move(spec), actor);
          std::string out = "{\"key\":";
          append_key_json(out, created.record, now);
          out += ",\"secret\":";
          append_json_string(out, created.secret);
          out += ",\"note\":\"the secret is shown only now; store it safely\"}";
          return json_reply(201, std::move(out));
        }
        return method_not_allowed("GET, POST");
      }
      const std::string& id = parts[2];
      const auto existing = keys.find_key(id);
      if (!existing) {
        return error_reply(404, "not_found_error", "no key with id '" + id + "'");
      }
      if (parts.size() == 3) {
        if (call.method == "GET") {
          const auto [tokens, micro_usd] = keys.budget_used(id);
          std::string out = "{\"key\":";
          append_key_json(out, *existing, now);
          json_fields used;
          used.add("tokens", tokens).add("usd", static_cast<double>(micro_usd) / 1e6);
          out += ",\"budget_used_this_month\":{" + used.str() + "}}";
          return json_reply(200, std::move(out));
        }
        if (call.method == "PATCH") {
          if (!has_body) {
            return error_reply(400, "invalid_request_error", "an update needs a JSON body with the fields to change");
          }
          key_record next = *existing;
          if (std::string error = apply_key_json(body, next); !error.empty()) {
            record("admin.bad_request", error);
            return error_reply(400, "invalid_request_error", error);
          }
          const auto updated = keys.update_key(id, next, actor);
          std::string out = "{\"key\":";
          append_key_json(out, *updated, now);
          out += '}';
          return json_reply(200, std::move(out));
        }
        return method_not_allowed("GET, PATCH");
      }
      if (parts.size() == 4 && parts[3] == "rotate") {
        if (call.method != "POST") {
          return method_not_allowed("POST");
        }
        std::optional<std::int64_t> grace;
        if (has_body) {
          for (const auto field : body) {
            std::int64_t seconds = 0;
            if (field.key != "grace_seconds" || field.value.get_int64().get(seconds) != simdjson::SUCCESS) {
              return error_reply(400, "invalid_request_error",
                                 "rotate accepts only {\"grace_seconds\": <non-negative integer>}");
            }
            grace = seconds;
          }
        }
        const auto rotated = keys.rotate_key(id, grace, actor);
        std::string out = "{\"key\":";
        append_key_json(out, rotated->record, now);
        out += ",\"secret\":";
        append_json_string(out, rotated->secret);
        out += ",\"note\":\"the previous secret keeps working until previous_secret_valid_until\"}";
        return json_reply(200, std::move(out));
      }
      if (parts.size() == 4 && parts[3] == "revoke") {
        if (call.method != "POST") {
          return method_not_allowed("POST");
        }
        const auto revoked = keys.revoke_key(id, actor);
        std::string out = "{\"key\":";
        append_key_json(out, *revoked, now);
        out += '}';
        return json_reply(200, std::move(out));
      }
    }
    if (parts.size() == 2 && parts[1] == "metrics") {
      if (call.method != "GET") {
        return method_not_allowed("GET");
      }
      std::string text;
      service_.append_metrics(text);
      return json_reply(200, metrics_snapshot_json(text, now));
    }
    if (parts.size() == 3 && parts[1] == "usage" && parts[2] == "daily") {
      if (call.method != "GET") {
        return method_not_allowed("GET");
      }
      usage_query u;
      if (std::string error = parse_usage_query(query, now, u); !error.empty()) {
        return error_reply(400, "invalid_request_error", error);
      }
      service_.ledger().flush();
      return json_reply(200, usage_daily_json(keys.store(), u.grouping, u.group, u.from, u.to));
    }
    if (parts.size() == 2 && parts[1] == "usage") {
      if (call.method != "GET") {
        return method_not_allowed("GET");
      }
      usage_query u;
      if (std::string error = parse_usage_query(query, now, u); !error.empty()) {
        return error_reply(400, "invalid_request_error", error);
      }
      service_.ledger().flush();  // include what settled up to now
      std::string out = "{\"group_by\":";
      append_json_string(out, u.group);
      out += ",\"from\":\"" + timeutil::iso8601(u.from) + "\",\"to\":\"" + timeutil::iso8601(u.to) + "\",\"rows\":[";
      bool first = true;
      for (const auto& row : keys.store().usage_by(u.grouping, u.from, u.to)) {
        json_fields f;
        f.add("group", row.group).add("requests", row.requests).add("input_tokens", row.input_tokens);
        f.add("output_tokens", row.output_tokens).add("cost_usd", static_cast<double>(row.cost_micro_usd) / 1e6);
        out += first ? "{" : ",{";
        out += f.str();
        out += '}';
        first = false;
      }
      out += "]}";
      return json_reply(200, std::move(out));
    }
    if (parts.size() >= 2 && parts[1] == "audit") {
      if (call.method != "GET") {
        return method_not_allowed("GET");
      }
      if (!audit_) {
        return error_reply(404, "not_found_error", "the audit log is not enabled on this gateway");
      }
      if (parts.size() == 3 && parts[2] == "head") {
        audit_->flush();
        return json_reply(200, "{\"head\":\"" + audit_->head() + "\"}");
      }
      if (parts.size() == 3 && parts[2] == "verify") {
        // The check `sluice audit verify DIR` makes, over this log's directory. No expected head: records
        // written while the files are read would look like insertions after it; the answer names the
        // head it reached instead, to compare with /admin/audit/head.
        audit_->flush();
        return json_reply(200, audit_verify_json(verify_audit_files({audit_->directory()})));
      }
      if (parts.size() != 2) {
        return error_reply(404, "not_found_error", "unknown route " + std::string(path));
      }
      std::int64_t from = 0, to = 0;
      if (std::string error = time_range(query, now, from, to); !error.empty()) {
        return error_reply(400, "invalid_request_error", error);
      }
      std::size_t limit = 100;
      if (const auto it = query.find("limit"); it != query.end()) {
        limit = std::strtoul(it->second.c_str(), nullptr, 10);
        if (limit == 0 || limit > 1000) {
          return error_reply(400, "invalid_request_error", "limit must be between 1 and 1000");
        }
      }
      const std::string type = query.count("type") ? query.at("type") : "";
      const std::string key_id = query.count("key_id") ? query.at("key_id") : "";
      audit_->flush();
      const std::string from_iso = timeutil::iso8601(from);
      const std::string to_iso = timeutil::iso8601(to);
      const int first_day = timeutil::yyyymmdd(from);
      const int last_day = timeutil::yyyymmdd(to);
      std::vector<std::string> matches;
      simdjson::dom::parser line_parser;
      for (const auto& file : audit_files_in(audit_->directory())) {
        const int day = audit_file_day(file);
        if (day < first_day || day > last_day) {
          continue;
        }
        std::ifstream in(file);
        for (std::string line; std::getline(in, line);) {
          simdjson::dom::element doc;
          std::string_view ts, t, k;
          if (line_parser.parse(line).get(doc) != simdjson::SUCCESS || doc["ts"].get_string().get(ts) != simdjson::SUCCESS) {
            continue;
          }
          if (ts < from_iso || ts >= to_iso) {
            continue;
          }
          if (!type.empty()) {
            // "alert.*": every type with that prefix (the console's alerts page).
            const bool prefix = type.back() == '*';
            const std::string_view wanted = prefix ? std::string_view(type).substr(0, type.size() - 1) : type;
            if (doc["type"].get_string().get(t) != simdjson::SUCCESS ||
                (prefix ? !t.starts_with(wanted) : t != wanted)) {
              continue;
            }
          }
          if (!key_id.empty() && (doc["key_id"].get_string().get(k) != simdjson::SUCCESS || k != key_id)) {
            continue;
          }
          matches.push_back(std::move(line));
        }
      }
      const bool truncated = matches.size() > limit;
      std::string out = "{\"records\":[";
      for (std::size_t i = truncated ? matches.size() - limit : 0, n = 0; i < matches.size(); ++i, ++n) {
        out += n ? "," : "";
        out += matches[i];
      }
      out += "],\"truncated\":";
      out += truncated ? "true}" : "false}";
      return json_reply(200, std::move(out));
    }
  } catch (const std::invalid_argument& e) {
    record("admin.bad_request", e.what());
    return error_reply(400, "invalid_request_error", e.what());
  } catch (const std::exception& e) {
    return error_reply(500, "api_error", std::string("internal error: ") + e.what());
  }
  return error_reply(404, "not_found_error", "unknown route " + std::string(path));
}

}  // namespace sluice::gateway
