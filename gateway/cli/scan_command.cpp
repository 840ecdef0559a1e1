// `sluice scan`: runs the engine over plain text or JSONL records and prints one JSON line per input
// (or only the redacted text with --format text). Inputs of any size are read in blocks and scanned by
// --jobs scanner threads (scan_modes.h); memory is bounded by the chunk size times the workers. Bad input
// never stops the run: an invalid line gives an error record naming it, the rest is still scanned, and
// the exit status says errors occurred.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli_registry.h"
#include "scan_modes.h"
#include "scan_report.h"
#include "sluice/engine/ordered_pipeline.h"
#include "sluice/engine/rule_catalog.h"

namespace sluice::cli {

void scan_context::write_line(const std::string& record) {
  if (std::fwrite(record.data(), 1, record.size(), out) != record.size() || std::fputc('\n', out) == EOF) {
    had_errors = true;
  }
}

void scan_context::error(std::string_view id_json, std::size_t line, const std::string& message) {
  had_errors = true;
  std::string record;
  append_error_record(record, id_json, line, message);
  write_line(record);
}

namespace {

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
  std::shared_ptr<const engine::injection_model> model;
  if (s.model != "none") {
    try {
      model = engine::injection_model::load(s.model == "default" ? engine::injection_model::default_model_path()
                                                                 : std::filesystem::path(s.model));
    } catch (const engine::model_error& e) {
      std::cerr << "sluice scan: " << e.what() << '\n';
      return 2;
    }
  }
  if (s.stats) {
    print_ruleset_stats(std::cerr, *rules);
  }
  scan_context ctx{s, rules, model, {}, {}, stdout, false};
  const std::size_t jobs = s.jobs == 0 ? engine::default_jobs() : s.jobs;
  for (std::size_t i = 0; i < jobs; ++i) {
    ctx.scanners.emplace_back(rules);
  }
  ctx.options.model = model.get();
  ctx.options.validators.default_region[0] = s.region.size() == 2 ? s.region[0] : 'U';
  ctx.options.validators.default_region[1] = s.region.size() == 2 ? s.region[1] : 'S';
  // Records leave in large writes; a record is never split by the buffer's size into a short write.
  static char out_buffer[1 << 20];
  std::setvbuf(stdout, out_buffer, _IOFBF, sizeof out_buffer);
  const bool progress = s.progress < 0 ? ::isatty(STDERR_FILENO) == 1 : s.progress == 1;

  std::vector<std::string> files = s.files;
  if (files.empty()) {
    files.push_back("-");
  }
  for (const auto& file : files) {
    block_input in(file);
    if (!in.ok()) {
      ctx.error("null", 0, file + ": cannot be read");
      continue;
    }
    const std::string name = file == "-" ? std::string() : file;
    bool jsonl = s.input_format == "jsonl";
    if (s.input_format == "auto") {
      jsonl = has_jsonl_extension(name) || (name.empty() && in.peek() == '{');
    }
    const std::string source = file == "-" ? "stdin" : file;
    progress_meter meter(progress, source, in.size());
    if (jsonl) {
      scan_jsonl(ctx, in, source, meter);
    } else {
      std::string id;
      engine::append_json_string(id, source);
      scan_text(ctx, in, id, meter);
    }
    meter.finish();
  }
  if (std::fflush(stdout) != 0) {
    ctx.had_errors = true;
  }
  return ctx.had_errors ? 1 : 0;
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
  cmd->add_option("-j,--jobs", settings->jobs, "Scanner threads (default: one per hardware thread)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--chunk-bytes", settings->chunk_bytes,
                  "Text mode: bytes per chunk (a longer text is reported in parts); JSONL: bytes per batch of lines")
      ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30))->capture_default_str();
  cmd->add_flag_callback("--progress", [settings] { settings->progress = 1; },
                         "Show progress on stderr (default: when stderr is a terminal)");
  cmd->add_flag_callback("--no-progress", [settings] { settings->progress = 0; }, "Never show progress");
  cmd->add_option("--model", settings->model,
                  "Injection score with the learned model too: default (the shipped one), a model file, or none "
                  "(signatures only)")
      ->capture_default_str();
  cmd->add_flag("--pretty", settings->pretty, "Indent JSON output");
  cmd->add_flag("--stats", settings->stats, "Print compile time, database, scratch and stream sizes to stderr");
  cmd->callback([settings] { exit_code() = run_scan(*settings); });
});

}  // namespace
}  // namespace sluice::cli
