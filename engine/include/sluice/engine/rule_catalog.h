#pragma once
// Reads the rule catalog: every *.yaml file under a directory, in name order. Load time only: errors are
// exceptions that name the file, line and column.
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "sluice/engine/rule.h"

namespace sluice::engine {

class catalog_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Loads all rules under `dir` (recursively, *.yaml, sorted by path). Throws catalog_error.
[[nodiscard]] std::vector<rule> load_rule_catalog(const std::filesystem::path& dir);
// Loads the rules of one YAML document (`source_name` is used in error messages). Throws catalog_error.
[[nodiscard]] std::vector<rule> parse_rule_file(const std::string& yaml_text, const std::string& source_name);

}  // namespace sluice::engine
