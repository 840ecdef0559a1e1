// Chunked scanning of long texts: cutting the input into windows and keeping each window's own findings
// (see chunked_scan.h for what comes out exactly as a whole-text scan).
#include "sluice/engine/chunked_scan.h"

#include <algorithm>
#include <limits>

namespace sluice::engine {
namespace {

bool is_continuation_byte(char c) noexcept { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Moves `at` back to the start of the UTF-8 character it falls in (at most three bytes: more
// continuation bytes than that is invalid UTF-8, which the scan reports).
std::size_t character_start(std::string_view bytes, std::size_t at, std::size_t floor) noexcept {
  for (int i = 0; i < 3 && at > floor && at < bytes.size() && is_continuation_byte(bytes[at]); ++i) {
    --at;
  }
  return at;
}

// The longest prefix of `bytes` that does not end inside a UTF-8 character (not shorter than `floor`).
std::size_t complete_prefix(std::string_view bytes, std::size_t floor) noexcept {
  if (bytes.size() <= floor) {
    return bytes.size();
  }
  const std::size_t lead = character_start(bytes, bytes.size() - 1, floor);
  const auto c = static_cast<unsigned char>(bytes[lead]);
  const std::size_t length = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
  return lead + length <= bytes.size() ? bytes.size() : lead;
}

}  // namespace

std::size_t chunk_margin(const ruleset& rules) noexcept {
  // An entity's span and the context word before it, the signature window either side of a part hit
  // with the 64 bytes a window edge may move to a word boundary, and slack for the one-byte edges of
  // the confirmation windows.
  return std::size_t{rules.max_redaction_width()} + rules.max_context_window() +
         2 * (std::size_t{ruleset::signature_window} + 64) + 1024;
}

text_chunker::text_chunker(std::size_t chunk_bytes, std::size_t margin) noexcept
    : chunk_bytes_(std::max<std::size_t>(chunk_bytes, 4)), margin_(margin) {}

text_chunker::status text_chunker::next(text_chunk& out, const chunk_read_fn& read) {
  if (done_) {
    return status::end;
  }
  out.bytes.assign(carry_);
  out.base = carry_base_;
  out.core_begin = carry_core_;
  out.index = next_index_++;
  // Read the core and the right margin (or up to the end of the input).
  const std::size_t target = carry_core_ + chunk_bytes_ + margin_;
  while (!eof_ && out.bytes.size() < target) {
    const std::size_t have = out.bytes.size();
    out.bytes.resize(target);
    const std::ptrdiff_t n = read(out.bytes.data() + have, target - have);
    if (n < 0) {
      out.bytes.resize(have);
      done_ = true;
      return status::read_error;
    }
    out.bytes.resize(have + static_cast<std::size_t>(n));
    eof_ = n == 0;
  }
  const std::string_view bytes = out.bytes;
  if (eof_) {
    out.core_end = bytes.size();
    out.scan_end = bytes.size();
    out.last = true;
    done_ = true;
    carry_.clear();
    return status::chunk;
  }
  out.last = false;
  out.core_end = character_start(bytes, bytes.size() - margin_, out.core_begin);
  // The window may not end inside a character (the rest of it is in the next chunk's window).
  out.scan_end = complete_prefix(bytes, out.core_end);
  const std::size_t carry_start =
      character_start(bytes, out.core_end > margin_ ? out.core_end - margin_ : 0, 0);
  carry_.assign(bytes.substr(carry_start));
  carry_base_ = out.base + carry_start;
  carry_core_ = out.core_end - carry_start;
  return status::chunk;
}

void chunk_scan_result::clear() noexcept {
  entities.clear();
  content.clear();
  injection.clear();
  injection_score = 0;
  signature_score = 0;
  model_score = 0;
  output_begin = 0;
  output_end = 0;
}

errc scan_chunk(scanner& s, const text_chunk& chunk, chunk_scan_result& out, const scan_options& options) noexcept {
  out.clear();
  const std::uint64_t base = chunk.base;
  out.output_begin = base + chunk.core_begin;
  out.output_end = base + chunk.core_end;
  if (const errc e = s.scan(chunk.window(), out.window, options); e != errc::ok) {
    return e;
  }
  for (const finding& f : out.window.entities) {
    if (f.start < chunk.core_begin) {
      // The previous chunk's: when it runs into this core, this chunk's output starts after it.
      out.output_begin = std::max<std::uint64_t>(out.output_begin, base + f.end);
      continue;
    }
    if (f.start >= chunk.core_end) {
      break;
    }
    out.entities.push_back({f.rule, base + f.start, base + f.end});
    out.output_end = std::max<std::uint64_t>(out.output_end, base + f.end);
  }
  for (const finding& f : out.window.content) {
    if (f.end > chunk.core_begin && f.end <= chunk.core_end) {
      out.content.push_back({f.rule, base + f.start, base + f.end});
    }
  }
  for (const finding& f : out.window.injection) {
    out.injection.push_back({f.rule, base + f.start, base + f.end});
  }
  out.injection_score = out.window.injection_score;
  out.signature_score = out.window.signature_score;
  out.model_score = out.window.model_score;
  return errc::ok;
}

void redact_chunk(std::string_view text, std::uint64_t text_base, std::uint64_t out_begin, std::uint64_t out_end,
                  const std::vector<located_finding>& findings, const ruleset& rules, redactor& placeholders,
                  std::string& out) {
  std::uint64_t at = out_begin;
  for (const located_finding& f : findings) {
    if (f.start < out_begin || f.start >= out_end) {
      continue;
    }
    out.append(text.substr(at - text_base, f.start - at));
    placeholders.append_placeholder(rules.at(f.rule).entity, text.substr(f.start - text_base, f.end - f.start),
                                    out);
    at = f.end;
  }
  if (at < out_end) {
    out.append(text.substr(at - text_base, out_end - at));
  }
}

injection_summary::injection_summary(const ruleset& rules, bool model_in_use)
    : rules_(&rules),
      first_(rules.size(), located_finding{0, std::numeric_limits<std::uint64_t>::max(), 0}),
      model_in_use_(model_in_use) {}

void injection_summary::add(const chunk_scan_result& chunk) {
  model_score_ = std::max(model_score_, chunk.model_score);
  for (const located_finding& f : chunk.injection) {
    located_finding& first = first_[f.rule];
    if (f.start < first.start) {
      first = f;
    }
  }
}

std::vector<located_finding> injection_summary::signatures() const {
  std::vector<located_finding> out;
  for (const located_finding& f : first_) {
    if (f.start != std::numeric_limits<std::uint64_t>::max()) {
      out.push_back(f);
    }
  }
  std::sort(out.begin(), out.end(), [](const located_finding& x, const located_finding& y) {
    return x.start != y.start ? x.start < y.start : x.rule < y.rule;
  });
  return out;
}

double injection_summary::signature_score() const {
  double keep = 1.0;
  for (const located_finding& f : signatures()) {
    if (!model_in_use_ || !rules_->at(f.rule).model_covered) {
      keep *= 1.0 - rules_->at(f.rule).weight;
    }
  }
  return 1.0 - keep;
}

double injection_summary::score() const { return std::max(signature_score(), model_score_); }

}  // namespace sluice::engine
