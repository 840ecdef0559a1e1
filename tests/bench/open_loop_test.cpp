// The open-loop load generator against a tiny in-test HTTP server on 127.0.0.1 (port 0): it sends every
// due request, counts what came back, reads streams event by event, measures from the intended send
// time, and always stops.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <thread>

#include "open_loop.h"

namespace sluice::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

enum class reply { json, slow_json, stream, never, status_500 };

// One thread, one io_context; each connection is a coroutine answering requests until the peer closes.
class test_server {
 public:
  explicit test_server(reply mode) : acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}), mode_(mode) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~test_server() {
    io_.stop();
    thread_.join();
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::uint64_t requests() const { return requests_; }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
      asio::co_spawn(io_, session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::flat_buffer buffer;
    beast::error_code ec;
    for (;;) {
      http::request<http::string_body> request;
      co_await http::async_read(socket, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
      ++requests_;
      asio::steady_timer timer(io_);
      std::string out;
      switch (mode_) {
        case reply::never:
          timer.expires_after(std::chrono::hours(1));
          co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          co_return;
        case reply::slow_json:
          timer.expires_after(std::chrono::milliseconds(10));
          co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          [[fallthrough]];
        case reply::json:
          out = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
          break;
        case reply::status_500:
          out = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n";
          break;
        case reply::stream: {
          const std::string head =
              "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
          co_await asio::async_write(socket, asio::buffer(head), asio::redirect_error(asio::use_awaitable, ec));
          for (int i = 0; i < 5 && !ec; ++i) {
            const std::string event = "event: delta\ndata: {\"i\":" + std::to_string(i) + "}\n\n";
            char size[16];
            std::snprintf(size, sizeof size, "%zx\r\n", event.size());
            const std::string chunk = size + event + "\r\n";
            co_await asio::async_write(socket, asio::buffer(chunk), asio::redirect_error(asio::use_awaitable, ec));
            timer.expires_after(std::chrono::milliseconds(1));
            co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          }
          out = "0\r\n\r\n";
          break;
        }
      }
      co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        co_return;
      }
    }
  }

  asio::io_context io_;
  tcp::acceptor acceptor_;
  reply mode_;
  std::thread thread_;
  std::atomic<std::uint64_t> requests_{0};
};

load_target target_for(const test_server& server) {
  load_target t;
  t.port = server.port();
  t.body = R"({"messages":[]})";
  return t;
}

TEST(OpenLoop, SendsEveryDueRequestAndRecordsEachReply) {
  test_server server(reply::json);
  load_options o;
  o.rate = 200;
  o.duration_s = 0.25;  // 50 requests
  const auto r = run_load(target_for(server), o);
  EXPECT_EQ(r.scheduled, 50u);
  EXPECT_EQ(r.ok, 50u);
  EXPECT_EQ(r.errors, 0u);
  EXPECT_EQ(r.latency.count(), 50u);
  EXPECT_EQ(server.requests(), 50u);
  EXPECT_GT(r.achieved_rate(), 0.0);
}

TEST(OpenLoop, QueueingDelayCountsFromTheIntendedSendTime) {
  // One connection, a server taking at least 10 ms per request, and 20 requests due within 20 ms: the
  // last one cannot finish before ~200 ms after the start, so its latency (from when it was due, not
  // from when a connection became free) is at least 150 ms.
  test_server server(reply::slow_json);
  load_options o;
  o.rate = 1000;
  o.duration_s = 0.02;
  o.max_connections = 1;
  const auto r = run_load(target_for(server), o);
  EXPECT_EQ(r.ok, 20u);
  EXPECT_EQ(r.connections_opened, 1u);
  EXPECT_GE(r.latency.max(), 150'000'000u);
}

TEST(OpenLoop, ReadsStreamsEventByEvent) {
  test_server server(reply::stream);
  load_options o;
  o.rate = 50;
  o.duration_s = 0.2;  // 10 requests
  const auto r = run_load(target_for(server), o);
  EXPECT_EQ(r.ok, 10u);
  EXPECT_EQ(r.events, 50u);
  EXPECT_EQ(r.ttfb.count(), 10u);
  EXPECT_EQ(r.per_event.count(), 10u);
  EXPECT_LE(r.ttfb.max(), r.latency.max());
}

TEST(OpenLoop, ErrorStatusesAreCountedApart) {
  test_server server(reply::status_500);
  load_options o;
  o.rate = 100;
  o.duration_s = 0.1;
  const auto r = run_load(target_for(server), o);
  EXPECT_EQ(r.non_2xx, 10u);
  EXPECT_EQ(r.ok, 0u);
  EXPECT_EQ(r.latency.count(), 0u);
}

TEST(OpenLoop, RefusedConnectionsAreErrorsAndTheRunEnds) {
  std::uint16_t port = 0;
  {
    test_server gone(reply::json);
    port = gone.port();
  }
  load_target t;
  t.port = port;
  load_options o;
  o.rate = 100;
  o.duration_s = 0.1;
  const auto r = run_load(t, o);
  EXPECT_EQ(r.scheduled, 10u);
  EXPECT_EQ(r.ok + r.errors, 10u);
}

TEST(OpenLoop, AServerThatNeverAnswersIsBoundedByTheDrainTime) {
  test_server server(reply::never);
  load_options o;
  o.rate = 100;
  o.duration_s = 0.05;
  o.drain_s = 0.2;
  const auto r = run_load(target_for(server), o);
  EXPECT_EQ(r.ok, 0u);
  EXPECT_EQ(r.unfinished, r.scheduled);
}

TEST(OpenLoop, ClosedLoopKeepsItsConnectionsBusy) {
  test_server server(reply::json);
  load_options o;
  o.closed_loop = true;
  o.concurrency = 4;
  o.duration_s = 0.1;
  const auto r = run_load(target_for(server), o);
  EXPECT_GT(r.ok, 4u);
  EXPECT_EQ(r.errors, 0u);
  EXPECT_LE(r.connections_opened, 4u);
}

}  // namespace
}  // namespace sluice::bench
