// Block scanning: one Hyperscan pass over the original text collects entity hits (confirmed with exact
// spans afterwards, see entity_confirmer.h) and context words (and, when normalization changes nothing, injection and content hits too); when normalization
// does change the text, a second pass over the normalized text collects injection and content hits,
// mapped back to original offsets. Encoded runs are decoded and their text re-scanned for injection.
#include "sluice/engine/scanner.h"

#include <simdjson.h>

#include <algorithm>
#include <new>

#include "scan/encoded_payload.h"
#include "scan/scanner_buffers.h"

namespace sluice::engine {
namespace {

enum class pass_kind : std::uint8_t {
  everything,   // original text, nothing normalized away: collect all kinds
  entities,     // original text when a normalized pass follows: entities, context, encoded runs
  text_rules,   // normalized text: injection and content, offsets mapped back
  decoded,      // decoded payload: injection only, reported at the payload's span
};

struct pass_context {
  scanner_buffers* buffers;
  const ruleset* rules;
  const scan_options* options;
  const normalized_text* map;  // for text_rules: offsets back to the original
  pass_kind kind;
  std::uint64_t payload_start;  // for decoded
  std::uint64_t payload_end;
  std::size_t matches;
  // Set by run_pass: for working out signature windows while the pass reports part hits.
  std::uint64_t text_size = 0;
  std::uint64_t last_part_end = 0;
  bool parts_out_of_order = false;  // a part hit ended before the previous one: windows are grouped after
  bool collecting_parts = false;    // the pass again, only to record every part hit for the grouping
};

std::uint64_t to_original(const pass_context& p, unsigned long long offset) noexcept {
  return p.map != nullptr ? p.map->original_offset(static_cast<std::uint32_t>(offset)) : offset;
}

// Records an injection or content match that ends at `to` in the pass's text.
void record_text_rule(pass_context& p, unsigned id, unsigned long long to) noexcept {
  scanner_buffers& b = *p.buffers;
  const rule& r = p.rules->at(id);
  const bool text_rules = p.kind == pass_kind::everything || p.kind == pass_kind::text_rules;
  if (r.kind == rule_kind::injection) {
    if (p.kind == pass_kind::decoded) {
      b.injection_hits.push_back({id, p.payload_start, p.payload_end});
    } else if (text_rules && p.options->injection) {
      const std::uint64_t end = to_original(p, to);
      b.injection_hits.push_back({id, end, end});
    }
  } else if (r.kind == rule_kind::content && text_rules && p.options->content) {
    // Content terms are reported where they end (no start-of-match in the main scan).
    const std::uint64_t end = to_original(p, to);
    b.content_hits.push_back({id, end, end});
  }
}

bool wants_text_rule(const pass_context& p, rule_kind kind) noexcept {
  if (kind == rule_kind::injection) {
    return p.options->injection && p.kind != pass_kind::entities;
  }
  return kind == rule_kind::content && p.options->content &&
         (p.kind == pass_kind::everything || p.kind == pass_kind::text_rules);
}

void track_part_hit(pass_context& p, std::uint32_t part, std::uint64_t at) noexcept;

void on_part_hit(pass_context& p, std::uint32_t part, std::uint64_t at) noexcept {
  if (!wants_text_rule(p, p.rules->signature_parts()[part].kind)) {
    return;
  }
  if (p.collecting_parts) {
    p.buffers->signature_hits.push_back({part, at});
  } else {
    track_part_hit(p, part, at);
  }
}

int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) noexcept {
  auto& p = *static_cast<pass_context*>(ctx);
  // A collecting scan (a pass whose part hits came out of order, scanned again) only records part hits.
  if (!p.collecting_parts && ++p.matches > p.options->max_candidates) {
    return 1;  // stop: the caller reports too_many_findings
  }
  if (id >= p.rules->size()) {
    // A prefilter part of a signature, or a word shared by several: confirmed after the pass where all
    // parts of a branch meet.
    const std::size_t part = id - p.rules->size();
    const std::size_t part_count = p.rules->signature_parts().size();
    if (part < part_count) {
      on_part_hit(p, static_cast<std::uint32_t>(part), to);
    } else {
      for (const std::uint32_t word_part : p.rules->parts_of_word(part - part_count)) {
        on_part_hit(p, word_part, to);
      }
    }
    return 0;
  }
  if (p.collecting_parts) {
    return 0;
  }
  const rule& r = p.rules->at(id);
  scanner_buffers& b = *p.buffers;
  const bool original = p.kind == pass_kind::everything || p.kind == pass_kind::entities;
  switch (r.kind) {
    case rule_kind::pii:
    case rule_kind::secret:
      if (original && p.options->entities) {
        b.entity_hits.push_back({id, to});
      }
      break;
    case rule_kind::context:
      if (original && p.options->entities) {
        b.context_hits.push_back({id, to});
      }
      break;
    case rule_kind::encoded:
      break;  // found by find_encoded_runs, not by the database
    case rule_kind::injection:
    case rule_kind::content:
      if (!wants_text_rule(p, r.kind)) {
        break;
      }
      record_text_rule(p, id, to);  // matched whole (a prefiltered rule never matches by its own id)
      break;
  }
  return 0;
}

struct signature_window_scan {
  pass_context* pass;
  std::uint32_t rule;  // the signature's own database numbers its one expression 0
  std::uint64_t window_start;
  bool found;
};

int on_signature(unsigned, unsigned long long, unsigned long long to, unsigned, void* ctx) noexcept {
  auto& w = *static_cast<signature_window_scan*>(ctx);
  record_text_rule(*w.pass, w.rule, w.window_start + to);
  w.found = true;
  return 1;  // one occurrence per rule and pass is all the score and the report need
}

// ASCII word byte, as Hyperscan's \b sees it without the ucp flag.
bool is_word_byte(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_';
}

bool is_continuation_byte(char c) noexcept { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Moves a window start back to where the text's own left context is harmless: a line start for a
// signature that uses `^`; otherwise a non-word ASCII byte before it (so `\b` at the window's edge
// reads as in the whole text), looked for at most `reach` bytes back, and never inside a UTF-8
// character (utf8 databases need whole characters).
std::uint64_t snap_start(std::string_view text, std::uint64_t start, bool line_anchored) noexcept {
  if (line_anchored) {
    while (start > 0 && text[start - 1] != '\n') --start;
    return start;
  }
  constexpr std::uint64_t reach = 64;
  const std::uint64_t floor = start > reach ? start - reach : 0;
  std::uint64_t s = start;
  while (s > floor && (is_word_byte(text[s - 1]) || is_continuation_byte(text[s]))) --s;
  while (s > 0 && is_continuation_byte(text[s])) --s;  // a very long word: at least a whole character
  return s;
}

// Moves a window end forward past the current word and character, likewise.
std::uint64_t snap_end(std::string_view text, std::uint64_t end) noexcept {
  constexpr std::uint64_t reach = 64;
  const std::uint64_t ceiling = std::min<std::uint64_t>(text.size(), end + reach);
  std::uint64_t e = end;
  while (e < ceiling && (is_word_byte(text[e]) || is_continuation_byte(text[e]))) ++e;
  while (e < text.size() && is_continuation_byte(text[e])) ++e;
  return e;
}

constexpr std::uint32_t no_window = 0xffffffffu;

void close_window(scanner_buffers& b, scanner_buffers::signature_window_state& state) noexcept {
  const auto index = static_cast<std::uint32_t>(b.signature_windows.size());
  b.signature_windows.push_back({state.start, state.end, no_window});
  if (state.last == no_window) {
    state.first = index;
  } else {
    b.signature_windows[state.last].next = index;
  }
  state.last = index;
  state.open = false;
}

// Looks for the exact pattern of each prefiltered signature around the places where its parts meet.
// A signature match is at most `signature_window` bytes wide and contains every part of its branch, so
// it lies within `signature_window` bytes either side of each of those parts' hits, and all of them lie
// within `signature_window` bytes of each other. Parts are in pattern order, so in a match the last
// part's hit ends after the others'. Hits are taken in order of their ends; a hit of a branch's last part
// where every other part of the branch was last seen no more than that far back gets a window of that
// size either side; a signature's overlapping windows are merged, and it stops at its first confirmed
// window (confirm_signatures). Ordinary prose seldom brings the parts of a branch together, and a window
// costs one small scan instead of one to the end of the text.
//
// Hyperscan reports matches almost always in order of their ends, so the windows are worked out hit by
// hit while the pass runs, and nothing is recorded per hit. When a pass reports a part hit out of order
// (seen in 3 of the ~6000 corpus records, one byte early), run_pass scans again to record the hits, and
// replays them here in order.
void track_part_hit(pass_context& p, std::uint32_t part, std::uint64_t at) noexcept {
  if (at < p.last_part_end) {
    p.parts_out_of_order = true;
  }
  p.last_part_end = at;
  if (p.parts_out_of_order) {
    return;
  }
  scanner_buffers& b = *p.buffers;
  const signature_part& sp = p.rules->signature_parts()[part];
  constexpr std::uint64_t none = ~std::uint64_t{0};
  std::uint64_t& last_end = b.part_last_end[part];
  if (last_end == none) {
    // The part's first hit in this pass, so perhaps its rule's first. (Most hits are later hits of
    // parts that are not last in their branch, and touch nothing but this entry.)
    auto& state = b.window_state[sp.rule];
    if (!state.seen) {
      state.seen = true;
      b.pass_signatures.push_back(sp.rule);
    }
  }
  last_end = at;
  if (part != sp.branch_first + sp.branch_size - 1) {
    return;  // a match ends its branch's parts with the last one: windows open at its hits only
  }
  auto& state = b.window_state[sp.rule];
  const std::uint64_t w = ruleset::signature_window;
  for (std::uint32_t q = sp.branch_first; q < part; ++q) {
    const std::uint64_t seen = b.part_last_end[q];
    if (seen == none || seen + w < at) {
      return;
    }
  }
  if (state.open && at <= state.end + w) {
    state.end = std::min<std::uint64_t>(p.text_size, at + w);  // overlaps the window being grown
    return;
  }
  if (state.open) {
    close_window(b, state);
  }
  state.open = true;
  state.start = at > w ? at - w : 0;
  state.end = std::min<std::uint64_t>(p.text_size, at + w);
}

// Leaves the per-part and per-rule tracking unset for the next pass: every part that had a hit belongs
// to a rule in pass_signatures.
void reset_window_tracking(const ruleset& rules, scanner_buffers& b) noexcept {
  constexpr std::uint64_t none = ~std::uint64_t{0};
  for (const std::uint32_t rule : b.pass_signatures) {
    const auto [first, count] = rules.parts_of_rule(rule);
    std::fill_n(b.part_last_end.begin() + first, count, none);
    b.window_state[rule] = {};
  }
  b.pass_signatures.clear();
  b.signature_windows.clear();
}

// Scans each signature's windows in order, in the order of the signatures' first part hits, until one
// confirms it.
errc confirm_signatures(std::string_view text, hs_scratch_t* scratch, pass_context& p) noexcept {
  scanner_buffers& b = *p.buffers;
  errc result = errc::ok;
  for (const std::uint32_t rule : b.pass_signatures) {
    auto& state = b.window_state[rule];
    if (state.open) {
      close_window(b, state);
    }
    const hs_database_t* db = p.rules->signature_database(rule);
    const bool line_anchored = p.rules->signature_line_anchored(rule);
    for (std::uint32_t k = state.first; k != no_window && result == errc::ok; k = b.signature_windows[k].next) {
      const std::uint64_t from = snap_start(text, b.signature_windows[k].start, line_anchored);
      const std::uint64_t to = snap_end(text, b.signature_windows[k].end);
      signature_window_scan ctx{&p, rule, from, false};
      const hs_error_t rc = hs_scan(db, text.data() + from, static_cast<unsigned>(to - from), 0, scratch,
                                    on_signature, &ctx);
      if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {
        result = errc::hyperscan_failure;
      }
      if (ctx.found) {
        break;
      }
    }
    if (result != errc::ok) {
      break;
    }
  }
  reset_window_tracking(*p.rules, b);
  return result;
}

}  // namespace

scanner::scanner(std::shared_ptr<const ruleset> rules)
    : rules_(std::move(rules)), buffers_(std::make_unique<scanner_buffers>()) {
  for (std::size_t i = 0; i < rules_->stats().rule_count; ++i) {
    const rule& r = rules_->at(static_cast<std::uint32_t>(i));
    if (r.kind == rule_kind::encoded) {
      (r.entity == "hex" ? encoded_rules_.hex : encoded_rules_.base64) = static_cast<std::uint32_t>(i);
    }
  }
  if (hs_clone_scratch(rules_->prototype_scratch(), &scratch_) != HS_SUCCESS) {
    throw std::bad_alloc();
  }
  buffers_->signature_seen.assign(rules_->size(), 0);
  buffers_->window_state.assign(rules_->size(), {});
  buffers_->part_last_end.assign(rules_->signature_parts().size(), ~std::uint64_t{0});
}

scanner::~scanner() {
  if (scratch_ != nullptr) {
    hs_free_scratch(scratch_);
  }
}

scanner::scanner(scanner&& other) noexcept
    : rules_(std::move(other.rules_)),
      scratch_(other.scratch_),
      buffers_(std::move(other.buffers_)),
      encoded_rules_(other.encoded_rules_) {
  other.scratch_ = nullptr;
}

scanner& scanner::operator=(scanner&& other) noexcept {
  if (this != &other) {
    if (scratch_ != nullptr) {
      hs_free_scratch(scratch_);
    }
    rules_ = std::move(other.rules_);
    scratch_ = other.scratch_;
    buffers_ = std::move(other.buffers_);
    encoded_rules_ = other.encoded_rules_;
    other.scratch_ = nullptr;
  }
  return *this;
}

namespace {

errc run_pass(const hs_database_t* db, std::string_view text, hs_scratch_t* scratch, pass_context& p) noexcept {
  p.buffers->signature_hits.clear();
  p.text_size = text.size();
  p.last_part_end = 0;
  p.parts_out_of_order = false;
  const hs_error_t rc = hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &p);
  if (rc != HS_SUCCESS) {
    reset_window_tracking(*p.rules, *p.buffers);
    return rc == HS_SCAN_TERMINATED ? errc::too_many_findings : errc::hyperscan_failure;
  }
  if (p.parts_out_of_order) {
    // Rare: record every part hit, put them in order of their ends, and track them again.
    reset_window_tracking(*p.rules, *p.buffers);
    p.collecting_parts = true;
    const hs_error_t again = hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &p);
    p.collecting_parts = false;
    if (again != HS_SUCCESS) {
      return errc::hyperscan_failure;
    }
    auto& hits = p.buffers->signature_hits;
    std::sort(hits.begin(), hits.end(), [](const detail::entity_hit& x, const detail::entity_hit& y) {
      return x.end != y.end ? x.end < y.end : x.rule < y.rule;
    });
    p.parts_out_of_order = false;
    p.last_part_end = 0;
    for (const detail::entity_hit& h : hits) {
      track_part_hit(p, h.rule, h.end);
    }
  }
  return confirm_signatures(text, scratch, p);
}

