#pragma once
// JSON strings found in a body, unescaped into one reusable buffer, each with a map back to its raw bytes
// in the body; and a splicer that writes the body again with parts of those strings replaced, copying
// every other byte unchanged. This is how a redaction found in unescaped text lands in the original JSON:
// the engine reports offsets into the unescaped text, the map turns them into raw offsets, and the
// placeholder is escaped and written there.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/finding.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/ruleset.h"
#include "wire/dialect_error.h"

namespace sluice::gateway {

// Where a text a policy scans came from.
enum class text_source : std::uint8_t {
  system,       // the system prompt
  user,         // a user message's text
  assistant,    // an assistant message's text (earlier turns sent back by the client)
  tool_result,  // a tool_result block's content
  tool_input,   // a string value inside a tool_use block's input
  document,     // a document block's text source, title or context
  response,     // a text block of a model response
  thinking,     // a thinking block of a model response
};
[[nodiscard]] std::string_view to_string(text_source s) noexcept;

// One escape sequence of a raw string: `raw_size` bytes in the body (2 for \n, 6 for \u00e9, 12 for a
// surrogate pair) that became `text_size` bytes of UTF-8 (0 to 4).
struct json_escape_span {
  std::uint32_t text_begin = 0;  // offset in the string's unescaped text
  std::uint32_t raw_begin = 0;   // offset in the body of the backslash
  std::uint8_t text_size = 0;
  std::uint8_t raw_size = 0;
};

// One string of the body.
struct json_text {
  std::uint32_t raw_begin = 0;    // body offset of the first byte after the opening quote
  std::uint32_t raw_end = 0;      // body offset of the closing quote
  std::uint32_t text_begin = 0;   // offset of the unescaped text in json_string_table::buffer()
  std::uint32_t text_size = 0;
  std::uint32_t escapes_begin = 0;  // range in json_string_table::escapes(); empty: no escapes
  std::uint32_t escapes_end = 0;
  text_source source = text_source::user;
  std::uint32_t message = 0;  // index of the message it belongs to (0 for the system prompt)
};

// A body range, end exclusive.
struct raw_range {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// Strings of one body. Reused from request to request: clear() keeps the capacity.
class json_string_table {
 public:
  void clear() noexcept;

  // Unescapes the string whose first content byte is at `body[raw_begin]` (just after the opening
  // quote) and appends it. The body must hold the closing quote (simdjson's structural pass guarantees
  // it for a string token). Errors: malformed_json (bad escape, lone surrogate, control character),
  // too_large (offsets beyond 4 GiB).
  dialect_error add(std::string_view body, std::size_t raw_begin, text_source source,
                    std::uint32_t message) noexcept;

  [[nodiscard]] std::span<const json_text> texts() const noexcept { return texts_; }
  [[nodiscard]] std::size_t size() const noexcept { return texts_.size(); }
  [[nodiscard]] const json_text& operator[](std::size_t i) const noexcept { return texts_[i]; }
  // The unescaped UTF-8 text of string `i`.
  [[nodiscard]] std::string_view text(std::size_t i) const noexcept {
    return std::string_view(buffer_).substr(texts_[i].text_begin, texts_[i].text_size);
  }
  [[nodiscard]] const std::string& buffer() const noexcept { return buffer_; }
  [[nodiscard]] std::span<const json_escape_span> escapes() const noexcept { return escapes_; }

  // Maps [begin, end) of string `i`'s unescaped text to body bytes. A boundary inside the output of
  // one escape, or inside a character written as UTF-8 bytes, moves outward to cover the whole escape
  // or character, so a replacement never leaves half of one. Offsets past the text are clamped to it.
  [[nodiscard]] raw_range to_raw(std::size_t i, std::uint32_t begin, std::uint32_t end) const noexcept;

 private:
  std::vector<json_text> texts_;
  std::vector<json_escape_span> escapes_;
  std::string buffer_;
};

// Writes a body with replacements. Use: reset(body, strings), then replace() and/or redact() in any
// order, then finish(out). Reused per thread; buffers are kept.
class json_splicer {
 public:
  void reset(std::string_view body, const json_string_table& strings) noexcept;

  // Replaces [begin, end) of string `text`'s unescaped text with `replacement` (UTF-8, unescaped: it is
  // escaped as it is written). Errors: bad_edit when `text` is out of range or begin > end.
  dialect_error replace(std::uint32_t text, std::uint32_t begin, std::uint32_t end,
                        std::string_view replacement) noexcept;

  // Replaces every finding of string `text` (offsets into its unescaped text) with the redactor's
  // placeholder for the finding's entity.
  dialect_error redact(std::uint32_t text, std::span<const engine::finding> findings,
                       const engine::ruleset& rules, engine::redactor& redactor) noexcept;

  // How many replacements are pending.
  [[nodiscard]] std::size_t edits() const noexcept { return edits_.size(); }

  // Writes the body to `out` (cleared first) with every replacement applied. Errors: bad_edit when two
  // replacements overlap in the body (nothing useful is written then).
  dialect_error finish(std::string& out) noexcept;

 private:
  struct edit {
    raw_range raw;
    std::uint32_t replacement_begin = 0;  // in replacements_ (already escaped)
    std::uint32_t replacement_size = 0;
  };
  std::string_view body_;
  const json_string_table* strings_ = nullptr;
  std::vector<edit> edits_;
  std::string replacements_;
  std::string scratch_;
};

// Appends `text` JSON-escaped, without quotes (the inside of a JSON string literal).
void append_json_string_body(std::string& out, std::string_view text);

}  // namespace sluice::gateway
