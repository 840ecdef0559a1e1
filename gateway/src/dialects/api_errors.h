#pragma once
// Every refusal the gateway sends, in the dialect of the client that asked:
//   Anthropic  {"type":"error","error":{"type":"rate_limit_error","message":"…"},"request_id":"…"}
//   OpenAI     {"error":{"message":"…","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}}
// plus the HTTP status for each kind of error, the SSE error event that ends a stream (the only writer
// of error bodies and stream error events: the stream filter and relay use it too), and the
// translation of an upstream Anthropic error body for an OpenAI client.
#include <cstdint>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "wire/dialect_error.h"

namespace sluice::gateway {


// Anthropic's error types (https://docs.anthropic.com/en/api/errors), which the gateway uses as its own.
enum class api_error_kind : std::uint8_t {
  invalid_request,    // 400 invalid_request_error (also 405, 415 and other 4xx)
  authentication,     // 401 authentication_error
  billing,            // 402 billing_error (budgets)
  permission,         // 403 permission_error (policy blocks)
  not_found,          // 404 not_found_error
  request_too_large,  // 413 request_too_large
  rate_limit,         // 429 rate_limit_error
  api_error,          // 500 api_error (and other 5xx)
  timeout,            // 504 timeout_error
  overloaded,         // 529 overloaded_error
};

// The HTTP status for `kind`. OpenAI clients get 503 instead of Anthropic's non-standard 529.
[[nodiscard]] unsigned http_status(api_error_kind kind, api_dialect dialect = api_dialect::anthropic) noexcept;
// The kind for an HTTP status (other 4xx: invalid_request; other 5xx: api_error).
[[nodiscard]] api_error_kind error_kind_for_status(unsigned status) noexcept;
// Anthropic's name: "invalid_request_error", "overloaded_error"…
[[nodiscard]] std::string_view anthropic_type_name(api_error_kind kind) noexcept;
// The kind for an Anthropic error type name; an unknown name falls back to the HTTP status.
[[nodiscard]] api_error_kind error_kind_for_anthropic_type(std::string_view type, unsigned status) noexcept;
// OpenAI's `type` and `code` for `kind` (as OpenAI's API reports them: 401 is an invalid_request_error
// with code invalid_api_key, 429 has code rate_limit_exceeded, 5xx are server_error).
[[nodiscard]] std::string_view openai_type_name(api_error_kind kind) noexcept;
[[nodiscard]] std::string_view openai_code_name(api_error_kind kind) noexcept;

struct api_error {
  api_error() = default;
  api_error(api_error_kind k, std::string_view m) noexcept : kind(k), message(m) {}

  api_error_kind kind = api_error_kind::invalid_request;
  std::string_view message;
  std::string_view param;       // OpenAI `param` (e.g. "max_tokens"); empty: null
  std::string_view code;        // OpenAI `code`; empty: the kind's default (or null)
  std::string_view request_id;  // Anthropic top-level `request_id`; empty: left out
  // A more specific type than the kind's (budget_exceeded for a 429 that waiting a minute won't fix):
  // Anthropic's `type`, OpenAI's `code`. Empty: the kind's own names.
  std::string_view type;
};

// An invalid_request error carrying a dialect function's message.
[[nodiscard]] inline api_error to_api_error(const dialect_error& e, std::string_view param = {}) noexcept {
  api_error out;
  out.kind = e.code == dialect_errc::too_large ? api_error_kind::request_too_large
                                               : api_error_kind::invalid_request;
  out.message = e.message;
  out.param = param;
  return out;
}

// The error for a refusal the gateway itself decided: `anthropic_type` names the kind (an unknown name,
// such as budget_exceeded, is kept as the specific type and the kind follows the HTTP status).
[[nodiscard]] api_error gateway_error(unsigned status, std::string_view anthropic_type,
                                      std::string_view message) noexcept;

// Appends the JSON error body for `dialect`.
void append_error_body(api_dialect dialect, const api_error& error, std::string& out);

// Appends an SSE event that reports `error` inside a stream that has already started (status 200 sent):
// Anthropic `event: error` with the error body; OpenAI a `data:` line with the error body (the openai
// SDKs raise it as an APIError). Nothing may follow it in the stream.
void append_stream_error_event(api_dialect dialect, const api_error& error, std::string& out);

// Rewrites an upstream Anthropic error body (with its HTTP status) for an OpenAI client: same message,
// OpenAI's shape. A body that is not Anthropic's error JSON gets a generic message for the status.
// `body` must be padded (SIMDJSON_PADDING bytes readable after it). Returns the kind found.
api_error_kind append_openai_error_from_anthropic(simdjson::ondemand::parser& parser, std::string_view body,
                                                  unsigned status, std::string& out) noexcept;

}  // namespace sluice::gateway
