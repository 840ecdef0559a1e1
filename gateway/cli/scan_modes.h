#pragma once
// `sluice scan`'s two input modes, each a reader -> N scanners -> ordered writer pipeline
// (sluice/engine/ordered_pipeline.h): one text cut into chunks, or JSONL cut into batches of lines.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "scan_input.h"
#include "scan_report.h"
#include "sluice/engine/injection_model.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"

namespace sluice::cli {

struct scan_settings {
  std::vector<std::string> files;
  std::string input_format = "auto";   // auto | text | jsonl
  std::string output_format = "json";  // json | text
  std::string redaction = "tag";       // tag | numbered
  std::string region = "US";
  std::string rules_dir;
  std::string cache_dir;
  std::string model = "none";  // none | default | a model file: the injection score with the learned scorer
  bool pretty = false;
  bool stats = false;
  std::size_t jobs = 0;                  // 0: one per hardware thread
  std::size_t chunk_bytes = 1u << 20;    // text mode: bytes per chunk (JSONL: per batch of lines)
  int progress = -1;                     // -1: when stderr is a terminal; 0 off; 1 on
};

// What both modes share: the ruleset, one scanner per worker, the options, the output.
struct scan_context {
  const scan_settings& settings;
  std::shared_ptr<const engine::ruleset> rules;
  std::shared_ptr<const engine::injection_model> model;  // null: signatures only
  std::vector<engine::scanner> scanners;  // one per worker
  engine::scan_options options;
  std::FILE* out = stdout;
  bool had_errors = false;

  [[nodiscard]] engine::redaction_style redaction_style() const noexcept {
    return settings.redaction == "numbered" ? engine::redaction_style::numbered : engine::redaction_style::tag;
  }
  [[nodiscard]] bool text_output() const noexcept { return settings.output_format == "text"; }
  [[nodiscard]] record_style style() const noexcept { return {settings.pretty, model != nullptr}; }
  // Writes `record` and a line break; a failed write (a closed pipe) is an error.
  void write_line(const std::string& record);
  // Prints an error record for the input as a whole.
  void error(std::string_view id_json, std::size_t line, const std::string& message);
};

// The whole of `in` as one text ("id" is `id_json`), in chunks of settings.chunk_bytes.
void scan_text(scan_context& ctx, block_input& in, const std::string& id_json, progress_meter& progress);
// One record per line of `in` (`source` names it in error messages).
void scan_jsonl(scan_context& ctx, block_input& in, const std::string& source, progress_meter& progress);

}  // namespace sluice::cli
