// `sluice scan`: runs the engine over plain text or JSONL records and prints one JSON line per input
// (or only the redacted text with --format text). Bad input never stops the run: an invalid line gives
// an error record naming it, the rest is still scanned, and the exit status says errors occurred.
#include <simdjson.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "cli_registry.h"
#include "scan_report.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/rule_catalog.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"

namespace sluice::cli {
namespace {

struct scan_settings {
  std::vector<std::string> files;
  std::string input_format = "auto";  // auto | text | jsonl
  std::string output_format = "json";  // json | text
  std::string redaction = "tag";       // tag | numbered
  std::string region = "US";
  std::string rules_dir;
  std::string cache_dir;
  bool pretty = false;
  bool stats = false;
};

struct scan_run {
  engine::scanner scanner;
  engine::redactor redactor;
  engine::scan_result result;
  engine::scan_options options;
  simdjson::ondemand::parser parser;
  const scan_settings& settings;
  std::string out;
  bool had_errors = false;

  void emit(std::string_view id_json, std::string_view text) {
    out.clear();
    redactor.reset();
    const engine::errc e = scanner.scan(text, result, options);
    if (e != engine::errc::ok) {
      had_errors = true;
      append_error_record(out, id_json, 0, std::string("input rejected: ") + std::string(engine::to_string(e)));
    } else if (settings.output_format == "text") {
      redactor.redact(text, result.entities, scanner.rules(), out);
    } else {
      append_scan_record(out, id_json, text, result, scanner.rules(), redactor, settings.pretty);
    }
    std::cout << out << '\n';
  }

  void error(std::string_view id_json, std::size_t line, const std::string& message) {
    had_errors = true;
    out.clear();
    append_error_record(out, id_json, line, message);
    std::cout << out << '\n';
  }

  void run_jsonl(std::istream& in, const std::string& source) {
    std::string line;
    std::size_t number = 0;
    std::string id_json;
    while (std::getline(in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) {
        continue;
      }
      simdjson::padded_string padded(line);
      simdjson::ondemand::document doc;
      std::string_view text;
      bool has_text = false;
      id_json = "null";
      auto err = parser.iterate(padded).get(doc);
      simdjson::ondemand::object obj;
      if (!err) {
        err = doc.get_object().get(obj);
      }
      if (!err) {
        // Keep the id exactly as written (string or number); read the text.
        for (auto field : obj) {
          std::string_view key;
          if (field.unescaped_key().get(key)) {
            err = simdjson::TAPE_ERROR;
            break;
          }
          if (key == "id") {
            std::string_view raw;
            if (!field.value().raw_json_token().get(raw)) {
              id_json.assign(raw);
              while (!id_json.empty() && (id_json.back() == ' ' || id_json.back() == '\r')) id_json.pop_back();
            }
          } else if (key == "text") {
            if (field.value().get_string().get(text)) {
              err = simdjson::INCORRECT_TYPE;
              break;
            }
            text_copy.assign(text);
            has_text = true;
          }
        }
      }
      if (err) {
        error(id_json, number, source + ":" + std::to_string(number) + ": invalid JSON line (" +
                                   simdjson::error_message(err) + ")");
        continue;
      }
      if (!has_text) {
        error(id_json, number, source + ":" + std::to_string(number) + ": record has no string field \"text\"");
        continue;
      }
      emit(id_json, text_copy);
      text_copy.clear();
    }
  }

  std::string text_copy;  // the unescaped text of the current line (simdjson's view dies with the doc)
};

bool has_jsonl_extension(const std::string& name) { return name.ends_with(".jsonl"); }

int run_scan(const scan_settings& s) {
  std::shared_ptr<const engine::ruleset> rules;
  try {
    engine::compile_options copts;
    copts.cache_dir = s.cache_dir.empty() ? engine::ruleset::default_cache_dir() : std::filesystem::path(s.cache_dir);
    rules = engine::ruleset::load(s.rules_dir.empty() ? engine::ruleset::default_rules_dir()
                                                      : std::filesystem::path(s.rules_dir),
                                  copts);
  } catch (const std::exception& e) {
    std::cerr << "sluice scan: " << e.what() << '\n';
    return 2;
  }
  if (s.stats) {
    print_ruleset_stats(std::cerr, *rules);
  }
  scan_run run{engine::scanner(rules),
               engine::redactor(s.redaction == "numbered" ? engine::redaction_style::numbered
                                                          : engine::redaction_style::tag),
               {}, {}, {}, s, {}, false};
  run.options.validators.default_region[0] = s.region.size() == 2 ? s.region[0] : 'U';
  run.options.validators.default_region[1] = s.region.size() == 2 ? s.region[1] : 'S';

  std::vector<std::string> files = s.files;
  if (files.empty()) {
    files.push_back("-");
  }
  for (const auto& file : files) {
    std::ifstream file_stream;
    std::istream* in = &std::cin;
    if (file != "-") {
      file_stream.open(file, std::ios::binary);
      if (!file_stream) {
        run.error("null", 0, file + ": cannot be read");
        continue;
      }
      in = &file_stream;
    }
    std::string name = file == "-" ? std::string() : file;
    bool jsonl = s.input_format == "jsonl";
    if (s.input_format == "auto") {
      const int first = in->peek();
      jsonl = has_jsonl_extension(name) || (name.empty() && first == '{');
    }
    if (jsonl) {
      run.run_jsonl(*in, file == "-" ? "stdin" : file);
    } else {
      std::ostringstream all;
      all << in->rdbuf();
      std::string id;
      engine::append_json_string(id, file == "-" ? "stdin" : file);
      run.emit(id, all.str());
    }
  }
  return run.had_errors ? 1 : 0;
}

const register_command registration([](CLI::App& app) {
  auto settings = std::make_shared<scan_settings>();
  CLI::App* cmd = app.add_subcommand(
      "scan", "Scan text or JSONL records (field \"text\", \"id\" passed through) for PII, secrets, "
              "injection and content; print findings and the redacted text");
  cmd->add_option("files", settings->files, "Input files; none or '-' reads stdin");
  cmd->add_option("--input", settings->input_format, "Input format")
      ->check(CLI::IsMember({"auto", "text", "jsonl"}))->capture_default_str();
  cmd->add_option("--format", settings->output_format, "json: one JSON record per input; text: redacted text only")
      ->check(CLI::IsMember({"json", "text"}))->capture_default_str();
  cmd->add_option("--redaction", settings->redaction, "tag: [REDACTED:EMAIL]; numbered: <EMAIL_1>")
      ->check(CLI::IsMember({"tag", "numbered"}))->capture_default_str();
  cmd->add_option("--region", settings->region, "Default region for national phone numbers (ISO 3166)")
      ->capture_default_str();
  cmd->add_option("--rules", settings->rules_dir, "Rule catalog directory (default: $SLUICE_RULES_DIR or the built-in catalog)");
  cmd->add_option("--cache-dir", settings->cache_dir, "Compiled database cache (default: $XDG_CACHE_HOME/sluice)");
  cmd->add_flag("--pretty", settings->pretty, "Indent JSON output");
  cmd->add_flag("--stats", settings->stats, "Print compile time, database, scratch and stream sizes to stderr");
  cmd->callback([settings] { exit_code() = run_scan(*settings); });
});

}  // namespace
}  // namespace sluice::cli
