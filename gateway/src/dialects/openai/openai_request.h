#pragma once
// Translates an OpenAI chat-completions request (POST /v1/chat/completions) into an Anthropic Messages
// request. The result is an ordinary Messages body: the gateway then reads and redacts it exactly like a
// body sent to /v1/messages (read_messages_request + json_splicer). What maps to what, and what is
// refused, is listed in docs/api-compatibility.md.
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "wire/dialect_error.h"

namespace sluice::gateway {

struct openai_request_options {
  // max_tokens to send when the client gives neither max_tokens nor max_completion_tokens. 0: none
  // configured, and such a request is refused (Anthropic requires max_tokens).
  std::uint64_t default_max_tokens = 0;
};

// What the response side needs to know about the request.
struct openai_request_facts {
  std::string model;             // as the client named it (echoed in responses)
  bool stream = false;
  bool include_usage = false;    // stream_options.include_usage
  std::uint64_t max_tokens = 0;  // as sent upstream
  std::string_view error_param;  // on error: the OpenAI `param` the error is about ("" if none)
};

// One per thread; reuses its buffers and its own JSON parser for tool-call arguments.
class openai_request_translator {
 public:
  // Translates `body` (padded: SIMDJSON_PADDING readable bytes after it) into `out` (cleared first).
  // Errors (all meant for a 400 in OpenAI's shape, with facts.error_param naming the field):
  //   malformed_json; wrong_type; missing_field (model, messages, tool_call_id);
  //   invalid_value (max_tokens absent with no default, temperature above 1, bad data: URL, tool
  //   arguments that are not a JSON object, unknown role); unsupported (n > 1, audio, logprobs,
  //   response_format other than text, non-function tools); too_deep; duplicate_field.
  dialect_error translate(simdjson::ondemand::parser& parser, std::string_view body,
                          const openai_request_options& options, std::string& out,
                          openai_request_facts& facts) noexcept;

 private:
  friend struct openai_request_walker;
  std::string system_;      // text blocks, comma separated
  std::string messages_;    // messages, comma separated
  std::string blocks_;      // blocks of the message being translated
  std::string tool_uses_;   // tool_use blocks of the assistant message being translated
  std::string tools_;       // tool definitions, comma separated
  std::string tool_choice_; // the tool_choice object, or empty
  std::string stop_;        // stop sequences, comma separated
  std::string temperature_, top_p_, user_;
  std::string scratch_;
  std::string json_buffer_;  // padded copy of a nested JSON text (tool arguments) for validation
  simdjson::dom::parser nested_parser_;
};

}  // namespace sluice::gateway
