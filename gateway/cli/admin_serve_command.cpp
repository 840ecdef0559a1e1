// `sluice admin serve`: the governance admin API on its own, without the gateway — to create the
// first keys before the gateway starts, or to inspect usage and the audit log while it is stopped.
// Do not run it on the same store while the gateway runs: each process keeps its own key table.
#include <yaml-cpp/yaml.h>

#include <csignal>
#include <iostream>
#include <memory>

#include "cli_registry.h"
#include "sluice/gateway/governance_runtime.h"

namespace sluice::cli {
namespace {

struct serve_state {
  std::string config;
  std::string listen;
  std::string token_file;
};

int run_serve(const serve_state& s) {
  try {
    YAML::Node root = s.config.empty() ? YAML::Node() : YAML::LoadFile(s.config);
    auto config = gateway::parse_governance_config(root ? root["governance"] : YAML::Node());
    // The audit log as the gateway writes it: the audit-logger policy's directory (or path).
    if (!config.audit_enabled && root) {
      for (const YAML::Node& policies : {root["policies"]["policy"], root["policy"]}) {
        const YAML::Node audit = policies ? policies["audit-logger"] : YAML::Node();
        if (audit && audit.IsMap()) {
          const YAML::Node dir = audit["directory"] ? audit["directory"] : audit["path"];
          if (dir && dir.IsScalar()) {
            config.audit_enabled = true;
            config.audit.directory = dir.as<std::string>();
            config.audit.immutable = !audit["immutable"] || audit["immutable"].as<bool>();  // the policy default: true
            config.audit.retention_days = audit["retention_days"] ? audit["retention_days"].as<std::int64_t>() : 0;
            break;
          }
        }
      }
    }
    if (!s.listen.empty()) {
      config.admin_listen = s.listen;
    }
    if (!s.token_file.empty()) {
      config.admin_token_file = s.token_file;
    }
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before any thread starts: only sigwait sees them
    gateway::governance_runtime runtime(config);
    if (runtime.admin() == nullptr) {
      std::cerr << "sluice: admin API not started: " << runtime.admin_disabled_reason() << '\n';
      return 1;
    }
    std::cout << "admin API listening on port " << runtime.admin()->port() << " (Ctrl-C stops)" << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    return 0;
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
