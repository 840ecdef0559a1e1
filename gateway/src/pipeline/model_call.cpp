// The model request pipeline (see model_call.h). Retries and fallbacks happen only before the first
// byte of the answer reaches the client; after that an upstream failure ends the stream with an error
// event in the client's dialect.
#include "pipeline/model_call.h"

#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <span>

#include "pipeline/anthropic_texts.h"
#include "wire/decimal_text.h"
#include "dialects/api_errors.h"
#include "server/shard.h"
#include "sluice/engine/json_escape.h"
#include "sluice/gateway/version.h"
#include "upstream/upstream_client.h"

namespace sluice::gateway {
namespace {

using clock = std::chrono::steady_clock;

bool retryable(unsigned status) noexcept {
  return status == 429 || status == 529 || status == 500 || status == 502 || status == 503 || status == 504;
}

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

// While the upstream works, a client that closes its connection interrupts the upstream call, so no
// tokens are spent on an answer nobody will read. It waits for the client socket to become readable:
// end of stream (or an error) means gone; data means a pipelined request, which is left for later.
// The state is shared with the wait's handler, which may run after the watch has ended.
struct model_call::watch_state {
  std::optional<upstream_call>* call = nullptr;
  bool gone = false;
};

class model_call::client_watch {
 public:
  // `shared` is the connection's (made once, see model_call::watch_state_): a watch per request must not
  // allocate. A handler left over from an earlier request can only see a cancelled wait, or a socket
  // event that is just as true now.
  client_watch(beast::tcp_stream& client, std::optional<upstream_call>& call, std::shared_ptr<watch_state> shared)
      : client_(client), state_(std::move(shared)) {
    state_->call = &call;
    state_->gone = false;
    auto& socket = client_.socket();
    socket.async_wait(tcp::socket::wait_read, [st = state_, fd = socket.native_handle()](const error_code& ec) {
      if (ec || st->call == nullptr) {
        return;
      }
      char byte = 0;
      const auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        st->gone = true;
        if (st->call->has_value()) {
          (*st->call)->interrupt();
        }
      }
    });
  }
  ~client_watch() {
    state_->call = nullptr;
    error_code ignored;
    client_.socket().cancel(ignored);  // nothing else waits on the socket between requests
  }
  client_watch(const client_watch&) = delete;
  client_watch& operator=(const client_watch&) = delete;
  [[nodiscard]] bool client_gone() const noexcept { return state_->gone; }

