// Answers to the client (see response_writer.h).
#include "http/response_writer.h"

#include <cstdio>
#include <span>

#include "wire/decimal_text.h"

namespace sluice::gateway {

std::string_view reason_phrase(unsigned status) noexcept {
  // 529 is Anthropic's "overloaded" status. It is not in the HTTP registry, so Beast's table names it
  // "<unknown-status>", which a client would show as is; the phrase carries no meaning, so say what it is.
  if (status == 529) {
    return "Overloaded";
  }
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  return {reason.data(), reason.size()};
}

void start_response_head(std::string& head, unsigned status, std::string_view content_type) {
  head.assign("HTTP/1.1 ");
  append_number(head, status);
  head += ' ';
  head += reason_phrase(status);
  head += "\r\nServer: sluice\r\nContent-Type: ";
  head += content_type;
}

void append_request_ids(std::string& head, std::string_view request_id) {
  if (!request_id.empty()) {
    head += "\r\nrequest-id: ";
    head += request_id;
    head += "\r\nx-request-id: ";
    head += request_id;
  }
}

void write_answer_head(std::string& head, const answer_head& fields, std::size_t body_size) {
  start_response_head(head, fields.status, fields.content_type);
  append_request_ids(head, fields.request_id);
  if (fields.status == 405 && !fields.allow.empty()) {
    head += "\r\nAllow: ";
    head += fields.allow;
  }
  if (fields.retry_after_ms > 0 || fields.status == 429 || fields.status == 529) {
    head += "\r\nRetry-After: ";
    append_number(head, (fields.retry_after_ms + 999) / 1000);
  }
  if (!fields.keep_alive) {
    head += "\r\nConnection: close";
  }
  head += "\r\nContent-Length: ";
  append_number(head, body_size);
  head += "\r\n\r\n";
}

void write_stream_head(std::string& head, std::string_view request_id, bool keep_alive) {
  start_response_head(head, 200, "text/event-stream");
  head += "\r\nCache-Control: no-cache";
  append_request_ids(head, request_id);
  head += keep_alive ? "\r\n" : "\r\nConnection: close\r\n";
  head += "Transfer-Encoding: chunked\r\n\r\n";
}

std::size_t write_chunk_size_line(std::array<char, 24>& line, std::size_t size) noexcept {
  const int len = std::snprintf(line.data(), line.size(), "%zx\r\n", size);
  return len > 0 ? static_cast<std::size_t>(len) : 0;
}

awaitable<bool> response_writer::respond(answer_head head, std::string_view body) {
  write_answer_head(head_, head, body.size());
  const std::array<net::const_buffer, 2> response{net::buffer(head_), net::buffer(body.data(), body.size())};
  client_.expires_after(write_timeout_);
  error_code ec;
  co_await net::async_write(client_, response, net::redirect_error(net::use_awaitable, ec));
  client_.expires_never();
  co_return !ec && head.keep_alive;
}

void response_writer::start_stream(std::string_view request_id, bool keep_alive) {
  write_stream_head(stream_head_, request_id, keep_alive);
}

awaitable<bool> response_writer::write_chunk(std::string_view events, std::string_view more, bool last) {
  // One gather write: [head] [size line, events, more, CRLF] [last chunk].
  std::array<net::const_buffer, 6> pieces{};
  std::size_t n = 0;
  if (!stream_head_.empty()) {
    pieces[n++] = net::buffer(stream_head_);
  }
  if (!events.empty() || !more.empty()) {
    const std::size_t len = write_chunk_size_line(chunk_size_line_, events.size() + more.size());
    pieces[n++] = net::buffer(chunk_size_line_.data(), len);
    pieces[n++] = net::buffer(events.data(), events.size());
    pieces[n++] = net::buffer(more.data(), more.size());
    pieces[n++] = net::buffer("\r\n", 2);
  }
  if (last) {
    pieces[n++] = net::buffer("0\r\n\r\n", 5);
  }
  if (n == 0) {
    co_return true;
  }
  error_code ec;
  client_.expires_after(write_timeout_);
  co_await net::async_write(client_, std::span<const net::const_buffer>(pieces.data(), n),
                            net::redirect_error(net::use_awaitable, ec));
  stream_head_.clear();
  co_return !ec;
}

void response_writer::end_stream() noexcept {
  stream_head_.clear();
  client_.expires_never();
}

}  // namespace sluice::gateway
