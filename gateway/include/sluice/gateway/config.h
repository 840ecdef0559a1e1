#pragma once
// The gateway's configuration, as read from the policy-config YAML file. Loading happens at start-up and
// on SIGHUP, never on the request path: errors are exceptions carrying every problem found, each naming
// the file, line, column and key. A loaded configuration is immutable and shared read-only
// (`std::shared_ptr<const gateway_config>`); a reload builds a new one.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

using milliseconds = std::chrono::milliseconds;

// One problem in a configuration file. `line` and `column` are 1-based; 0 when unknown.
struct config_problem {
  std::string file;
  int line = 0;
  int column = 0;
  std::string key;  // dotted path, e.g. "policies.policy.prompt-injection.threshold"
  std::string message;

  // "file:line:column: key: message"
  [[nodiscard]] std::string to_string() const;
};

class config_error : public std::runtime_error {
 public:
  explicit config_error(std::vector<config_problem> problems);
  [[nodiscard]] const std::vector<config_problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<config_problem> problems_;
};

// Where the upstream API key comes from: an environment variable, or a file re-read when it changes.
struct secret_ref {
  std::string env;
  std::filesystem::path file;
  bool operator==(const secret_ref&) const = default;
};

struct upstream_timeouts {
  milliseconds connect{5'000};   // TCP connect + TLS handshake
  milliseconds header{120'000};  // request written to response headers received
  milliseconds idle{60'000};     // longest silence between two reads of a response body
  milliseconds total{600'000};   // whole exchange
};

struct retry_options {
  int max_attempts = 3;              // per target, first try included
  milliseconds backoff{200};         // first delay; doubles each retry
  milliseconds max_backoff{5'000};   // cap on one delay, `retry-after` included
};

struct target_config {
  std::string id;
  std::string provider;  // "anthropic"
  std::string model;     // from `provider: anthropic:chat:<model>`; may be empty
  bool force_model = false;  // send `model` upstream whatever the client asked for
  std::string base_url;  // as written
  bool tls = true;       // https
  std::string host;
  std::uint16_t port = 443;
  std::string base_path;  // path prefix before /v1/messages, without trailing '/'
  secret_ref secret;
  std::uint32_t default_max_tokens = 0;  // 0: none (OpenAI requests without max_tokens get a 400)
  std::string anthropic_version = "2023-06-01";
  upstream_timeouts timeouts;
  retry_options retry;
};

// The options of one configured policy. Each policy defines its own (policies/<name>/ in the library),
// derived from this base; the loader asks the policy registry to parse them. A small base class rather
// than shared_ptr<const void>: the registry's downcast at load time can be checked (dynamic_cast), so a
// policy handed someone else's options fails loudly instead of reading the wrong bytes.
struct policy_options {
  virtual ~policy_options() = default;
};

struct policy_config {
  std::string name;        // as written in policies.chain, e.g. "pii-detector"
  bool fail_open = false;  // an internal error lets the request through instead of refusing it
  // The policy's own options (immutable, shared by copies of the configuration); never null once loaded.
  std::shared_ptr<const policy_options> options;
};

// The chained audit log the audit-logger policy writes: a fact about the whole gateway rather than one
// policy, since governance.audit describes the same log and the server flushes it on this interval.
struct audit_log_config {
  std::string directory = "sluice-audit";  // audit-YYYYMMDD.jsonl files, one hash chain (audit_log.h)
  bool immutable = true;         // open append-only, fsync each batch
  int retention_days = 0;        // delete day files older than this; 0: keep forever
  milliseconds flush_interval{200};
};

struct server_options {
  std::uint32_t max_header_bytes = 16 * 1024;
  std::uint64_t max_body_bytes = 8 * 1024 * 1024;
  std::uint64_t max_response_bytes = 32 * 1024 * 1024;  // non-streaming upstream bodies
  milliseconds request_timeout{30'000};    // a client must send a whole request within this
  milliseconds keep_alive_timeout{75'000};  // idle connection between requests
  milliseconds drain_timeout{15'000};      // SIGTERM: longest wait for requests in flight
  std::string rules_dir;                   // empty: the engine's default catalog
};

// governance.audit: the chained audit log that admin actions, refusals and alerts go to. A gateway
// writes one chain: when the audit-logger policy is configured too, both describe the same log, so
// any setting given in both places must agree (the loader checks).
struct governance_audit_config {
  bool present = false;               // the section is given
  std::string directory;              // empty: the audit-logger policy's directory
  bool immutable = true;
  int retention_days = 0;
  milliseconds flush_interval{200};
  // HMAC-SHA256 key for signed checkpoints (env variable or file, at least 16 characters). Neither
  // set: checkpoints are unsigned. Read at start-up, when the audit log is opened.
  secret_ref signing_key;
  // With a signing key: records are signed off by a checkpoint once this old (and at shutdown), not
  // only when the next day file starts. 0: day starts and shutdown only.
  std::int64_t checkpoint_interval_s = 300;
  bool operator==(const governance_audit_config&) const = default;
};

// governance.admin: the admin API listener started by `sluice gateway run` and `sluice admin serve`.
struct governance_admin_config {
  bool enabled = true;
  bool required = false;  // `enabled: true` written out: no token is a start-up error, not a warning
  std::string listen = "127.0.0.1:41003";  // host:port ([v6]:port); port 0 lets the OS pick
  std::string token_env = "SLUICE_ADMIN_TOKEN";
  std::string token_file;  // used when token_env is unset or empty
  bool operator==(const governance_admin_config&) const = default;
};

// Virtual keys, limits and budgets (issue: governance). Present: requests go through the governance
// service; absent: open mode, nothing checked. Read by governance/governance_config.cpp.
struct governance_config {
  bool enabled = false;  // the section is present
  bool require_keys = false;
  std::string store_path;  // SQLite file, or a redis:// URL (the shared store); empty: in memory
  secret_ref store_password;                 // Redis AUTH password (governance.store.password_env/_file)
  std::string store_key_prefix = "sluice:";  // Redis: every key the store writes starts with it
  store_tls_options store_tls;               // rediss://: governance.store.tls
  // What requests of keys with fleet-wide limits get while Redis is unreachable: "closed" (503) or
  // "local" (this replica's own limits). governance.on_store_failure.
  std::string on_store_failure = "closed";
  // Names this replica where replicas must not share a file: with a shared (Redis) store, the audit
  // chain is written to <audit directory>/<replica_id>/. Empty: the host name (governance.replica_id).
  std::string replica_id;
  std::int64_t rotation_grace_seconds = 15 * 60;
  std::int64_t usage_flush_interval_ms = 1000;
  std::string alert_webhook_url;
  bool anomaly_detection = true;
  // USD prices for budgets, first matching glob wins; a catch-all at Opus prices is appended. Empty:
  // the built-in Claude list prices.
  std::vector<token_price> prices;
  governance_audit_config audit;
  governance_admin_config admin;
  bool operator==(const governance_config&) const = default;
};

struct pack_info {
  std::string name;
  std::string version;
  bool enabled = true;
};

struct gateway_config {
  std::string source;  // file the configuration came from
  pack_info pack;
  std::vector<target_config> targets;  // tried in order
  std::vector<policy_config> chain;    // in the configured order
  // The audit-logger policy's log (that policy sets it when configured); nullopt without it.
  std::optional<audit_log_config> audit_log;
  server_options server;
  governance_config governance;

  // The configured policy named `name`, or nullptr.
  [[nodiscard]] const policy_config* find(std::string_view name) const noexcept;
};

// What the configuration is checked against: entity and category names of the rule catalog. Empty sets
// disable the check.
struct config_vocabulary {
  std::set<std::string, std::less<>> entities;
  std::set<std::string, std::less<>> categories;
};

// What a file is read for. `gateway`: all of it (`sluice gateway run`, `sluice config validate`).
// `governance`: what `sluice admin serve` needs from the same file: the governance section and the
// policies (the audit-logger policy names the audit log); `providers` and `server` are not read, so
// the upstream keys need not be set. Both check the governance section the same way.
enum class config_scope : std::uint8_t { gateway, governance };

// Parses YAML text. Throws config_error listing every problem (file named `source_name`).
[[nodiscard]] std::shared_ptr<const gateway_config> parse_config(const std::string& yaml_text,
                                                                 const std::string& source_name,
                                                                 const config_vocabulary& vocabulary = {},
                                                                 config_scope scope = config_scope::gateway);
// Reads and parses a file. Throws config_error.
[[nodiscard]] std::shared_ptr<const gateway_config> load_config(const std::filesystem::path& file,
                                                                const config_vocabulary& vocabulary = {},
                                                                config_scope scope = config_scope::gateway);

// Sets a target's base_url (scheme, host, port, path prefix). Returns false with `why` set when the URL
// is not an http:// or https:// URL.
[[nodiscard]] bool set_base_url(target_config& target, const std::string& url, std::string& why);

// Reads the upstream key a secret_ref names. Throws std::runtime_error when it is missing or empty.
[[nodiscard]] std::string read_secret(const secret_ref& ref);

}  // namespace sluice::gateway
