#include "scan/span_resolver.h"

#include <algorithm>

#include "validators/reading_context.h"

namespace sluice::engine::detail {
namespace {

// A digit (another number came first) or a clause break between a context word and its candidate.
bool breaks_clause(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == ',' || c == ';'; });
}

// The words after a number end in "number", "numbers" or "no": they label what follows.
bool is_label_continuation(std::string_view words) noexcept {
  const auto ends_with = [&](std::string_view w) {
    if (words.size() < w.size() + 1 || words[words.size() - w.size() - 1] != ' ') {
      return false;
    }
    for (std::size_t i = 0; i < w.size(); ++i) {
      const char c = words[words.size() - w.size() + i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c) != w[i]) {
        return false;
      }
    }
    return true;
  };
  return ends_with("number") || ends_with("numbers") || ends_with("no");
}

// The bytes a reader sees before `start` (context_lookbehind at most, never before the text window).
std::string_view text_before(const text_window& text, std::uint64_t start, bool& whole) noexcept {
  std::uint64_t from = start > context_lookbehind ? start - context_lookbehind : 0;
  from = std::max(from, text.text_base);
  whole = from == 0;
  return text.slice(from, start);
}

}  // namespace

bool column_gives_context(std::uint32_t context_rule, std::uint64_t at, std::span<const context_hit> hits,
                          const text_window& text, column_cache* cache) noexcept {
  // The header's context word was found by the scan like any other: without one of the rule's in the
  // lookbehind there is nothing to look up (the common case, and it costs a binary search).
  const std::uint64_t lowest = at > context_lookbehind ? at - context_lookbehind : 0;
  bool seen = false;
  for (const context_hit& h : context_hits_from(hits, lowest)) {
    if (h.end > at) {
      break;
    }
    if (h.rule == context_rule) {
      seen = true;
      break;
    }
  }
  if (!seen) {
    return false;
  }
  bool whole = false;
  const std::string_view before = text_before(text, at, whole);
  const std::string_view header = column_header(before, whole, cache);
  if (header.empty()) {
    return false;
  }
  // The header cell must hold the word: a context hit of the rule ending inside it.
  const std::uint64_t cell_start = text.text_base + static_cast<std::uint64_t>(header.data() - text.text.data());
  const std::uint64_t cell_end = cell_start + header.size();
  for (const context_hit& h : context_hits_from(hits, cell_start + 1)) {
    if (h.end > cell_end) {
      break;
    }
    if (h.rule == context_rule) {
      return true;
    }
  }
  return false;
}

namespace {

bool has_context(const rule& r, std::uint32_t context_rule, std::uint64_t start,
                 std::span<const context_hit> hits, const text_window& text, column_cache& columns) noexcept {
  // hits are sorted by end: look at those ending in [start - window, start].
  const std::uint64_t window = r.context_window;
  for (const context_hit& h : context_hits_from(hits, start > window ? start - window : 0)) {
    if (h.end > start) {
      break;
    }
    if (h.rule == context_rule && (!r.context_same_clause || !breaks_clause(text.slice(h.end, start)))) {
      return true;
    }
  }
  // In a table, the column's header is the context of every cell below it.
  return column_gives_context(context_rule, start, hits, text, &columns);
}

}  // namespace

void confirm_candidates(std::vector<candidate>& candidates, std::span<const context_hit> hits,
                        const text_window& text, const ruleset& rules,
                        const validator_options& options, std::vector<candidate>& confirmed) noexcept {
  std::sort(candidates.begin(), candidates.end(), [](const candidate& a, const candidate& b) {
    if (a.rule != b.rule) return a.rule < b.rule;
    if (a.start != b.start) return a.start < b.start;
    return a.end > b.end;  // longest first
  });
  column_cache columns;  // the tables of the lines seen in this pass (keys point into `text`)
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    candidate c = candidates[i];
    if (i > 0 && candidates[i - 1].rule == c.rule && candidates[i - 1].start == c.start) {
      continue;  // a shorter match from the same start
    }
    if (c.end - c.start > rules.bound(c.rule).max_width) {
      continue;  // longer than the entity can be: not a finding (the same rule holds when streaming)
    }
    const rule& r = rules.at(c.rule);
    if (r.report_through_last_digit) {
      // "416 60 039 office": the words after the number were read with it; the finding is the number.
      const std::string_view span = text.slice(c.start, c.end);
      const std::size_t last = span.find_last_of("0123456789");
      if (last == std::string_view::npos || span.back() == ':' || is_label_continuation(span.substr(last + 1))) {
        continue;  // "326269444 Mobile number: …": the word labels the next value, not this one
      }
      c.end = c.start + last + 1;
    }
    if (r.validator != validator_kind::none) {
      bool whole = false;
      const std::string_view before = text_before(text, c.start, whole);
      if (!validate(r.validator, text.slice(c.start, c.end), before, whole, options)) {
        continue;
      }
    }
    const std::uint32_t ctx = rules.context_rule_of(c.rule);
    if (ctx != ruleset::npos && !has_context(r, ctx, c.start, hits, text, columns)) {
      continue;
    }
    confirmed.push_back(c);
  }
}

void merge_overlaps(std::vector<candidate>& confirmed, std::uint64_t out_base,
                    std::vector<finding>& out) noexcept {
  std::sort(confirmed.begin(), confirmed.end(), [](const candidate& a, const candidate& b) {
    if (a.start != b.start) return a.start < b.start;
    if (a.end != b.end) return a.end > b.end;
    return a.rule < b.rule;
  });
  std::size_t i = 0;
  while (i < confirmed.size()) {
    candidate dominant = confirmed[i];
    std::uint64_t end = dominant.end;
    std::size_t j = i + 1;
    for (; j < confirmed.size() && confirmed[j].start < end; ++j) {
      const candidate& c = confirmed[j];
      const std::uint64_t len = c.end - c.start;
      const std::uint64_t best = dominant.end - dominant.start;
      if (len > best || (len == best && c.rule < dominant.rule)) {
        dominant = c;
      }
      end = std::max(end, c.end);
    }
    out.push_back(finding{dominant.rule, static_cast<std::uint32_t>(confirmed[i].start - out_base),
                          static_cast<std::uint32_t>(end - out_base)});
    i = j;
  }
}

}  // namespace sluice::engine::detail
