// The `sluice` command. Each subcommand lives in gateway/cli/<name>_command.cpp and registers itself
// through cli_registry.h, so that adding one touches no other file.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli_registry.h"
#include "sluice/gateway/version.h"

int main(int argc, char** argv) {
  CLI::App app{"Sluice: a governing gateway in front of the Claude API"};
  app.set_version_flag("--version", std::string(sluice::gateway::version()));
  app.require_subcommand(1);
  for (const auto& entry : sluice::cli::registry()) {
    entry.attach(app);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return sluice::cli::exit_code();
}
