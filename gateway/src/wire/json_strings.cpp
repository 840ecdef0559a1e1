// Unescaping with an offset map, and splicing replacements back into the raw body. The unescaper is
// strict (RFC 8259): simdjson's On-Demand front end checks string boundaries and UTF-8 but leaves escape
// validation to whoever reads the string, and we read it ourselves to keep raw positions.
#include "wire/json_strings.h"

#include <bit>
#include <cstring>

#include <algorithm>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sluice/engine/json_escape.h"

namespace sluice::gateway {
namespace {

constexpr std::size_t max_offset = std::numeric_limits<std::uint32_t>::max();

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Reads 4 hex digits at body[at]; -1 when they are not there.
long read_hex4(std::string_view body, std::size_t at) noexcept {
  if (at + 4 > body.size()) {
    return -1;
  }
  long v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int h = hex_value(body[at + i]);
    if (h < 0) {
      return -1;
    }
    v = (v << 4) | h;
  }
  return v;
}

std::uint8_t append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
    return 1;
  }
  if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    return 2;
  }
  if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    return 3;
  }
  out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
  out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
  out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  return 4;
}

constexpr dialect_error bad_escape =
    make_error(dialect_errc::malformed_json, "malformed JSON: invalid escape sequence in a string");

}  // namespace

std::string_view to_string(text_source s) noexcept {
  switch (s) {
    case text_source::system: return "system";
    case text_source::user: return "user";
    case text_source::assistant: return "assistant";
    case text_source::tool_result: return "tool_result";
    case text_source::tool_input: return "tool_input";
    case text_source::document: return "document";
    case text_source::response: return "response";
    case text_source::thinking: return "thinking";
  }
  return "unknown";
}

void json_string_table::clear() noexcept {
  texts_.clear();
  escapes_.clear();
  buffer_.clear();
}

namespace {

// Skips bytes that need no attention inside a JSON string (anything but '"', '\\' and control bytes):
// most of a prompt is such bytes, and this loop is the reader's main cost. Sixteen at a time with SSE2
// (part of x86-64 itself, so no dispatch), then eight at a time in a 64-bit word.
std::size_t skip_plain_bytes(std::string_view body, std::size_t at) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i control_max = _mm_set1_epi8(0x1F);
  while (at + 16 <= body.size()) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(body.data() + at));
    // A byte is a control byte when the unsigned maximum of it and 0x1F is 0x1F.
    const __m128i flagged = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
                                         _mm_cmpeq_epi8(_mm_max_epu8(x, control_max), control_max));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(flagged));
    if (mask != 0) {
      return at + static_cast<std::size_t>(std::countr_zero(mask));
    }
    at += 16;
  }
#endif
  static_assert(std::endian::native == std::endian::little, "the lowest flagged byte is the first in memory");
  constexpr std::uint64_t ones = 0x0101010101010101ull;
  constexpr std::uint64_t highs = 0x8080808080808080ull;
  while (at + 8 <= body.size()) {
    std::uint64_t w;
    std::memcpy(&w, body.data() + at, 8);
    const std::uint64_t quote_bits = w ^ (ones * '"');
    const std::uint64_t backslash_bits = w ^ (ones * '\\');
    // Flags bytes equal to '"' or '\\' or below 0x20. The lowest flag is always a real one; any false
    // alarm (a borrow) costs only a trip through the caller's byte check.
    const std::uint64_t flagged =
        ((quote_bits - ones) & ~quote_bits) | ((backslash_bits - ones) & ~backslash_bits) | ((w - ones * 0x20) & ~w);
    if ((flagged & highs) != 0) {
      return at + static_cast<std::size_t>(std::countr_zero(flagged & highs) / 8);
    }
    at += 8;
  }
  return at;
}

}  // namespace

