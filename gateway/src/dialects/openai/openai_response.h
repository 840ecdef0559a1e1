#pragma once
// Anthropic Messages responses -> OpenAI chat-completions responses, whole (chat.completion) and
// streamed (chat.completion.chunk events ending with `data: [DONE]`).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "wire/dialect_error.h"

namespace sluice::gateway {

// OpenAI's finish_reason for an Anthropic stop_reason: end_turn, stop_sequence and pause_turn -> stop,
// max_tokens -> length, tool_use -> tool_calls, refusal -> content_filter; anything else -> stop.
[[nodiscard]] std::string_view openai_finish_reason(std::string_view stop_reason) noexcept;

// Token counts as OpenAI reports them: prompt tokens include Anthropic's cache reads and writes.
struct openai_usage {
  std::uint64_t input_tokens = 0;           // Anthropic input_tokens (uncached)
  std::uint64_t cache_creation_tokens = 0;  // cache_creation_input_tokens
  std::uint64_t cache_read_tokens = 0;      // cache_read_input_tokens
  std::uint64_t output_tokens = 0;

  [[nodiscard]] std::uint64_t prompt_tokens() const noexcept {
    return input_tokens + cache_creation_tokens + cache_read_tokens;
  }
  [[nodiscard]] std::uint64_t total_tokens() const noexcept { return prompt_tokens() + output_tokens; }
};

// Appends {"prompt_tokens":…,"completion_tokens":…,"total_tokens":…,"prompt_tokens_details":{…}}.
void append_openai_usage(const openai_usage& usage, std::string& out);

struct openai_response_context {
  std::string_view model;    // used when the upstream response names none
  std::int64_t created = 0;  // Unix seconds for `created`
};

// One per thread; reuses its buffers.
class openai_response_translator {
 public:
  // Translates a whole Anthropic message (`body` padded: SIMDJSON_PADDING readable bytes after it) into
  // a chat.completion object in `out` (cleared first). Errors: malformed_json, wrong_type (not a
  // message object).
  dialect_error translate(simdjson::ondemand::parser& parser, std::string_view body,
                          const openai_response_context& context, std::string& out) noexcept;
  // Usage read by the last translate().
  [[nodiscard]] const openai_usage& usage() const noexcept { return usage_; }

 private:
  friend struct openai_response_walker;
  std::string content_;     // concatenated text blocks, JSON-escaped, without quotes
  std::string tool_calls_;  // tool call objects, comma separated
  std::string id_, model_, finish_reason_;
  openai_usage usage_;
};

// Turns the events of one Anthropic stream into OpenAI chunk events. One per stream (or reused with
// start()). Text passes through as the raw JSON string it arrived in, so what the stream redactor wrote
// into an Anthropic delta is exactly what the OpenAI client receives.
class openai_stream_translator {
 public:
  // Resets the state for a new stream. include_usage: stream_options.include_usage of the request.
  void start(std::string_view model, std::int64_t created, bool include_usage);

  // Translates one event: `data` is the JSON of an Anthropic SSE event's data (its "type" names the
  // event; no padding needed: it is copied). Appends zero or more complete SSE events to `out`:
  //   message_start        -> first chunk, delta {"role":"assistant","content":""}
  //   content_block_start  -> for tool_use, a tool_calls delta with id, type and name
  //   content_block_delta  -> text_delta: content delta; input_json_delta: tool_calls arguments delta;
  //                           thinking, signature and citation deltas are dropped
  //   message_delta        -> a chunk with finish_reason (usage recorded: output_tokens is cumulative,
  //                           the last value counts)
  //   message_stop         -> the usage chunk (choices []) when include_usage, then data: [DONE]
  //   error                -> an OpenAI error event; the stream is over
  //   ping, content_block_stop, unknown types -> nothing
  // Errors: malformed_json, wrong_type; events after the end are ignored.
  dialect_error on_event(simdjson::ondemand::parser& parser, std::string_view data, std::string& out) noexcept;

  // True once message_stop or an error event has been translated. A stream that ends without it was
  // cut: the gateway then sends an error event itself (append_stream_error_event).
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  [[nodiscard]] const openai_usage& usage() const noexcept { return usage_; }
  [[nodiscard]] std::string_view finish_reason() const noexcept { return finish_reason_; }

 private:
  friend struct openai_stream_walker;
  void chunk_begin(std::string& out) const;
  void chunk_end(std::string& out, std::string_view finish_reason) const;
  void ensure_started(std::string& out);

  std::string id_ = "chatcmpl-sluice";
  std::string model_ = "\"\"";  // a JSON string literal, quotes included
  std::int64_t created_ = 0;
  bool include_usage_ = false;
  bool started_ = false;
  bool finished_ = false;
  std::vector<int> tool_index_;  // content block index -> tool call index (-1: not a tool_use block)
  int next_tool_ = 0;
  std::string finish_reason_;
  openai_usage usage_;
  std::string data_;  // padded copy of the event's data
};

}  // namespace sluice::gateway
