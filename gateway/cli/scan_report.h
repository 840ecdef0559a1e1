#pragma once
// The JSON records `sluice scan` prints, and the ruleset statistics it reports with --stats.
#include <ostream>
#include <string>
#include <string_view>

#include "sluice/engine/chunked_scan.h"
#include "sluice/engine/json_escape.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"

namespace sluice::cli {

struct record_style {
  bool pretty = false;  // indented JSON
  // With a learned model: "injection" also says each detector's score ("signature_score", "model_score";
  // "score" is the higher of the two, as the gateway's prompt-injection policy compares it).
  bool detector_scores = false;
};

// {"id", "findings": [{"type","start","end","rule"}], "injection": {"score","signatures":[...]},
//  "content": [{"category","start","end","rule"}], "redacted"}; offsets are bytes into the UTF-8 input.
void append_scan_record(std::string& out, std::string_view id_json, std::string_view text,
                        const engine::scan_result& result, const engine::ruleset& rules,
                        engine::redactor& redactor, const record_style& style);

// A text too long for one chunk is reported part by part, each part as soon as it is scanned:
// {"id", "part": {"index", "start", "end"}, "findings", "injection", "content", "redacted"}, where
// start/end are the input bytes the part's "redacted" covers (the parts' "redacted" concatenated are the
// whole redacted text) and every offset is into the whole input. "injection" is the part's own.
void append_part_record(std::string& out, std::string_view id_json, std::uint64_t index,
                        const engine::text_chunk& chunk, const engine::chunk_scan_result& result,
                        const engine::ruleset& rules, engine::redactor& redactor, const record_style& style);

// After the parts: {"id", "summary": {"parts", "bytes", "findings"}, "injection"}, the injection report of
// the whole input (first occurrence of each distinct signature, the score over them).
void append_summary_record(std::string& out, std::string_view id_json, std::uint64_t parts, std::uint64_t bytes,
                           std::uint64_t findings, const engine::injection_summary& injection,
                           const engine::ruleset& rules, const record_style& style);

// A per-thread buffer for a record's redacted text before it is escaped (kept between records).
std::string& redacted_buffer();

// {"id", "line", "error"}: a record that could not be scanned.
void append_error_record(std::string& out, std::string_view id_json, std::size_t line,
                         const std::string& message);

void print_ruleset_stats(std::ostream& os, const engine::ruleset& rules);

}  // namespace sluice::cli
