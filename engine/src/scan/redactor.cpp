#include "sluice/engine/redactor.h"

namespace sluice::engine {

void redactor::reset() noexcept {
  numbers_.clear();
  next_number_.clear();
}

void redactor::append_placeholder(std::string_view entity, std::string_view value, std::string& out) {
  if (style_ == redaction_style::tag) {
    out += "[REDACTED:";
    out += entity;
    out += ']';
    return;
  }
  key_.assign(entity);
  key_.push_back('\0');
  key_.append(value);
  auto it = numbers_.find(key_);
  std::uint32_t number = 0;
  if (it != numbers_.end()) {
    number = it->second;
  } else {
    // unordered_map has no heterogeneous lookup for std::string keys in C++20: one key buffer is reused.
    auto& last = next_number_[std::string(entity)];
    number = ++last;
    numbers_.emplace(key_, number);
  }
  out.push_back('<');
  out += entity;
  out.push_back('_');
  out += std::to_string(number);
  out.push_back('>');
}

void redactor::redact(std::string_view text, std::span<const finding> findings, const ruleset& rules,
                      std::string& out) {
  std::size_t at = 0;
  for (const finding& f : findings) {
    out.append(text.substr(at, f.start - at));
    append_placeholder(rules.at(f.rule).entity, text.substr(f.start, f.end - f.start), out);
    at = f.end;
  }
  out.append(text.substr(at));
}

}  // namespace sluice::engine