dialect_error json_string_table::add(std::string_view body, std::size_t raw_begin, text_source source,
                                     std::uint32_t message) noexcept {
  if (body.size() >= max_offset) {
    return make_error(dialect_errc::too_large, "request body too large");
  }
  const std::size_t buffer_start = buffer_.size();
  const std::size_t escapes_start = escapes_.size();
  auto undo = [&](dialect_error e) {
    buffer_.resize(buffer_start);
    escapes_.resize(escapes_start);
    return e;
  };
  std::size_t at = raw_begin;
  std::size_t run = at;  // start of the current run of literal bytes
  while (true) {
    if (at >= body.size()) {
      return undo(make_error(dialect_errc::malformed_json, "malformed JSON: unterminated string"));
    }
    const auto c = static_cast<unsigned char>(body[at]);
    if (c == '"') {
      break;
    }
    if (c < 0x20) {
      return undo(make_error(dialect_errc::malformed_json, "malformed JSON: control character in a string"));
    }
    if (c != '\\') {
      at = skip_plain_bytes(body, at + 1);
      continue;
    }
    buffer_.append(body.substr(run, at - run));
    if (at + 1 >= body.size()) {
      return undo(bad_escape);
    }
    json_escape_span esc;
    esc.text_begin = static_cast<std::uint32_t>(buffer_.size() - buffer_start);
    esc.raw_begin = static_cast<std::uint32_t>(at);
    const char kind = body[at + 1];
    char simple = 0;
    switch (kind) {
      case '"': simple = '"'; break;
      case '\\': simple = '\\'; break;
      case '/': simple = '/'; break;
      case 'b': simple = '\b'; break;
      case 'f': simple = '\f'; break;
      case 'n': simple = '\n'; break;
      case 'r': simple = '\r'; break;
      case 't': simple = '\t'; break;
      case 'u': break;
      default: return undo(bad_escape);
    }
    if (kind != 'u') {
      buffer_.push_back(simple);
      esc.text_size = 1;
      esc.raw_size = 2;
    } else {
      const long hi = read_hex4(body, at + 2);
      if (hi < 0) {
        return undo(bad_escape);
      }
      std::uint32_t cp = static_cast<std::uint32_t>(hi);
      esc.raw_size = 6;
      if (hi >= 0xDC00 && hi <= 0xDFFF) {
        return undo(make_error(dialect_errc::malformed_json, "malformed JSON: unpaired \\u surrogate"));
      }
      if (hi >= 0xD800 && hi <= 0xDBFF) {
        const long lo = (at + 7 < body.size() && body[at + 6] == '\\' && body[at + 7] == 'u')
                            ? read_hex4(body, at + 8)
                            : -1;
        if (lo < 0xDC00 || lo > 0xDFFF) {
          return undo(make_error(dialect_errc::malformed_json, "malformed JSON: unpaired \\u surrogate"));
        }
        cp = 0x10000 + ((static_cast<std::uint32_t>(hi) - 0xD800) << 10) +
             (static_cast<std::uint32_t>(lo) - 0xDC00);
        esc.raw_size = 12;
      }
      esc.text_size = append_utf8(buffer_, cp);
    }
    escapes_.push_back(esc);
    at += esc.raw_size;
    run = at;
  }
  buffer_.append(body.substr(run, at - run));
  if (buffer_.size() >= max_offset) {
    return undo(make_error(dialect_errc::too_large, "request body too large"));
  }
  json_text t;
  t.raw_begin = static_cast<std::uint32_t>(raw_begin);
  t.raw_end = static_cast<std::uint32_t>(at);
  t.text_begin = static_cast<std::uint32_t>(buffer_start);
  t.text_size = static_cast<std::uint32_t>(buffer_.size() - buffer_start);
  t.escapes_begin = static_cast<std::uint32_t>(escapes_start);
  t.escapes_end = static_cast<std::uint32_t>(escapes_.size());
  t.source = source;
  t.message = message;
  texts_.push_back(t);
  return {};
}

