// The `governance:` section of the configuration file: keys and their store, usage, prices, the
// audit log's governance settings and the admin API. Checked as strictly as the rest of the file
// (config_reader); the audit log's agreement with the audit-logger policy is the loader's to check,
// since it spans two sections.
#include "governance/governance_config.h"

#include <arpa/inet.h>

#include <algorithm>

#include "governance/store/redis_store.h"
#include "governance/store/redis_tls_tunnel.h"

#include <charconv>
#include <exception>

namespace sluice::gateway {

namespace {

// "host:port" with an IP address (IPv6 in brackets), as the admin listener binds it.
bool valid_listen_address(const std::string& text, std::string& why) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    why = "expected host:port, e.g. 127.0.0.1:41003";
    return false;
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  in6_addr v6{};
  in_addr v4{};
  if (::inet_pton(AF_INET, host.c_str(), &v4) != 1 && ::inet_pton(AF_INET6, host.c_str(), &v6) != 1) {
    why = "'" + host + "' is not an IP address (the admin API binds an address, not a name)";
    return false;
  }
  unsigned port = 0;
  const std::string digits = text.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || port > 65535) {
    why = "invalid port '" + digits + "'";
    return false;
  }
  return true;
}

// The key must be readable now and long enough to be a key, not a password.
void check_signing_key(config_reader& r, const YAML::Node& at, const std::string& key, const secret_ref& ref) {
  try {
    if (read_secret(ref).size() < 16) {
      r.problem(at, key, "the signing key must be at least 16 characters (e.g. `openssl rand -hex 32`)");
    }
  } catch (const std::exception& e) {
    r.problem(at, key, e.what());
  }
}

void parse_prices(config_reader& r, const YAML::Node& n, const std::string& key, std::vector<token_price>& out) {
  if (!n.IsSequence()) {
    r.problem(n, key, "expected a list of {model, input_per_mtok, output_per_mtok}");
    return;
  }
  for (std::size_t i = 0; i < n.size(); ++i) {
    const YAML::Node item = n[i];
    const std::string k = key + "[" + std::to_string(i) + "]";
    if (!r.expect_map(item, k, {"model", "input_per_mtok", "output_per_mtok"})) {
      continue;
    }
    token_price price;
    bool complete = true;
    for (const char* field : {"model", "input_per_mtok", "output_per_mtok"}) {
      if (!item[field]) {
        r.problem(item, k + "." + field, "missing");
        complete = false;
      }
    }
    if (!complete) {
      continue;
    }
    complete = r.get_string(item["model"], k + ".model", price.model_glob);
    complete = r.get_double(item["input_per_mtok"], k + ".input_per_mtok", price.input_usd_per_mtok, 0, 1e6) &&
               complete;
    complete = r.get_double(item["output_per_mtok"], k + ".output_per_mtok", price.output_usd_per_mtok, 0, 1e6) &&
               complete;
    if (complete) {
      out.push_back(price);
    }
  }
  if (!out.empty()) {
    // Models missing from the list are priced like the most expensive Claude model, so USD budgets
    // hold for them too. A `model: "*"` entry of the list's own comes first and wins.
    out.push_back({"*", 15.0, 75.0});
  }
}

void parse_audit(config_reader& r, const YAML::Node& n, const std::string& key, governance_audit_config& a) {
  if (!r.expect_map(n, key, {"directory", "immutable", "retention_days", "flush_ms", "signing_key_env",
                             "signing_key_file", "checkpoint_interval_s"})) {
    return;
  }
  a.present = true;
  if (auto v = n["directory"]) {
    r.get_string(v, key + ".directory", a.directory);
  }
  if (auto v = n["immutable"]) {
    r.get_bool(v, key + ".immutable", a.immutable);
  }
  if (auto v = n["retention_days"]) {
    r.get_int(v, key + ".retention_days", a.retention_days, 0, 100 * 365);
  }
  if (auto v = n["flush_ms"]) {
    r.get_ms(v, key + ".flush_ms", a.flush_interval);
  }
  if (auto v = n["checkpoint_interval_s"]) {
    r.get_int(v, key + ".checkpoint_interval_s", a.checkpoint_interval_s, 0, 86400);
  }
  const YAML::Node env = n["signing_key_env"];
  const YAML::Node file = n["signing_key_file"];
  if (env && file) {
    r.problem(file, key + ".signing_key_file", "give either signing_key_env or signing_key_file, not both");
    return;
  }
  std::string name;
  if (env && r.get_string(env, key + ".signing_key_env", name)) {
    a.signing_key.env = name;
    check_signing_key(r, env, key + ".signing_key_env", a.signing_key);
  } else if (file && r.get_string(file, key + ".signing_key_file", name)) {
    a.signing_key.file = name;
    check_signing_key(r, file, key + ".signing_key_file", a.signing_key);
  }
}

