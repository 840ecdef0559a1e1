// Renders gateway errors the way each API's SDK expects them, so `error.type` / `error.code` mean the
// same thing as an error from the real API.
#include "client_errors.h"

#include "sluice/engine/json_escape.h"

namespace sluice::gateway {

std::string_view anthropic_error_type(unsigned status) noexcept {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 405: return "invalid_request_error";
    case 408: return "timeout_error";
    case 413: return "request_too_large";
    case 415: return "invalid_request_error";
    case 429: return "rate_limit_error";
    case 503: return "overloaded_error";
    case 529: return "overloaded_error";
    default: return "api_error";
  }
}

namespace {

// OpenAI's `type` for an Anthropic error type.
std::string_view openai_type(std::string_view anthropic_type) noexcept {
  if (anthropic_type == "invalid_request_error" || anthropic_type == "not_found_error" ||
      anthropic_type == "request_too_large") {
    return "invalid_request_error";
  }
  if (anthropic_type == "authentication_error") {
    return "authentication_error";
  }
  if (anthropic_type == "permission_error") {
    return "permission_error";
  }
  if (anthropic_type == "rate_limit_error" || anthropic_type == "budget_exceeded") {
    return "rate_limit_error";
  }
  return "api_error";
}

}  // namespace

void render_error(client_dialect dialect, unsigned status, std::string_view anthropic_type,
                  std::string_view message, std::string& out) {
  out.clear();
  if (dialect == client_dialect::anthropic) {
    out += R"({"type":"error","error":{"type":)";
    engine::append_json_string(out, anthropic_type);
    out += R"(,"message":)";
    engine::append_json_string(out, message);
    out += "}}";
    return;
  }
  out += R"({"error":{"message":)";
  engine::append_json_string(out, message);
  out += R"(,"type":)";
  engine::append_json_string(out, openai_type(anthropic_type));
  out += R"(,"code":)";
  engine::append_json_string(out, anthropic_type);
  out += "}}";
}

void render_stream_error(client_dialect dialect, std::string_view anthropic_type, std::string_view message,
                         std::string& out) {
  std::string body;
  render_error(dialect, 0, anthropic_type, message, body);
  out.clear();
  if (dialect == client_dialect::anthropic) {
    out += "event: error\ndata: ";
    out += body;
    out += "\n\n";
  } else {
    out += "data: ";
    out += body;
    out += "\n\ndata: [DONE]\n\n";
  }
}

}  // namespace sluice::gateway
