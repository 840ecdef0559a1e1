#include "encoded_payload.h"

#include <simdjson.h>

#include <array>

namespace sluice::engine {
namespace {

// A table: the run finder tests a byte for every letter of ordinary text it walks over, and the
// comparison chain cost it a third of its time.
constexpr std::array<bool, 256> base64_chars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                     c == '+' || c == '/' || c == '-' || c == '_';
  }
  return t;
}();

bool is_base64_char(unsigned char c) noexcept { return base64_chars[c]; }

bool is_hex_char(unsigned char c) noexcept {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int base64_value(unsigned char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

int hex_value(unsigned char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool mostly_text(std::string_view s) noexcept {
  if (s.size() < 8 || !simdjson::validate_utf8(s.data(), s.size())) {
    return false;
  }
  std::size_t printable = 0;
  for (unsigned char c : s) {
    if (c >= 0x20 || c == '\n' || c == '\t' || c == '\r') {
      ++printable;
    }
  }
  return printable * 100 >= s.size() * 95;
}

}  // namespace

void find_encoded_runs(std::string_view text, const encoded_rule_ids& rules, std::vector<payload_run>& out) {
  const std::size_t n = text.size();
  std::size_t i = min_base64_run - 1;
  std::size_t previous_end = 0;
  while (i < n) {
    if (!is_base64_char(static_cast<unsigned char>(text[i]))) {
      i += min_base64_run;
      continue;
    }
    std::size_t start = i;
    while (start > previous_end && is_base64_char(static_cast<unsigned char>(text[start - 1]))) {
      --start;
    }
    std::size_t end = i + 1;
    while (end < n && is_base64_char(static_cast<unsigned char>(text[end]))) {
      ++end;
    }
    while (end < n && text[end] == '=' && end - start < 2 + ((end - start) & ~std::size_t{3})) {
      ++end;
    }
    previous_end = end;
    if (end - start >= min_base64_run) {
      bool all_hex = true;
      for (std::size_t k = start; k < end && all_hex; ++k) {
        all_hex = is_hex_char(static_cast<unsigned char>(text[k]));
      }
      const bool hex = all_hex && end - start >= min_hex_run;
      const std::uint32_t rule = hex ? rules.hex : rules.base64;
      if (rule != 0xffffffffu && (hex || !all_hex)) {
        out.push_back({start, end, rule});
      }
    }
    i = end + min_base64_run;
  }
}

bool decode_payload(std::string_view run, std::string_view kind, std::string& out) noexcept {
  out.clear();
  if (kind == "hex") {
    if (run.size() % 2 != 0) {
      run.remove_suffix(1);
    }
    for (std::size_t i = 0; i + 1 < run.size(); i += 2) {
      const int hi = hex_value(static_cast<unsigned char>(run[i]));
      const int lo = hex_value(static_cast<unsigned char>(run[i + 1]));
      if (hi < 0 || lo < 0) {
        return false;
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return mostly_text(out);
  }
  std::uint32_t bits = 0;
  int nbits = 0;
  for (unsigned char c : run) {
    if (c == '=') {
      break;
    }
    const int v = base64_value(c);
    if (v < 0) {
      return false;
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((bits >> nbits) & 0xff));
    }
  }
  return mostly_text(out);
}

}  // namespace sluice::engine
