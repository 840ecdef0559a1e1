// The connection's answers as bytes on the wire: heads written by hand (Beast's reason phrases),
// request ids, Allow, Retry-After, Connection: close, and streams whose head goes out with the first
// chunk.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>

#include <functional>
#include <string>

#include "http/response_writer.h"

namespace sluice::gateway {
namespace {

TEST(ResponseHead, WholeAnswerHeadHasTheFieldsItIsGiven) {
  std::string head;
  answer_head fields;
  fields.status = 404;
  write_answer_head(head, fields, 12);
  EXPECT_EQ(head,
            "HTTP/1.1 404 Not Found\r\nServer: sluice\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n");

  fields.status = 405;
  fields.allow = "POST";
  fields.request_id = "req_1";
  fields.keep_alive = false;
  write_answer_head(head, fields, 0);
  EXPECT_EQ(head,
            "HTTP/1.1 405 Method Not Allowed\r\nServer: sluice\r\nContent-Type: application/json\r\n"
            "request-id: req_1\r\nx-request-id: req_1\r\nAllow: POST\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, RetryAfterIsRoundedUpAndAlwaysThereFor429And529) {
  std::string head;
  answer_head fields;
  fields.status = 429;
  write_answer_head(head, fields, 0);
  EXPECT_NE(head.find("\r\nRetry-After: 0\r\n"), std::string::npos) << head;
  fields.status = 529;
  fields.retry_after_ms = 1001;
  write_answer_head(head, fields, 0);
  EXPECT_NE(head.find("\r\nRetry-After: 2\r\n"), std::string::npos) << head;
  fields.status = 200;
  fields.retry_after_ms = 0;
  write_answer_head(head, fields, 0);
  EXPECT_EQ(head.find("Retry-After"), std::string::npos) << head;
}

TEST(ResponseHead, AnthropicsOverloadedStatusHasAReadableReasonPhrase) {
  std::string head;
  answer_head fields;
  fields.status = 529;
  write_answer_head(head, fields, 0);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 529 Overloaded\r\n")) << head;
  fields.status = 413;
  write_answer_head(head, fields, 0);
  EXPECT_TRUE(head.starts_with("HTTP/1.1 413 Payload Too Large\r\n")) << head;
}

TEST(ResponseHead, StreamHeadIsChunkedWithoutCaching) {
  std::string head;
  write_stream_head(head, "req_7", true);
  EXPECT_EQ(head,
            "HTTP/1.1 200 OK\r\nServer: sluice\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
            "request-id: req_7\r\nx-request-id: req_7\r\nTransfer-Encoding: chunked\r\n\r\n");
  write_stream_head(head, {}, false);
  EXPECT_NE(head.find("\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"), std::string::npos) << head;
  std::array<char, 24> line{};
  EXPECT_EQ(std::string(line.data(), write_chunk_size_line(line, 0x1a2)), "1a2\r\n");
}

// Runs `body` with a response_writer on one end of a connected pair; returns what the other end read
// until the writer's end closed.
std::string written_by(std::function<awaitable<void>(response_writer&)> body) {
  net::io_context ioc;
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
  tcp::socket reader(ioc);
  reader.connect(acceptor.local_endpoint());
  beast::tcp_stream server(acceptor.accept());
  std::string got;
  net::co_spawn(
      ioc,
      [&]() -> awaitable<void> {
        response_writer writer(server);
        co_await body(writer);
        error_code ignored;
        server.socket().shutdown(tcp::socket::shutdown_send, ignored);
      },
      net::detached);
  ioc.run();
  error_code ec;
  net::read(reader, net::dynamic_buffer(got), ec);
  return got;
}

TEST(ResponseWriter, SendsHeadAndBodyInOneAnswer) {
  bool keep = false;
  const std::string got = written_by([&](response_writer& w) -> awaitable<void> {
    answer_head head;
    head.request_id = "req_2";
    keep = co_await w.respond(head, R"({"ok":true})");
  });
  EXPECT_TRUE(keep);
  EXPECT_EQ(got,
            "HTTP/1.1 200 OK\r\nServer: sluice\r\nContent-Type: application/json\r\nrequest-id: req_2\r\n"
            "x-request-id: req_2\r\nContent-Length: 11\r\n\r\n{\"ok\":true}");
}

TEST(ResponseWriter, ConnectionCloseAnswerSaysTheConnectionIsOver) {
  bool keep = true;
  (void)written_by([&](response_writer& w) -> awaitable<void> {
    answer_head head;
    head.keep_alive = false;
    keep = co_await w.respond(head, "{}");
  });
  EXPECT_FALSE(keep);
}

TEST(ResponseWriter, StreamHeadGoesOutWithTheFirstChunkAndTheLastChunkEndsIt) {
  const std::string got = written_by([&](response_writer& w) -> awaitable<void> {
    w.start_stream("req_3", true);
    EXPECT_TRUE(co_await w.write_chunk({}, {}, false));  // nothing to send: not even the head
    EXPECT_TRUE(co_await w.write_chunk("data: a\n\n", {}, false));
    EXPECT_TRUE(co_await w.write_chunk("data: b\n\n", "data: c\n\n", true));
    w.end_stream();
  });
  std::string head;
  write_stream_head(head, "req_3", true);
  EXPECT_EQ(got, head + "9\r\ndata: a\n\n\r\n12\r\ndata: b\n\ndata: c\n\n\r\n0\r\n\r\n");
}

TEST(ResponseWriter, AnUnsentStreamHeadIsDroppedAtTheEnd) {
  const std::string got = written_by([&](response_writer& w) -> awaitable<void> {
    w.start_stream("req_4", true);
    w.end_stream();  // abandoned before anything was written
    answer_head head;
    co_await w.respond(head, "{}");
  });
  EXPECT_TRUE(got.starts_with("HTTP/1.1 200 OK\r\nServer: sluice\r\nContent-Type: application/json\r\n")) << got;
  EXPECT_EQ(got.find("event-stream"), std::string::npos);
}

}  // namespace
}  // namespace sluice::gateway
