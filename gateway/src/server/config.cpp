// Reads the policy-config YAML strictly: unknown keys, wrong types, unknown policy names and missing
// secrets are all errors, collected (not just the first) and each tied to its file position.
#include "sluice/gateway/config.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/config_reader.h"
#include "governance/governance_config.h"
#include "policies/policy_registry.h"

namespace sluice::gateway {

std::string config_problem::to_string() const {
  std::string s = file;
  if (line > 0) {
    s += ":" + std::to_string(line) + ":" + std::to_string(column);
  }
  s += ": ";
  if (!key.empty()) {
    s += key + ": ";
  }
  s += message;
  return s;
}

namespace {

std::string join_problems(const std::vector<config_problem>& problems) {
  std::string s;
  for (const auto& p : problems) {
    if (!s.empty()) {
      s += '\n';
    }
    s += p.to_string();
  }
  return s;
}

}  // namespace

config_error::config_error(std::vector<config_problem> problems)
    : std::runtime_error(join_problems(problems)), problems_(std::move(problems)) {}

const policy_config* gateway_config::find(std::string_view name) const noexcept {
  for (const auto& p : chain) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

bool set_base_url(target_config& t, const std::string& url, std::string& why) {
  std::string_view rest = url;
  if (rest.starts_with("https://")) {
    t.tls = true;
    t.port = 443;
    rest.remove_prefix(8);
  } else if (rest.starts_with("http://")) {
    t.tls = false;
    t.port = 80;
    rest.remove_prefix(7);
  } else {
    why = "expected a URL starting with https:// or http://";
    return false;
  }
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  std::string_view host = authority;
  if (authority.starts_with('[')) {  // IPv6 literal
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      why = "unterminated IPv6 address";
      return false;
    }
    host = authority.substr(1, close - 1);
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') {
      why = "unexpected text after the IPv6 address";
      return false;
    }
  } else {
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    authority = colon == std::string_view::npos ? std::string_view{} : authority.substr(colon);
  }
  if (!authority.empty()) {
    authority.remove_prefix(1);
    unsigned port = 0;
    auto [ptr, ec] = std::from_chars(authority.data(), authority.data() + authority.size(), port);
    if (ec != std::errc() || ptr != authority.data() + authority.size() || port == 0 || port > 65535) {
      why = "invalid port";
      return false;
    }
    t.port = static_cast<std::uint16_t>(port);
  }
  if (host.empty()) {
    why = "missing host";
    return false;
  }
  t.host = std::string(host);
  t.base_path = std::string(path);
  t.base_url = url;
  return true;
}

namespace {

class config_parser {
 public:
  config_parser(const std::string& source, const config_vocabulary& vocab, config_scope scope)
      : r_(source, vocab), scope_(scope) {
    cfg_->source = source;
  }

  std::shared_ptr<gateway_config> parse(const YAML::Node& root) {
    if (!root.IsMap()) {
      r_.problem(root, "", "expected a mapping at the top level");
      return cfg_;
    }
    r_.expect_map(root, "", {"pack", "providers", "policies", "policy", "server", "governance"});
    if (const YAML::Node n = root["governance"]) {
      parse_governance_config(r_, n, cfg_->governance);
      if (cfg_->governance.audit.present) {
        gov_audit_node_.reset(n["audit"]);
      }
    }
    if (auto n = root["pack"]) {
      parse_pack(n);
    }
    if (scope_ == config_scope::gateway) {
      if (auto n = root["providers"]) {
        parse_providers(n);
      } else {
        r_.problem(root, "providers", "missing: at least one upstream target is required");
      }
      if (auto n = root["server"]) {
        parse_server(n);
      }
    }
    YAML::Node chain;
    YAML::Node options_inside;
    if (auto p = root["policies"]) {
      if (r_.expect_map(p, "policies", {"chain", "policy"})) {
        chain = p["chain"];
        options_inside = p["policy"];
      }
    }
    parse_chain(chain);
    if (options_inside && !options_inside.IsNull()) {
      parse_policy_options(options_inside, "policies.policy");
    }
    if (auto top = root["policy"]) {
      parse_policy_options(top, "policy");
    }
    configure_gateway();
    check_audit_agreement();
    return cfg_;
  }

  std::vector<config_problem>& problems() { return r_.problems(); }

