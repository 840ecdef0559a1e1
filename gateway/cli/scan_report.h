#pragma once
// The JSON records `sluice scan` prints, and the ruleset statistics it reports with --stats.
#include <ostream>
#include <string>
#include <string_view>

#include "sluice/engine/json_escape.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"

namespace sluice::cli {

// {"id", "findings": [{"type","start","end","rule"}], "injection": {"score","signatures":[...]},
//  "content": [{"category","start","end","rule"}], "redacted"}; offsets are bytes into the UTF-8 input.
void append_scan_record(std::string& out, std::string_view id_json, std::string_view text,
                        const engine::scan_result& result, const engine::ruleset& rules,
                        engine::redactor& redactor, bool pretty);

// {"id", "line", "error"}: a record that could not be scanned.
void append_error_record(std::string& out, std::string_view id_json, std::size_t line,
                         const std::string& message);

void print_ruleset_stats(std::ostream& os, const engine::ruleset& rules);

}  // namespace sluice::cli
