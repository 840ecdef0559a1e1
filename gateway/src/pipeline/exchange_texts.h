#pragma once
// The exchange's view of Anthropic Messages JSON (requests and whole responses): the texts policies must
// see, read by the dialect library (read_messages_request / read_messages_response, which say what is
// collected), and the body written back with redactions spliced into the original bytes (json_splicer:
// escapes outside a redaction stay as the client wrote them).
#include <simdjson.h>

#include <string>
#include <string_view>

#include "sluice/engine/redactor.h"
#include "policies/exchange.h"

namespace sluice::gateway {

struct request_facts {
  bool stream = false;
  bool has_max_tokens = false;
  std::uint64_t max_tokens = 0;
  std::uint32_t model_raw_begin = 0;  // the "model" string token, for force_model
  std::uint32_t model_raw_end = 0;
};

struct response_facts {
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
};

// `body` must have SIMDJSON_PADDING readable bytes after its end (see padded_body()). Appends request
// texts to ex.texts (system, message contents, tool results) and sets ex.model. Returns false with a
// message for the client when the body is not a Messages request.
[[nodiscard]] bool extract_request_texts(simdjson::ondemand::parser& parser, std::string_view body,
                                         exchange& ex, request_facts& facts, std::string& error) noexcept;

// Appends the response's text and thinking blocks (origin response) to ex.texts and reads usage.
[[nodiscard]] bool extract_response_texts(simdjson::ondemand::parser& parser, std::string_view body,
                                          exchange& ex, response_facts& facts, std::string& error) noexcept;

// Copies `body` into `out`, replacing every entity of the current phase marked for redaction and, when
// `append` is not empty, adding it to the end of the last text block of a response (never to a tool
// input or a thinking block). When `joined_text` is given, the (redacted) texts are also written there,
// one per line, for the audit log. Errors: bad_edit (an internal inconsistency: nothing is sent then).
[[nodiscard]] dialect_error rewrite_texts(std::string_view body, exchange& ex, engine::redactor& redactor,
                                          std::string_view append, std::string& out, std::string* joined_text) noexcept;

// Gives `buffer` room for simdjson's padding and returns a view of its first `size` bytes.
[[nodiscard]] inline std::string_view padded_body(std::string& buffer, std::string_view body) {
  buffer.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(body);
  return std::string_view(buffer.data(), body.size());
}

}  // namespace sluice::gateway
