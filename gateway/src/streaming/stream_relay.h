#pragma once
// The relay stage of a stream: reads usage (input tokens from message_start, the last cumulative
// output_tokens from message_delta) and adds the disclaimer as a final text block before
// message_delta. It sees Anthropic events, already framed (stream_event), and hands them on.
#include <cstdint>
#include <string>
#include <string_view>

#include "policies/exchange.h"
#include "streaming/stream_event.h"

namespace sluice::gateway {

class stream_relay {
 public:
  void begin(exchange& ex);
  // One event in; it goes on to `next`, after the disclaimer's events when it is message_delta.
  void on_event(const stream_event& event, stream_event_sink& next);
  // The upstream died: hands `next` an Anthropic error event (translated later for OpenAI clients).
  void fail(std::string_view message, stream_event_sink& next);

  [[nodiscard]] std::uint64_t input_tokens() const noexcept { return input_tokens_; }
  [[nodiscard]] std::uint64_t output_tokens() const noexcept { return output_tokens_; }
  // True once the stream's last event went by: message_stop, or the upstream's own error event.
  [[nodiscard]] bool saw_end() const noexcept { return saw_end_; }

 private:
  // Hands `next` an event of `type` with data_ (single-line JSON), written into raw_.
  void emit(std::string_view type, stream_event_sink& next);

  exchange* ex_ = nullptr;
  std::string data_;  // an event the relay writes itself: its data, then its bytes
  std::string raw_;
  std::uint64_t input_tokens_ = 0;
  std::uint64_t output_tokens_ = 0;
  int max_index_ = -1;
  bool appended_ = false;
  bool saw_end_ = false;
};

}  // namespace sluice::gateway
