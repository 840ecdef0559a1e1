// JSON member building with RFC 8259 escaping, for audit records, alerts and admin API answers.
#include "governance/audit/json_fields.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sluice::gateway {

void append_json_string(std::string& out, std::string_view value) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (const char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xF]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void json_fields::key(std::string_view name) {
  if (!out_.empty()) {
    out_.push_back(',');
  }
  append_json_string(out_, name);
  out_.push_back(':');
}

json_fields& json_fields::add(std::string_view name, std::string_view value) {
  key(name);
  append_json_string(out_, value);
  return *this;
}

json_fields& json_fields::add(std::string_view name, std::int64_t value) {
  key(name);
  char digits[20];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  return *this;
}

json_fields& json_fields::add(std::string_view name, std::uint64_t value) {
  key(name);
  char digits[20];
  out_.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
  return *this;
}

json_fields& json_fields::add(std::string_view name, double value) {
  key(name);
  if (!std::isfinite(value)) {
    out_ += "null";  // JSON has no NaN or infinity
    return *this;
  }
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.10g", value);
  out_.append(buf, static_cast<std::size_t>(n));
  return *this;
}

json_fields& json_fields::add(std::string_view name, bool value) {
  key(name);
  out_ += value ? "true" : "false";
  return *this;
}

json_fields& json_fields::add_raw(std::string_view name, std::string_view json) {
  key(name);
  out_ += json;
  return *this;
}

}  // namespace sluice::gateway
