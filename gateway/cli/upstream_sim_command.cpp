// `sluice upstream-sim`: a local Anthropic Messages API simulator (see sluice/gateway/upstream_sim.h).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <iostream>

#include "cli_registry.h"
#include "sluice/sim/upstream_sim.h"

namespace sluice::cli {
namespace {

struct sim_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 41010;
  unsigned threads = 1;
  unsigned latency_ms = 0;
  double tokens_per_second = 0;
  std::size_t chunk_chars = 8;
  unsigned error_status = 0;
  std::string api_key;
};

int run_sim(const sim_options& o) {
  gateway::simulator_options options;
  options.host = o.host;
  options.port = o.port;
  options.threads = o.threads;
  options.latency = std::chrono::milliseconds(o.latency_ms);
  options.tokens_per_second = o.tokens_per_second;
  options.chunk_chars = o.chunk_chars;
  options.error_status = o.error_status;
  options.api_key = o.api_key;
  gateway::upstream_simulator sim(options);
  std::uint16_t port = 0;
  try {
    port = sim.start();
  } catch (const std::exception& e) {
    std::cerr << "sluice upstream-sim: cannot listen on " << o.host << ":" << o.port << ": " << e.what() << "\n";
    return 2;
  }
  std::cerr << "sluice upstream-sim listening on http://" << o.host << ":" << port << std::endl;
  boost::asio::io_context ctx;
  boost::asio::signal_set signals(ctx, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  ctx.run();
  sim.stop();
  return 0;
}

const register_command registration([](CLI::App& app) {
  auto o = std::make_shared<sim_options>();
  CLI::App* cmd = app.add_subcommand("upstream-sim", "Run a local Anthropic Messages API simulator (SSE included)");
  cmd->add_option("--host", o->host, "Address to listen on")->capture_default_str();
  cmd->add_option("--port", o->port, "Port (0: any free port)")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Threads")->capture_default_str();
  cmd->add_option("--latency-ms", o->latency_ms, "Delay before each response head")->capture_default_str();
  cmd->add_option("--tokens-per-second", o->tokens_per_second, "Streaming pace (0: unpaced)")->capture_default_str();
  cmd->add_option("--chunk-chars", o->chunk_chars, "Bytes of text per streamed delta")->capture_default_str();
  cmd->add_option("--error", o->error_status, "Answer every request with this HTTP status (e.g. 529)");
  cmd->add_option("--api-key", o->api_key, "Require this x-api-key (401 otherwise)");
  cmd->callback([o] { exit_code() = run_sim(*o); });
});

}  // namespace
}  // namespace sluice::cli
