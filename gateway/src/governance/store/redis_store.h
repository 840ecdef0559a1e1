#pragma once
// The shared governance store on Redis: several gateway replicas keep one set of keys and one usage
// record in it (`governance.store: redis://host:port/db`). Parsing the URL and checking the server are
// here too, so the configuration loader reports a bad URL or a refused password at load time.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "governance/store/key_store.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

struct redis_target {
  std::string host;
  std::uint16_t port = 6379;
  std::uint32_t db = 0;
  std::string password;            // empty: no AUTH
  std::string key_prefix = "sluice:";  // every Redis key the store writes starts with it
  std::int64_t timeout_ms = 2000;  // connect and per-command timeout (admin, usage writer, start-up)
  // Request path (fleet_link.h): an admission with no answer by then counts as Redis unavailable.
  std::int64_t request_timeout_ms = 500;
  std::int64_t resync_ms = 30000;  // key watchers reload the keys this often even without a message
  bool tls = false;                // rediss://: every connection goes through redis_tls_tunnel.h
  store_tls_options tls_options;   // its trust settings (governance.store.tls)
};

// True when `text` names a Redis store (redis:// or rediss://) rather than a SQLite path.
[[nodiscard]] bool is_redis_url(std::string_view text) noexcept;

// Parses redis://host[:port][/db] or rediss://… (TLS) into `out` (host, port, db, tls). False with `why`
// set when the URL is malformed or carries a password (it belongs in password_env/password_file).
[[nodiscard]] bool parse_redis_url(std::string_view url, redis_target& out, std::string& why);

// Connects (with TLS: handshake and certificate check), authenticates and selects the database once,
// then disconnects. Empty on success, else why it failed; `auth_refused` is set when the server
// answered but rejected the password (or wants one). A TLS setting that cannot be used throws
// redis_tls_setting_error (redis_tls_tunnel.h) so the caller can name it.
[[nodiscard]] std::string check_redis(const redis_target& target, bool& auth_refused);

// Connects now (throws std::runtime_error naming host:port and the cause when it cannot) and returns
// the store. The connection is re-established on the next call after an I/O error.
[[nodiscard]] std::unique_ptr<governance_store> open_redis_store(const redis_target& target);

}  // namespace sluice::gateway
