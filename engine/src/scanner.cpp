// Block scanning: one Hyperscan pass over the original text collects entity hits (confirmed with exact
// spans afterwards, see entity_confirmer.h) and context words (and, when normalization changes nothing, injection and content hits too); when normalization
// does change the text, a second pass over the normalized text collects injection and content hits,
// mapped back to original offsets. Encoded runs are decoded and their text re-scanned for injection.
#include "sluice/engine/scanner.h"

#include <simdjson.h>

#include <algorithm>
#include <new>

#include "encoded_payload.h"
#include "scanner_buffers.h"

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

int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) noexcept {
  auto& p = *static_cast<pass_context*>(ctx);
  if (id >= p.rules->size()) {
    return 0;
  }
  if (++p.matches > p.options->max_candidates) {
    return 1;  // stop: the caller reports too_many_findings
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
      if (p.rules->signature_database(id) != nullptr) {
        b.signature_hits.push_back({id, to});  // a prefilter hit: confirmed after the pass
      } else {
        record_text_rule(p, id, to);
      }
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

// Looks for the exact pattern of each prefiltered signature around its hits in the pass's text.
errc confirm_signatures(std::string_view text, hs_scratch_t* scratch, pass_context& p) noexcept {
  scanner_buffers& b = *p.buffers;
  if (b.signature_hits.empty()) {
    return errc::ok;
  }
  std::sort(b.signature_hits.begin(), b.signature_hits.end(),
            [](const detail::entity_hit& x, const detail::entity_hit& y) {
              return x.rule != y.rule ? x.rule < y.rule : x.end < y.end;
            });
  const std::uint64_t w = ruleset::signature_window;
  std::uint32_t done_rule = ruleset::npos;
  std::uint64_t scanned_until = 0;
  for (const auto& hit : b.signature_hits) {
    if (hit.rule == done_rule) {
      if (b.signature_confirmed[hit.rule] != 0 || hit.end + w <= scanned_until) {
        continue;
      }
    } else {
      done_rule = hit.rule;
      scanned_until = 0;
    }
    // The prefilter reports its first hit only: any match of the signature lies after hit - window.
    const std::uint64_t start = std::max<std::uint64_t>(hit.end > w ? hit.end - w : 0, scanned_until);
    const std::uint64_t end = text.size();
    scanned_until = end;
    signature_window_scan ctx{&p, hit.rule, start, false};
    const hs_error_t rc = hs_scan(p.rules->signature_database(hit.rule), text.data() + start,
                                  static_cast<unsigned>(end - start), 0, scratch, on_signature, &ctx);
    if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {
      return errc::hyperscan_failure;
    }
    if (ctx.found) {
      b.signature_confirmed[hit.rule] = 1;
    }
  }
  for (const auto& hit : b.signature_hits) {
    b.signature_confirmed[hit.rule] = 0;
  }
  b.signature_hits.clear();
  return errc::ok;
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
  buffers_->signature_confirmed.assign(rules_->size(), 0);
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
  const hs_error_t rc = hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, on_match, &p);
  if (rc == HS_SCAN_TERMINATED) {
    return errc::too_many_findings;
  }
  if (rc != HS_SUCCESS) {
    return errc::hyperscan_failure;
  }
  return confirm_signatures(text, scratch, p);
}

// Decodes each encoded run once and scans the decoded text (normalized) for injection signatures.
errc scan_encoded_payloads(std::string_view text, const ruleset& rules, hs_scratch_t* scratch,
                           const scan_options& options, scanner_buffers& b) noexcept {
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
    if (const errc e = run_pass(rules.block_database(), decoded_text, scratch, p); e != errc::ok) {
      return e;
    }
  }
  return errc::ok;
}

void collect_injection(const ruleset& rules, scanner_buffers& b, scan_result& out) noexcept {
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
    keep *= 1.0 - rules.at(h.rule).weight;
  }
  for (const auto& h : b.injection_hits) {
    b.signature_seen[h.rule] = 0;
  }
  out.injection_score = 1.0 - keep;
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

  const bool wants_text_rules = options.injection || options.content;
  bool normalized_differs = false;
  if (wants_text_rules) {
    normalizer norm;
    if (const errc e = norm.normalize(text, b.normalized); e != errc::ok) {
      return e;
    }
    normalized_differs = b.normalized.changed;
  }

  const hs_database_t* db = rules_->block_database();
  pass_context first{&b, rules_.get(), &options, nullptr,
                     normalized_differs ? pass_kind::entities : pass_kind::everything, 0, 0, 0};
  if (const errc e = run_pass(db, text, scratch_, first); e != errc::ok) {
    return e;
  }
  if (normalized_differs) {
    pass_context second{&b, rules_.get(), &options, &b.normalized, pass_kind::text_rules, 0, 0, first.matches};
    if (const errc e = run_pass(db, b.normalized.text, scratch_, second); e != errc::ok) {
      return e;
    }
  }
  if (options.injection) {
    find_encoded_runs(text, encoded_rules_, b.encoded_runs);
    if (const errc e = scan_encoded_payloads(text, *rules_, scratch_, options, b); e != errc::ok) {
      return e;
    }
    collect_injection(*rules_, b, out);
  }
  if (options.entities) {
    const detail::text_window whole{text, 0};
    if (const errc e = detail::confirm_hits(b.entity_hits, whole, true, *rules_, scratch_, b.windows, b.candidates);
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
