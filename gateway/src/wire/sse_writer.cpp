// SSE event writing (see sse_writer.h) and the error events that end a filtered stream.
#include "wire/sse_writer.h"

#include "wire/decimal_text.h"
#include "sluice/engine/json_escape.h"
#include "streaming/stream_filter.h"

namespace sluice::gateway {
namespace detail {
namespace {

void append_data_lines(std::string_view data, std::string& out) {
  while (true) {
    const std::size_t nl = data.find('\n');
    out += "data: ";
    out.append(data.substr(0, nl));
    out.push_back('\n');
    if (nl == std::string_view::npos) {
      break;
    }
    data.remove_prefix(nl + 1);
  }
  out.push_back('\n');
}

}  // namespace

void append_sse_event(const sse_event& like, std::string_view data, std::string& out) {
  if (!like.type.empty()) {
    out += "event: ";
    out.append(like.type);
    out.push_back('\n');
  }
  if (like.has_id) {
    out += "id: ";
    out.append(like.id);
    out.push_back('\n');
  }
  if (like.has_retry) {
    out += "retry: ";
    append_number(out, like.retry_ms);
    out.push_back('\n');
  }
  append_data_lines(data, out);
}

void append_sse_event(std::string_view type, std::string_view data, std::string& out) {
  if (!type.empty()) {
    out += "event: ";
    out.append(type);
    out.push_back('\n');
  }
  append_data_lines(data, out);
}

}  // namespace detail

namespace {

// OpenAI's error `type` for an Anthropic error type.
std::string_view openai_error_type(std::string_view anthropic_type) noexcept {
  if (anthropic_type == "invalid_request_error" || anthropic_type == "permission_error") {
    return "invalid_request_error";
  }
  if (anthropic_type == "rate_limit_error") {
    return "rate_limit_exceeded";
  }
  return "server_error";
}

}  // namespace

void append_stream_error_event(sse_dialect dialect, std::string_view error_type, std::string_view message,
                               std::string& out) {
  if (dialect == sse_dialect::anthropic) {
    out += "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":";
    engine::append_json_string(out, error_type);
    out += ",\"message\":";
    engine::append_json_string(out, message);
    out += "}}\n\n";
    return;
  }
  out += "data: {\"error\":{\"message\":";
  engine::append_json_string(out, message);
  out += ",\"type\":";
  engine::append_json_string(out, openai_error_type(error_type));
  out += ",\"code\":";
  engine::append_json_string(out, error_type);
  out += "}}\n\ndata: [DONE]\n\n";
}

}  // namespace sluice::gateway