void parse_admin(config_reader& r, const YAML::Node& n, const std::string& key, governance_admin_config& a) {
  if (!r.expect_map(n, key, {"enabled", "listen", "token_env", "token_file"})) {
    return;
  }
  if (auto v = n["enabled"]) {
    if (r.get_bool(v, key + ".enabled", a.enabled)) {
      a.required = a.enabled;
    }
  }
  if (auto v = n["listen"]) {
    if (r.get_string(v, key + ".listen", a.listen)) {
      std::string why;
      if (!valid_listen_address(a.listen, why)) {
        r.problem(v, key + ".listen", why);
      }
    }
  }
  if (auto v = n["token_env"]) {
    r.get_string(v, key + ".token_env", a.token_env);
  }
  if (auto v = n["token_file"]) {
    r.get_string(v, key + ".token_file", a.token_file);
  }
}

// governance.store.tls: {ca_file, cert_file, key_file, server_name, verify}, for rediss:// only.
bool parse_store_tls(config_reader& r, const YAML::Node& n, store_tls_options& tls) {
  if (!r.expect_map(n, "governance.store.tls", {"ca_file", "cert_file", "key_file", "server_name", "verify"})) {
    return false;
  }
  bool ok = true;
  for (auto [name, out] : {std::pair<const char*, std::string*>{"ca_file", &tls.ca_file},
                           {"cert_file", &tls.cert_file},
                           {"key_file", &tls.key_file},
                           {"server_name", &tls.server_name}}) {
    if (auto v = n[name]) {
      ok = r.get_string(v, std::string("governance.store.tls.") + name, *out) && ok;
    }
  }
  if (auto v = n["verify"]) {
    ok = r.get_bool(v, "governance.store.tls.verify", tls.verify) && ok;
  }
  return ok;
}

// `store:` is a SQLite path or redis:// URL, or a map {url, password_env | password_file, key_prefix,
// tls} for Redis. A Redis store is checked now (connect, TLS handshake, AUTH, SELECT) so a bad URL, an
// unreachable server, an untrusted certificate or a refused password is a load error naming the key,
// not a failure at start-up.
void parse_store(config_reader& r, const YAML::Node& n, governance_config& g) {
  // reset(), not operator=: assigning a YAML::Node writes through to the node it refers to.
  YAML::Node url_node;
  url_node.reset(n);
  std::string url_key = "governance.store";
  if (n.IsMap()) {
    if (!r.expect_map(n, "governance.store", {"url", "password_env", "password_file", "key_prefix", "tls"})) {
      return;
    }
    // Checked before reset(): resetting to a key the map does not have throws YAML::InvalidNode.
    const YAML::Node url = n["url"];
    url_key = "governance.store.url";
    if (!url) {
      r.problem(n, url_key, "missing: redis://host:port/db");
      return;
    }
    url_node.reset(url);
  }
  if (!r.get_string(url_node, url_key, g.store_path)) {
    return;
  }
  if (!is_redis_url(g.store_path)) {
    if (n.IsMap()) {
      r.problem(url_node, url_key, "the map form is for Redis (redis://host:port/db); give a SQLite path as `store: PATH`");
    }
    return;
  }
  redis_target target;
  std::string why;
  if (!parse_redis_url(g.store_path, target, why)) {
    r.problem(url_node, url_key, why);
    return;
  }
  std::string password_key;
  if (n.IsMap()) {
    const YAML::Node env = n["password_env"];
    const YAML::Node file = n["password_file"];
    if (env && file) {
      r.problem(file, "governance.store.password_file", "give either password_env or password_file, not both");
      return;
    }
    std::string name;
    if (env && r.get_string(env, "governance.store.password_env", name)) {
      g.store_password.env = name;
      password_key = "governance.store.password_env";
    } else if (file && r.get_string(file, "governance.store.password_file", name)) {
      g.store_password.file = name;
      password_key = "governance.store.password_file";
    }
    if (auto v = n["key_prefix"]) {
      r.get_string(v, "governance.store.key_prefix", g.store_key_prefix);
    }
    if (auto v = n["tls"]) {
      if (!target.tls) {
        r.problem(v, "governance.store.tls", "TLS settings need a rediss:// URL (this one is redis://)");
        return;
      }
      if (!parse_store_tls(r, v, g.store_tls)) {
        return;
      }
      target.tls_options = g.store_tls;
    }
  }
  const YAML::Node password_node = password_key.empty() ? url_node : n[password_key.substr(password_key.rfind('.') + 1)];
  if (!password_key.empty()) {
    try {
      target.password = read_secret(g.store_password);
    } catch (const std::exception& e) {
      r.problem(password_node, password_key, e.what());
      return;
    }
  }
  bool auth_refused = false;
  try {
    why = check_redis(target, auth_refused);
  } catch (const redis_tls_setting_error& e) {
    const YAML::Node tls = n.IsMap() ? n["tls"] : YAML::Node();
    const YAML::Node at = tls && tls[e.setting()] ? tls[e.setting()] : url_node;
    r.problem(at, "governance.store.tls." + e.setting(), e.what());
    return;
  }
  if (!why.empty()) {
    if (auth_refused) {
      r.problem(password_node, password_key.empty() ? url_key : password_key,
                password_key.empty() ? why + " (the server wants a password: set password_env or password_file)"
                                     : why);
    } else {
      r.problem(url_node, url_key, why);
    }
  }
}

}  // namespace

