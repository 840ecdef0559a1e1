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
template <class Finding>
void append_spans(std::string& out, const std::vector<Finding>& spans, const char* label,
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

// `{"id":…,` and the line break before the next field: how every record starts.
void open_record(std::string& out, std::string_view id_json, const char* nl) {
  out += "{";
  out += nl;
  out += "\"id\":";
  out += id_json;
  out += ",";
  out += nl;
}

// The injection scores of a record: the policy's score and, when asked, each detector's.
struct injection_scores {
  double score = 0;
  double signature = 0;
  double model = 0;
};

// "injection":{"score"[,"signature_score","model_score"],"signatures":[{"rule","category","weight","end"}]}
template <class Finding>
void append_injection(std::string& out, const injection_scores& scores, const std::vector<Finding>& signatures,
                      const engine::ruleset& rules, const char* separator, const record_style& style) {
  out += "\"injection\":{\"score\":";
  append_number(out, scores.score);
  if (style.detector_scores) {
    out += ",\"signature_score\":";
    append_number(out, scores.signature);
    out += ",\"model_score\":";
    append_number(out, scores.model);
  }
  out += ",\"signatures\":[";
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    const auto& f = signatures[i];
    out += i == 0 ? "" : ",";
    out += separator;
    out += "{\"rule\":";
    engine::append_json_string(out, rules.at(f.rule).id);
    out += ",\"category\":";
    engine::append_json_string(out, rules.at(f.rule).entity);
    out += ",\"weight\":";
    append_number(out, rules.at(f.rule).weight);
    out += ",\"end\":" + std::to_string(f.end) + "}";
  }
  out += "]}";
}

// "findings", "injection" and "content" of a record, each followed by a comma: what whole records and
// parts of a long text share.
// (A whole text's scan_result or a part's chunk_scan_result: the same fields.)
template <class Result>
void append_result_fields(std::string& out, const Result& result, const engine::ruleset& rules, const char* nl,
                          const char* nl2, const record_style& style) {
  out += "\"findings\":";
  append_spans(out, result.entities, "type", rules, nl2);
  out += ",";
  out += nl;
  append_injection(out, {result.injection_score, result.signature_score, result.model_score}, result.injection, rules,
                   nl2, style);
  out += ",";
  out += nl;
  out += "\"content\":";
  append_spans(out, result.content, "category", rules, nl2);
  out += ",";
  out += nl;
}

}  // namespace

void append_part_record(std::string& out, std::string_view id_json, std::uint64_t index,
                        const engine::text_chunk& chunk, const engine::chunk_scan_result& result,
                        const engine::ruleset& rules, engine::redactor& redactor, const record_style& style) {
  const bool pretty = style.pretty;
  const char* nl = pretty ? "\n  " : "";
  const char* nl2 = pretty ? "\n    " : "";
  open_record(out, id_json, nl);
  out += "\"part\":{\"index\":" + std::to_string(index) + ",\"start\":" + std::to_string(result.output_begin) +
         ",\"end\":" + std::to_string(result.output_end) + "},";
  out += nl;
  append_result_fields(out, result, rules, nl, nl2, style);
  out += "\"redacted\":";
  // Redacted straight into the record: the placeholders and the bytes between them, escaped.
  std::string& redacted = redacted_buffer();
  redacted.clear();
  engine::redact_chunk(chunk.bytes, chunk.base, result.output_begin, result.output_end, result.entities, rules,
                       redactor, redacted);
  engine::append_json_string(out, redacted);
  out += pretty ? "\n}" : "}";
}

void append_summary_record(std::string& out, std::string_view id_json, std::uint64_t parts, std::uint64_t bytes,
                           std::uint64_t findings, const engine::injection_summary& injection,
                           const engine::ruleset& rules, const record_style& style) {
  const bool pretty = style.pretty;
  const char* nl = pretty ? "\n  " : "";
  const char* nl2 = pretty ? "\n    " : "";
  open_record(out, id_json, nl);
  out += "\"summary\":{\"parts\":" + std::to_string(parts) + ",\"bytes\":" + std::to_string(bytes) +
         ",\"findings\":" + std::to_string(findings) + "},";
  out += nl;
  append_injection(out, {injection.score(), injection.signature_score(), injection.model_score()},
                   injection.signatures(), rules, nl2, style);
  out += pretty ? "\n}" : "}";
}

std::string& redacted_buffer() {
  thread_local std::string buffer;
  return buffer;
}

void append_scan_record(std::string& out, std::string_view id_json, std::string_view text,
                        const engine::scan_result& result, const engine::ruleset& rules,
                        engine::redactor& redactor, const record_style& style) {
  const bool pretty = style.pretty;
  const char* nl = pretty ? "\n  " : "";
  const char* nl2 = pretty ? "\n    " : "";
  open_record(out, id_json, nl);
  append_result_fields(out, result, rules, nl, nl2, style);
  out += "\"redacted\":";
  std::string& redacted = redacted_buffer();
  redacted.clear();
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
