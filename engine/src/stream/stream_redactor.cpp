#include "sluice/engine/stream_redactor.h"

#include <algorithm>
#include <new>

#include "scan/entity_confirmer.h"
#include "stream/hold_point.h"
#include "scan/span_resolver.h"

namespace sluice::engine {
namespace detail {

struct stream_state {
  std::shared_ptr<const ruleset> rules;
  hs_scratch_t* scratch = nullptr;
  redactor* placeholders = nullptr;
  const std::vector<bool>* redaction_mask = nullptr;  // null: redact every finding
  validator_options validators;
  hs_stream_t* stream = nullptr;
  bool closed = false;

  std::string buffer;             // text from buffer_base on (history kept for confirmation windows)
  std::uint64_t buffer_base = 0;
  std::uint64_t emitted = 0;      // everything before this offset has been handed out
  std::vector<entity_hit> hits;   // prefilter hits that may still matter
  std::vector<entity_hit> due;    // those confirmed this time (see due_hits)
  std::vector<context_hit> context_hits;
  confirm_scratch confirm;
  std::vector<candidate> candidates;
  std::vector<candidate> confirmed;
  std::vector<finding> clusters;  // absolute offsets
  std::vector<finding> emitted_findings;
  std::vector<finding> content;
  hold_tracker holds;