// Decodes each encoded run once and scans the decoded text (normalized) for injection signatures.
errc scan_encoded_payloads(std::string_view text, const ruleset& rules, hs_scratch_t* scratch,
                           const scan_options& options, scanner_buffers& b, scan_result& out) noexcept {
  for (const payload_run& run : b.encoded_runs) {
    const std::string_view kind = rules.at(run.rule).entity;
    if (!decode_payload(text.substr(run.start, run.end - run.start), kind, b.decoded)) {
      continue;
    }
    normalizer norm;
    std::string_view decoded_text = b.decoded;
    if (norm.normalize(b.decoded, b.decoded_normalized) == errc::ok && b.decoded_normalized.changed) {
      decoded_text = b.decoded_normalized.text;
    }
    pass_context p{&b, &rules, &options, nullptr, pass_kind::decoded, run.start, run.end, 0};
    if (const errc e = run_pass(rules.text_rules_database(), decoded_text, scratch, p); e != errc::ok) {
      return e;
    }
    if (options.model != nullptr) {
      // A payload is text of its own: an attack hidden in base64 scores as the attack, not diluted by
      // the gibberish it looked like before decoding.
      out.model_score = std::max(out.model_score, options.model->score_normalized(decoded_text, b.model).probability);
    }
  }
  return errc::ok;
}

