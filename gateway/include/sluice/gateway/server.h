#pragma once
// The gateway server: N shards, each a thread with its own io_context, SO_REUSEPORT acceptor, scanner,
// JSON parsers and upstream pool. Shards share only read-only state (configuration, compiled rules,
// policy factories) through shared_ptr<const …>; a reload builds new state off the request path and
// posts it to every shard, and requests in flight finish on the state they started with.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "sluice/engine/ruleset.h"
#include "sluice/gateway/config.h"

namespace sluice::gateway {

struct server_settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the OS picks (see gateway_server::port())
  unsigned threads = 0;    // 0: one per core
  std::filesystem::path config_path;  // re-read by reload()
  std::string upstream_override;      // when set, every target's base_url is replaced by this URL
  std::string admin_listen;           // when set, replaces governance.admin.listen (host:port)
};

class gateway_server {
 public:
  // Loads the configuration file and the rules it names. Throws config_error, or the engine's
  // catalog_error / compile_error.
  explicit gateway_server(server_settings settings);
  // Uses the given configuration and rules (tests, embedding).
  gateway_server(server_settings settings, std::shared_ptr<const gateway_config> config,
                 std::shared_ptr<const engine::ruleset> rules);
  ~gateway_server();
  gateway_server(const gateway_server&) = delete;
  gateway_server& operator=(const gateway_server&) = delete;

  // Binds every shard's acceptor and starts the threads. With a `governance:` section it also starts
  // the admin API listener (governance.admin) on its own thread, over the same governance service and
  // audit log as the shards, so key changes made there apply to the next request on every shard.
  // Throws std::system_error when it cannot bind a shard, std::runtime_error when the admin API cannot
  // listen or is required (governance.admin.enabled: true) but has no token.
  std::uint16_t start();
  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] unsigned shard_count() const noexcept;
  // The admin API's port, 0 when it is not running; admin_status() then says why (empty when it runs
  // or when there is no governance section).
  // The admin settings are read at start(): a reload does not start, stop or move the listener.
  [[nodiscard]] std::uint16_t admin_port() const noexcept;
  [[nodiscard]] const std::string& admin_status() const noexcept;

  // Reads the configuration file and the rules again and installs them on every shard. Returns false
  // (and the old state stays) with `error` set when they do not load.
  bool reload(std::string& error);
  // Installs the given state on every shard.
  void install(std::shared_ptr<const gateway_config> config, std::shared_ptr<const engine::ruleset> rules);
  [[nodiscard]] std::uint64_t generation() const noexcept;
  // What the last install or reload could not apply (a changed governance section, which takes effect
  // at a restart); empty when it applied everything. Read it from the thread that reloads.
  [[nodiscard]] const std::string& reload_notice() const noexcept;

  // Stops accepting (the admin API too), lets requests in flight finish (up to
  // server.drain_timeout_ms), then stops the shards and the admin API. Safe to call more than once
  // and from a signal-handling thread.
  void shutdown();
  // Blocks until every shard thread has stopped.
  void wait();

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

// Runs `sluice gateway run`: serves until SIGTERM/SIGINT (drain, then return 0); SIGHUP reloads.
// Prints the listening address on standard error. Returns the process exit status.
int run_gateway(server_settings settings);

}  // namespace sluice::gateway
