// The admin listener: one thread, Beast over plain TCP (bind it to loopback or a private network),
// bounded requests, timeouts. Each request is handed to admin_api.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "governance/governance_service.h"
#include "sluice/gateway/admin_server.h"

namespace sluice::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// The console's page may load only what this listener serves, run no inline script or style, send
// requests only here and be framed by no one; the JSON answers carry the same policy.
constexpr const char* content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

// State the sessions share with the server, touched only on the admin thread except `open`.
struct admin_shared {
  bool draining = false;
  std::atomic<int> open{0};  // live sessions; drain() polls it from another thread
};

class admin_session : public std::enable_shared_from_this<admin_session> {
 public:
  admin_session(tcp::socket socket, admin_api& api, admin_shared& shared)
      : stream_(std::move(socket)), api_(api), shared_(shared) {
    ++shared_.open;
  }
  ~admin_session() { --shared_.open; }

  void start() { read(); }

  // Called on the admin thread when draining starts: a connection waiting for its next request is
  // closed now; one in the middle of a request finishes it and then closes (see on_read/after write).
  void drain() {
    if (!parser_ || !parser_->got_some()) {
      close();
    }
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(1024 * 1024);
    parser_->header_limit(16 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      close();
      return;
    }
    auto& response = response_;
    response = {};
    response.version(11);
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-store");
    response.set("content-security-policy", content_security_policy);
    response.set("x-content-type-options", "nosniff");
    response.set("x-frame-options", "DENY");
    response.set("referrer-policy", "no-referrer");
    response.set("cross-origin-resource-policy", "same-origin");
    if (ec) {
      response.result(ec == http::error::body_limit ? http::status::payload_too_large : http::status::bad_request);
      response.body() = "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"malformed HTTP request: " +
                        ec.message() + "\"}}";
      response.keep_alive(false);
    } else {
      const auto& request = parser_->get();
      admin_call call;
      call.method = std::string(request.method_string());
      call.target = std::string(request.target());
      call.authorization = std::string(request[http::field::authorization]);
      call.body = request.body();
      call.cookie = std::string(request[http::field::cookie]);
      call.console_header = std::string(request["x-sluice-console"]);
      beast::error_code ignored;
      const auto remote = stream_.socket().remote_endpoint(ignored);
      call.client_ip = ignored ? "" : remote.address().to_string();
      const admin_reply reply = api_.handle(call);
      response.result(reply.status);
      response.set(http::field::content_type, reply.content_type);
      if (!reply.set_cookie.empty()) {
        response.set(http::field::set_cookie, reply.set_cookie);
      }
      response.body() = reply.body;
      response.keep_alive(request.keep_alive() && !shared_.draining);
    }
    response.prepare_payload();
    parser_.reset();  // between requests: drain() may close the connection
    http::async_write(stream_, response, [self = shared_from_this()](beast::error_code wec, std::size_t) {
      if (wec || !self->response_.keep_alive() || self->shared_.draining) {
        self->close();
        return;
      }
      self->read();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  }

  beast::tcp_stream stream_;
  admin_api& api_;
  admin_shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
};

}  // namespace

struct admin_server::impl {
  impl(governance_service& service, std::shared_ptr<audit_log> audit, const std::string& token)
      : api(service, std::move(audit), token), acceptor(io) {}

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) {
        return;
      }
      if (!ec) {
        auto session = std::make_shared<admin_session>(std::move(socket), api, shared);
        std::erase_if(sessions, [](const std::weak_ptr<admin_session>& w) { return w.expired(); });
        sessions.push_back(session);
        session->start();
      }
      accept();
    });
  }

  admin_api api;
  admin_shared shared;  // outlives the io_context, whose destruction may destroy sessions
  asio::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::weak_ptr<admin_session>> sessions;  // admin thread only
  std::uint16_t port = 0;
  std::thread thread;
};

admin_server::admin_server(governance_service& service, std::shared_ptr<audit_log> audit,
                           const admin_options& options)
    : impl_(std::make_unique<impl>(service, std::move(audit), options.token)) {
  const auto colon = options.listen.rfind(':');
  if (colon == std::string::npos) {
    throw std::runtime_error("admin listen address '" + options.listen + "' must be host:port");
  }
  std::string host = options.listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string port_text = options.listen.substr(colon + 1);
  beast::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (ec) {
    throw std::runtime_error("admin listen address '" + options.listen + "': '" + host + "' is not an IP address");
  }
  char* end = nullptr;
  const unsigned long port = std::strtoul(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port > 65535) {
    throw std::runtime_error("admin listen address '" + options.listen + "': bad port");
  }
  const tcp::endpoint endpoint(address, static_cast<std::uint16_t>(port));
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    acceptor.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    throw std::runtime_error("admin API cannot listen on " + options.listen + ": " + ec.message());
  }
  // port() answers from this copy: once the thread runs, the acceptor belongs to it.
  impl_->port = acceptor.local_endpoint(ec).port();
  impl_->accept();
  impl_->thread = std::thread([p = impl_.get()] { p->io.run(); });
}

admin_server::~admin_server() {
  stop_accepting();
  asio::post(impl_->io, [p = impl_.get()] { p->io.stop(); });
  impl_->thread.join();
}

void admin_server::stop_accepting() {
  asio::post(impl_->io, [p = impl_.get()] {
    if (p->shared.draining) {
      return;
    }
    p->shared.draining = true;
    beast::error_code ignored;
    p->acceptor.close(ignored);
    for (const auto& weak : p->sessions) {
      if (auto session = weak.lock()) {
        session->drain();
      }
    }
  });
}

void admin_server::drain(std::chrono::steady_clock::time_point deadline) {
  stop_accepting();
  // A session is gone once its last handler ran; the admin API answers in milliseconds, so polling is
  // cheap and keeps the sessions free of any cross-thread signalling.
  while (impl_->shared.open.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::uint16_t admin_server::port() const noexcept { return impl_->port; }

}  // namespace sluice::gateway
