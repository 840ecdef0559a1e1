#pragma once
// JSON object members built with RFC 8259 escaping, for audit records, alerts and admin API answers.
// In audit/ (not wire/, a peer tier governance may not include): the audit record format is its main
// user, and the usage ledger, the key registry and the admin API above it write the same way.
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::gateway {

// Builds the members of a JSON object (without braces) with correct escaping. Reused buffers: clear()
// keeps capacity, so a per-thread instance does not allocate in steady state.
class json_fields {
 public:
  json_fields& add(std::string_view name, std::string_view value);
  json_fields& add(std::string_view name, const char* value) { return add(name, std::string_view(value)); }
  json_fields& add(std::string_view name, std::int64_t value);
  json_fields& add(std::string_view name, std::uint64_t value);
  json_fields& add(std::string_view name, int value) { return add(name, static_cast<std::int64_t>(value)); }
  json_fields& add(std::string_view name, unsigned value) { return add(name, static_cast<std::uint64_t>(value)); }
  json_fields& add(std::string_view name, double value);
  json_fields& add(std::string_view name, bool value);
  json_fields& add_raw(std::string_view name, std::string_view json);  // value already valid JSON
  [[nodiscard]] const std::string& str() const noexcept { return out_; }
  void clear() noexcept { out_.clear(); }

 private:
  void key(std::string_view name);
  std::string out_;
};

// Appends `value` to `out` as a JSON string literal (quotes included), escaping as RFC 8259 requires.
// Unlike engine::append_json_string it leaves U+2028/U+2029 as they are: audit records keep the bytes
// their chain hashes were computed over.
void append_json_string(std::string& out, std::string_view value);

}  // namespace sluice::gateway
