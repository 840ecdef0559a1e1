// `sluice gateway run --listen ADDR:PORT --policy-config FILE [--threads N] [--upstream URL]
// [--admin-listen ADDR:PORT]`.
#include <charconv>
#include <iostream>

#include "cli_registry.h"
#include "sluice/gateway/server.h"

namespace sluice::cli {
namespace {

struct gateway_options {
  std::string listen = "127.0.0.1:41002";
  std::string config;
  unsigned threads = 0;
  std::string upstream;
  std::string admin_listen;
};

// "host:port", "[v6]:port" or ":port".
bool split_listen(const std::string& s, std::string& host, std::uint16_t& port) {
  const auto colon = s.rfind(':');
  if (colon == std::string::npos) {
    return false;
  }
  host = s.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) {
    host = "0.0.0.0";
  }
  unsigned p = 0;
  const std::string digits = s.substr(colon + 1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), p);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || p > 65535) {
    return false;
  }
  port = static_cast<std::uint16_t>(p);
  return true;
}

const register_command registration([](CLI::App& app) {
  auto opts = std::make_shared<gateway_options>();
  CLI::App* gateway = app.add_subcommand("gateway", "Run the policy gateway");
  gateway->require_subcommand(1);
  CLI::App* run = gateway->add_subcommand("run", "Serve the Anthropic and OpenAI-compatible APIs with policies applied");
  run->add_option("--listen", opts->listen, "Address and port to listen on")->capture_default_str();
  run->add_option("--policy-config", opts->config, "The policy configuration (YAML)")->required();
  run->add_option("--threads", opts->threads, "Shards (threads); 0: one per core")->capture_default_str();
  run->add_option("--upstream", opts->upstream,
                  "Send every target to this base URL instead (e.g. http://127.0.0.1:41010 for the simulator)");
  run->add_option("--admin-listen", opts->admin_listen,
                  "Admin API address and port (default: governance.admin.listen, 127.0.0.1:41003)");
  run->callback([opts] {
    gateway::server_settings settings;
    if (!split_listen(opts->listen, settings.host, settings.port)) {
      std::cerr << "sluice gateway: --listen must be ADDRESS:PORT, got '" << opts->listen << "'\n";
      exit_code() = 2;
      return;
    }
    settings.threads = opts->threads;
    settings.config_path = opts->config;
    settings.upstream_override = opts->upstream;
    settings.admin_listen = opts->admin_listen;
    exit_code() = gateway::run_gateway(settings);
  });
});

}  // namespace
}  // namespace sluice::cli
