// The upstream simulator: a small Beast server speaking the Messages API (see upstream_sim.h).
#include "sluice/sim/upstream_sim.h"

#include <openssl/evp.h>
#include <simdjson.h>

#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "dialects/anthropic/messages_request.h"
#include "http/asio_types.h"
#include "sluice/engine/json_escape.h"

namespace sluice::gateway {

struct upstream_simulator::impl {
  simulator_options options;
  net::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::uint16_t port = 0;

  mutable std::mutex mutex;  // the simulator is a test tool: simplicity over speed
  std::uint64_t requests = 0;
  std::uint64_t next_id = 0;
  std::string last_body;
  std::map<std::string, std::string> last_headers;
  std::map<std::string, unsigned> failures_by_tag;

  explicit impl(simulator_options o) : options(std::move(o)) {}
};

namespace {

struct directives {
  std::string reply;
  bool has_reply = false;
  unsigned error = 0;
  unsigned cut_after = 0;
  unsigned delay_ms = 0;
  std::string tool;  // SIM_TOOL=<name>: the answer is a call of this tool with input {"text": reply}
  // Faults (see upstream_sim.h): 0 = not asked for.
  unsigned reset_after = 0;      // SIM_RESET=<n>: RST after n text deltas
  unsigned truncate_after = 0;   // SIM_TRUNCATE=<n>: half an event after n deltas, then the body ends
  unsigned malformed_after = 0;  // SIM_MALFORMED=<n>: an event with broken JSON after n deltas
  unsigned stall_ms = 0;         // SIM_STALL=<ms>: silence after the first delta
  std::string retry_after = "0";  // SIM_RETRY_AFTER=<value>|none: on 429/503/529
  std::uint64_t big_bytes = 0;   // SIM_BIG=<bytes>: a whole answer about this large
  unsigned silent_ms = 0;        // SIM_SILENT=<ms>: read the request, send nothing for ms, close
};

// The tool_use input the simulator sends for `reply`.
std::string tool_input_json(std::string_view reply) {
  std::string out = R"({"text":)";
  engine::append_json_string(out, reply);
  out += "}";
  return out;
}

std::string decode_base64(std::string_view in) {
  std::string out((in.size() / 4 + 1) * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  if (n < 0) {
    return "(invalid base64)";
  }
  out.resize(static_cast<std::size_t>(n));
  std::size_t pad = 0;
  for (std::size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) {
    ++pad;
  }
  out.resize(out.size() - std::min(pad, out.size()));
  return out;
}

unsigned to_uint(std::string_view s) {
  unsigned v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      break;
    }
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

// The value of `name=` in text, up to the next whitespace (or the end of the text for replies).
bool find_directive(std::string_view text, std::string_view name, bool to_end, std::string_view& value) {
  const auto pos = text.find(name);
  if (pos == std::string_view::npos) {
    return false;
  }
  value = text.substr(pos + name.size());
  if (!to_end) {
    const auto end = value.find_first_of(" \n\t\r\"");
    value = value.substr(0, end);
  }
  return true;
}

void read_directives(upstream_simulator::impl& s, std::string_view text, const http::request<http::string_body>& req,
                     directives& d) {
  std::string_view v;
  if (find_directive(text, "SIM_REPLY64=", false, v)) {
    d.reply = decode_base64(v);
    d.has_reply = true;
  } else if (find_directive(text, "SIM_REPLY=", true, v)) {
    d.reply = std::string(v);
    d.has_reply = true;
  }
  if (find_directive(text, "SIM_ERROR=", false, v)) {
    d.error = to_uint(v);
  }
  if (find_directive(text, "SIM_FAIL=", false, v)) {
    // <status>x<n>#<tag>
    const unsigned status = to_uint(v);
    const auto x = v.find('x');
    const auto hash = v.find('#');
    if (x != std::string_view::npos && hash != std::string_view::npos) {
      const unsigned times = to_uint(v.substr(x + 1));
      const std::string tag(v.substr(hash + 1));
      std::lock_guard lock(s.mutex);
      unsigned& seen = s.failures_by_tag[tag];
      if (seen < times) {
        ++seen;
        d.error = status;
      }
    }
  }
  if (find_directive(text, "SIM_CUT=", false, v)) {
    d.cut_after = to_uint(v);
  }
  if (find_directive(text, "SIM_DELAY=", false, v)) {
    d.delay_ms = to_uint(v);
  }
  if (find_directive(text, "SIM_TOOL=", false, v)) {
    d.tool = std::string(v);
  }
  if (find_directive(text, "SIM_RESET=", false, v)) {
    d.reset_after = std::max(1u, to_uint(v));
  }
  if (find_directive(text, "SIM_TRUNCATE=", false, v)) {
    d.truncate_after = std::max(1u, to_uint(v));
  }
  if (find_directive(text, "SIM_MALFORMED=", false, v)) {
    d.malformed_after = std::max(1u, to_uint(v));
  }
  if (find_directive(text, "SIM_STALL=", false, v)) {
    d.stall_ms = to_uint(v);
  }
  if (find_directive(text, "SIM_RETRY_AFTER=", false, v)) {
    d.retry_after = std::string(v);
  }
  if (find_directive(text, "SIM_BIG=", false, v)) {
    for (char c : v) {
      if (c < '0' || c > '9') {
        break;
      }
      d.big_bytes = d.big_bytes * 10 + static_cast<std::uint64_t>(c - '0');
    }
  }
  if (find_directive(text, "SIM_SILENT=", false, v)) {
    d.silent_ms = std::max(1u, to_uint(v));
  }
  if (auto it = req.find("x-sim-reply"); it != req.end()) {
    d.reply = std::string(it->value());
    d.has_reply = true;
  }
  if (auto it = req.find("x-sim-error"); it != req.end()) {
    d.error = to_uint(sv(it->value()));
  }
  if (auto it = req.find("x-sim-cut"); it != req.end()) {
    d.cut_after = to_uint(sv(it->value()));
  }
  if (auto it = req.find("x-sim-delay"); it != req.end()) {
    d.delay_ms = to_uint(sv(it->value()));
  }
}

std::string error_json(std::string_view type, std::string_view message) {
  std::string out = R"({"type":"error","error":{"type":)";
  engine::append_json_string(out, type);
  out += R"(,"message":)";
  engine::append_json_string(out, message);
  out += "}}";
  return out;
}

std::string_view error_type(unsigned status) {
  switch (status) {
    case 400: return "invalid_request_error";
    case 401: return "authentication_error";
    case 403: return "permission_error";
    case 404: return "not_found_error";
    case 429: return "rate_limit_error";
    case 529: return "overloaded_error";
    default: return "api_error";
  }
}

awaitable<void> pause(std::chrono::microseconds d) {
  if (d.count() <= 0) {
    co_return;
  }
  net::steady_timer t(co_await net::this_coro::executor);
  t.expires_after(d);
  error_code ec;
  co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
}

template <class Body>
awaitable<bool> send(beast::tcp_stream& stream, http::response<Body>& res) {
  error_code ec;
  res.prepare_payload();
  co_await http::async_write(stream, res, net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
}

void append_event(std::string& out, std::string_view name, std::string_view data) {
  out += "event: ";
  out += name;
  out += "\ndata: ";
  out += data;
  out += "\n\n";
}

awaitable<bool> stream_reply(upstream_simulator::impl& s, beast::tcp_stream& stream, const std::string& id,
                             const std::string& model, const std::string& reply, std::uint64_t input_tokens,
                             const directives& d) {
  http::response<http::empty_body> head{http::status::ok, 11};
  head.set(http::field::content_type, "text/event-stream");
  head.set(http::field::cache_control, "no-cache");
  head.set("request-id", id);
  head.chunked(true);
  http::response_serializer<http::empty_body> sr{head};
  error_code ec;
  co_await http::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, ec));
  if (ec) {
    co_return false;
  }
  auto write_chunk = [&](const std::string& data) -> awaitable<bool> {
    error_code wec;
    co_await net::async_write(stream, http::make_chunk(net::buffer(data)), net::redirect_error(net::use_awaitable, wec));
    co_return !wec;
  };
  std::string out;
  std::string data = R"({"type":"message_start","message":{"id":)";
  engine::append_json_string(data, id);
  data += R"(,"type":"message","role":"assistant","model":)";
  engine::append_json_string(data, model);
  data += R"(,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":)" +
          std::to_string(input_tokens) + R"(,"output_tokens":1}}})";
  append_event(out, "message_start", data);
  append_event(out, "ping", R"({"type": "ping"})");
  if (!co_await write_chunk(out)) {
    co_return false;
  }
  const std::size_t step = std::max<std::size_t>(1, s.options.chunk_chars);
  const auto gap = s.options.tokens_per_second > 0
                       ? std::chrono::microseconds(static_cast<long>(1e6 / s.options.tokens_per_second))
                       : std::chrono::microseconds(0);
  std::uint64_t deltas = 0;
  // One content block: its start event, `payload` in deltas of chunk_chars bytes (whole UTF-8
  // characters), its stop event.
  auto send_block = [&](unsigned index, std::string_view block_start, std::string_view delta_type,
                        std::string_view field, std::string_view payload) -> awaitable<bool> {
    const std::string at = std::to_string(index);
    out.clear();
    append_event(out, "content_block_start",
                 R"({"type":"content_block_start","index":)" + at + R"(,"content_block":)" + std::string(block_start) + "}");
    if (!co_await write_chunk(out)) {
      co_return false;
    }
    // Every delta's JSON up to its text is the same: written once per block, reused per delta.
    std::string prefix = R"({"type":"content_block_delta","index":)" + at + R"(,"delta":{"type":)";
    engine::append_json_string(prefix, delta_type);
    prefix += ",";
    engine::append_json_string(prefix, field);
    prefix += ":";
    for (std::size_t pos = 0; pos < payload.size();) {
      std::size_t n = std::min(step, payload.size() - pos);
      // Never split a UTF-8 sequence: the real API sends whole characters.
      while (pos + n < payload.size() && (static_cast<unsigned char>(payload[pos + n]) & 0xC0) == 0x80) {
        ++n;
      }
      if (d.cut_after != 0 && deltas == d.cut_after) {
        error_code ignored;
        stream.socket().close(ignored);  // the upstream dies mid-stream
        co_return false;
      }
      if (d.reset_after != 0 && deltas == d.reset_after) {
        // A reset rather than a close: linger 0 makes the kernel send RST and drop unsent data.
        error_code ignored;
        stream.socket().set_option(net::socket_base::linger(true, 0), ignored);
        stream.socket().close(ignored);
        co_return false;
      }
      if (d.truncate_after != 0 && deltas == d.truncate_after) {
        // Half an event, then a well-formed end of the body: the stream stops inside an event.
        if (!co_await write_chunk("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"ind")) {
          co_return false;
        }
        error_code wec;
        co_await net::async_write(stream, http::make_chunk_last(), net::redirect_error(net::use_awaitable, wec));
        co_return false;
      }
      if (d.malformed_after != 0 && deltas == d.malformed_after) {
        if (!co_await write_chunk("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\n\n")) {
          co_return false;
        }
      }
      if (d.stall_ms != 0 && deltas == 1) {
        co_await pause(std::chrono::milliseconds(d.stall_ms));
      }
      co_await pause(gap);
      out.clear();
      data.assign(prefix);
      engine::append_json_string(data, payload.substr(pos, n));
      data += "}}";
      append_event(out, "content_block_delta", data);
      if (!co_await write_chunk(out)) {
        co_return false;
      }
      pos += n;
      ++deltas;
    }
    out.clear();
    append_event(out, "content_block_stop", R"({"type":"content_block_stop","index":)" + at + "}");
    co_return co_await write_chunk(out);
  };
  const bool tool = !d.tool.empty();
  // The answer is the reply itself, or a short preamble before a tool call: no copy of the reply.
  const std::string preamble = tool ? "Calling " + d.tool + "." : std::string();
  const std::string_view text = tool ? std::string_view(preamble) : std::string_view(reply);
  if (!co_await send_block(0, R"({"type":"text","text":""})", "text_delta", "text", text)) {
    co_return false;
  }
  if (tool) {
    std::string start = R"({"type":"tool_use","id":"toolu_sim_1","name":)";
    engine::append_json_string(start, d.tool);
    start += R"(,"input":{}})";
    if (!co_await send_block(1, start, "input_json_delta", "partial_json", tool_input_json(reply))) {
      co_return false;
    }
  }
  out.clear();
  append_event(out, "message_delta",
               std::string(R"({"type":"message_delta","delta":{"stop_reason":")") + (tool ? "tool_use" : "end_turn") +
                   R"(","stop_sequence":null},"usage":{"output_tokens":)" +
                   std::to_string(std::max<std::uint64_t>(deltas, 1)) + "}}");
  append_event(out, "message_stop", R"({"type":"message_stop"})");
  if (!co_await write_chunk(out)) {
    co_return false;
  }
  co_await net::async_write(stream, http::make_chunk_last(), net::redirect_error(net::use_awaitable, ec));
  co_return !ec;
}

awaitable<void> serve(upstream_simulator::impl& s, tcp::socket socket) {
  // Events go out as soon as they are written, as from the real API: without this, Nagle's algorithm
  // holds each small event until the previous one is acknowledged, and a peer that delays its ACKs
  // (a keep-alive connection past its first exchange) stalls the stream by 40 ms.
  error_code nodelay_ec;
  socket.set_option(tcp::no_delay(true), nodelay_ec);
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  buffer.reserve(read_buffer_bytes);  // whole requests per read, as the gateway (session.cpp)
  simdjson::ondemand::parser parser;
  json_string_table strings;  // the request's texts, read as the gateway reads them
  std::string padded;
  for (;;) {
    http::request_parser<http::string_body> p;
    p.body_limit(64 * 1024 * 1024);
    error_code ec;
    co_await http::async_read(stream, buffer, p, net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      co_return;
    }
    auto& req = p.get();
    const bool keep_alive = req.keep_alive();
    http::response<http::string_body> res{http::status::ok, 11};
    res.set(http::field::content_type, "application/json");
    res.keep_alive(keep_alive);
    if (req.method() != http::verb::post || req.target() != "/v1/messages") {
      res.result(http::status::not_found);
      res.body() = error_json("not_found_error", "the simulator only serves POST /v1/messages");
      if (!co_await send(stream, res)) {
        co_return;
      }
      continue;
    }
    std::string id;
    {
      std::lock_guard lock(s.mutex);
      ++s.requests;
      id = "msg_sim_" + std::to_string(++s.next_id);
      s.last_body = req.body();
      s.last_headers.clear();
      for (const auto& f : req) {
        std::string name(f.name_string());
        for (char& c : name) {
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        s.last_headers[name] = std::string(f.value());
      }
    }
    if (!s.options.api_key.empty() && req["x-api-key"] != s.options.api_key) {
      res.result(http::status::unauthorized);
      res.body() = error_json("authentication_error", "invalid x-api-key");
      if (!co_await send(stream, res)) {
        co_return;
      }
      continue;
    }
    messages_request_facts facts;
    const std::string_view body = padded_copy(padded, req.body());
    if (const dialect_error e = read_messages_request(parser, body, strings, facts); e) {
      res.result(http::status::bad_request);
      res.body() = error_json("invalid_request_error", e.message);
      if (!co_await send(stream, res)) {
        co_return;
      }
      continue;
    }
    std::string last_user;
    std::uint64_t input_chars = 0;
    for (std::size_t i = 0; i < strings.size(); ++i) {
      input_chars += strings.text(i).size();
      if (strings[i].source == text_source::user) {
        last_user.assign(strings.text(i));
      }
    }
    directives d;
    read_directives(s, last_user, req, d);
    if (d.error == 0) {
      d.error = s.options.error_status;
    }
    const std::string reply = d.has_reply ? d.reply : "Echo: " + last_user;
    const std::string model = facts.model.empty() ? "claude-sim" : std::string(facts.model);
    co_await pause(s.options.latency + std::chrono::milliseconds(d.delay_ms));
    if (d.silent_ms != 0) {
      // Never answers: no status line, no headers. Waits for the peer to give up (or the time to pass).
      net::steady_timer quiet(co_await net::this_coro::executor);
      quiet.expires_after(std::chrono::milliseconds(d.silent_ms));
      quiet.async_wait([&stream](const error_code& wait_ec) {
        if (!wait_ec) {
          error_code ignored;
          stream.socket().cancel(ignored);
        }
      });
      char byte = 0;
      error_code read_ec;
      co_await stream.socket().async_read_some(net::buffer(&byte, 1), net::redirect_error(net::use_awaitable, read_ec));
      quiet.cancel();
      co_return;
    }
    if (d.big_bytes != 0 && !facts.stream) {
      // A whole answer of about big_bytes, written in 64 KiB pieces without holding it in memory.
      const std::string head_json = R"({"id":")" + id + R"(","type":"message","role":"assistant","model":"claude-sim","content":[{"type":"text","text":")";
      const std::string tail_json = R"("}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}})";
      const std::uint64_t filler = d.big_bytes > head_json.size() + tail_json.size() ? d.big_bytes - head_json.size() - tail_json.size() : 0;
      http::response<http::empty_body> big{http::status::ok, 11};
      big.set(http::field::content_type, "application/json");
      big.content_length(head_json.size() + filler + tail_json.size());
      big.keep_alive(false);
      http::response_serializer<http::empty_body> sr{big};
      error_code wec;
      co_await http::async_write_header(stream, sr, net::redirect_error(net::use_awaitable, wec));
      const std::string piece(64 * 1024, 'a');
      if (!wec) {
        co_await net::async_write(stream, net::buffer(head_json), net::redirect_error(net::use_awaitable, wec));
      }
      for (std::uint64_t left = filler; !wec && left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, piece.size()));
        co_await net::async_write(stream, net::buffer(piece.data(), n), net::redirect_error(net::use_awaitable, wec));
        left -= n;
      }
      if (!wec) {
        co_await net::async_write(stream, net::buffer(tail_json), net::redirect_error(net::use_awaitable, wec));
      }
      co_return;
    }
    if (d.error != 0) {
      res.result(static_cast<http::status>(d.error));
      if ((d.error == 429 || d.error == 529 || d.error == 503) && d.retry_after != "none") {
        res.set("retry-after", d.retry_after);
      }
      res.body() = error_json(error_type(d.error), "simulated error " + std::to_string(d.error));
      if (!co_await send(stream, res)) {
        co_return;
      }
      continue;
    }
    const std::uint64_t input_tokens = input_chars / 4 + 1;
    if (facts.stream) {
      if (!co_await stream_reply(s, stream, id, model, reply, input_tokens, d) || !keep_alive) {
        co_return;
      }
      continue;
    }
    std::string& out = res.body();
    out = R"({"id":)";
    engine::append_json_string(out, id);
    out += R"(,"type":"message","role":"assistant","model":)";
    engine::append_json_string(out, model);
    if (d.tool.empty()) {
      out += R"(,"content":[{"type":"text","text":)";
      engine::append_json_string(out, reply);
      out += R"(}],"stop_reason":"end_turn")";
    } else {
      out += R"(,"content":[{"type":"text","text":)";
      engine::append_json_string(out, "Calling " + d.tool + ".");
      out += R"(},{"type":"tool_use","id":"toolu_sim_1","name":)";
      engine::append_json_string(out, d.tool);
      out += R"(,"input":)" + tool_input_json(reply) + R"(}],"stop_reason":"tool_use")";
    }
    out += R"(,"stop_sequence":null,"usage":{"input_tokens":)" +
           std::to_string(input_tokens) + R"(,"output_tokens":)" +
           std::to_string(reply.size() / std::max<std::size_t>(1, s.options.chunk_chars) + 1) + "}}";
    res.set("request-id", id);
    if (!co_await send(stream, res) || !keep_alive) {
      co_return;
    }
  }
}

