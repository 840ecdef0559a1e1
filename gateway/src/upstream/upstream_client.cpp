// Upstream HTTP/1.1 over TCP or TLS with Beast. A reused keep-alive connection that turns out to be
// closed by the server is replaced once, transparently: that is not a failed attempt.
#include "upstream/upstream_client.h"

#include <openssl/ssl.h>

#include <array>
#include <charconv>
#include <limits>

#include "wire/decimal_text.h"

namespace sluice::gateway {

using namespace std::chrono_literals;

upstream_connection::upstream_connection(net::any_io_executor executor, net::ssl::context* tls) {
  buffer_.reserve(read_buffer_bytes);  // responses and stream events in large reads (see session.cpp)
  if (tls != nullptr) {
    secure_.emplace(executor, *tls);
  } else {
    plain_.emplace(executor);
  }
}

std::shared_ptr<net::ssl::context> make_client_tls_context() {
  auto ctx = std::make_shared<net::ssl::context>(net::ssl::context::tls_client);
  ctx->set_default_verify_paths();
  ctx->set_verify_mode(net::ssl::verify_peer);
  ctx->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                   net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
  return ctx;
}

upstream_pool::upstream_pool(net::any_io_executor executor, std::shared_ptr<net::ssl::context> tls)
    : executor_(std::move(executor)), tls_(std::move(tls)) {}

const std::string& upstream_pool::pool_key(const target_config& target) {
  key_.assign(target.tls ? "https://" : "http://");
  key_.append(target.host);
  key_.push_back(':');
  append_number(key_, target.port);
  return key_;
}

std::unique_ptr<upstream_connection> upstream_pool::take_idle(const target_config& target) {
  auto it = idle_.find(pool_key(target));
  if (it == idle_.end() || it->second.empty()) {
    return nullptr;
  }
  auto c = std::move(it->second.back());
  it->second.pop_back();
  c->reused_ = true;
  return c;
}

awaitable<std::unique_ptr<upstream_connection>> upstream_pool::connect(const target_config& target,
                                                                       error_code& ec) {
  auto c = std::make_unique<upstream_connection>(executor_, target.tls ? tls_.get() : nullptr);
  c->pool_key_ = pool_key(target);
  auto found = resolved_.find(c->pool_key_);
  tcp::resolver::results_type endpoints;
  if (found != resolved_.end()) {
    endpoints = found->second;
  } else {
    tcp::resolver resolver(executor_);
    endpoints = co_await resolver.async_resolve(target.host, std::to_string(target.port),
                                                net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      co_return nullptr;
    }
    resolved_[c->pool_key_] = endpoints;
  }
  c->tcp().expires_after(target.timeouts.connect);
  co_await c->tcp().async_connect(endpoints, net::redirect_error(net::use_awaitable, ec));
  if (ec) {
    resolved_.erase(c->pool_key_);  // resolve again next time: the address may have moved
    co_return nullptr;
  }
  c->tcp().socket().set_option(tcp::no_delay(true), ec);
  if (c->secure_) {
    if (!SSL_set_tlsext_host_name(c->secure_->native_handle(), target.host.c_str())) {
      ec = error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category());
      co_return nullptr;
    }
    c->secure_->set_verify_callback(net::ssl::host_name_verification(target.host));
    co_await c->secure_->async_handshake(net::ssl::stream_base::client, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      co_return nullptr;
    }
  }
  c->tcp().expires_never();
  ec = {};
  co_return c;
}

void upstream_pool::release(std::unique_ptr<upstream_connection> c) {
  auto& list = idle_[c->pool_key_];
  if (list.size() < 64) {
    c->tcp().expires_never();
    list.push_back(std::move(c));
  }
}

