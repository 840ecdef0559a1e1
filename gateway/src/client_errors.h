#pragma once
// Error bodies in the client's dialect. Anthropic: {"type":"error","error":{"type":…,"message":…}};
// OpenAI: {"error":{"message":…,"type":…,"code":…}}.
#include <string>
#include <string_view>

#include "sluice/gateway/exchange.h"

namespace sluice::gateway {

// The Anthropic error type that goes with an HTTP status.
[[nodiscard]] std::string_view anthropic_error_type(unsigned status) noexcept;

void render_error(client_dialect dialect, unsigned status, std::string_view anthropic_type,
                  std::string_view message, std::string& out);

// An SSE error event that ends a stream, in the client's dialect.
void render_stream_error(client_dialect dialect, std::string_view anthropic_type, std::string_view message,
                         std::string& out);

}  // namespace sluice::gateway