  [[nodiscard]] std::uint64_t end() const noexcept { return buffer_base + buffer.size(); }
};

namespace {

int on_stream_match(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) noexcept {
  auto& s = *static_cast<stream_state*>(ctx);
  if (id >= s.rules->size()) {
    return 0;
  }
  switch (s.rules->at(id).kind) {
    case rule_kind::pii:
    case rule_kind::secret:
      s.hits.push_back({id, to});
      break;
    case rule_kind::context:
      s.context_hits.push_back({id, to});
      break;
    case rule_kind::content:
      s.content.push_back({id, static_cast<std::uint32_t>(to), static_cast<std::uint32_t>(to)});
      break;
    case rule_kind::injection:
    case rule_kind::encoded:
      break;  // injection is a request-side policy; streamed output is governed by entities and content
  }
  return 0;
}

// The pending hits whose matches could start before `hold`, into `due`. Every match that can become
// a finding holds a prefilter hit of its own rule no further than the rule's width after its start
// (for rules that require context, its first byte's), and a hit at or before the emitted point belongs
// to a match that starts before it and no longer matters. A match starting at or after the hold point
// is neither emitted nor held back for this time, and cannot overlap one that ends before it, so
// only these hits need confirming now: inside a long run of key characters, the hits between the
// hold point and the end would otherwise be rescanned on every delta.
void due_hits(const std::vector<entity_hit>& hits, std::uint64_t hold, const ruleset& rules,
              std::vector<entity_hit>& due) noexcept {
  due.clear();
  for (const entity_hit& h : hits) {
    if (h.end <= hold + rules.bound(h.rule).max_width + 1) {
      due.push_back(h);
    }
  }
}

// Confirms what can be confirmed, emits text up to the hold point, and trims history.
errc advance(stream_state& s, bool complete, std::string& out) noexcept {
  const ruleset& rules = *s.rules;
  const std::uint64_t end = s.end();
  const text_window window{s.buffer, s.buffer_base};

  std::uint64_t hold = complete ? end : s.holds.hold_point(s.buffer, s.buffer_base, s.emitted, s.context_hits, rules);

  // Hits at or before the emitted point cannot start a new finding (a match holding them would have
  // started before it and been decided already).
  std::erase_if(s.hits, [&](const entity_hit& h) { return h.end <= s.emitted; });
  s.candidates.clear();
  s.confirmed.clear();
  s.clusters.clear();
  due_hits(s.hits, hold, rules, s.due);
  if (!s.due.empty()) {
    if (const errc e = confirm_hits(s.due, s.context_hits, window, complete, rules, s.scratch, s.confirm, s.candidates);
        e != errc::ok) {
      return e;
    }
    std::erase_if(s.candidates, [&](const candidate& c) { return c.start < s.emitted; });
    confirm_candidates(s.candidates, s.context_hits, window, rules, s.validators, s.confirmed);
    merge_overlaps(s.confirmed, 0, s.clusters);
    // Never cut a finding: hold from its start instead.
    for (const finding& f : s.clusters) {
      if (f.start < hold && f.end > hold) {
        hold = f.start;
        break;  // clusters are sorted and disjoint: later ones start after this one
      }
    }
  }
  if (!complete) {
    hold = utf8_safe_point(s.buffer, s.buffer_base, s.emitted, hold);
  }

  std::uint64_t at = s.emitted;
  for (const finding& f : s.clusters) {
    if (f.end > hold) {
      break;
    }
    out.append(window.slice(at, f.start));
    const bool redact = s.redaction_mask == nullptr || (f.rule < s.redaction_mask->size() && (*s.redaction_mask)[f.rule]);
    if (redact) {
      s.placeholders->append_placeholder(rules.at(f.rule).entity, window.slice(f.start, f.end), out);
    } else {
      out.append(window.slice(f.start, f.end));
    }
    s.emitted_findings.push_back(f);
    at = f.end;
  }
  out.append(window.slice(at, hold));
  s.emitted = hold;

  // Keep one maximal match width of history before the emitted point (confirmation windows reach that
  // far back), and at least the widest context window (a `same_clause` rule reads the text between
  // a context word and its candidate); drop older context hits; trim in large steps so the copying
  // stays amortized.
  // Validators and the table-column lookup read context_lookbehind bytes before a candidate.
  const std::uint64_t history =
      std::max<std::uint64_t>({rules.max_redaction_width(), rules.max_context_window(), context_lookbehind}) + 2;
  const std::uint64_t keep_from = s.emitted > history ? s.emitted - history : 0;
  if (keep_from > s.buffer_base && keep_from - s.buffer_base >= std::max<std::size_t>(4096, s.buffer.size() / 2)) {
    s.buffer.erase(0, static_cast<std::size_t>(keep_from - s.buffer_base));
    s.buffer_base = keep_from;
    const std::uint64_t context_floor =
        keep_from > rules.max_context_window() ? keep_from - rules.max_context_window() : 0;
    std::erase_if(s.context_hits, [&](const context_hit& h) { return h.end < context_floor; });
  }
  return errc::ok;
}

}  // namespace
}  // namespace detail

stream_redactor::stream_redactor(std::shared_ptr<const ruleset> rules, hs_scratch_t* scratch,
                                 redactor& placeholders, const validator_options& validators)
    : state_(std::make_unique<detail::stream_state>()) {
  state_->rules = std::move(rules);
  state_->scratch = scratch;
  state_->placeholders = &placeholders;
  state_->validators = validators;
  state_->holds.reset(*state_->rules);
  if (hs_open_stream(state_->rules->stream_database(), 0, &state_->stream) != HS_SUCCESS) {
    throw std::bad_alloc();
  }
}

stream_redactor::~stream_redactor() {
  if (state_ && state_->stream != nullptr) {
    hs_close_stream(state_->stream, state_->scratch, nullptr, nullptr);
  }
}

errc stream_redactor::write(std::string_view piece, std::string& out) noexcept {
  detail::stream_state& s = *state_;
  if (s.closed) {
    return errc::stream_closed;
  }
  if (s.end() + piece.size() > 0xffffffffu) {
    return errc::input_too_large;
  }
  if (piece.empty()) {
    return errc::ok;
  }
  s.holds.append(piece, s.end(), *s.rules);
  s.buffer.append(piece);
  if (hs_scan_stream(s.stream, piece.data(), static_cast<unsigned>(piece.size()), 0, s.scratch,
                     detail::on_stream_match, &s) != HS_SUCCESS) {
    return errc::hyperscan_failure;
  }
  return detail::advance(s, false, out);
}

errc stream_redactor::finish(std::string& out) noexcept {
  detail::stream_state& s = *state_;
  if (s.closed) {
    return errc::stream_closed;
  }
  s.closed = true;
  // Closing reports matches that needed the end of data (a trailing \b).
  const hs_error_t rc = hs_close_stream(s.stream, s.scratch, detail::on_stream_match, &s);
  s.stream = nullptr;
  if (rc != HS_SUCCESS) {
    return errc::hyperscan_failure;
  }
  return detail::advance(s, true, out);
}

errc stream_redactor::reset() noexcept {
  detail::stream_state& s = *state_;
  if (s.stream != nullptr) {
    hs_close_stream(s.stream, s.scratch, nullptr, nullptr);
    s.stream = nullptr;
  }
  if (hs_open_stream(s.rules->stream_database(), 0, &s.stream) != HS_SUCCESS) {
    return errc::hyperscan_failure;
  }
  s.closed = false;
  s.holds.reset(*s.rules);
  s.buffer.clear();
  s.buffer_base = 0;
  s.emitted = 0;
  s.hits.clear();
  s.context_hits.clear();
  s.emitted_findings.clear();
  s.content.clear();
  return errc::ok;
}

void stream_redactor::set_redaction_mask(const std::vector<bool>* mask) noexcept { state_->redaction_mask = mask; }

std::size_t stream_redactor::held_bytes() const noexcept {
  return static_cast<std::size_t>(state_->end() - state_->emitted);
}

std::span<const finding> stream_redactor::findings() const noexcept { return state_->emitted_findings; }

std::span<const finding> stream_redactor::content_hits() const noexcept { return state_->content; }

}  // namespace sluice::engine