raw_range json_string_table::to_raw(std::size_t i, std::uint32_t begin, std::uint32_t end) const noexcept {
  const json_text& t = texts_[i];
  begin = std::min(begin, t.text_size);
  end = std::clamp(end, begin, t.text_size);
  // A boundary inside a character written as UTF-8 bytes moves outward to the whole character, as one
  // inside an escape's output does below: a replacement never leaves half a character either.
  const std::string_view value = text(i);
  const auto continuation = [&](std::uint32_t at) {
    return at < value.size() && (static_cast<unsigned char>(value[at]) & 0xC0u) == 0x80u;
  };
  while (begin > 0 && continuation(begin)) {
    --begin;
  }
  while (end > begin && continuation(end)) {
    ++end;
  }
  const auto first = escapes_.begin() + t.escapes_begin;
  const auto last = escapes_.begin() + t.escapes_end;
  // The raw offset of unescaped offset `u`. `round_up`: a position inside an escape's output maps to
  // the end of the escape instead of its start.
  auto map = [&](std::uint32_t u, bool round_up) -> std::uint32_t {
    // The last escape whose output starts at or before u.
    auto it = std::upper_bound(first, last, u,
                               [](std::uint32_t v, const json_escape_span& e) { return v < e.text_begin; });
    if (it == first) {
      return t.raw_begin + u;
    }
    const json_escape_span& e = *(it - 1);
    const std::uint32_t text_end = e.text_begin + e.text_size;
    if (u == e.text_begin) {
      return e.raw_begin;
    }
    if (u < text_end) {
      return round_up ? e.raw_begin + e.raw_size : e.raw_begin;
    }
    return e.raw_begin + e.raw_size + (u - text_end);
  };
  return raw_range{map(begin, false), begin == end ? map(begin, false) : map(end, true)};
}

void append_json_string_body(std::string& out, std::string_view text) {
  const std::size_t at = out.size();
  engine::append_json_string(out, text);
  // append_json_string writes the quotes; drop them.
  out.pop_back();
  out.erase(at, 1);
}

void json_splicer::reset(std::string_view body, const json_string_table& strings) noexcept {
  body_ = body;
  strings_ = &strings;
  edits_.clear();
  replacements_.clear();
}

dialect_error json_splicer::replace(std::uint32_t text, std::uint32_t begin, std::uint32_t end,
                                    std::string_view replacement) noexcept {
  if (strings_ == nullptr || text >= strings_->size() || begin > end ||
      end > (*strings_)[text].text_size) {
    return make_error(dialect_errc::bad_edit, "internal error: redaction outside its text");
  }
  edit e;
  e.raw = strings_->to_raw(text, begin, end);
  e.replacement_begin = static_cast<std::uint32_t>(replacements_.size());
  append_json_string_body(replacements_, replacement);
  e.replacement_size = static_cast<std::uint32_t>(replacements_.size() - e.replacement_begin);
  edits_.push_back(e);
  return {};
}

dialect_error json_splicer::redact(std::uint32_t text, std::span<const engine::finding> findings,
                                   const engine::ruleset& rules, engine::redactor& redactor) noexcept {
  if (strings_ == nullptr || text >= strings_->size()) {
    return make_error(dialect_errc::bad_edit, "internal error: redaction outside its text");
  }
  const std::string_view value = strings_->text(text);
  for (const engine::finding& f : findings) {
    if (f.start > f.end || f.end > value.size() || f.rule >= rules.size()) {
      return make_error(dialect_errc::bad_edit, "internal error: redaction outside its text");
    }
    scratch_.clear();
    redactor.append_placeholder(rules.at(f.rule).entity, value.substr(f.start, f.end - f.start), scratch_);
    if (auto e = replace(text, f.start, f.end, scratch_)) {
      return e;
    }
  }
  return {};
}

dialect_error json_splicer::finish(std::string& out) noexcept {
  out.clear();
  std::sort(edits_.begin(), edits_.end(),
            [](const edit& a, const edit& b) { return a.raw.begin < b.raw.begin; });
  std::size_t extra = 0;
  for (std::size_t i = 0; i < edits_.size(); ++i) {
    if (i > 0 && edits_[i].raw.begin < edits_[i - 1].raw.end) {
      return make_error(dialect_errc::bad_edit, "internal error: overlapping redactions");
    }
    extra += edits_[i].replacement_size;
  }
  out.reserve(body_.size() + extra);
  std::size_t at = 0;
  for (const edit& e : edits_) {
    out.append(body_.substr(at, e.raw.begin - at));
    out.append(std::string_view(replacements_).substr(e.replacement_begin, e.replacement_size));
    at = e.raw.end;
  }
  out.append(body_.substr(at));
  return {};
}

}  // namespace sluice::gateway
