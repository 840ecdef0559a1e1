#pragma once
// TLS to Redis (rediss://) for clients that speak plain sockets only. Debian 12's hiredis (0.14) has no
// TLS, so instead of a second Redis client the store keeps hiredis (and the fleet link its Asio socket)
// and talks to one end of a local socketpair; a thread of the tunnel's own pumps bytes between the
// other end and an OpenSSL connection to Redis. The caller's end behaves like the TCP socket it
// replaces: it reads EOF when Redis or the handshake failed, and closing it ends the tunnel. Writes to
// it never raise SIGPIPE while the tunnel object lives (its end stays open until the destructor).
//
// One tunnel per Redis connection (a handful per process: the store's, the watcher's, one per shard),
// so one thread each is cheap and keeps the pump a plain blocking poll() loop.
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "sluice/gateway/governance_options.h"

struct ssl_ctx_st;

namespace sluice::gateway {

// A setting of governance.store.tls that cannot be used (unreadable file, key not matching the
// certificate). `setting` is its name under governance.store.tls (ca_file, cert_file, key_file).
class redis_tls_setting_error : public std::runtime_error {
 public:
  redis_tls_setting_error(std::string setting, const std::string& message)
      : std::runtime_error(message), setting_(std::move(setting)) {}
  [[nodiscard]] const std::string& setting() const noexcept { return setting_; }

 private:
  std::string setting_;
};

using redis_tls_context = std::shared_ptr<ssl_ctx_st>;

// The client context for `options`: trusted CAs (the file, else the system store), the client
// certificate and key when given. Throws redis_tls_setting_error. Shared by every tunnel of a target.
[[nodiscard]] redis_tls_context make_redis_tls_context(const store_tls_options& options);

struct redis_tls_endpoint {
  std::string host;         // where to connect: a name or an address
  std::uint16_t port = 0;
  std::string server_name;  // checked against the certificate (and sent as SNI unless an address)
  bool verify = true;
  std::int64_t timeout_ms = 2000;  // TCP connect plus TLS handshake
};

class redis_tls_tunnel {
 public:
  // Resolves `to.host` (on the calling thread: pass an address to keep it from blocking), makes the
  // socketpair and starts the thread, which connects and shakes hands. Throws std::runtime_error when
  // the name does not resolve or no socketpair can be made.
  redis_tls_tunnel(redis_tls_context context, const redis_tls_endpoint& to);
  // Stops the thread (it closes its sockets) and waits for it: the pump never outlives its owner.
  ~redis_tls_tunnel();
  redis_tls_tunnel(const redis_tls_tunnel&) = delete;
  redis_tls_tunnel& operator=(const redis_tls_tunnel&) = delete;

  // The caller's end (a connected AF_UNIX stream socket, blocking); the caller closes it from now on.
  // -1 after the first call.
  [[nodiscard]] int take_fd() noexcept;
  // Waits until the TLS connection is up (empty) or has failed (why: connect error, OpenSSL's
  // handshake error, the certificate verification result).
  [[nodiscard]] std::string wait_established();
  // Why the tunnel ended; empty while it is up or still connecting.
  [[nodiscard]] std::string error() const;

 private:
  enum class phase : std::uint8_t { connecting, up, ended };
  struct address;

  void run(std::vector<address> addresses) noexcept;
  void finish(phase p, std::string why);

  const redis_tls_context context_;
  const redis_tls_endpoint to_;
  int caller_fd_ = -1;  // the end handed out
  int pump_fd_ = -1;    // the thread's end
  int stop_fd_ = -1;    // eventfd: the destructor's stop signal
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  phase phase_ = phase::connecting;
  std::string error_;
  std::thread thread_;  // last: started once everything it reads exists
};

}  // namespace sluice::gateway
