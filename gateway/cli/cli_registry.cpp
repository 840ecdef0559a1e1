#include "cli_registry.h"

namespace sluice::cli {

std::vector<command_entry>& registry() {
  static std::vector<command_entry> entries;
  return entries;
}

int& exit_code() {
  static int code = 0;
  return code;
}

}  // namespace sluice::cli
