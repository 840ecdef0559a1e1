#pragma once
// A policy's streaming half: what it decides about a streamed response delta by delta, before the text
// reaches the client (what its on_response would decide about the whole response, but before the
// offending bytes are sent). The stream filter (streaming/, above this layer) consults the configured
// hooks through this interface; a policy without one leaves streams alone.
//
// A hook is built once per configuration and shared read-only by every shard; what it counts during one
// stream lives in a stream_hook_state the caller owns (one per hook per stream).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "policies/exchange.h"
#include "sluice/engine/finding.h"

namespace sluice::gateway {

// What the stream filter found in the text it is about to release (views valid during the call).
struct stream_findings {
  std::span<const engine::finding> entities;      // pii/secret findings redacted (or not) in the text
  std::span<const engine::finding> content_hits;  // content-filter terms ending in or before the text
};

struct stream_hook_state {
  std::uint32_t found = 0;  // findings of this policy's rules so far
  bool blocked = false;     // this hook stopped the stream
};

enum class stream_hook_answer : std::uint8_t { proceed, block, error };

class stream_hook {
 public:
  virtual ~stream_hook() = default;

  // The pii/secret rules whose findings the stream filter must replace, by rule id; null when this
  // policy redacts nothing in streams.
  [[nodiscard]] virtual const std::vector<bool>* redaction_mask() const noexcept { return nullptr; }

  // One release. block: the exchange has been refused (exchange::refuse) and `message` (owned by the
  // caller, reused between streams) says why; the stream ends there. error: the hook could not decide
  // (out of memory); the caller fails closed.
  [[nodiscard]] virtual stream_hook_answer check(exchange& ex, const stream_findings& found,
                                                 stream_hook_state& state, std::string& message) const noexcept = 0;

  // After the stream: adds this policy's response verdict to the exchange, as a whole response would.
  virtual void finish(exchange& ex, const stream_hook_state& state) const noexcept = 0;
};

// What the stream filter needs from the configured policies: their hooks, in registry order (the order
// a whole response's decisions are reported in), and the redaction mask.
struct response_rules {
  std::vector<const stream_hook*> hooks;  // owned by the policy chain

  // Anything to check in streamed responses?
  [[nodiscard]] bool active() const noexcept { return !hooks.empty(); }

  // What a stream replaces, by rule id: exactly what a whole response would (the first hook that
  // redacts; nothing when none does).
  [[nodiscard]] const std::vector<bool>& redaction_mask() const noexcept {
    for (const stream_hook* h : hooks) {
      if (const std::vector<bool>* mask = h->redaction_mask()) {
        return *mask;
      }
    }
    static const std::vector<bool> none;
    return none;
  }
};

}  // namespace sluice::gateway