std::uint64_t upstream_call::retry_after_ms() const noexcept {
  if (!parser_) {
    return 0;
  }
  const auto& h = parser_->get();
  auto it = h.find("retry-after");
  if (it == h.end()) {
    return 0;
  }
  const auto v = it->value();
  double seconds = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
  if (ec != std::errc() || seconds < 0) {
    return 0;
  }
  return static_cast<std::uint64_t>(seconds * 1000.0);
}

void upstream_call::arm(std::chrono::milliseconds limit) noexcept {
  const auto now = std::chrono::steady_clock::now();
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - now);
  if (left < 1ms) {
    left = 1ms;
  }
  conn_->tcp().expires_after(std::min(limit, left));
}

bool upstream_call::fail(upstream_failure f, const error_code& ec) {
  failure_ = ec == beast::error::timeout ? upstream_failure::timeout : f;
  failure_message_ = ec.message();
  abort();
  return false;
}

awaitable<bool> upstream_call::start(const target_config& target, std::string_view path, std::string_view api_key,
                                     std::string_view body, std::string_view anthropic_beta) {
  target_ = &target;
  failure_ = upstream_failure::none;
  failure_message_.clear();
  status_ = 0;
  deadline_ = std::chrono::steady_clock::now() + target.timeouts.total;

  // The head is written here into the connection's reused buffer and goes out with the body in one
  // gather write. Beast's message allocates a node per header field and its serializer walks nested
  // buffer views (11 pieces for this request); both showed in profiles of every request.
  std::string& head = head_;
  head.clear();
  head += "POST ";
  head += target.base_path;
  head += path;
  head += " HTTP/1.1\r\nHost: ";
  head += target.host;
  head += "\r\nContent-Type: application/json\r\nx-api-key: ";
  head += api_key;
  head += "\r\nanthropic-version: ";
  head += target.anthropic_version;
  if (!anthropic_beta.empty()) {
    head += "\r\nanthropic-beta: ";
    head += anthropic_beta;
  }
  head += "\r\nUser-Agent: sluice-gateway\r\nContent-Length: ";
  append_number(head, body.size());
  head += "\r\n\r\n";
  const std::array<net::const_buffer, 2> request{net::buffer(head), net::buffer(body.data(), body.size())};

  // One transparent retry when a pooled connection turns out to have been closed by the server.
  for (int round = 0; round < 2; ++round) {
    error_code ec;
    conn_ = pool_.take_idle(target);
    if (!conn_) {
      conn_ = co_await pool_.connect(target, ec);
    }
    if (!conn_) {
      co_return fail(upstream_failure::connect, ec);
    }
    if (interrupted_) {
      abort();
      co_return fail(upstream_failure::broken, net::error::operation_aborted);
    }
    const bool reused = conn_->reused_;
    arm(target.timeouts.header);
    if (conn_->secure_) {
      co_await net::async_write(*conn_->secure_, request, net::redirect_error(net::use_awaitable, ec));
    } else {
      co_await net::async_write(*conn_->plain_, request, net::redirect_error(net::use_awaitable, ec));
    }
    if (!ec) {
      parser_.emplace();
      parser_->body_limit(std::numeric_limits<std::uint64_t>::max());  // Beast 1.74 mis-compares boost::none
      if (conn_->secure_) {
        co_await http::async_read_header(*conn_->secure_, conn_->buffer_, *parser_,
                                         net::redirect_error(net::use_awaitable, ec));
      } else {
        co_await http::async_read_header(*conn_->plain_, conn_->buffer_, *parser_,
                                         net::redirect_error(net::use_awaitable, ec));
      }
    }
    if (ec) {
      const bool stale = reused && ec != beast::error::timeout && !interrupted_;
      abort();
      if (stale) {
        continue;
      }
      co_return fail(upstream_failure::broken, ec);
    }
    status_ = parser_->get().result_int();
    co_return true;
  }
  co_return fail(upstream_failure::broken, net::error::connection_reset);
}

