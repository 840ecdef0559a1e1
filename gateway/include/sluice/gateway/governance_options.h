#pragma once
// Options for keys, limits, budgets and usage (the `governance:` section of the gateway config).
// Built once at load time; see docs/keys-and-audit.md for the YAML form.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sluice::gateway {

class audit_log;     // sluice/gateway/audit_log.h
class clock_source;  // base/clock_source.h, private: the seam tests set a clock through

// Price of one model family in USD per million tokens. The first entry whose glob matches wins.
struct token_price {
  std::string model_glob;            // "claude-sonnet-4*", "*"
  double input_usd_per_mtok = 0.0;
  double output_usd_per_mtok = 0.0;
  bool operator==(const token_price&) const = default;
};

// rediss:// (TLS to the Redis store): whom to trust and how to prove who we are
// (governance.store.tls). Read by governance/store/redis_tls_tunnel.cpp.
struct store_tls_options {
  std::string ca_file;      // PEM bundle of the CAs to trust; empty: the system's CA store
  std::string cert_file;    // client certificate (PEM), for a Redis with tls-auth-clients yes
  std::string key_file;     // its private key (PEM); required with cert_file
  std::string server_name;  // the name the certificate must carry (and SNI); empty: the URL's host
  bool verify = true;       // false: any certificate is accepted (testing only: no protection)
  bool operator==(const store_tls_options&) const = default;
};

struct governance_options {
  // false: with no keys in the store every request is admitted (open mode, for local use).
  // true: a valid sk-sluice- key is required on every request.
  bool require_keys = false;
  // SQLite file for keys, usage and alert state (WAL mode), or redis://host:port/db for a store
  // several replicas share. Empty: in-memory, nothing persisted.
  std::string store_path;
  std::string store_password;                // Redis AUTH; empty: none
  std::string store_key_prefix = "sluice:";  // Redis: the prefix of every key the store writes
  store_tls_options store_tls;               // rediss:// only
  // Redis unreachable: false refuses requests of keys with rate limits or hard budgets (503, /readyz
  // not ready); true admits them against this process's own counters (on_store_failure: local).
  bool store_failure_local = false;
  // How long the old secret keeps working after a rotation.
  std::int64_t rotation_grace_seconds = 15 * 60;
  // Usage records are written to the store in batches at this interval, off the request path. A crash
  // loses at most the records of one interval.
  std::int64_t usage_flush_interval_ms = 1000;
  std::vector<token_price> prices;            // empty: the built-in Claude list prices
  std::shared_ptr<const clock_source> clock;  // null: system clock
  // Optional: refusals, budget alerts and anomalies are recorded here (records never hold secrets).
  std::shared_ptr<audit_log> audit;
  // Anomaly alerts (see docs/keys-and-audit.md): POSTed as JSON to this loopback/http URL if set.
  std::string alert_webhook_url;
  bool anomaly_detection = true;
};

}  // namespace sluice::gateway
