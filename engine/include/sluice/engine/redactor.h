#pragma once
// Replaces confirmed findings with placeholders: `[REDACTED:EMAIL]` by default, or numbered placeholders
// stable within one request (`<EMAIL_1>`; the same value always gets the same number). A redactor holds
// the numbering of one request: reset() between requests; buffers are kept and reused.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "sluice/engine/finding.h"
#include "sluice/engine/ruleset.h"

namespace sluice::engine {

enum class redaction_style : std::uint8_t {
  tag,       // [REDACTED:EMAIL]
  numbered,  // <EMAIL_1>, <EMAIL_2>…, stable per value within a request
};

class redactor {
 public:
  explicit redactor(redaction_style style = redaction_style::tag) noexcept : style_(style) {}

  void reset() noexcept;
  [[nodiscard]] redaction_style style() const noexcept { return style_; }

  // Appends to `out` the placeholder for `value` of type `entity`.
  void append_placeholder(std::string_view entity, std::string_view value, std::string& out);
  // Appends `text` to `out` with every finding (sorted, non-overlapping) replaced by its placeholder.
  void redact(std::string_view text, std::span<const finding> findings, const ruleset& rules,
              std::string& out);

 private:
  redaction_style style_;
  std::unordered_map<std::string, std::uint32_t> numbers_;      // entity + '\0' + value -> number
  std::unordered_map<std::string, std::uint32_t> next_number_;  // entity -> last number given
  std::string key_;
};

}  // namespace sluice::engine