awaitable<bool> upstream_call::read_some(std::string& out) {
  if (!conn_ || !parser_) {
    co_return false;
  }
  if (parser_->is_done()) {
    co_return true;
  }
  arm(target_->timeouts.idle);
  parser_->get().body().data = chunk_;
  parser_->get().body().size = sizeof chunk_;
  error_code ec;
  if (conn_->secure_) {
    co_await http::async_read_some(*conn_->secure_, conn_->buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  } else {
    co_await http::async_read_some(*conn_->plain_, conn_->buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
  }
  if (ec == http::error::need_buffer) {
    ec = {};
  }
  bool ok = !ec;
  if (ok) {
    out.append(chunk_, sizeof chunk_ - parser_->get().body().size);
    ok = take_buffered(out);
  } else {
    fail(upstream_failure::broken, ec);
  }
  co_return ok;
}

// Beast's parser stops after each piece of a chunked body (a chunk header, a chunk's data), so one
// async_read_some hands over one chunk even when the read brought in dozens. An SSE upstream sends one
// chunk per event: without this, each event cost its own client write, its own trip through the
// event loop and its own wake-up of the client. Parses what is already received, without waiting.
bool upstream_call::take_buffered(std::string& out) {
  auto& buffer = conn_->buffer_;
  while (!parser_->is_done() && buffer.size() > 0) {
    parser_->get().body().data = chunk_;
    parser_->get().body().size = sizeof chunk_;
    error_code ec;
    const std::size_t used = parser_->put(buffer.data(), ec);
    buffer.consume(used);
    const std::size_t got = sizeof chunk_ - parser_->get().body().size;
    out.append(chunk_, got);
    if (ec == http::error::need_more) {
      break;  // the rest of a piece is still on its way: the next read waits for it
    }
    if (ec && ec != http::error::need_buffer) {
      return fail(upstream_failure::broken, ec);
    }
    if (used == 0 && got == 0) {
      break;
    }
  }
  return true;
}

// Written without awaiting read_some: GCC 12 miscompiles a coroutine that co_awaits another one in a
// loop and co_returns from inside it (the frame resumes into __builtin_unreachable).
awaitable<bool> upstream_call::read_body(std::string& out, std::uint64_t limit) {
  out.clear();
  error_code ec;
  bool too_large = false;
  while (conn_ && parser_ && !parser_->is_done() && !ec && !too_large) {
    arm(target_->timeouts.idle);
    parser_->get().body().data = chunk_;
    parser_->get().body().size = sizeof chunk_;
    if (conn_->secure_) {
      co_await http::async_read_some(*conn_->secure_, conn_->buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
    } else {
      co_await http::async_read_some(*conn_->plain_, conn_->buffer_, *parser_, net::redirect_error(net::use_awaitable, ec));
    }
    if (ec == http::error::need_buffer) {
      ec = {};
    }
    if (!ec) {
      out.append(chunk_, sizeof chunk_ - parser_->get().body().size);
      too_large = out.size() > limit;
    }
  }
  bool ok = conn_ && parser_ && parser_->is_done() && !ec && !too_large;
  if (!ok) {
    if (too_large) {
      failure_ = upstream_failure::broken;
      failure_message_ = "upstream response larger than the limit";
      abort();
    } else if (ec) {
      fail(upstream_failure::broken, ec);
    }
  }
  co_return ok;
}

void upstream_call::finish() noexcept {
  if (conn_ && parser_ && parser_->is_done() && parser_->keep_alive()) {
    try {
      pool_.release(std::move(conn_));
    } catch (...) {
    }
  }
  abort();
}

void upstream_call::interrupt() noexcept {
  interrupted_ = true;
  if (conn_) {
    error_code ignored;
    conn_->tcp().socket().close(ignored);  // conn_ stays: the pending operation still refers to it
  }
}

void upstream_call::abort() noexcept {
  if (conn_) {
    error_code ignored;
    conn_->tcp().socket().close(ignored);
    conn_.reset();
  }
}

}  // namespace sluice::gateway
