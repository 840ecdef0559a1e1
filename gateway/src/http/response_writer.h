#pragma once
// Writes a connection's answers to its client: a whole answer (head + body) or a chunked stream. Heads
// are written by hand into buffers reused for the connection's life and go out with the body in one
// gather write: no field nodes, no serializer. The reason phrase is Beast's. One per connection; every
// answer the connection sends (model calls, 404s, health, metrics) goes through it.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/asio_types.h"

namespace sluice::gateway {

// What the head of a whole answer says besides its length.
struct answer_head {
  unsigned status = 200;
  std::string_view content_type = "application/json";
  std::string_view request_id;  // request-id and x-request-id; empty: left out
  std::string_view allow;       // the Allow header of a 405; empty: left out
  // Retry-After in whole seconds, rounded up; written when non-zero, and always for 429 and 529.
  std::uint64_t retry_after_ms = 0;
  bool keep_alive = true;  // false: Connection: close
};

// The start of a response head: status line with Beast's reason phrase, Server and Content-Type. The
// caller adds its fields and the blank line.
// The status line's reason phrase for `status` ("OK", "Not Found", "Overloaded" for Anthropic's 529).
[[nodiscard]] std::string_view reason_phrase(unsigned status) noexcept;
void start_response_head(std::string& head, unsigned status, std::string_view content_type);
// request-id and x-request-id (both, as Anthropic's and OpenAI's SDKs read one each); nothing when empty.
void append_request_ids(std::string& head, std::string_view request_id);
// The whole head of an answer with a body of `body_size` bytes (ends with the blank line).
void write_answer_head(std::string& head, const answer_head& fields, std::size_t body_size);
// The head of a 200 event stream (chunked; ends with the blank line).
void write_stream_head(std::string& head, std::string_view request_id, bool keep_alive);
// The size line of a chunk of `size` bytes ("1a2\r\n") into `line`; returns its length.
std::size_t write_chunk_size_line(std::array<char, 24>& line, std::size_t size) noexcept;

class response_writer {
 public:
  explicit response_writer(beast::tcp_stream& client) noexcept : client_(client) {}
  response_writer(const response_writer&) = delete;
  response_writer& operator=(const response_writer&) = delete;

  // Each write must finish within this (the server's request_timeout); set per request.
  void set_write_timeout(std::chrono::milliseconds timeout) noexcept { write_timeout_ = timeout; }

  // Sends a whole answer. Returns whether the connection may serve another request (written and
  // keep_alive). The head is taken by value, so a caller may return this awaitable without a coroutine
  // frame of its own (its strings must outlive the write, as the body's).
  awaitable<bool> respond(answer_head head, std::string_view body);

  // Stream: the head is written now and goes out with the first chunk (write_chunk), not on its own: a
  // separate write is a separate packet and a separate wake-up of the client.
  void start_stream(std::string_view request_id, bool keep_alive);
  // Writes `events` + `more` as one chunk, after the head when it has not gone out yet and followed by
  // the last chunk when `last`, all in one write. Nothing to write: true. False when the client is gone.
  awaitable<bool> write_chunk(std::string_view events, std::string_view more, bool last);
  // The stream is over (written to the end or abandoned): drops an unsent head, lifts the deadline.
  void end_stream() noexcept;

 private:
  beast::tcp_stream& client_;
  std::chrono::milliseconds write_timeout_{30'000};
  std::string head_;         // a whole answer's head
  std::string stream_head_;  // a stream's head until it goes out with the first chunk
  std::array<char, 24> chunk_size_line_{};
};

}  // namespace sluice::gateway