 private:
  beast::tcp_stream& client_;
  std::shared_ptr<watch_state> state_;
};

namespace {

awaitable<void> sleep_for(std::chrono::milliseconds d) {
  net::steady_timer t(co_await net::this_coro::executor);
  t.expires_after(d);
  error_code ec;
  co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
}

// The start of a response head written by hand (whole answers and streams alike): status line with
// Beast's reason phrase, Server and Content-Type; the caller adds its fields and the blank line.
void start_response_head(std::string& head, unsigned status, std::string_view content_type) {
  head.assign("HTTP/1.1 ");
  append_number(head, status);
  head += ' ';
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  head.append(reason.data(), reason.size());
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

}  // namespace

model_call::model_call(shard& sh, beast::tcp_stream& client, std::string peer)
    : sh_(sh), client_(client), peer_(std::move(peer)), watch_state_(std::make_shared<watch_state>()) {
  ex_.audit_out = &sh_.audit_buffer_;
}

model_call::~model_call() = default;

awaitable<bool> model_call::respond(unsigned status, std::string_view content_type, std::string_view body,
                                    bool keep_alive, std::uint64_t retry_after_ms) {
  // The head is written into a reused buffer and goes out with the body in one gather write (as the
  // upstream request's, see upstream_call::start): no field nodes, no serializer. The reason phrase is
  // Beast's, as before.
  std::string& head = response_head_;
  start_response_head(head, status, content_type);
  append_request_ids(head, ex_.request_id);
  if (status == 405 && !allow_.empty()) {
    head += "\r\nAllow: ";
    head += allow_;
  }
  if (retry_after_ms > 0 || status == 429 || status == 529) {
    head += "\r\nRetry-After: ";
    append_number(head, (retry_after_ms + 999) / 1000);
  }
  if (!keep_alive) {
    head += "\r\nConnection: close";
  }
  head += "\r\nContent-Length: ";
  append_number(head, body.size());
  head += "\r\n\r\n";
  const std::array<net::const_buffer, 2> response{net::buffer(head), net::buffer(body.data(), body.size())};
  client_.expires_after(sh_.state_->rt->config->server.request_timeout);
  error_code ec;
  co_await net::async_write(client_, response, net::redirect_error(net::use_awaitable, ec));
  client_.expires_never();
  co_return !ec && keep_alive;
}

awaitable<bool> model_call::send_error(client_dialect dialect, unsigned status, std::string_view message,
                                       bool keep_alive) {
  out_.clear();
  append_error_body(dialect, gateway_error(status, {}, message), out_);
  co_return co_await respond(status, "application/json", out_, keep_alive);
}

awaitable<bool> model_call::send_body(unsigned status, std::string_view content_type, bool keep_alive) {
  co_return co_await respond(status, content_type, out_, keep_alive);
}

awaitable<bool> model_call::refuse(bool keep_alive) {
  const policy_refusal& r = ex_.refused;
  out_.clear();
  api_error error = gateway_error(r.status, r.type, r.message);
  error.param = refused_param_;
  append_error_body(ex_.dialect, error, out_);
  finish_exchange(r.status);
  co_return co_await respond(r.status, "application/json", out_, keep_alive, r.retry_after_s * 1000ull);
}

void model_call::finish_exchange(unsigned status) noexcept {
  ex_.status = status;
  if (held_.active() && state_->rt->access) {
    usage_report usage;
    usage.input_tokens = static_cast<std::uint32_t>(ex_.input_tokens);
    usage.output_tokens = static_cast<std::uint32_t>(ex_.output_tokens);
    usage.http_status = static_cast<std::uint16_t>(status);
    usage.latency_us = static_cast<std::uint32_t>(ex_.latency_ms() * 1000.0);
    usage.added_latency_us = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(overhead_).count());
    usage.model = ex_.model;
    state_->rt->access->settle(std::move(held_), usage);
  }
  sh_.metrics_.count_request(kind_, status);
  sh_.metrics_.count_tokens(ex_.input_tokens, ex_.output_tokens);
  for (const auto& v : ex_.verdicts) {
    sh_.metrics_.count_verdict(v.policy, v.action);
  }
  sh_.metrics_.observe_overhead(std::chrono::duration<double, std::milli>(overhead_).count());
  chain_.complete(ex_);
  chain_.end();
}

std::string_view model_call::body_for_target(std::size_t i, std::string_view base) {
  const target_config& t = state_->rt->config->targets[i];
  const bool add_max = !has_max_tokens_ && t.default_max_tokens > 0;
  const bool force = t.force_model && !t.model.empty() && model_raw_end_ > model_raw_begin_;
  if (!add_max && !force) {
    return base;
  }
  target_body_.clear();
  std::size_t copied = 0;
  if (add_max) {
    const std::size_t brace = base.find('{');
    target_body_.append(base.substr(0, brace + 1));
    target_body_ += "\"max_tokens\":" + std::to_string(t.default_max_tokens) + ",";
    copied = brace + 1;
  }
  if (force && model_raw_begin_ >= copied) {
    target_body_.append(base.substr(copied, model_raw_begin_ - copied));
    engine::append_json_string(target_body_, t.model);
    copied = model_raw_end_;
  }
  target_body_.append(base.substr(copied));
  return target_body_;
}

awaitable<bool> model_call::run(http::request<http::string_body>& req, client_dialect dialect, endpoint_kind kind,
                                bool keep_alive) {
  const auto t0 = clock::now();
  kind_ = kind;
  if (filter_ && filter_state_ != sh_.state_.get()) {
    filter_.reset();  // it uses the old state's scanner scratch: drop it while that state is alive
    filter_state_ = nullptr;
  }
  state_ = sh_.state_;
  const gateway_runtime& rt = *state_->rt;
  const gateway_config& cfg = *rt.config;

  ex_.clear();
  ex_.started = t0;
  ex_.wall_started = std::chrono::system_clock::now();
  ex_.dialect = dialect;
  ex_.endpoint = kind == endpoint_kind::messages ? "/v1/messages" : "/v1/chat/completions";
  ex_.client_address = peer_;
  char id[48];
  std::snprintf(id, sizeof id, "req_sluice_%u_%llu", sh_.index_, static_cast<unsigned long long>(++sh_.next_request_));
  ex_.request_id = id;
  ex_.header_team.assign(sv(req["x-sluice-team"]));
  ex_.header_project.assign(sv(req["x-sluice-project"]));
  anthropic_beta_.assign(sv(req["anthropic-beta"]));
  overhead_ = {};
  chain_.begin(*rt.chain);

  // Parse (an OpenAI request is first translated into a Messages request: everything after this works
  // on Anthropic's format) and find the texts.
  refused_param_ = {};
  std::string_view body = padded_body(padded_, req.body());
  if (dialect == client_dialect::openai) {
    openai_request_options options;
    options.default_max_tokens = cfg.targets.empty() ? 0 : cfg.targets[0].default_max_tokens;
    const dialect_error e =
        sh_.openai_request_.translate(sh_.request_parser_, body, options, translated_, openai_facts_);
    if (e) {
      refused_param_ = openai_facts_.error_param;
      ex_.refuse(e.code == dialect_errc::too_large ? 413 : 400, "invalid_request_error", "", std::string(e.message));
      co_return co_await refuse(keep_alive);
    }
    body = padded_body(padded_, translated_);
  }
  request_facts facts;
  std::string error;
  if (!extract_request_texts(sh_.request_parser_, body, ex_, facts, error)) {
    ex_.refuse(400, "invalid_request_error", "", std::move(error));
    co_return co_await refuse(keep_alive);
  }
  ex_.stream = facts.stream;
  has_max_tokens_ = facts.has_max_tokens;

  // Keys, scopes, limits and budgets, before anything is scanned or sent.
  if (rt.access) {
    admission_request ar;
    ar.authorization = sv(req[http::field::authorization]);
    ar.x_api_key = sv(req["x-api-key"]);
    ar.client_ip = peer_;
    ar.endpoint = ex_.endpoint;
    ar.model = ex_.model;
    ar.estimated_input_tokens = static_cast<std::uint32_t>(body.size());
    const std::uint64_t max_tokens =
        facts.has_max_tokens ? facts.max_tokens : (cfg.targets.empty() ? 0 : cfg.targets[0].default_max_tokens);
    ar.max_tokens = static_cast<std::uint32_t>(std::min<std::uint64_t>(max_tokens, 0xffffffffu));
    ar.team_header = ex_.header_team;
    ar.project_header = ex_.header_project;
    admission a = rt.access->admit(ar);
    if (!a.caller.key_name.empty()) {
      ex_.caller.assign(a.caller.key_name);
    }
    ex_.team.assign(a.caller.team);
    ex_.project.assign(a.caller.project);
    if (!a.allowed) {
      ex_.refuse(a.http_status, a.error_type, "governance", std::move(a.message));
      ex_.refused.retry_after_s = a.retry_after_seconds;
      co_return co_await refuse(keep_alive);
    }
    held_ = std::move(a.held);
  }
  model_raw_begin_ = facts.model_raw_begin;
  model_raw_end_ = facts.model_raw_end;

  // Scan once, then the policies in order.
  if (rt.chain->scans_anything()) {
    scan_texts(state_->scanner, sh_.scan_result_, rt.chain->scan_options(), ex_);
  }
  if (!chain_.request(ex_)) {
    overhead_ += clock::now() - t0;
    co_return co_await refuse(keep_alive);
  }
  const auto style = rt.chain->redaction_style();
  if (redactor_.style() != style) {
    redactor_ = engine::redactor(style);
  }
  redactor_.reset();
  std::string_view upstream_body = body;
  bool any_redaction = false;
  for (const auto& t : ex_.texts) {
    any_redaction = any_redaction || t.redact;
  }
  if (any_redaction || rt.chain->wants_text()) {
    if (rewrite_texts(body, ex_, redactor_, {}, upstream_body_,
                      rt.chain->wants_text() ? &ex_.redacted_request_text : nullptr)) {
      // Never send a request whose redaction could not be written: fail closed.
      overhead_ += clock::now() - t0;
      ex_.refuse(500, "api_error", "", "the request could not be redacted; it was not sent");
      co_return co_await refuse(keep_alive);
    }
    upstream_body = upstream_body_;
  }
  overhead_ += clock::now() - t0;

  // Upstream: targets in order, each with its retry budget, while nothing has reached the client.
  std::optional<upstream_call> call;
  const client_watch watch(client_, call, watch_state_);
  unsigned last_status = 0;
  std::string last_error_body;
  std::string last_content_type;
  std::uint64_t last_retry_after = 0;
  std::string failure = "no upstream target is configured";
  upstream_failure failure_kind = upstream_failure::connect;
  bool got = false;
  for (std::size_t ti = 0; ti < cfg.targets.size() && !got && !watch.client_gone(); ++ti) {
    const target_config& target = cfg.targets[ti];
    std::string secret_error;
    const std::string* key = sh_.secret_for(ti, secret_error);
    if (key == nullptr) {
      failure = "upstream key for target " + target.id + " unavailable: " + secret_error;
      continue;
    }
    const std::string_view tbody = body_for_target(ti, upstream_body);
    std::chrono::milliseconds backoff = target.retry.backoff;
    for (int attempt = 1; attempt <= target.retry.max_attempts && !watch.client_gone(); ++attempt) {
      call.emplace(sh_.pool_, upstream_head_);
      const bool started = co_await call->start(target, "/v1/messages", *key, tbody, anthropic_beta_);
      std::chrono::milliseconds wait = backoff;
      if (!started && call->interrupted()) {
        break;  // the client left: not an upstream failure
      }
      if (!started) {
        failure_kind = call->failure();
        failure = "upstream " + target.id + ": " + call->failure_message();
        last_status = 0;
        sh_.metrics_.count_upstream(failure_kind == upstream_failure::timeout ? upstream_outcome::timeout
                                                                            : upstream_outcome::connect_error);
        call.reset();
      } else if (retryable(call->status())) {
        last_status = call->status();
        last_retry_after = call->retry_after_ms();
        last_content_type.assign(sv(call->head()[http::field::content_type]));
        if (!co_await call->read_body(last_error_body, 1 << 20)) {
          last_error_body.clear();
        }
        call->finish();
        call.reset();
        sh_.metrics_.count_upstream(upstream_outcome::retried);
        wait = std::max(wait, std::chrono::milliseconds(last_retry_after));
      } else {
        ex_.target = target.id;
        got = true;
        break;
      }
      if (attempt < target.retry.max_attempts) {
        co_await sleep_for(std::min(wait, target.retry.max_backoff));
        backoff *= 2;
      }
    }
  }

  if (watch.client_gone()) {
    // Nobody is waiting for the answer any more: stop here (499 in metrics and the audit log).
    finish_exchange(499);
    co_return false;
  }
  if (!got) {
    if (last_status != 0) {
      // The upstream's own refusal, passed through with its meaning (429 keeps retry-after).
      finish_exchange(last_status);
      co_return co_await pass_upstream_error(last_status, last_content_type, last_error_body, keep_alive,
                                             last_retry_after);
    }
    const unsigned status = failure_kind == upstream_failure::timeout ? 504 : 502;
    ex_.refuse(status, "api_error", "", failure);
    co_return co_await refuse(keep_alive);
  }

  sh_.metrics_.count_upstream(call->status() == 200 ? upstream_outcome::ok : upstream_outcome::http_error);
  const unsigned status = call->status();
  const std::string_view content_type = sv(call->head()[http::field::content_type]);
  if (status == 200 && content_type.starts_with("text/event-stream")) {
    co_return co_await relay_stream(*call, keep_alive);
  }

  if (!co_await call->read_body(response_body_, cfg.server.max_response_bytes)) {
    if (watch.client_gone()) {
      finish_exchange(499);
      co_return false;
    }
    const unsigned code = call->failure() == upstream_failure::timeout ? 504 : 502;
    ex_.refuse(code, "api_error", "", "upstream response failed: " + call->failure_message());
    co_return co_await refuse(keep_alive);
  }
  std::string upstream_type(content_type);
  call->finish();
  const auto t1 = clock::now();

  if (status != 200) {
    // 400, 401, 403, 404… from the upstream: passed through.
    finish_exchange(status);
    co_return co_await pass_upstream_error(status, upstream_type, response_body_, keep_alive, 0);
  }

  // Response policies on the whole answer.
  ex_.phase = exchange_phase::response;
  ex_.response_texts_begin = static_cast<std::uint32_t>(ex_.texts.size());
  const std::string_view rbody = padded_body(padded_response_, response_body_);
  response_facts rfacts;
  if (!extract_response_texts(sh_.response_parser_, rbody, ex_, rfacts, error)) {
    overhead_ += clock::now() - t1;
    ex_.refuse(502, "api_error", "", "the upstream answered with a malformed body: " + error);
    co_return co_await refuse(keep_alive);
  }
  ex_.input_tokens = rfacts.input_tokens;
  ex_.output_tokens = rfacts.output_tokens;
  if (rt.chain->scans_responses()) {
    scan_texts(state_->scanner, sh_.scan_result_, rt.chain->scan_options(), ex_);
  }
  if (!chain_.response(ex_)) {
    overhead_ += clock::now() - t1;
    co_return co_await refuse(keep_alive);
  }
  std::string_view answer = rbody;
  bool rewrite = !ex_.append_text.empty() || rt.chain->wants_text();
  for (std::uint32_t i = ex_.response_texts_begin; i < ex_.texts.size(); ++i) {
    rewrite = rewrite || ex_.texts[i].redact;
  }
  if (rewrite) {
    if (rewrite_texts(rbody, ex_, redactor_, ex_.append_text, out_,
                      rt.chain->wants_text() ? &ex_.redacted_response_text : nullptr)) {
      overhead_ += clock::now() - t1;
      ex_.refuse(500, "api_error", "", "the response could not be redacted; it was withheld");
      co_return co_await refuse(keep_alive);
    }
    answer = out_;
  }
  if (dialect == client_dialect::openai) {
    const std::string_view message = padded_body(openai_scratch_, answer);
    openai_response_context context;
    context.model = openai_facts_.model;
    context.created = unix_seconds(ex_.wall_started);
    if (sh_.openai_response_.translate(sh_.response_parser_, message, context, out_)) {
      overhead_ += clock::now() - t1;
      ex_.refuse(502, "api_error", "", "the upstream answered with a message that could not be translated");
      co_return co_await refuse(keep_alive);
    }
    answer = out_;
  }
  overhead_ += clock::now() - t1;
  finish_exchange(200);
  co_return co_await respond(200, "application/json", answer, keep_alive);
}

awaitable<bool> model_call::pass_upstream_error(unsigned status, std::string_view content_type,
                                                std::string_view body, bool keep_alive, std::uint64_t retry_after_ms) {
  if (ex_.dialect == client_dialect::anthropic && !body.empty()) {
    // The upstream's own words, byte for byte (429 keeps retry-after).
    const std::string_view type = content_type.empty() ? std::string_view("application/json") : content_type;
    co_return co_await respond(status, type, body, keep_alive, retry_after_ms);
  }
  // An OpenAI client gets the same message in OpenAI's shape; 529 (overloaded) becomes 503.
  out_.clear();
  const api_error_kind kind =
      append_openai_error_from_anthropic(sh_.response_parser_, padded_body(openai_scratch_, body), status, out_);
  const unsigned client_status = status == 529 ? http_status(kind, api_dialect::openai) : status;
  co_return co_await respond(client_status, "application/json", out_, keep_alive, retry_after_ms);
}

awaitable<bool> model_call::write_stream(std::string_view events, std::string_view more, bool last) {
  // One gather write: [head] [size line, events, more, CRLF] [last chunk].
  std::array<net::const_buffer, 6> pieces{};
  std::size_t n = 0;
  if (!stream_head_.empty()) {
    pieces[n++] = net::buffer(stream_head_);
  }
  if (!events.empty() || !more.empty()) {
    const int len =
        std::snprintf(chunk_size_line_, sizeof chunk_size_line_, "%zx\r\n", events.size() + more.size());
    pieces[n++] = net::buffer(chunk_size_line_, static_cast<std::size_t>(len));
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
  client_.expires_after(state_->rt->config->server.request_timeout);
  co_await net::async_write(client_, std::span<const net::const_buffer>(pieces.data(), n),
                            net::redirect_error(net::use_awaitable, ec));
  stream_head_.clear();
  co_return !ec;
}

awaitable<bool> model_call::relay_stream(upstream_call& call, bool keep_alive) {
  // The head goes out with the first events (write_stream), not on its own: a separate write is a
  // separate packet and a separate wake-up of the client, paid before the first byte of the stream.
  start_response_head(stream_head_, 200, "text/event-stream");
  stream_head_ += "\r\nCache-Control: no-cache";
  append_request_ids(stream_head_, ex_.request_id);
  stream_head_ += keep_alive ? "\r\n" : "\r\nConnection: close\r\n";
  stream_head_ += "Transfer-Encoding: chunked\r\n\r\n";
  // Streamed text goes through the stream filter (per-block redaction with tight hold-back, output
  // policies) when a response policy is configured; the relay then adds the disclaimer and reads usage.
  const response_rules& checks = state_->rt->response;
  const bool filtering = checks.active();
  if (filtering) {
    if (!filter_ || filter_state_ != state_.get()) {
      stream_filter_options options;
      options.redaction_mask = &checks.redaction_mask();
      options.validators = state_->rt->chain->scan_options().validators;
      filter_ = std::make_unique<stream_filter>(state_->rt->rules, state_->scanner.scratch(), redactor_, options);
      filter_state_ = state_.get();
      filter_->set_policy(&guard_);
    } else {
      filter_->reset();
    }
    ex_.rules = &state_->scanner.rules();
    guard_.begin(ex_, checks);
  }
  relay_.begin(ex_);
  const bool translating = ex_.dialect == client_dialect::openai;
  if (translating) {
    openai_stream_.start(openai_facts_.model, unix_seconds(ex_.wall_started), openai_facts_.include_usage);
    openai_events_.reset();
    openai_failed_ = false;
  }
  bool upstream_ok = true;
  bool client_ok = true;
  bool ended = false;  // the filter ended the stream (error event already produced)
  // Each read takes everything the upstream has sent so far (upstream_call::read_some), and what it
  // yields goes to the client in one write. What the last read yields (the end of the body, or the
  // filter's error event) waits in ready_ and goes out with the end of the stream, in one write.
  ready_.clear();
  while (!call.done() && !ended) {
    chunk_.clear();
    const bool got = co_await call.read_some(chunk_);
    if (!got) {
      upstream_ok = false;
      break;
    }
    const auto t = clock::now();
    out_.clear();
    if (filtering) {
      filtered_.clear();
      ended = filter_->feed(chunk_, filtered_) != stream_error::ok;
      relay_.feed(filtered_, out_);
    } else {
      relay_.feed(chunk_, out_);
    }
    if (translating) {
      translate_events(out_);
      ended = ended || openai_failed_;
    }
    overhead_ += clock::now() - t;
    if (call.done() || ended) {
      ready_.swap(out_);
      break;
    }
    if (!out_.empty() && !co_await write_stream(out_, {}, false)) {
      client_ok = false;  // the client left: cancel the upstream request
      break;
    }
  }
  out_.clear();
  filtered_.clear();
  if (!client_ok) {
    call.abort();
  } else if (ended) {
    call.abort();  // blocked or malformed: the filter's error event is already out
    sh_.metrics_.count_stream_errors();
  } else if (!upstream_ok) {
    const std::string message = "upstream connection lost mid-stream: " + call.failure_message();
    if (filtering) {
      filter_->fail(message, filtered_);
      relay_.feed(filtered_, out_);
    } else {
      relay_.fail(message, out_);
    }
    sh_.metrics_.count_stream_errors();
    sh_.metrics_.count_upstream(upstream_outcome::broken);
  } else {
    if (filtering) {
      if (filter_->finish(filtered_) != stream_error::ok) {
        sh_.metrics_.count_stream_errors();
      }
      relay_.feed(filtered_, out_);
    }
    relay_.finish(out_);
    call.finish();
  }
  if (filtering) {
    guard_.finish();
  }
  if (translating && client_ok) {
    translate_events(out_);
    if (!openai_stream_.finished()) {
      // The Anthropic stream stopped before message_stop without an error event of its own.
      append_stream_error_event(api_dialect::openai,
                                api_error(api_error_kind::api_error, "the upstream stream ended before the message was complete"),
                                out_);
    }
  }
  bool written = false;
  if (client_ok) {
    written = co_await write_stream(ready_, out_, true);
  }
  stream_head_.clear();
  client_.expires_never();
  ex_.input_tokens = relay_.input_tokens();
  ex_.output_tokens = relay_.output_tokens();
  finish_exchange(client_ok ? 200 : 499);
  co_return client_ok && upstream_ok && !ended && written && keep_alive;
}

void model_call::translate_events(std::string& events) {
  if (events.empty() || openai_failed_) {
    events.clear();
    return;
  }
  openai_out_.clear();
  openai_events_.feed(events);
  sse_event ev;
  for (;;) {
    const sse_status st = openai_events_.next(ev);
    if (st == sse_status::need_more) {
      break;
    }
    if (st == sse_status::error ||
        (ev.data_lines > 0 && openai_stream_.on_event(sh_.response_parser_, ev.data, openai_out_))) {
      openai_failed_ = true;
      append_stream_error_event(api_dialect::openai,
                                api_error(api_error_kind::api_error, "the upstream stream could not be translated"),
                                openai_out_);
      break;
    }
  }
  events.swap(openai_out_);
}

}  // namespace sluice::gateway
