#include "scan_report.h"

#include <cstdio>

namespace sluice::cli {
namespace {

void append_number(std::string& out, double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  out += buf;
}

// [{"<label>": entity, "start", "end", "rule"}, …]: entity findings ("type") and content hits
// ("category") share one shape.
void append_spans(std::string& out, const std::vector<engine::finding>& spans, const char* label,
                  const engine::ruleset& rules, const char* separator) {
  out += '[';
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const auto& f = spans[i];
    out += i == 0 ? "" : ",";
    out += separator;
    out += "{\"";
    out += label;
    out += "\":";
    engine::append_json_string(out, rules.at(f.rule).entity);
    out += ",\"start\":" + std::to_string(f.start) + ",\"end\":" + std::to_string(f.end) + ",\"rule\":";
    engine::append_json_string(out, rules.at(f.rule).id);
    out += "}";
  }
  out += ']';
}

}  // namespace

void append_scan_record(std::string& out, std::string_view id_json, std::string_view text,
                        const engine::scan_result& result, const engine::ruleset& rules,
                        engine::redactor& redactor, bool pretty) {
  const char* nl = pretty ? "\n  " : "";
  const char* nl2 = pretty ? "\n    " : "";
  out += "{";
  out += nl;
  out += "\"id\":";
  out += id_json;
  out += ",";
  out += nl;
  out += "\"findings\":";
  append_spans(out, result.entities, "type", rules, nl2);
  out += ",";
  out += nl;
  out += "\"injection\":{\"score\":";
  append_number(out, result.injection_score);
  out += ",\"signatures\":[";
  for (std::size_t i = 0; i < result.injection.size(); ++i) {
    const auto& f = result.injection[i];
    out += i == 0 ? "" : ",";
    out += nl2;
    out += "{\"rule\":";
    engine::append_json_string(out, rules.at(f.rule).id);
    out += ",\"category\":";
    engine::append_json_string(out, rules.at(f.rule).entity);
    out += ",\"weight\":";
    append_number(out, rules.at(f.rule).weight);
    out += ",\"end\":" + std::to_string(f.end) + "}";
  }
  out += "]},";
  out += nl;
  out += "\"content\":";
  append_spans(out, result.content, "category", rules, nl2);
  out += ",";
  out += nl;
  out += "\"redacted\":";
  std::string redacted;
  redactor.redact(text, result.entities, rules, redacted);
  engine::append_json_string(out, redacted);
  out += pretty ? "\n}" : "}";
}

void append_error_record(std::string& out, std::string_view id_json, std::size_t line,
                         const std::string& message) {
  out += "{\"id\":";
  out += id_json;
  out += ",\"line\":" + std::to_string(line) + ",\"error\":";
  engine::append_json_string(out, message);
  out += "}";
}

void print_ruleset_stats(std::ostream& os, const engine::ruleset& rules) {
  const auto& s = rules.stats();
  os << "rules: " << s.rule_count << " (" << s.pattern_count << " expressions with context words)\n"
     << (s.loaded_from_cache ? "loaded from cache in " : "compiled in ") << s.compile_ms << " ms\n"
     << "block database: " << s.block_database_bytes << " bytes\n"
     << "stream database: " << s.stream_database_bytes << " bytes\n"
     << "confirm database: " << s.confirm_database_bytes << " bytes\n"
     << "signature databases: " << s.signature_databases << " (" << s.signature_database_bytes << " bytes)\n"
     << "scratch: " << s.scratch_bytes << " bytes per thread\n"
     << "stream state: " << s.stream_state_bytes << " bytes per open stream\n"
     << "longest redactable match: " << rules.max_redaction_width() << " bytes\n";
}

}  // namespace sluice::cli
