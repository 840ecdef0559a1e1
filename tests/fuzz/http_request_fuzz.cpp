// The HTTP request path on arbitrary client bytes: Beast's request parser with the server's default
// header and body limits, fed in pieces as reads deliver them, then what session.cpp and
// model_call::read_request do with a parsed request: route on the path, translate an OpenAI body into a
// Messages request, read the request's texts into an exchange, and write the error body a refusal gets.
// Input layout: first byte = maximum piece length (1..256, 0: all at once), the rest = the bytes the
// client sent. A request that parses must leave the read's remainder (pipelining) intact.
// ctest replays tests/fuzz/corpus/http_request; `make fuzz` runs the libFuzzer build.
//
// Boost's assertions in this file go through the handler below (the sanitizer builds compile with
// assertions on; the shipped Release build has none). One assertion of Beast 1.74's chunked-body parser
// is known to be wrong and is let through, explained at the handler; every other one aborts as before.
#define BOOST_ENABLE_ASSERT_HANDLER
#include <boost/assert.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dialects/anthropic/messages_request.h"
#include "dialects/api_errors.h"
#include "dialects/openai/openai_request.h"
#include "pipeline/exchange_texts.h"
#include "policies/exchange.h"
#include "sluice/gateway/config.h"
#include "wire/json_strings.h"

#include <cstdio>
#include <cstring>

namespace boost {

// Found by this target after 8.1 million executions (docs/testing.md): when a chunked body's final
// chunk ("0\r\n") has been read but its trailer has not, and the next read brings one byte, Beast
// re-enters parse_chunk_header with 4 buffered bytes and asserts `n >= 5` (basic_parser.ipp). The code
// under the assertion reads only inside the buffer (parse_hex stops at the first non-hex byte,
// find_eol at the buffer's end), so Release builds — which compile it out — parse on correctly; the
// assertion's bound is simply too strict. It is let through here; any other assertion aborts.
void assertion_failed(char const* expr, char const* function, char const* file, long line) {
  if (std::strcmp(expr, "n >= 5") == 0 && std::strstr(file, "beast/http/impl/basic_parser.ipp") != nullptr) {
    return;
  }
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed.\n", file, line, function, expr);
  std::abort();
}

void assertion_failed_msg(char const* expr, char const* msg, char const* function, char const* file, long line) {
  std::fprintf(stderr, "%s:%ld: %s: Assertion `%s' failed: %s\n", file, line, function, expr, msg);
  std::abort();
}

}  // namespace boost

namespace http = boost::beast::http;
using namespace sluice::gateway;

namespace {

// As session.cpp's dialect_of_path.
api_dialect dialect_of_path(std::string_view path) {
  return path.starts_with("/v1/chat/") || path.starts_with("/v1/completions") || path.starts_with("/v1/embeddings")
             ? api_dialect::openai
             : api_dialect::anthropic;
}

// What model_call::read_request does with the body.
void read_body(std::string_view raw_body, api_dialect dialect) {
  static simdjson::ondemand::parser parser;
  static openai_request_translator openai_in;
  static std::string padded, translated, error_body;
  std::string_view body = padded_copy(padded, raw_body);
  if (dialect == api_dialect::openai) {
    openai_request_facts facts;
    const dialect_error e = openai_in.translate(parser, body, {256}, translated, facts);
    if (e) {
      error_body.clear();
      append_error_body(dialect, to_api_error(e, facts.error_param), error_body);
      return;
    }
    body = padded_copy(padded, translated);
  }
  exchange ex;
  ex.dialect = dialect;
  request_facts facts;
  std::string error;
  if (!extract_request_texts(parser, body, ex, facts, error)) {
    error_body.clear();
    append_error_body(dialect, gateway_error(400, "invalid_request_error", error), error_body);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) {
    return 0;
  }
  static const server_options limits;
  const std::size_t max_piece = data[0] == 0 ? size : data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  http::request_parser<http::string_body> parser;
  parser.header_limit(limits.max_header_bytes);
  parser.body_limit(limits.max_body_bytes);
  parser.eager(true);
  // The connection's read buffer: each read appends a piece, the parser consumes what it can.
  std::string pending;
  std::size_t at = 0;
  boost::beast::error_code ec;
  while (!parser.is_done() && at < input.size()) {
    const std::size_t n = std::min(max_piece, input.size() - at);
    pending.append(input.substr(at, n));
    at += n;
    while (!pending.empty() && !parser.is_done()) {
      const std::size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), ec);
      if (used > pending.size()) {
        std::abort();
      }
      pending.erase(0, used);
      if (ec == http::error::need_more) {
        ec = {};
        break;
      }
      if (ec) {
        break;
      }
    }
    if (ec) {
      break;
    }
  }
  if (!parser.is_done()) {
    if (at == input.size() && !ec && parser.got_some()) {
      // The client closed mid-request (Beast requires bytes before an EOF; session.cpp closes quietly
      // on a connection that sent none).
      parser.put_eof(ec);
    }
    // A malformed or cut request: session.cpp answers in the dialect of whatever path was read.
    const std::string_view target(parser.get().target().data(), parser.get().target().size());
    std::string body;
    append_error_body(dialect_of_path(target.empty() ? "/" : target),
                      gateway_error(400, "invalid_request_error", "malformed HTTP request"), body);
    if (!parser.is_done()) {
      return 0;
    }
  }
  auto& req = parser.get();
  const std::string_view target(req.target().data(), req.target().size());
  const std::string_view path = target.substr(0, target.find('?'));
  if ((path == "/v1/messages" || path == "/v1/chat/completions") && req.method() == http::verb::post) {
    read_body(req.body(), dialect_of_path(path));
  }
  return 0;
}
