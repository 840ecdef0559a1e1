#pragma once
// A minimal blocking HTTP/1.1 client over plain TCP with a deadline, for the admin CLI and alert
// webhooks (loopback or internal endpoints; no TLS). Not for the request path.
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace sluice::gateway {

struct http_result {
  int status = 0;     // 0 when no response arrived; see error
  std::string body;
  std::string error;  // connection/timeout/parse problem, empty on success
};

// `url` is "http://host:port/path". Headers are (name, value) pairs. Never throws.
[[nodiscard]] http_result http_request(const std::string& method, const std::string& url,
                                       const std::vector<std::pair<std::string, std::string>>& headers,
                                       const std::string& body, std::chrono::milliseconds timeout);

}  // namespace sluice::gateway
