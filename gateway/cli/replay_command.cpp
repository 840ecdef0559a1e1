// `sluice replay FILE.jsonl…`: measures the engine against labelled corpora (see docs/accuracy.md).
// Exit status: 0 when every line was usable and every floor holds; 1 when the rules cannot load or an
// input line was unusable; 3 when a recorded floor is not met.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "build_commit.h"
#include "cli_registry.h"
#include "sluice/replay/html_report.h"
#include "sluice/replay/runner.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"

namespace {

// The command line as typed (from /proc/self/cmdline), arguments with spaces quoted.
std::string command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), {});
  std::string out;
  std::size_t start = 0;
  while (start < raw.size()) {
    const auto end = raw.find('\0', start);
    std::string arg = raw.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (start == 0) {
      arg = std::filesystem::path(arg).filename().string();  // "sluice", not where it was built
    }
    out += out.empty() ? "" : " ";
    out += arg.find_first_of(" \t'\"") == std::string::npos ? arg : "'" + arg + "'";
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return out.empty() ? "sluice replay" : out;
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct replay_args {
  std::vector<std::string> files;
  bool json = false;
  std::size_t errors = 0;
  double threshold = -1;  // unset: the floors file's threshold, else 0.5
  std::string floors_file;
  std::string html_file;
  std::string rules_dir;
  std::string cache_dir;
  std::string model = "none";  // none | default | a model file
  std::size_t jobs = 0;
};

int run(const replay_args& args) {
  sluice::replay::floors floors;
  if (!args.floors_file.empty()) {
    std::ifstream in(args.floors_file, std::ios::binary);
    if (!in) {
      std::cerr << "sluice replay: cannot open floors file " << args.floors_file << "\n";
      return 1;
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string error;
    if (!sluice::replay::parse_floors(buffer.str(), floors, error)) {
      std::cerr << "sluice replay: " << args.floors_file << ": " << error << "\n";
      return 1;
    }
  }
  std::shared_ptr<const sluice::engine::ruleset> rules;
  try {
    // The compiled databases are cached like `sluice scan` does: compiling the catalog takes seconds.
    sluice::engine::compile_options compile;
    compile.cache_dir = args.cache_dir.empty() ? sluice::engine::ruleset::default_cache_dir()
                                               : std::filesystem::path(args.cache_dir);
    rules = sluice::engine::ruleset::load(args.rules_dir.empty() ? sluice::engine::ruleset::default_rules_dir()
                                                                 : std::filesystem::path(args.rules_dir),
                                          compile);
  } catch (const std::exception& e) {
    std::cerr << "sluice replay: cannot load the rules: " << e.what() << "\n";
    return 1;
  }
  std::shared_ptr<const sluice::engine::injection_model> model;
  if (args.model != "none") {
    try {
      model = sluice::engine::injection_model::load(args.model == "default"
                                                        ? sluice::engine::injection_model::default_model_path()
                                                        : std::filesystem::path(args.model));
    } catch (const sluice::engine::model_error& e) {
      std::cerr << "sluice replay: " << e.what() << "\n";
      return 1;
    }
  }
  sluice::engine::scanner scanner(rules);
  sluice::replay::replay_options options;
  options.model = model.get();
  options.jobs = args.jobs;
  options.threshold = args.threshold >= 0 ? args.threshold : floors.injection_threshold.value_or(0.5);
  const auto result = sluice::replay::run_replay(args.files, scanner, options);
  const auto failures = sluice::replay::check_floors(floors, result);
  if (!args.html_file.empty()) {
    std::ofstream html(args.html_file, std::ios::binary | std::ios::trunc);
    sluice::replay::run_provenance provenance;
    provenance.command = command_line();
    provenance.commit = std::string(sluice::cli::build_commit());
    provenance.catalog_digest = rules->stats().cache_key;
    provenance.model = args.model;
    provenance.generated_at = utc_now();
    // The report shows at least the ten worst mistakes of each kind even when --errors asks for none.
    sluice::replay::print_html(html, result, std::max<std::size_t>(args.errors, 10), failures, provenance);
    if (!html.flush()) {
      std::cerr << "sluice replay: cannot write " << args.html_file << "\n";
      return 1;
    }
  }
  if (args.json) {
    sluice::replay::print_json(std::cout, result, args.errors, failures);
  } else {
    sluice::replay::print_text(std::cout, result, args.errors);
    if (!args.floors_file.empty()) {
      std::cout << "\nfloors (" << args.floors_file << "): "
                << (failures.empty() ? "all hold" : std::to_string(failures.size()) + " not met") << "\n";
      for (const auto& f : failures) {
        std::cout << "  FLOOR NOT MET: " << f << "\n";
      }
    }
  }
  if (!failures.empty()) {
    return 3;
  }
  return result.input_errors.empty() ? 0 : 1;
}

const sluice::cli::register_command registration{[](CLI::App& app) {
  auto args = std::make_shared<replay_args>();
  auto* cmd = app.add_subcommand("replay", "Measure detection accuracy on labelled JSONL corpora");
  cmd->add_option("files", args->files, "JSONL corpora (PII and/or injection lines)")->required();
  cmd->add_flag("--json", args->json, "Print one JSON document instead of tables");
  cmd->add_option("--errors", args->errors, "Show up to N mistakes of each kind (per entity type)");
  cmd->add_option("--threshold", args->threshold, "Injection score threshold (default: the floors file's, else 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--html", args->html_file,
                  "Also write a self-contained HTML report (tables, ROC curve, threshold sweep, worst errors)");
  cmd->add_option("--floors", args->floors_file, "Fail (exit 3) when a result drops below these floors");
  cmd->add_option("--rules", args->rules_dir, "Rules directory (default: $SLUICE_RULES_DIR or the built-in catalog)");
  cmd->add_option("--cache-dir", args->cache_dir, "Compiled database cache (default: $XDG_CACHE_HOME/sluice)");
  cmd->add_option("--model", args->model,
                  "Injection score with a learned model: default (the shipped one), a model file, or none "
                  "(default: none, the signatures alone, as the floors were set)");
  cmd->add_option("-j,--jobs", args->jobs, "Scanner threads (default: one per hardware thread)")
      ->check(CLI::Range(0, 1024));
  cmd->callback([args] { sluice::cli::exit_code() = run(*args); });
}};

}  // namespace
