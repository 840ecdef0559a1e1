// `sluice admin serve`: the governance admin API on its own, without the gateway — to create the
// first keys before the gateway starts, or to inspect usage and the audit log while it is stopped.
// Do not run it on the same store while the gateway runs: each process keeps its own key table.
#include <csignal>
#include <iostream>
#include <memory>

#include "cli_registry.h"
#include "sluice/gateway/config.h"
#include "sluice/gateway/governance_stack.h"

namespace sluice::cli {
namespace {

struct serve_state {
  std::string config;
  std::string listen;
  std::string token_file;
};

int run_serve(const serve_state& s) {
  try {
    // The gateway's own reader, for the parts the admin API needs: the same checks and messages
    // (file:line:column: key) as `sluice config validate`, without needing the upstream keys.
    gateway::gateway_config config;
    if (!s.config.empty()) {
      config = *gateway::load_config(s.config, {}, gateway::config_scope::governance);
    }
    if (!s.listen.empty()) {
      config.governance.admin.listen = s.listen;
    }
    if (!s.token_file.empty()) {
      config.governance.admin.token_file = s.token_file;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: only sigwait sees them
    gateway::governance_stack governance(config);
    if (governance.admin() == nullptr) {
      std::cerr << "sluice: admin API not started: " << governance.admin_disabled_reason() << '\n';
      return 1;
    }
    std::cout << "admin API listening on port " << governance.admin()->port() << " (Ctrl-C stops)" << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    return 0;
  } catch (const gateway::config_error& e) {
    for (const auto& p : e.problems()) {
      std::cerr << "sluice: " << p.to_string() << '\n';
    }
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "sluice: " << e.what() << '\n';
    return 1;
  }
}

const register_command registration([](CLI::App& app) {
  auto s = std::make_shared<serve_state>();
  CLI::App* admin = app.add_subcommand("admin", "Governance admin API tools");
  admin->require_subcommand(1);
  CLI::App* serve = admin->add_subcommand(
      "serve", "Run the admin API alone (keys, usage, audit) on the configured store; not while the gateway runs");
  serve->add_option("--config", s->config, "Gateway config file (its governance: section is used)");
  serve->add_option("--listen", s->listen, "host:port (default: governance.admin.listen or 127.0.0.1:41003)");
  serve->add_option("--admin-token-file", s->token_file, "File holding the admin token (default: $SLUICE_ADMIN_TOKEN)");
  serve->callback([s] { exit_code() = run_serve(*s); });
});

}  // namespace
}  // namespace sluice::cli
