#include "hold_point.h"

#include <algorithm>

namespace sluice::engine::detail {
namespace {

bool is_continuation(unsigned char c) noexcept { return (c & 0xc0) == 0x80; }

std::size_t sequence_length(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if ((lead & 0xe0) == 0xc0) return 2;
  if ((lead & 0xf0) == 0xe0) return 3;
  if ((lead & 0xf8) == 0xf0) return 4;
  return 1;
}

// Earliest viable start of an open match for one group, as an index into `text`, or text.size().
std::size_t earliest_open_start(std::string_view text, std::size_t lowest, const stream_bound& g) noexcept {
  const std::size_t end = text.size();
  const std::size_t width_floor = end > g.max_width ? end - g.max_width : 0;
  const std::size_t lo = std::max(lowest, width_floor);
  std::size_t run = end;
  while (run > lo && g.charset[static_cast<unsigned char>(text[run - 1])]) {
    --run;
  }
  if (run == end) {
    return end;
  }
  if (g.lead.empty()) {
    return run;
  }
  // With a lead, a match can only start where the lead starts (or where the tail is a prefix of it).
  const std::string_view tail = text.substr(run);
  const std::size_t found = tail.find(g.lead);
  if (found != std::string_view::npos) {
    return run + found;
  }
  for (std::size_t s = std::max(run, end > g.lead.size() ? end - g.lead.size() + 1 : 0); s < end; ++s) {
    if (std::string_view(g.lead).starts_with(text.substr(s))) {
      return s;
    }
  }
  return end;
}

}  // namespace

std::uint64_t utf8_safe_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                              std::uint64_t offset) noexcept {
  std::size_t i = static_cast<std::size_t>(offset - base);
  const std::size_t lowest = static_cast<std::size_t>(floor - base);
  while (i > lowest && i < text.size() && is_continuation(static_cast<unsigned char>(text[i]))) {
    --i;
  }
  if (i == text.size() && i > lowest) {
    // Is the last character complete?
    std::size_t start = i - 1;
    while (start > lowest && is_continuation(static_cast<unsigned char>(text[start]))) {
      --start;
    }
    if (start + sequence_length(static_cast<unsigned char>(text[start])) > text.size()) {
      i = start;
    }
  }
  return base + i;
}

std::uint64_t hold_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                         const ruleset& rules) noexcept {
  const std::size_t lowest = static_cast<std::size_t>(floor - base);
  std::size_t hold = text.size();
  for (const stream_bound& g : rules.hold_groups()) {
    hold = std::min(hold, earliest_open_start(text, lowest, g));
    if (hold == lowest) {
      break;
    }
  }
  return utf8_safe_point(text, base, floor, base + hold);
}

}  // namespace sluice::engine::detail
