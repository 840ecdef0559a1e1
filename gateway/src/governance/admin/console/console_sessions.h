#pragma once
// Console logins: a random session id per successful POST /console/login, sent to the browser only
// in an HttpOnly cookie and kept here only as its SHA-256, so neither the page's script nor a copy of
// this table can replay it. Sessions expire after a fixed lifetime; the table is bounded (the oldest
// session goes first). Thread-safe (the admin thread is the only caller today; tests call it directly).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace sluice::gateway {

class console_sessions {
 public:
  static constexpr std::int64_t lifetime_ms = 8LL * 3600 * 1000;  // one working day
  static constexpr std::size_t max_sessions = 64;

  // A new session valid until now + lifetime_ms: returns the id (64 hex digits) for the cookie.
  // Throws std::runtime_error when the system's random source fails.
  [[nodiscard]] std::string open(std::int64_t now_ms);
  // True when `id` names a session that has not expired.
  [[nodiscard]] bool valid(std::string_view id, std::int64_t now_ms);
  void close(std::string_view id);

 private:
  std::mutex mutex_;
  std::map<std::string, std::int64_t> expiry_by_digest_;  // hex SHA-256 of the id -> expiry (ms)
};

// The value of cookie `name` in a Cookie header ("a=1; sluice_console=…"), or empty.
[[nodiscard]] std::string_view cookie_value(std::string_view header, std::string_view name) noexcept;

}  // namespace sluice::gateway
