#pragma once
// One rule of the catalog, as loaded from engine/rules/*.yaml. Rules are data: the compiler turns the
// whole list into one Hyperscan database, and the rule's index in the list is its Hyperscan match id.
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/engine/validators.h"

namespace sluice::engine {

enum class rule_kind : std::uint8_t {
  pii,        // personal data: redacted or blocked by the pii-detector policy
  secret,     // credentials: redacted like PII, reported as their own entity types
  injection,  // prompt-injection signature: scored, scanned on the normalized text
  content,    // content-filter term or pattern, with a category
  encoded,    // a run of base64 or hex (entity "base64"/"hex"): decoded and re-scanned for injection
  context,    // internal: context words that confirm or boost another rule (generated, not written)
};

[[nodiscard]] std::string_view to_string(rule_kind k) noexcept;

// How a rule's context words act on a candidate.
enum class context_mode : std::uint8_t {
  none,      // no context words
  required,  // the candidate is confirmed only if a context word ends within `window` bytes before it
};

struct rule_example {
  std::string text;      // the example text, with [[ and ]] marking the expected span if given
};

struct rule {
  std::string id;            // unique, e.g. "pii.email"
  rule_kind kind = rule_kind::pii;
  std::string entity;        // entity type (EMAIL, API_KEY…) for pii/secret; category for injection/content
  std::string pattern;       // Hyperscan regular expression: exactly the entity (pii/secret)
  // pii/secret: `prefilter:`, a cheap pattern for the main scan that matches inside every match of
  // `pattern` (its end lies within the entity's span). Empty: `pattern` itself. See docs/architecture.md.
  std::string prefilter;
  // injection/content: `prefilter:` as the parts every match contains, in the order they occur in it (the
  // last one ends last); one part written as a string, several as a list. Empty: parts derived from
  // `pattern` (prefilter_derivation.h).
  std::vector<std::string> prefilter_parts;
  unsigned hs_flags = 0;     // HS_FLAG_* bits from `flags:`
  validator_kind validator = validator_kind::none;
  std::vector<std::string> context_words;
  context_mode context = context_mode::none;
  std::uint32_t context_window = 48;  // bytes before the candidate searched for a context word
  // The candidate must follow its context word in the same clause, as the first number: no digit, ','
  // or ';' between the word's end and the candidate's start ("DOB: 1980-01-02, admitted 2020-03-04"
  // gives one date of birth, "DOB unknown, see ticket 2019-04-23" none).
  bool context_same_clause = false;
  // `report: through_last_digit`: the match may end in words that say what the number is ("416 60 039
  // office", "3660170548-Fax"), read as part of the match so that a stream never waits for them, but the
  // finding ends at the match's last digit (the validator sees that span too).
  bool report_through_last_digit = false;
  double weight = 1.0;       // injection: signature weight in [0,1]; others: confidence
  std::string language;      // injection: ISO 639-1 code of the signature's language, "" if any
  // injection: `model_covered: true` — with a learned model in use, the signature is evidence only: still
  // reported (and named in a refusal) but adds nothing to the score, because the model flags by itself most
  // of the attacks it matches while the signature also fires on benign text (docs/injection.md).
  bool model_covered = false;
  // Streaming hold-back description (pii and secret rules): every byte a match can contain is in
  // `stream_charset` (a 256-bit set), and a match starts with one of `stream_leads` when there are any
  // (in any ASCII case when the rule is caseless).
  // Together with the maximum match width Hyperscan computes, this bounds how far back a match that is
  // still open can reach, so the stream redactor holds back only that much.
  std::string stream_charset_spec;  // as written in YAML, e.g. "[A-Za-z0-9._%+@-]"
  std::vector<std::string> stream_leads;
  // Longest match that counts as this entity, in bytes; required when the pattern itself is unbounded
  // (Hyperscan compiles unbounded repeats with start-of-match far smaller than large bounded ones).
  // A longer match is not a finding, in block and stream mode alike.
  std::uint32_t stream_max_width = 0;
  // When not 0: every match holds an ASCII digit among its first `stream_digit_within` bytes (a date
  // whose month is written out still reaches its day within 15 bytes), so an open match with no digit
  // yet started at most that far back.
  std::uint32_t stream_digit_within = 0;
  std::vector<rule_example> positives;
  std::vector<rule_example> negatives;
  // Where the rule was written, for error messages.
  std::string source_file;
  int source_line = 0;
};

}  // namespace sluice::engine