awaitable<void> accept_loop(upstream_simulator::impl& s) {
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await s.acceptor->async_accept(net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !s.acceptor->is_open()) {
        co_return;
      }
      continue;
    }
    net::co_spawn(s.ioc, serve(s, std::move(socket)), net::detached);
  }
}

}  // namespace

upstream_simulator::upstream_simulator(simulator_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {}

upstream_simulator::~upstream_simulator() { stop(); }

std::uint16_t upstream_simulator::start() {
  auto& s = *impl_;
  const tcp::endpoint ep(net::ip::make_address(s.options.host), s.options.port);
  s.acceptor.emplace(s.ioc);
  s.acceptor->open(ep.protocol());
  s.acceptor->set_option(net::socket_base::reuse_address(true));
  s.acceptor->bind(ep);
  s.acceptor->listen();
  s.port = s.acceptor->local_endpoint().port();
  net::co_spawn(s.ioc, accept_loop(s), net::detached);
  for (unsigned i = 0; i < std::max(1u, s.options.threads); ++i) {
    s.threads.emplace_back([&s] { s.ioc.run(); });
  }
  return s.port;
}

void upstream_simulator::stop() {
  auto& s = *impl_;
  s.ioc.stop();
  for (auto& t : s.threads) {
    t.join();
  }
  s.threads.clear();
}

std::uint16_t upstream_simulator::port() const noexcept { return impl_->port; }

std::uint64_t upstream_simulator::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::string upstream_simulator::last_request_body() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_body;
}

std::string upstream_simulator::last_request_header(const std::string& name) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->last_headers.find(name);
  return it == impl_->last_headers.end() ? std::string() : it->second;
}

}  // namespace sluice::gateway
