// Error bodies and events in both dialects. Every string goes through the engine's JSON escaper, so a
// message that quotes user input cannot break the body.
#include "dialects/api_errors.h"

#include <utility>

#include "sluice/engine/json_escape.h"

namespace sluice::gateway {

unsigned http_status(api_error_kind kind, api_dialect dialect) noexcept {
  switch (kind) {
    case api_error_kind::invalid_request: return 400;
    case api_error_kind::authentication: return 401;
    case api_error_kind::billing: return 402;
    case api_error_kind::permission: return 403;
    case api_error_kind::not_found: return 404;
    case api_error_kind::request_too_large: return 413;
    case api_error_kind::rate_limit: return 429;
    case api_error_kind::api_error: return 500;
    case api_error_kind::timeout: return 504;
    case api_error_kind::overloaded: return dialect == api_dialect::openai ? 503 : 529;
  }
  return 500;
}

api_error_kind error_kind_for_status(unsigned status) noexcept {
  switch (status) {
    case 400: return api_error_kind::invalid_request;
    case 401: return api_error_kind::authentication;
    case 402: return api_error_kind::billing;
    case 403: return api_error_kind::permission;
    case 404: return api_error_kind::not_found;
    case 413: return api_error_kind::request_too_large;
    case 429: return api_error_kind::rate_limit;
    case 503:
    case 529: return api_error_kind::overloaded;
    case 504: return api_error_kind::timeout;
    default: break;
  }
  if (status >= 400 && status < 500) {
    return api_error_kind::invalid_request;
  }
  return api_error_kind::api_error;
}

std::string_view anthropic_type_name(api_error_kind kind) noexcept {
  switch (kind) {
    case api_error_kind::invalid_request: return "invalid_request_error";
    case api_error_kind::authentication: return "authentication_error";
    case api_error_kind::billing: return "billing_error";
    case api_error_kind::permission: return "permission_error";
    case api_error_kind::not_found: return "not_found_error";
    case api_error_kind::request_too_large: return "request_too_large";
    case api_error_kind::rate_limit: return "rate_limit_error";
    case api_error_kind::api_error: return "api_error";
    case api_error_kind::timeout: return "timeout_error";
    case api_error_kind::overloaded: return "overloaded_error";
  }
  return "api_error";
}

api_error_kind error_kind_for_anthropic_type(std::string_view type, unsigned status) noexcept {
  constexpr api_error_kind all[] = {
      api_error_kind::invalid_request, api_error_kind::authentication,    api_error_kind::billing,
      api_error_kind::permission,      api_error_kind::not_found,         api_error_kind::request_too_large,
      api_error_kind::rate_limit,      api_error_kind::api_error,         api_error_kind::timeout,
      api_error_kind::overloaded};
  for (const api_error_kind k : all) {
    if (anthropic_type_name(k) == type) {
      return k;
    }
  }
  return error_kind_for_status(status);
}

std::string_view openai_type_name(api_error_kind kind) noexcept {
  switch (kind) {
    case api_error_kind::invalid_request:
    case api_error_kind::authentication:
    case api_error_kind::not_found:
    case api_error_kind::request_too_large: return "invalid_request_error";
    case api_error_kind::billing: return "insufficient_quota";
    case api_error_kind::permission: return "permission_error";
    case api_error_kind::rate_limit: return "rate_limit_error";
    case api_error_kind::api_error:
    case api_error_kind::timeout:
    case api_error_kind::overloaded: return "server_error";
  }
  return "server_error";
}

std::string_view openai_code_name(api_error_kind kind) noexcept {
  switch (kind) {
    case api_error_kind::authentication: return "invalid_api_key";
    case api_error_kind::billing: return "insufficient_quota";
    case api_error_kind::permission: return "permission_denied";
    case api_error_kind::not_found: return "not_found";
    case api_error_kind::request_too_large: return "request_too_large";
    case api_error_kind::rate_limit: return "rate_limit_exceeded";
    case api_error_kind::timeout: return "timeout";
    case api_error_kind::overloaded: return "overloaded";
    case api_error_kind::invalid_request:
    case api_error_kind::api_error: return {};
  }
  return {};
}

namespace {

void append_string_or_null(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += "null";
  } else {
    engine::append_json_string(out, value);
  }
}

}  // namespace

api_error gateway_error(unsigned status, std::string_view anthropic_type, std::string_view message) noexcept {
  api_error e;
  e.kind = error_kind_for_anthropic_type(anthropic_type, status);
  if (!anthropic_type.empty() && anthropic_type_name(e.kind) != anthropic_type) {
    e.type = anthropic_type;
  }
  e.message = message;
  return e;
}

void append_error_body(api_dialect dialect, const api_error& error, std::string& out) {
  if (dialect == api_dialect::anthropic) {
    out += R"({"type":"error","error":{"type":)";
    engine::append_json_string(out, error.type.empty() ? anthropic_type_name(error.kind) : error.type);
    out += R"(,"message":)";
    engine::append_json_string(out, error.message);
    out += '}';
    if (!error.request_id.empty()) {
      out += R"(,"request_id":)";
      engine::append_json_string(out, error.request_id);
    }
    out += '}';
    return;
  }
  out += R"({"error":{"message":)";
  engine::append_json_string(out, error.message);
  out += R"(,"type":)";
  engine::append_json_string(out, openai_type_name(error.kind));
  out += R"(,"param":)";
  append_string_or_null(out, error.param);
  out += R"(,"code":)";
  std::string_view code = error.code;
  if (code.empty()) {
    code = error.type.empty() ? openai_code_name(error.kind) : error.type;
  }
  append_string_or_null(out, code);
  out += "}}";
}

void append_stream_error_event(api_dialect dialect, const api_error& error, std::string& out) {
  if (dialect == api_dialect::anthropic) {
    out += "event: error\ndata: ";
  } else {
    out += "data: ";
  }
  append_error_body(dialect, error, out);
  out += "\n\n";
}

api_error_kind append_openai_error_from_anthropic(simdjson::ondemand::parser& parser, std::string_view body,
                                                  unsigned status, std::string& out) noexcept {
  using namespace simdjson;
  api_error error;
  error.kind = error_kind_for_status(status);
  std::string_view type;
  std::string_view message;
  ondemand::document doc;
  ondemand::object inner;
  // {"type":"error","error":{"type":…,"message":…}}: anything else keeps the status's defaults.
  if (!parser.iterate(body.data(), body.size(), body.size() + SIMDJSON_PADDING).get(doc) &&
      !doc["error"].get_object().get(inner)) {
    for (auto field_result : inner) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        break;
      }
      if (key == "type") {
        if (field.value().get_string().get(type)) {
          type = {};
        }
      } else if (key == "message") {
        if (field.value().get_string().get(message)) {
          message = {};
        }
      }
    }
  }
  if (!type.empty()) {
    error.kind = error_kind_for_anthropic_type(type, status);
  }
  error.message = !message.empty() ? message : "the upstream API returned an error";
  append_error_body(api_dialect::openai, error, out);
  return error.kind;
}

}  // namespace sluice::gateway
