#pragma once
// Reading labelled corpora for `sluice replay`. A corpus is JSONL in one of two shapes, told apart per
// line:
//   PII        {"id", "text", "entities": [{"type", "start", "end"}]}   byte offsets, end exclusive
//   injection  {"id", "text", "injection": true|false, "category"}     (optional "lang")
// Other members are ignored. A line that is neither, is not JSON, or has offsets outside its text is
// reported as an error naming the file and line; the other lines are still used.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::replay {

struct labelled_span {
  std::string type;
  std::uint32_t start = 0;
  std::uint32_t end = 0;  // exclusive
};

enum class record_shape : std::uint8_t { pii, injection };

struct corpus_record {
  record_shape shape = record_shape::pii;
  std::string id;
  std::string text;
  std::vector<labelled_span> entities;  // pii: sorted by start
  bool injection = false;               // injection shape
  std::string category;                 // injection shape; "" when absent
  std::string lang;                     // optional
};

// Parses one JSONL line. On failure returns false and puts a one-line reason in `error`.
[[nodiscard]] bool parse_corpus_line(std::string_view line, corpus_record& out, std::string& error);

struct corpus_error {
  std::string file;
  std::size_t line = 0;  // 1-based
  std::string message;
};

// Reads every line of `path` (empty lines skipped) and appends records and errors. Returns false when
// the file cannot be opened (one error is appended).
bool read_corpus_file(const std::string& path, std::vector<corpus_record>& records,
                      std::vector<corpus_error>& errors);

}  // namespace sluice::replay
