#pragma once
// What one streamed answer does to each upstream read, in one pass: the read is framed once into SSE
// events (the only framing of the stream), each event goes through the stream filter (when response
// policies check streams), the relay (usage, disclaimer) and, for an OpenAI client, the translation
// into chat.completion chunks; the client's bytes are appended to one buffer, written in one write.
//
//   transform.begin(ex, filter_or_null, translator_or_null, parser, limits);
//   per read:       if (!transform.feed(bytes, out)) -> the stream is over (its error event is in out)
//   upstream EOF:   transform.finish(out)       upstream broke: transform.fail(message, out)
//   then            transform.close(out) (an OpenAI stream that did not finish gets its error event)
//
// One per connection, reused for each stream (buffers kept). Not thread-safe.
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "dialects/openai/openai_response.h"
#include "policies/exchange.h"
#include "streaming/stream_event.h"
#include "streaming/stream_filter.h"
#include "streaming/stream_relay.h"
#include "wire/sse_parser.h"

namespace sluice::gateway {

class stream_transform {
 public:
  stream_transform() = default;
  stream_transform(const stream_transform&) = delete;
  stream_transform& operator=(const stream_transform&) = delete;

  // A new stream. `filter` (reset, null: no filtering) and `translator` (started, null: an Anthropic
  // client) outlive it; `parser` reads the translated events' JSON. `limits`: the framing's (the filter's
  // own when filtering).
  void begin(exchange& ex, stream_filter* filter, openai_stream_translator* translator,
             simdjson::ondemand::parser& parser, const sse_limits& limits);

  // One upstream read; appends the client's bytes to `out`. False: the stream is over (the filter or
  // the translation ended it; `out` then ends with the error event).
  bool feed(std::string_view bytes, std::string& out);
  // The upstream ended cleanly. False: the stream is incomplete (no message_stop, or cut inside an
  // event); its error event is in `out`, or for an OpenAI client comes from close().
  bool finish(std::string& out);
  // The upstream broke mid-stream: an error event with `message`.
  void fail(std::string_view message, std::string& out);
  // The stream is over for a client still there: an OpenAI stream whose translation did not finish
  // (no message_stop, no error event) gets an error event of its own.
  void close(std::string& out);

  // Usage as the relay read it.
  [[nodiscard]] std::uint64_t input_tokens() const noexcept { return relay_.input_tokens(); }
  [[nodiscard]] std::uint64_t output_tokens() const noexcept { return relay_.output_tokens(); }

 private:
  // Filter -> relay.
  class to_relay final : public stream_event_sink {
   public:
    explicit to_relay(stream_transform& t) noexcept : t_(t) {}
    void on_event(const stream_event& event) override;

   private:
    stream_transform& t_;
  };
  // Relay -> the client (translated for OpenAI).
  class to_client final : public stream_event_sink {
   public:
    explicit to_client(stream_transform& t) noexcept : t_(t) {}
    void on_event(const stream_event& event) override;

   private:
    stream_transform& t_;
  };

  // The framer met an event over the limit: the stream ends with an error event.
  void event_too_large();

  sse_parser framer_;
  sse_limits limits_;
  stream_relay relay_;
  stream_filter* filter_ = nullptr;
  openai_stream_translator* translator_ = nullptr;
  simdjson::ondemand::parser* parser_ = nullptr;
  std::string* out_ = nullptr;  // the buffer of the call in progress
  to_relay to_relay_{*this};
  to_client to_client_{*this};
  bool ended_ = false;
  bool translation_failed_ = false;
};

}  // namespace sluice::gateway