 private:
  void parse_pack(const YAML::Node& n) {
    if (!r_.expect_map(n, "pack", {"name", "version", "enabled"})) {
      return;
    }
    if (auto v = n["name"]) {
      r_.get_string(v, "pack.name", cfg_->pack.name);
    }
    if (auto v = n["version"]) {
      r_.get_string(v, "pack.version", cfg_->pack.version);
    }
    if (auto v = n["enabled"]) {
      r_.get_bool(v, "pack.enabled", cfg_->pack.enabled);
    }
  }

  void parse_providers(const YAML::Node& n) {
    if (!r_.expect_map(n, "providers", {"targets"})) {
      return;
    }
    const YAML::Node targets = n["targets"];
    if (!targets || !targets.IsSequence() || targets.size() == 0) {
      r_.problem(targets ? targets : n, "providers.targets", "expected a non-empty list of targets");
      return;
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
      parse_target(targets[i], "providers.targets[" + std::to_string(i) + "]");
    }
  }

  void parse_target(const YAML::Node& n, const std::string& key) {
    if (!r_.expect_map(n, key, {"id", "provider", "model", "force_model", "base_url", "secret_key_ref",
                                "default_max_tokens", "anthropic_version", "timeouts", "retry"})) {
      return;
    }
    target_config t;
    if (auto v = n["id"]) {
      r_.get_string(v, key + ".id", t.id);
    }
    if (t.id.empty()) {
      t.id = "target-" + std::to_string(cfg_->targets.size() + 1);
    }
    if (auto v = n["provider"]) {
      std::string provider;
      if (r_.get_string(v, key + ".provider", provider)) {
        // "anthropic:chat:<model>" or "anthropic"
        const auto c1 = provider.find(':');
        t.provider = provider.substr(0, c1);
        if (c1 != std::string::npos) {
          const auto c2 = provider.find(':', c1 + 1);
          if (c2 != std::string::npos) {
            t.model = provider.substr(c2 + 1);
          }
        }
        if (t.provider != "anthropic") {
          r_.problem(v, key + ".provider", "unsupported provider '" + t.provider + "' (supported: anthropic)");
        }
      }
    } else {
      t.provider = "anthropic";
    }
    if (auto v = n["model"]) {
      r_.get_string(v, key + ".model", t.model);
    }
    if (auto v = n["force_model"]) {
      r_.get_bool(v, key + ".force_model", t.force_model);
    }
    std::string url = "https://api.anthropic.com";
    YAML::Node url_node = n;
    if (auto v = n["base_url"]) {
      url_node.reset(v);
      r_.get_string(v, key + ".base_url", url);
    }
    std::string why;
    if (!set_base_url(t, url, why)) {
      r_.problem(url_node, key + ".base_url", why);
    }
    if (auto v = n["secret_key_ref"]) {
      parse_secret(v, key + ".secret_key_ref", t.secret);
    } else {
      r_.problem(n, key + ".secret_key_ref", "missing: name an env variable or a file holding the upstream key");
    }
    if (auto v = n["default_max_tokens"]) {
      r_.get_int(v, key + ".default_max_tokens", t.default_max_tokens, 1, 10'000'000);
    }
    if (auto v = n["anthropic_version"]) {
      r_.get_string(v, key + ".anthropic_version", t.anthropic_version);
    }
    if (auto v = n["timeouts"]) {
      const std::string k = key + ".timeouts";
      if (r_.expect_map(v, k, {"connect_ms", "header_ms", "idle_ms", "total_ms"})) {
        if (auto x = v["connect_ms"]) {
          r_.get_ms(x, k + ".connect_ms", t.timeouts.connect);
        }
        if (auto x = v["header_ms"]) {
          r_.get_ms(x, k + ".header_ms", t.timeouts.header);
        }
        if (auto x = v["idle_ms"]) {
          r_.get_ms(x, k + ".idle_ms", t.timeouts.idle);
        }
        if (auto x = v["total_ms"]) {
          r_.get_ms(x, k + ".total_ms", t.timeouts.total);
        }
      }
    }
    if (auto v = n["retry"]) {
      const std::string k = key + ".retry";
      if (r_.expect_map(v, k, {"max_attempts", "backoff_ms", "max_backoff_ms"})) {
        if (auto x = v["max_attempts"]) {
          r_.get_int(x, k + ".max_attempts", t.retry.max_attempts, 1, 20);
        }
        if (auto x = v["backoff_ms"]) {
          r_.get_ms(x, k + ".backoff_ms", t.retry.backoff);
        }
        if (auto x = v["max_backoff_ms"]) {
          r_.get_ms(x, k + ".max_backoff_ms", t.retry.max_backoff);
        }
      }
    }
    cfg_->targets.push_back(std::move(t));
  }

