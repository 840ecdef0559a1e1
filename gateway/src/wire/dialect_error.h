#pragma once
// The error value every dialect function (extraction, splicing, OpenAI translation) returns instead of
// throwing. The message is a static string written for the client: it goes into a 400 body as is.
#include <cstdint>
#include <string_view>

namespace sluice::gateway {

// The API a client speaks (and so the shape of every answer and error it gets).
enum class api_dialect : std::uint8_t { anthropic, openai };

enum class dialect_errc : std::uint8_t {
  ok = 0,
  malformed_json,    // not JSON (simdjson rejected it, or a string escape is invalid)
  wrong_type,        // a known field has the wrong JSON type
  missing_field,     // a required field is absent
  invalid_value,     // a field's value is outside what the API allows
  unsupported,       // valid in the client's API but not translatable to Anthropic's
  too_deep,          // nesting deeper than the gateway walks
  too_large,         // a body or string larger than the gateway's offsets can address (4 GiB)
  duplicate_field,   // a field the gateway reads appears twice (which one upstream uses is unknown)
  bad_edit,          // internal: a splice edit outside its text, or overlapping another
};

[[nodiscard]] constexpr std::string_view to_string(dialect_errc e) noexcept {
  switch (e) {
    case dialect_errc::ok: return "ok";
    case dialect_errc::malformed_json: return "malformed_json";
    case dialect_errc::wrong_type: return "wrong_type";
    case dialect_errc::missing_field: return "missing_field";
    case dialect_errc::invalid_value: return "invalid_value";
    case dialect_errc::unsupported: return "unsupported";
    case dialect_errc::too_deep: return "too_deep";
    case dialect_errc::too_large: return "too_large";
    case dialect_errc::duplicate_field: return "duplicate_field";
    case dialect_errc::bad_edit: return "bad_edit";
  }
  return "unknown";
}

// An error code plus a message for the client (a string literal: never owns memory). Empty code: ok.
struct [[nodiscard]] dialect_error {
  dialect_errc code = dialect_errc::ok;
  std::string_view message;

  [[nodiscard]] constexpr bool ok() const noexcept { return code == dialect_errc::ok; }
  constexpr explicit operator bool() const noexcept { return code != dialect_errc::ok; }
};

[[nodiscard]] constexpr dialect_error make_error(dialect_errc code, std::string_view message) noexcept {
  return dialect_error{code, message};
}

}  // namespace sluice::gateway