void parse_governance_config(config_reader& r, const YAML::Node& n, governance_config& g) {
  g.enabled = true;
  if (n.IsNull()) {
    return;
  }
  // usage_flush_ms and alert_webhook: short names `sluice admin serve` accepted before it used this reader.
  if (!r.expect_map(n, "governance", {"require_keys", "store", "rotation_grace_seconds", "usage_flush_interval_ms",
                                      "usage_flush_ms", "alert_webhook_url", "alert_webhook", "anomaly_detection",
                                      "prices", "audit", "admin", "on_store_failure", "replica_id"})) {
    return;
  }
  if (auto v = n["require_keys"]) {
    r.get_bool(v, "governance.require_keys", g.require_keys);
  }
  if (auto v = n["store"]) {
    parse_store(r, v, g);
  }
  if (auto v = n["on_store_failure"]) {
    if (r.get_string(v, "governance.on_store_failure", g.on_store_failure) && g.on_store_failure != "closed" &&
        g.on_store_failure != "local") {
      r.problem(v, "governance.on_store_failure",
                "expected closed (refuse keys with rate limits or hard budgets while Redis is unreachable) or "
                "local (admit them against this replica's own limits)");
    }
  }
  if (auto v = n["replica_id"]) {
    if (r.get_string(v, "governance.replica_id", g.replica_id)) {
      const bool safe = !g.replica_id.empty() && g.replica_id.size() <= 64 && g.replica_id != "." &&
                        g.replica_id != ".." &&
                        std::all_of(g.replica_id.begin(), g.replica_id.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                 c == '-' || c == '_' || c == '.';
                        });
      if (!safe) {
        r.problem(v, "governance.replica_id",
                  "expected 1 to 64 letters, digits, '-', '_' or '.' (it names this replica's audit directory)");
      }
    }
  }
  if (auto v = n["rotation_grace_seconds"]) {
    r.get_int(v, "governance.rotation_grace_seconds", g.rotation_grace_seconds, 0, 365LL * 86400);
  }
  for (const char* name : {"usage_flush_interval_ms", "usage_flush_ms"}) {
    if (auto v = n[name]) {
      r.get_int(v, std::string("governance.") + name, g.usage_flush_interval_ms, 1, 3600 * 1000);
    }
  }
  for (const char* name : {"alert_webhook_url", "alert_webhook"}) {
    if (auto v = n[name]) {
      const std::string key = std::string("governance.") + name;
      if (r.get_string(v, key, g.alert_webhook_url) && !g.alert_webhook_url.starts_with("http://")) {
        r.problem(v, key, "expected an http:// URL (the webhook is plain HTTP, best effort)");
      }
    }
  }
  if (auto v = n["anomaly_detection"]) {
    r.get_bool(v, "governance.anomaly_detection", g.anomaly_detection);
  }
  if (auto v = n["prices"]) {
    parse_prices(r, v, "governance.prices", g.prices);
  }
  if (auto v = n["audit"]) {
    parse_audit(r, v, "governance.audit", g.audit);
  }
  if (auto v = n["admin"]) {
    parse_admin(r, v, "governance.admin", g.admin);
  }
}

}  // namespace sluice::gateway
