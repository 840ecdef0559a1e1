#pragma once
// A scanner is one thread's handle on a shared ruleset: it owns a Hyperscan scratch (cloned from the
// ruleset's prototype) and every buffer a scan needs, so scanning allocates nothing once the buffers have
// grown to the largest input seen. Never share a scanner between threads; make one per thread.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/finding.h"
#include "sluice/engine/injection_model.h"
#include "sluice/engine/normalizer.h"
#include "sluice/engine/result.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/validators.h"

namespace sluice::engine {

struct scan_options {
  bool entities = true;   // pii and secret rules
  bool injection = true;  // injection signatures (on the normalized text, and decoded payloads)
  bool content = true;    // content-filter rules (on the normalized text)
  // With `injection`: the learned scorer (injection_model.h), run over the same normalized text and over
  // decoded payloads; its probability joins the signatures' score (scan_result::injection_score). Null:
  // signatures alone. The model must outlive the scan (it is shared, read-only, by every thread).
  const injection_model* model = nullptr;
  std::uint32_t max_candidates = 1u << 20;  // more raw matches than this: errc::too_many_findings
  validator_options validators;
};

struct scan_result {
  // Confirmed pii/secret findings after overlap resolution: sorted by start, never overlapping.
  std::vector<finding> entities;
  // Content-filter matches (original offsets), sorted by start; overlaps kept.
  std::vector<finding> content;
  // Injection signatures that matched, one per distinct rule, first occurrence (original offsets).
  // A signature found inside a decoded base64/hex payload reports the payload's span.
  std::vector<finding> injection;
  // The signatures' score in [0,1]: 1 - prod(1 - weight_i) over the distinct signatures that matched.
  double signature_score = 0;
  // The learned scorer's calibrated probability (0 without a model): the highest of the text's windows
  // and of its decoded payloads.
  double model_score = 0;
  // The injection score the policies compare with their threshold: the higher of the two above. Each
  // is a probability-like score on its own scale; taking the higher lets a precise signature block on
  // its own and lets the model catch what no signature names (docs/injection.md).
  double injection_score = 0;

  void clear() noexcept {
    entities.clear();
    content.clear();
    injection.clear();
    signature_score = 0;
    model_score = 0;
    injection_score = 0;
  }
};

struct scanner_buffers;  // private: candidate lists, normalized text, decode buffers

// The catalog's `encoded` rules by the run kind they describe (npos: not in the catalog).
struct encoded_rule_ids {
  std::uint32_t base64 = 0xffffffffu;
  std::uint32_t hex = 0xffffffffu;
};

class scanner {
 public:
  // Allocates this thread's scratch. Throws std::bad_alloc if Hyperscan cannot allocate it.
  explicit scanner(std::shared_ptr<const ruleset> rules);
  ~scanner();
  scanner(scanner&&) noexcept;
  scanner& operator=(scanner&&) noexcept;

  // Scans `text` (UTF-8) and fills `out` (cleared first).
  // Errors: invalid_utf8 (nothing scanned), hyperscan_failure, too_many_findings.
  [[nodiscard]] errc scan(std::string_view text, scan_result& out,
                          const scan_options& options = {}) noexcept;

  [[nodiscard]] const ruleset& rules() const noexcept { return *rules_; }
  [[nodiscard]] const std::shared_ptr<const ruleset>& shared_rules() const noexcept { return rules_; }
  // This scanner's scratch, for a stream redactor on the same thread.
  [[nodiscard]] hs_scratch_t* scratch() noexcept { return scratch_; }

 private:
  std::shared_ptr<const ruleset> rules_;
  hs_scratch_t* scratch_ = nullptr;
  std::unique_ptr<scanner_buffers> buffers_;
  encoded_rule_ids encoded_rules_;
};

}  // namespace sluice::engine
