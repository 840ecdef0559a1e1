#pragma once
// Everything one scanner reuses between scans. Grows to the largest input seen, never shrinks.
#include <cstdint>
#include <string>
#include <vector>

#include "sluice/engine/ruleset.h"

#include "sluice/engine/injection_model.h"
#include "sluice/engine/normalizer.h"
#include "scan/encoded_payload.h"
#include "scan/entity_confirmer.h"
#include "scan/span_resolver.h"

namespace sluice::engine {

struct text_rule_hit {
  std::uint32_t rule;
  std::uint64_t start;
  std::uint64_t end;
};

struct scanner_buffers {
  std::vector<detail::entity_hit> entity_hits;
  detail::confirm_scratch confirm;
  std::vector<detail::candidate> candidates;
  std::vector<detail::candidate> confirmed;
  std::vector<detail::context_hit> context_hits;
  std::vector<text_rule_hit> injection_hits;
  std::vector<text_rule_hit> content_hits;
  std::vector<payload_run> encoded_runs;
  // Prefilter part hits, recorded only when a pass reported them out of order (pass-local): `rule`
  // holds the part's index in ruleset::signature_parts().
  std::vector<detail::entity_hit> signature_hits;
  std::vector<std::uint64_t> part_last_end;  // per part: end of its latest hit (all unset between passes)
  // Signature windows worked out while the main pass reports part hits (scanner.cpp): per rule the
  // window being grown and the chain of closed ones; the rules in order of their first part hit.
  struct signature_window_state {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    bool open = false;
    bool seen = false;  // the rule had a part hit in this pass
    std::uint32_t first = 0xffffffffu;  // index of its first closed window in signature_windows
    std::uint32_t last = 0xffffffffu;
  };
  struct signature_window {
    std::uint64_t start;
    std::uint64_t end;
    std::uint32_t next;  // the rule's next window, or 0xffffffff
  };
  std::vector<signature_window_state> window_state;  // per rule (all unset between passes)
  std::vector<signature_window> signature_windows;
  std::vector<std::uint32_t> pass_signatures;  // rules with a part hit, in order of their first
  std::vector<std::uint8_t> signature_seen;  // per rule: already counted in this scan
  normalized_text normalized;
  std::string decoded;
  normalized_text decoded_normalized;
  model_scratch model;  // the learned scorer's folded copy of a text
};

}  // namespace sluice::engine
