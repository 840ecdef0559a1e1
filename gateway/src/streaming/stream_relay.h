#pragma once
// Relays an upstream SSE stream to the client. This is the gateway's seam to the streaming engine: it
// frames events, reads usage (input tokens from message_start, the last cumulative output_tokens from
// message_delta) and adds the disclaimer as a final text block before message_delta.
#include <cstdint>
#include <string>
#include <string_view>

#include "policies/exchange.h"

namespace sluice::gateway {

class stream_relay {
 public:
  void begin(exchange& ex);
  // Feeds upstream bytes; appends what the client may receive now to `out`. Returns false when the stream
  // must end (out then ends with an error event).
  bool feed(std::string_view bytes, std::string& out);
  // The upstream ended cleanly: flushes what is held.
  void finish(std::string& out);
  // The upstream died: appends an Anthropic error event (translated later for OpenAI clients).
  void fail(std::string_view message, std::string& out);

  [[nodiscard]] std::uint64_t input_tokens() const noexcept { return input_tokens_; }
  [[nodiscard]] std::uint64_t output_tokens() const noexcept { return output_tokens_; }

 private:
  void on_event(std::string_view event, std::string& out);

  exchange* ex_ = nullptr;
  std::string pending_;  // bytes of an incomplete event
  std::uint64_t input_tokens_ = 0;
  std::uint64_t output_tokens_ = 0;
  int max_index_ = -1;
  bool appended_ = false;
};

}  // namespace sluice::gateway
