#pragma once
// The admin API: a separate HTTP listener (default 127.0.0.1:41003) for managing keys and reading
// usage and the audit log, guarded by an admin token. JSON in and out; every error names what is
// wrong. Routes (all need `Authorization: Bearer <admin token>`):
//   GET    /admin/keys                    list keys (never secrets)
//   POST   /admin/keys                    create; answers 201 with the secret, shown this once
//   GET    /admin/keys/{id}               one key with this month's budget use
//   PATCH  /admin/keys/{id}               change settings and limits (fields as in create)
//   POST   /admin/keys/{id}/rotate        new secret; {"grace_seconds": N} optional
//   POST   /admin/keys/{id}/revoke        immediate
//   GET    /admin/usage?group_by=key|team|project|model&from=…&to=…
//   GET    /admin/audit?from=…&to=…&type=…&key_id=…&limit=…
//   GET    /admin/audit/head              hash of the last audit record (keep it to detect truncation)
//   GET    /admin/audit/verify            the chain check of `sluice audit verify` over the log directory
//   GET    /admin/usage/daily?group_by=…&from=…&to=…   the same totals per UTC day
//   GET    /admin/metrics                 the process's governance metrics as one JSON snapshot
// `type=alert.*` (a trailing star) on /admin/audit matches every type with that prefix.
//
// The operator's console (docs/console.md) lives on the same listener: GET / and GET /console/<asset>
// serve the page (no secrets in it, so no token needed); POST /console/login with {"token": …} and
// the header `X-Sluice-Console: 1` answers with an HttpOnly, SameSite=Strict session cookie that the
// routes above accept in place of the bearer token, but only on requests that carry that header too
// (a cross-site form or image cannot set it: the CSRF guard). POST /console/logout ends the session.
// Every answer carries a strict Content-Security-Policy.
// Failed logins (wrong or missing token) and malformed requests are recorded in the audit log.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::gateway {

class governance_service;  // private to the library
class audit_log;

struct admin_options {
  std::string listen = "127.0.0.1:41003";  // host:port; port 0 picks a free one (tests)
  std::string token;                       // required, at least 16 characters
};

// The admin token from the environment variable `env_name` if set and non-empty, else from `file`
// (trailing whitespace trimmed). Throws std::runtime_error saying where it looked.
[[nodiscard]] std::string load_admin_token(const std::string& env_name, const std::string& file);

// One admin API exchange, without the network (the server and tests call it).
struct admin_reply {
  unsigned status = 200;
  std::string body;  // JSON, or a console asset
  std::string content_type = "application/json";
  std::string set_cookie;  // a Set-Cookie value, or empty
};
struct admin_call {
  std::string method;         // "GET", "POST", …
  std::string target;         // path and query
  std::string authorization;  // the Authorization header
  std::string body;
  std::string client_ip;      // for the audit record (masked there)
  std::string cookie;         // the Cookie header (console sessions)
  std::string console_header; // the X-Sluice-Console header (CSRF guard for cookie sessions)
};

class console_sessions;  // governance/admin/console/console_sessions.h: private to the library

class admin_api {
 public:
  // `audit` may be null (then nothing is recorded). Throws std::invalid_argument for a short token.
  admin_api(governance_service& service, std::shared_ptr<audit_log> audit, std::string token);
  [[nodiscard]] admin_reply handle(const admin_call& call);

 private:
  governance_service& service_;
  std::shared_ptr<audit_log> audit_;
  std::string token_digest_;  // SHA-256 of the token; compared in constant time
  std::shared_ptr<console_sessions> sessions_;  // console logins (cookie sessions)
};

class admin_server {
 public:
  // Binds and starts serving on its own thread. Throws std::runtime_error when it cannot bind.
  admin_server(governance_service& service, std::shared_ptr<audit_log> audit, const admin_options& options);
  ~admin_server();  // stops accepting, closes connections, joins
  admin_server(const admin_server&) = delete;
  admin_server& operator=(const admin_server&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept;

  // Graceful stop (SIGTERM): stop_accepting() closes the listener and idle keep-alive connections at
  // once, and makes every connection close after the response it is working on; drain() then waits
  // until those have finished or `deadline` passes. The destructor does both without waiting.
  void stop_accepting();
  void drain(std::chrono::steady_clock::time_point deadline);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sluice::gateway
