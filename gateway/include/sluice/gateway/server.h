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

  // Binds every shard's acceptor and starts the threads. Throws std::system_error when it cannot bind.
  std::uint16_t start();
  [[nodiscard]] std::uint16_t port() const noexcept;
  [[nodiscard]] unsigned shard_count() const noexcept;

  // Reads the configuration file and the rules again and installs them on every shard. Returns false
  // (and the old state stays) with `error` set when they do not load.
  bool reload(std::string& error);
  // Installs the given state on every shard.
  void install(std::shared_ptr<const gateway_config> config, std::shared_ptr<const engine::ruleset> rules);
  [[nodiscard]] std::uint64_t generation() const noexcept;

  // Stops accepting, lets requests in flight finish (up to server.drain_timeout_ms), then stops the
  // shards. Safe to call more than once and from a signal-handling thread.
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
