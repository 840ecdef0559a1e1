#include "sluice/gateway/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace sluice::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

http_result http_request(const std::string& method, const std::string& url,
                         const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
                         std::chrono::milliseconds timeout) {
  http_result result;
  constexpr std::string_view scheme = "http://";
  if (url.compare(0, scheme.size(), scheme) != 0) {
    result.error = "only http:// URLs are supported: " + url;
    return result;
  }
  const std::string rest = url.substr(scheme.size());
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  const std::string target = slash == std::string::npos ? "/" : rest.substr(slash);
  std::string host = authority;
  std::string port = "80";
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    host = authority.substr(1, close - 1);
    if (close != std::string::npos && close + 1 < authority.size() && authority[close + 1] == ':') {
      port = authority.substr(close + 2);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, authority);
    req.set(http::field::user_agent, "sluice");
    for (const auto& [name, value] : headers) {
      req.set(name, value);
    }
    req.body() = body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    stream.expires_after(timeout);
    beast::error_code failure;
    resolver.async_resolve(host, port, [&](beast::error_code ec, asio::ip::tcp::resolver::results_type results) {
      if (ec) {
        failure = ec;
        return;
      }
      stream.async_connect(results, [&](beast::error_code ec2, const asio::ip::tcp::endpoint&) {
        if (ec2) {
          failure = ec2;
          return;
        }
        http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
          if (ec3) {
            failure = ec3;
            return;
          }
          http::async_read(stream, buffer, res, [&](beast::error_code ec4, std::size_t) { failure = ec4; });
        });
      });
    });
    io.run_for(timeout + std::chrono::milliseconds(100));
    if (!io.stopped()) {
      result.error = "timed out after " + std::to_string(timeout.count()) + " ms talking to " + authority;
      return result;
    }
    if (failure) {
      result.error = failure.message() + " (" + authority + ")";
      return result;
    }
    result.status = static_cast<int>(res.result_int());
    result.body = std::move(res.body());
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace sluice::gateway