  void parse_secret(const YAML::Node& n, const std::string& key, secret_ref& out) {
    if (!r_.expect_map(n, key, {"env", "file"})) {
      return;
    }
    const YAML::Node env = n["env"];
    const YAML::Node file = n["file"];
    if (env && file) {
      r_.problem(n, key, "give either env or file, not both");
      return;
    }
    if (env) {
      if (r_.get_string(env, key + ".env", out.env)) {
        const char* value = std::getenv(out.env.c_str());
        if (value == nullptr || *value == '\0') {
          r_.problem(env, key + ".env", "environment variable " + out.env + " is not set");
        }
      }
    } else if (file) {
      std::string path;
      if (r_.get_string(file, key + ".file", path)) {
        out.file = path;
        try {
          (void)read_secret(out);
        } catch (const std::exception& e) {
          r_.problem(file, key + ".file", e.what());
        }
      }
    } else {
      r_.problem(n, key, "expected env or file");
    }
  }

  // One audit chain per gateway: governance.audit and the audit-logger policy must describe the same
  // log. Without the policy, governance.audit must name the directory itself.
  void check_audit_agreement() {
    const governance_audit_config& g = cfg_->governance.audit;
    if (!g.present) {
      return;
    }
    const YAML::Node& n = gov_audit_node_;
    if (!cfg_->audit_log) {
      if (g.directory.empty()) {
        r_.problem(n, "governance.audit.directory", "missing: the directory for the audit-YYYYMMDD.jsonl files");
      }
      return;
    }
    const audit_log_config& p = *cfg_->audit_log;
    auto differs = [&](const char* field, const std::string& mine, const std::string& theirs) {
      r_.problem(n[field], std::string("governance.audit.") + field,
                 "is " + mine + " but the audit-logger policy's is " + theirs +
                     ": the gateway writes one audit chain, give the setting in one place");
    };
    if (n["directory"] && g.directory != p.directory) {
      differs("directory", "'" + g.directory + "'", "'" + p.directory + "'");
    }
    if (n["immutable"] && g.immutable != p.immutable) {
      differs("immutable", g.immutable ? "true" : "false", p.immutable ? "true" : "false");
    }
    if (n["retention_days"] && g.retention_days != p.retention_days) {
      differs("retention_days", std::to_string(g.retention_days), std::to_string(p.retention_days));
    }
    if (n["flush_ms"] && g.flush_interval != p.flush_interval) {
      differs("flush_ms", std::to_string(g.flush_interval.count()), std::to_string(p.flush_interval.count()));
    }
  }

  void parse_server(const YAML::Node& n) {
    if (!r_.expect_map(n, "server", {"max_header_bytes", "max_body_bytes", "max_response_bytes",
                                     "request_timeout_ms", "keep_alive_timeout_ms", "drain_timeout_ms",
                                     "rules_dir"})) {
      return;
    }
    auto& s = cfg_->server;
    if (auto v = n["max_header_bytes"]) {
      r_.get_int(v, "server.max_header_bytes", s.max_header_bytes, 1024, 1 << 20);
    }
    if (auto v = n["max_body_bytes"]) {
      r_.get_int(v, "server.max_body_bytes", s.max_body_bytes, 1024, 1LL << 32);
    }
    if (auto v = n["max_response_bytes"]) {
      r_.get_int(v, "server.max_response_bytes", s.max_response_bytes, 1024, 1LL << 34);
    }
    if (auto v = n["request_timeout_ms"]) {
      r_.get_ms(v, "server.request_timeout_ms", s.request_timeout);
    }
    if (auto v = n["keep_alive_timeout_ms"]) {
      r_.get_ms(v, "server.keep_alive_timeout_ms", s.keep_alive_timeout);
    }
    if (auto v = n["drain_timeout_ms"]) {
      r_.get_ms(v, "server.drain_timeout_ms", s.drain_timeout);
    }
    if (auto v = n["rules_dir"]) {
      r_.get_string(v, "server.rules_dir", s.rules_dir);
    }
  }

