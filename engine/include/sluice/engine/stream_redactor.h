#pragma once
// Redacts text that arrives in pieces (the deltas of one streamed content block) so that the
// concatenated output is byte for byte the block-mode redaction of the whole text, while holding back as
// little as possible.
//
// After each piece, the text is split at a hold point: everything before it can no longer be touched by
// any entity (no pii/secret rule can still have a match open there: the open tail would have to consist
// only of the rule's charset bytes, start with its lead, and be no longer than its width), and is emitted
// redacted; the rest waits. For ordinary prose the hold-back is the unfinished word; it never exceeds
// ruleset::max_redaction_width() bytes plus an incomplete UTF-8 character. finish() flushes the rest.
//
// One per content block, on the thread that owns `scratch`. Not thread-safe; cheap to reset and reuse.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <hs/hs.h>

#include "sluice/engine/finding.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/result.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/validators.h"

namespace sluice::engine {

namespace detail {
struct stream_state;
}

class stream_redactor {
 public:
  // `scratch` is this thread's (scanner::scratch()); `placeholders` numbers values across the request.
  // Throws std::bad_alloc if the Hyperscan stream cannot be opened.
  stream_redactor(std::shared_ptr<const ruleset> rules, hs_scratch_t* scratch, redactor& placeholders,
                  const validator_options& validators = {});
  ~stream_redactor();
  stream_redactor(const stream_redactor&) = delete;
  stream_redactor& operator=(const stream_redactor&) = delete;

  // Feeds the next piece of the block's text and appends to `out` what became final.
  // Errors: stream_closed (after finish), hyperscan_failure, input_too_large (block over 4 GiB).
  [[nodiscard]] errc write(std::string_view piece, std::string& out) noexcept;
  // Ends the block: appends everything still held back, redacted.
  // Errors: stream_closed (twice), hyperscan_failure.
  [[nodiscard]] errc finish(std::string& out) noexcept;
  // Starts a new block with the same rules and scratch, keeping buffers.
  // Errors: hyperscan_failure.
  [[nodiscard]] errc reset() noexcept;

  // Which pii/secret rules are replaced by placeholders, indexed by rule id; null (the default) means
  // all of them. A finding of a rule outside the set is still reported by findings() but its text is
  // emitted unchanged: a policy that only flags, or redacts some entities, sees every finding. The
  // vector is not owned and must outlive the redactor; it survives reset().
  void set_redaction_mask(const std::vector<bool>* mask) noexcept;

  // Bytes received but not yet emitted.
  [[nodiscard]] std::size_t held_bytes() const noexcept;
  // Every finding emitted so far in this block (offsets into the block's original text).
  [[nodiscard]] std::span<const finding> findings() const noexcept;
  // Content-filter terms seen so far (reported where they end, in the original text).
  [[nodiscard]] std::span<const finding> content_hits() const noexcept;

 private:
  std::unique_ptr<detail::stream_state> state_;
};

}  // namespace sluice::engine
