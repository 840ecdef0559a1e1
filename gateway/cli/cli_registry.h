#pragma once
// Subcommands register themselves at static-initialization time; main() attaches them all to CLI11.
#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace sluice::cli {

struct command_entry {
  std::function<void(CLI::App&)> attach;  // adds the subcommand and its callback to the app
};

std::vector<command_entry>& registry();
// The exit status a subcommand's callback set (0 when none did).
int& exit_code();

struct register_command {
  explicit register_command(std::function<void(CLI::App&)> attach) {
    registry().push_back({std::move(attach)});
  }
};

}  // namespace sluice::cli