void collect_injection(const ruleset& rules, const scan_options& options, scanner_buffers& b,
                       scan_result& out) noexcept {
  // One entry per distinct signature, at its first occurrence in the original text.
  std::sort(b.injection_hits.begin(), b.injection_hits.end(),
            [](const text_rule_hit& x, const text_rule_hit& y) {
              return x.start != y.start ? x.start < y.start : x.rule < y.rule;
            });
  double keep = 1.0;
  for (const auto& h : b.injection_hits) {
    if (b.signature_seen[h.rule] != 0) {
      continue;
    }
    b.signature_seen[h.rule] = 1;
    out.injection.push_back(finding{h.rule, static_cast<std::uint32_t>(h.start), static_cast<std::uint32_t>(h.end)});
    if (options.model == nullptr || !rules.at(h.rule).model_covered) {
      keep *= 1.0 - rules.at(h.rule).weight;
    }
  }
  for (const auto& h : b.injection_hits) {
    b.signature_seen[h.rule] = 0;
  }
  out.signature_score = 1.0 - keep;
}

}  // namespace

errc scanner::scan(std::string_view text, scan_result& out, const scan_options& options) noexcept {
  out.clear();
  if (text.size() > 0xffffffffu) {
    return errc::input_too_large;
  }
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    return errc::invalid_utf8;
  }
  scanner_buffers& b = *buffers_;
  b.entity_hits.clear();
  b.candidates.clear();
  b.confirmed.clear();
  b.context_hits.clear();
  b.injection_hits.clear();
  b.content_hits.clear();
  b.encoded_runs.clear();

  // Content alone over a catalog without content rules has nothing to find: no normalization, no pass
  // of the text-rules database (whose injection half would cost as much as everything else together).
  // Content without injection scans the content rules' own database.
  const bool wants_text_rules = options.injection || (options.content && rules_->has_content_rules());
  const hs_database_t* text_db = options.injection ? rules_->text_rules_database() : rules_->content_database();
  bool normalized_differs = false;
  if (wants_text_rules) {
    normalizer norm;
    if (const errc e = norm.normalize(text, b.normalized); e != errc::ok) {
      return e;
    }
    normalized_differs = b.normalized.changed;
  }

  // One pass of the whole block database when entities and injection are wanted over the same text;
  // otherwise each side's own database over its own text (entities over the original, text rules or
  // content alone over the normalized).
  const bool one_pass = options.entities && options.injection && !normalized_differs;
  pass_context first{&b, rules_.get(), &options, nullptr, one_pass ? pass_kind::everything : pass_kind::entities,
                     0, 0, 0};
  if (one_pass || options.entities) {
    const hs_database_t* db = one_pass ? rules_->block_database() : rules_->entity_database();
    if (const errc e = run_pass(db, text, scratch_, first); e != errc::ok) {
      return e;
    }
  }
  if (wants_text_rules && !one_pass) {
    pass_context second{&b,  rules_.get(), &options, normalized_differs ? &b.normalized : nullptr, pass_kind::text_rules,
                        0, 0, first.matches};
    const std::string_view pass_text = normalized_differs ? std::string_view(b.normalized.text) : text;
    if (const errc e = run_pass(text_db, pass_text, scratch_, second); e != errc::ok) {
      return e;
    }
  }
  if (options.injection) {
    if (options.model != nullptr) {
      const std::string_view normalized = normalized_differs ? std::string_view(b.normalized.text) : text;
      out.model_score = options.model->score_normalized(normalized, b.model).probability;
    }
    find_encoded_runs(text, encoded_rules_, b.encoded_runs);
    if (const errc e = scan_encoded_payloads(text, *rules_, scratch_, options, b, out); e != errc::ok) {
      return e;
    }
    collect_injection(*rules_, options, b, out);
    out.injection_score = std::max(out.signature_score, out.model_score);
  }
  if (options.entities) {
    const detail::text_window whole{text, 0};
    if (const errc e = detail::confirm_hits(b.entity_hits, b.context_hits, whole, true, *rules_, scratch_, b.confirm,
                                             b.candidates);
        e != errc::ok) {
      return e;
    }
    detail::confirm_candidates(b.candidates, b.context_hits, whole, *rules_, options.validators, b.confirmed);
    detail::merge_overlaps(b.confirmed, 0, out.entities);
  }
  if (options.content) {
    std::sort(b.content_hits.begin(), b.content_hits.end(),
              [](const text_rule_hit& x, const text_rule_hit& y) {
                return x.start != y.start ? x.start < y.start : x.end > y.end;
              });
    for (const auto& h : b.content_hits) {
      out.content.push_back(finding{h.rule, static_cast<std::uint32_t>(h.start), static_cast<std::uint32_t>(h.end)});
    }
  }
  return errc::ok;
}

}  // namespace sluice::engine
