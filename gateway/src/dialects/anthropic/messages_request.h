#pragma once
// Reads an Anthropic Messages request (POST /v1/messages) with simdjson On-Demand and collects every text
// a policy must scan, each with its raw position in the body, so redactions can be spliced back into the
// original JSON (json_splicer). Also reads `model`, `stream` and `max_tokens`.
//
// Texts collected, in body order:
//   system                      string, or the `text` of each block of the array
//   messages[].content          string, or for each block:
//     any block's `text` string (text blocks, and block types this code does not know yet)
//     tool_result `content`      string, or the blocks inside it (same rules, recursively)
//     tool_use `input`           every string value at any depth (keys are not texts)
//     document                   `source.data` when source.type is "text"; `source.content` blocks;
//                                `title` and `context`
// Not collected: thinking/redacted_thinking blocks (signed by the model: editing them breaks the
// signature check upstream), images and base64 documents (binary).
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "wire/dialect_error.h"
#include "wire/json_strings.h"

namespace sluice::gateway {

struct messages_request_facts {
  std::string_view model;        // unescaped; valid until the parser parses again
  raw_range model_raw;           // the model string's content in the body (between the quotes)
  bool has_model = false;
  bool stream = false;
  bool has_max_tokens = false;
  std::uint64_t max_tokens = 0;
  std::uint32_t message_count = 0;
};

// Limits against hostile bodies. Nesting deeper than this in the parts the reader walks is an error
// (too_deep) rather than a recursion the attacker controls.
struct messages_read_limits {
  std::uint32_t max_depth = 64;  // levels of tool_use input / nested tool_result content
};

// Reads `body` (which must have simdjson::SIMDJSON_PADDING readable bytes after its end; see
// padded_copy()) with the caller's parser, and fills `strings` (cleared first) and `facts`.
// Errors: malformed_json, wrong_type (e.g. messages not an array, content a number, max_tokens not an
// unsigned integer), missing_field (messages), duplicate_field (model, stream, max_tokens, system or
// messages given twice), too_deep, too_large. Never throws.
dialect_error read_messages_request(simdjson::ondemand::parser& parser, std::string_view body,
                                    json_string_table& strings, messages_request_facts& facts,
                                    const messages_read_limits& limits = {}) noexcept;

struct messages_response_facts {
  std::string_view stop_reason;  // "" when null or absent
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
  std::uint64_t cache_creation_input_tokens = 0;
  std::uint64_t cache_read_input_tokens = 0;
};

// Reads a whole (non-streamed) Anthropic Messages response: the `text` of text blocks (source
// response), the `thinking` of thinking blocks (source thinking: scan it, but redacting it breaks the
// block's signature when the client sends it back), every string in tool_use inputs (tool_input), and
// usage and stop_reason. Same padding and errors as read_messages_request (no missing_field).
dialect_error read_messages_response(simdjson::ondemand::parser& parser, std::string_view body,
                                     json_string_table& strings, messages_response_facts& facts,
                                     const messages_read_limits& limits = {}) noexcept;

// Copies `body` into `buffer` with simdjson's padding after it and returns a view of the copy (the
// padding is outside the view). The buffer is reused: no allocation once it has grown.
[[nodiscard]] std::string_view padded_copy(std::string& buffer, std::string_view body);

}  // namespace sluice::gateway
