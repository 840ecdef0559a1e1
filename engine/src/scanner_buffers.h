#pragma once
// Everything one scanner reuses between scans. Grows to the largest input seen, never shrinks.
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/engine/normalizer.h"
#include "encoded_payload.h"
#include "entity_confirmer.h"
#include "span_resolver.h"

namespace sluice::engine {

struct text_rule_hit {
  std::uint32_t rule;
  std::uint64_t start;
  std::uint64_t end;
};

struct scanner_buffers {
  std::vector<detail::entity_hit> entity_hits;
  std::vector<detail::confirm_window> windows;
  std::vector<detail::candidate> candidates;
  std::vector<detail::candidate> confirmed;
  std::vector<detail::context_hit> context_hits;
  std::vector<text_rule_hit> injection_hits;
  std::vector<text_rule_hit> content_hits;
  std::vector<payload_run> encoded_runs;
  std::vector<detail::entity_hit> signature_hits;  // prefilter hits awaiting their exact pattern (pass-local)
  std::vector<std::uint8_t> signature_confirmed;   // per rule: exact pattern found in this pass
  std::vector<std::uint8_t> signature_seen;  // per rule: already counted in this scan
  normalized_text normalized;
  std::string decoded;
  normalized_text decoded_normalized;
};

}  // namespace sluice::engine
