#include "scan/encoded_payload.h"

#include "text/ascii_text.h"

#include <simdjson.h>

#include <array>
#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sluice::engine {
namespace {

constexpr int base64_value(unsigned char c) noexcept {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// A table of the same set: the run finder tests a byte for every letter of ordinary text it walks
// over, and the comparison chain cost it a third of its time.
constexpr std::array<bool, 256> base64_chars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<std::size_t>(c)] = base64_value(static_cast<unsigned char>(c)) >= 0;
  }
  return t;
}();

bool is_base64_char(unsigned char c) noexcept { return base64_chars[c]; }

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

// Bit k set when byte k of the 64 at `p` is a base64 character or '=' (padding counts toward a run's
// length).
std::uint64_t base64_mask(const char* p) noexcept {
#if defined(__SSE2__)
  // SSE2 is part of x86-64 itself, so this needs no dispatch. Signed compares: bytes of 0x80 and above
  // are negative and fall outside every range.
  std::uint64_t mask = 0;
  for (int part = 0; part < 4; ++part) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * part));
    const __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmpgt_epi8(_mm_set1_epi8('z' + 1), lower));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                        _mm_cmpgt_epi8(_mm_set1_epi8('9' + 1), x));
    const __m128i sign = _mm_or_si128(
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('+')), _mm_cmpeq_epi8(x, _mm_set1_epi8('/'))),
                     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('-')), _mm_cmpeq_epi8(x, _mm_set1_epi8('_')))),
        _mm_cmpeq_epi8(x, _mm_set1_epi8('=')));
    const auto bits = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), sign)));
    mask |= std::uint64_t{bits} << (16 * part);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (int k = 0; k < 64; ++k) {
    mask |= std::uint64_t{is_base64_char(static_cast<unsigned char>(p[k])) || p[k] == '='} << k;
  }
  return mask;
#endif
}

// Whether the text holds min_base64_run base64 characters or '=' in a row anywhere: every run the run
// finder reports is such a stretch. Ordinary text mostly holds none, and this answers it 64 bytes at a
// time without the run finder's data-dependent branches, which cost it several mispredictions per word
// (8 % of a prose scan).
bool has_long_base64_run(std::string_view text) noexcept {
  static_assert(min_base64_run > 16 && min_base64_run <= 32, "the doubling below reaches 16, then one more shift");
  std::size_t carry = 0;  // base64 characters in a row before the current block
  std::size_t i = 0;
  for (; i + 64 <= text.size(); i += 64) {
    const std::uint64_t m = base64_mask(text.data() + i);
    if (m == ~std::uint64_t{0}) {
      carry += 64;
      if (carry >= min_base64_run) {
        return true;
      }
      continue;
    }
    if (carry + static_cast<std::size_t>(std::countr_one(m)) >= min_base64_run) {
      return true;
    }
    // Bit k survives when bits k .. k+min_base64_run-1 are all set (runs reaching the block end go to
    // `carry`).
    std::uint64_t y = m & (m >> 1);  // 2 in a row
    y &= y >> 2;                     // 4
    y &= y >> 4;                     // 8
    y &= y >> 8;                     // 16
    y &= y >> (min_base64_run - 16);  // min_base64_run
    if (y != 0) {
      return true;
    }
    carry = static_cast<std::size_t>(std::countl_one(m));
  }
  for (; i < text.size(); ++i) {
    carry = is_base64_char(static_cast<unsigned char>(text[i])) || text[i] == '=' ? carry + 1 : 0;
    if (carry >= min_base64_run) {
      return true;
    }
  }
  return false;
}

}  // namespace

void find_encoded_runs(std::string_view text, const encoded_rule_ids& rules, std::vector<payload_run>& out) {
  if (!has_long_base64_run(text)) {
    return;  // every run the loop below reports is at least min_base64_run long
  }
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
        all_hex = detail::is_hex(text[k]);
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
