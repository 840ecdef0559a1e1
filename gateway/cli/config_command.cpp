// `sluice config validate FILE`: checks a policy configuration the way the gateway will read it, against
// the rule catalog's entity and category names, and prints every problem as file:line:column: key: message.
#include <iostream>

#include "cli_registry.h"
#include "sluice/engine/rule_catalog.h"
#include "sluice/engine/ruleset.h"
#include "sluice/gateway/config.h"

namespace sluice::cli {
namespace {

int validate(const std::string& file, const std::string& rules_dir) {
  gateway::config_vocabulary vocabulary;
  try {
    const auto dir = rules_dir.empty() ? engine::ruleset::default_rules_dir() : std::filesystem::path(rules_dir);
    for (const auto& r : engine::load_rule_catalog(dir)) {
      if (r.kind == engine::rule_kind::pii || r.kind == engine::rule_kind::secret) {
        vocabulary.entities.insert(r.entity);
      } else if (r.kind == engine::rule_kind::content) {
        vocabulary.categories.insert(r.entity);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "warning: rule catalog not readable, entity names not checked: " << e.what() << "\n";
  }
  try {
    const auto cfg = gateway::load_config(file, vocabulary);
    std::cout << file << ": OK (" << cfg->targets.size() << " target(s), " << cfg->chain.size()
              << " polic" << (cfg->chain.size() == 1 ? "y" : "ies") << ")\n";
    return 0;
  } catch (const gateway::config_error& e) {
    for (const auto& p : e.problems()) {
      std::cout << p.to_string() << "\n";
    }
    return 1;
  }
}

const register_command registration([](CLI::App& app) {
  auto file = std::make_shared<std::string>();
  auto rules = std::make_shared<std::string>();
  CLI::App* config = app.add_subcommand("config", "Work with policy configuration files");
  config->require_subcommand(1);
  CLI::App* validate_cmd = config->add_subcommand("validate", "Check a policy configuration file");
  validate_cmd->add_option("file", *file, "The YAML file")->required();
  validate_cmd->add_option("--rules", *rules, "Rule catalog to check entity and category names against");
  validate_cmd->callback([file, rules] { exit_code() = validate(*file, *rules); });
});

}  // namespace
}  // namespace sluice::cli
