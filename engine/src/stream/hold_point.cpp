#include "stream/hold_point.h"

#include <algorithm>

#include "text/ascii_text.h"

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

void hold_tracker::reset(const ruleset& rules) {
  groups_.assign(rules.hold_groups().size(), group_state{});
}

void hold_tracker::append(std::string_view piece, std::uint64_t piece_base, const ruleset& rules) noexcept {
  // A group's run restarts after the piece's last byte outside its characters, if any. Walk back from
  // the end with every group of a word still open at once, closing each at its first such byte.
  const auto& bytes = rules.hold_group_bytes();
  const std::size_t count = std::min(groups_.size(), rules.hold_groups().size());
  for (std::size_t word = 0; word < bytes.size(); ++word) {
    const std::size_t in_word = std::min<std::size_t>(64, count - word * 64);
    std::uint64_t open = in_word == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << in_word) - 1;
    for (std::size_t i = piece.size(); i > 0 && open != 0; --i) {
      std::uint64_t closed = open & ~bytes[word][static_cast<unsigned char>(piece[i - 1])];
      open &= ~closed;
      while (closed != 0) {
        const int bit = __builtin_ctzll(closed);
        closed &= closed - 1;
        groups_[word * 64 + static_cast<std::size_t>(bit)].run_start = piece_base + i;
      }
    }
  }
}

namespace {

// Whether `text` from `at` agrees with `lead` (stored in lower case for a caseless group) as far as
// both go: the lead starts there, or the text ends inside what could still become one.
bool lead_at(std::string_view text, std::size_t at, std::string_view lead, bool caseless) noexcept {
  const std::size_t n = std::min(lead.size(), text.size() - at);
  for (std::size_t k = 0; k < n; ++k) {
    if ((caseless ? to_lower(text[at + k]) : text[at + k]) != lead[k]) {
      return false;
    }
  }
  return true;
}

enum class lead_match : std::uint8_t { none, whole, partial };

// The first offset in [from, text.size()) where one of the group's leads starts, whole or cut off by
// the end of the text, or text.size().
std::size_t find_lead(std::string_view text, std::size_t from, const stream_bound& g, lead_match& kind) noexcept {
  for (std::size_t at = from; at < text.size(); ++at) {
    if (!g.lead_first[static_cast<unsigned char>(text[at])]) {
      continue;
    }
    for (const std::string& lead : g.leads) {
      if (lead_at(text, at, lead, g.caseless)) {
        kind = at + lead.size() <= text.size() ? lead_match::whole : lead_match::partial;
        return at;
      }
    }
  }
  kind = lead_match::none;
  return text.size();
}

// For a group whose rules all need a context word: the earliest start at or after `run` that has a hit
// of one of the group's context rules ending at most the context window before it, or `none`. A match
// starting at s needs such a hit ending in [s - window, s]; a hit still to come ends after every byte
// received so far, so only the hits already reported can serve a match that is open now.
std::uint64_t context_start(std::span<const context_hit> context, const stream_bound& g, std::uint64_t run) noexcept {
  for (const context_hit& h : context_hits_from(context, run > g.context_window ? run - g.context_window : 0)) {
    if (std::find(g.context_rules.begin(), g.context_rules.end(), h.rule) != g.context_rules.end()) {
      return std::max(run, h.end);
    }
  }
  return ~std::uint64_t{0};
}

}  // namespace

// Earliest viable start of an open match for one group, as an absolute offset, or the end.
std::uint64_t hold_tracker::earliest_open_start(std::string_view text, std::uint64_t base, std::uint64_t lowest,
                                                std::span<const context_hit> context, const stream_bound& g,
                                                group_state& st) noexcept {
  const std::uint64_t end = base + text.size();
  const std::uint64_t width_floor = end > g.max_width ? end - g.max_width : 0;
  std::uint64_t run = std::max({lowest, width_floor, st.run_start});
  if (run >= end) {
    return end;
  }
  if (g.digit_within != 0) {
    // A match holds a digit among its first N bytes: an open one starts at most N - 1 bytes before the
    // first digit at or after the run's start, or, with no digit yet, fewer than N bytes before the end.
    if (st.next_digit == none || st.next_digit < run) {
      std::size_t at = static_cast<std::size_t>(std::max(run, st.digits_searched_to) - base);
      while (at < text.size() && !is_digit(text[at])) {
        ++at;
      }
      st.next_digit = at < text.size() ? base + at : none;
      st.digits_searched_to = st.next_digit != none ? st.next_digit + 1 : end;
    }
    const std::uint64_t reach = (st.next_digit != none ? st.next_digit : end) + 1;
    run = std::max(run, reach > g.digit_within ? reach - g.digit_within : 0);
    if (run >= end) {
      return end;
    }
  }
  if (g.context_gated) {
    // Prose streams without a date-of-birth or passport label nearby no longer wait for one.
    run = context_start(context, g, run);
    if (run >= end) {
      return end;
    }
  }
  if (g.leads.empty()) {
    return run;
  }
  // With leads, a match can only start where a lead starts, or where the end of the text could still
  // become one. Every bound above only moves forward, and an offset found to start no lead, whole or
  // cut off, never will: so a whole lead found once stays the answer until the run passes it, and
  // each byte is looked at about once however long the run grows.
  if (st.next_lead != none && st.next_lead >= run) {
    return st.next_lead;
  }
  lead_match kind = lead_match::none;
  const std::uint64_t at =
      base + find_lead(text, static_cast<std::size_t>(std::max(run, st.searched_to) - base), g, kind);
  st.next_lead = kind == lead_match::whole ? at : none;
  st.searched_to = kind == lead_match::whole ? at + 1 : at;  // a cut-off lead is looked at again
  return at;
}

std::uint64_t hold_tracker::hold_point(std::string_view text, std::uint64_t base, std::uint64_t floor,
                                       std::span<const context_hit> context, const ruleset& rules) noexcept {
  const auto& bounds = rules.hold_groups();
  const std::size_t count = std::min(bounds.size(), groups_.size());
  const std::uint64_t end = base + text.size();
  std::uint64_t hold = end;
  // Groups without a lead first: they cost a comparison each. A group with a lead can only answer at
  // or after the start of its run, so once the hold is there the lead need not be looked for (on prose
  // a wide group of printable characters keeps the hold well before most runs).
  for (std::size_t g = 0; g < count; ++g) {
    if (bounds[g].leads.empty()) {
      hold = std::min(hold, earliest_open_start(text, base, floor, context, bounds[g], groups_[g]));
    }
  }
  for (std::size_t g = 0; g < count; ++g) {
    if (!bounds[g].leads.empty() && groups_[g].run_start < hold) {
      hold = std::min(hold, earliest_open_start(text, base, floor, context, bounds[g], groups_[g]));
    }
  }
  return utf8_safe_point(text, base, floor, hold);
}

}  // namespace sluice::engine::detail