  // The names in policies.chain, each checked against the policy registry; every policy starts with
  // its defaults (a policy given no options section keeps them).
  void parse_chain(const YAML::Node& chain) {
    if (!chain || chain.IsNull()) {
      return;  // no policies: a plain pass-through gateway
    }
    std::vector<std::pair<std::string, YAML::Node>> names;
    if (!r_.get_string_list(chain, "policies.chain", names)) {
      return;
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string key = "policies.chain[" + std::to_string(i) + "]";
      const policy_descriptor* policy = policy_registry::find(names[i].first);
      if (policy == nullptr) {
        r_.problem(names[i].second, key,
                   "unknown policy '" + names[i].first + "' (known: " + policy_registry::known_names() + ")");
        continue;
      }
      if (cfg_->find(names[i].first) != nullptr) {
        r_.problem(names[i].second, key, "policy '" + names[i].first + "' appears twice in the chain");
        continue;
      }
      policy_config p;
      p.name = names[i].first;
      p.options = policy->parse_options(YAML::Node(), key, r_, nullptr);
      cfg_->chain.push_back(std::move(p));
    }
  }

  // policies.policy (or the top-level `policy`): each policy's section, read by the policy itself
  // (policy_registry.h); `fail_open` is every policy's.
  void parse_policy_options(const YAML::Node& n, const std::string& key) {
    if (!n.IsMap()) {
      r_.problem(n, key, "expected a mapping from policy name to options");
      return;
    }
    for (const auto& kv : n) {
      const std::string name = kv.first.Scalar();
      const std::string k = key + "." + name;
      const policy_descriptor* policy = policy_registry::find(name);
      if (policy == nullptr) {
        r_.problem(kv.first, k, "unknown policy '" + name + "' (known: " + policy_registry::known_names() + ")");
        continue;
      }
      policy_config* p = nullptr;
      for (auto& c : cfg_->chain) {
        if (c.name == name) {
          p = &c;
        }
      }
      if (p == nullptr) {
        r_.problem(kv.first, k, "options given for policy '" + name + "', which is not in policies.chain");
        continue;
      }
      const YAML::Node& section = kv.second;
      p->options = policy->parse_options(section, k, r_, p->options.get());
      if (section.IsMap()) {
        if (auto v = section["fail_open"]) {
          r_.get_bool(v, k + ".fail_open", p->fail_open);
        }
      }
    }
  }

  // What the configured policies decide for the whole gateway (the audit-logger's log).
  void configure_gateway() {
    for (const auto& p : cfg_->chain) {
      const policy_descriptor* policy = policy_registry::find(p.name);
      if (policy != nullptr && policy->configure_gateway && p.options) {
        policy->configure_gateway(*p.options, *cfg_);
      }
    }
  }

  config_reader r_;
  config_scope scope_;
  std::shared_ptr<gateway_config> cfg_ = std::make_shared<gateway_config>();
  YAML::Node gov_audit_node_;  // governance.audit, for the agreement check after the policies
};
}  // namespace

std::shared_ptr<const gateway_config> parse_config(const std::string& yaml_text, const std::string& source_name,
                                                   const config_vocabulary& vocabulary, config_scope scope) {
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    config_problem p;
    p.file = source_name;
    p.line = e.mark.line >= 0 ? e.mark.line + 1 : 0;
    p.column = e.mark.column >= 0 ? e.mark.column + 1 : 0;
    p.message = "invalid YAML: " + e.msg;
    throw config_error({p});
  }
  config_parser parser(source_name, vocabulary, scope);
  auto cfg = parser.parse(root);
  if (!parser.problems().empty()) {
    throw config_error(std::move(parser.problems()));
  }
  return cfg;
}

std::shared_ptr<const gateway_config> load_config(const std::filesystem::path& file,
                                                  const config_vocabulary& vocabulary, config_scope scope) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    config_problem p;
    p.file = file.string();
    p.message = "cannot open the file";
    throw config_error({p});
  }
  std::ostringstream os;
  os << in.rdbuf();
  return parse_config(os.str(), file.string(), vocabulary, scope);
}

std::string read_secret(const secret_ref& ref) {
  std::string value;
  if (!ref.env.empty()) {
    const char* v = std::getenv(ref.env.c_str());
    if (v == nullptr) {
      throw std::runtime_error("environment variable " + ref.env + " is not set");
    }
    value = v;
  } else if (!ref.file.empty()) {
    std::ifstream in(ref.file, std::ios::binary);
    if (!in) {
      throw std::runtime_error("cannot read secret file " + ref.file.string());
    }
    std::ostringstream os;
    os << in.rdbuf();
    value = os.str();
  } else {
    throw std::runtime_error("no secret configured");
  }
  while (!value.empty() && (value.back() == '\n' || value.back() == '\r' || value.back() == ' ')) {
    value.pop_back();
  }
  if (value.empty()) {
    throw std::runtime_error(!ref.env.empty() ? "environment variable " + ref.env + " is empty"
                                              : "secret file " + ref.file.string() + " is empty");
  }
  return value;
}

}  // namespace sluice::gateway
