// The model request pipeline (see model_call.h). Retries and fallbacks happen only before the first
// byte of the answer reaches the client; after that an upstream failure ends the stream with an error
// event in the client's dialect.
#include "pipeline/model_call.h"

#include <algorithm>
#include <cstring>

#include "dialects/api_errors.h"
#include "pipeline/exchange_texts.h"
#include "sluice/engine/json_escape.h"

namespace sluice::gateway {
namespace {

using clock = std::chrono::steady_clock;

std::int64_t unix_seconds(std::chrono::system_clock::time_point t) noexcept {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

void model_call::target_request::begin(const gateway_config& config, std::string_view base, bool has_max_tokens,
                                       std::uint32_t model_begin, std::uint32_t model_end) noexcept {
  config_ = &config;
  base_ = base;
  has_max_tokens_ = has_max_tokens;
  model_begin_ = model_begin;
  model_end_ = model_end;
}

std::string_view model_call::target_request::body_for(std::size_t i) {
  const target_config& t = config_->targets[i];
  const bool add_max = !has_max_tokens_ && t.default_max_tokens > 0;
  const bool force = t.force_model && !t.model.empty() && model_end_ > model_begin_;
  if (!add_max && !force) {
    return base_;
  }
  body_.clear();
  std::size_t copied = 0;
  if (add_max) {
    const std::size_t brace = base_.find('{');
    body_.append(base_.substr(0, brace + 1));
    body_ += "\"max_tokens\":" + std::to_string(t.default_max_tokens) + ",";
    copied = brace + 1;
  }
  if (force && model_begin_ >= copied) {
    body_.append(base_.substr(copied, model_begin_ - copied));
    engine::append_json_string(body_, t.model);
    copied = model_end_;
  }
  body_.append(base_.substr(copied));
  return body_;
}

model_call::model_call(const call_context& context, beast::tcp_stream& client, response_writer& writer,
                       std::string peer)
    : ctx_(context),
      client_(client),
      writer_(writer),
      peer_(std::move(peer)),
      watch_state_(client_watch::make_state()),
      fleet_timer_(client.get_executor()) {
  ex_.audit_out = &ctx_.audit_buffer;
}

model_call::~model_call() = default;

awaitable<bool> model_call::run(client_request& req, api_dialect dialect, endpoint_kind kind, bool keep_alive) {
  begin(req, dialect, kind);
  if (!audit_ready()) {
    co_return co_await refuse(keep_alive);
  }
  bool admitted = read_request(req.body());
  if (admitted) {
    admitted = co_await admit(req);
  }
  if (!admitted || !apply_request_policies()) {
    co_return co_await refuse(keep_alive);
  }

  std::optional<upstream_call> call;
  const client_watch watch(client_, call, watch_state_);
  switch (co_await call_upstream(call, watch)) {
    case failover_outcome::client_gone:
      // Nobody is waiting for the answer any more: stop here (499 in metrics and the audit log).
      finish_exchange(499);
      co_return false;
    case failover_outcome::refused:
      // The upstream's own refusal, passed through with its meaning (429 keeps retry-after).
      finish_exchange(failover_.refused_status());
      co_return co_await pass_upstream_error(failover_.refused_status(), failover_.refused_content_type(),
                                             failover_.refused_body(), keep_alive, failover_.retry_after_ms());
    case failover_outcome::failed:
      ex_.refuse(failover_.failure() == upstream_failure::timeout ? 504 : 502, "api_error", "",
                 failover_.failure_message());
      co_return co_await refuse(keep_alive);
    case failover_outcome::answered:
      break;
  }
  if (call->status() == 200 && sv(call->head()[http::field::content_type]).starts_with("text/event-stream")) {
    co_return co_await stream_answer(*call, watch, keep_alive);
  }
  co_return co_await whole_answer(*call, watch, keep_alive);
}

void model_call::begin(const client_request& req, api_dialect dialect, endpoint_kind kind) {
  const auto t0 = clock::now();
  kind_ = kind;
  if (filter_ && filter_gen_ != ctx_.current.get()) {
    filter_.reset();  // it uses the old generation's scanner scratch: drop it while that one is alive
    filter_gen_ = nullptr;
  }
  gen_ = ctx_.current;
  writer_.set_write_timeout(gen_->rt->config->server.request_timeout);

  ex_.clear();
  ex_.started = t0;
  ex_.wall_started = std::chrono::system_clock::now();
  ex_.dialect = dialect;
  ex_.endpoint = kind == endpoint_kind::messages ? "/v1/messages" : "/v1/chat/completions";
  ex_.client_address = peer_;
  ctx_.ids.next(ex_.request_id);
  ex_.header_team.assign(sv(req["x-sluice-team"]));
  ex_.header_project.assign(sv(req["x-sluice-project"]));
  anthropic_beta_.assign(sv(req["anthropic-beta"]));
  overhead_ = {};
  refused_param_ = {};
  chain_.begin(*gen_->rt->chain);
}

bool model_call::audit_ready() {
  // An immutable audit log is a promise that every request is recorded: while it cannot be written,
  // nothing is sent upstream. (This refusal's own record waits in memory with the others.)
  const audit_log* audit = gen_->rt->audit.get();
  if (audit == nullptr || !audit->immutable() || audit->writable()) {
    return true;
  }
  ex_.refuse(503, "api_error", "",
             std::string("the audit log cannot be written (") + std::strerror(audit->write_error()) +
                 "); this gateway keeps an immutable audit log and refuses requests until it can write again");
  ex_.refused.retry_after_s = 5;
  return false;
}

bool model_call::read_request(std::string_view raw_body) {
  // An OpenAI request is first translated into a Messages request: everything after this works on
  // Anthropic's format.
  const gateway_config& cfg = *gen_->rt->config;
  body_ = padded_body(padded_, raw_body);
  if (ex_.dialect == api_dialect::openai) {
    openai_request_options options;
    options.default_max_tokens = cfg.targets.empty() ? 0 : cfg.targets[0].default_max_tokens;
    const dialect_error e = ctx_.openai_request.translate(ctx_.request_parser, body_, options, translated_, openai_facts_);
    if (e) {
      refused_param_ = openai_facts_.error_param;
      ex_.refuse(e.code == dialect_errc::too_large ? 413 : 400, "invalid_request_error", "", std::string(e.message));
      return false;
    }
    body_ = padded_body(padded_, translated_);
  }
  facts_ = {};
  std::string error;
  if (!extract_request_texts(ctx_.request_parser, body_, ex_, facts_, error)) {
    ex_.refuse(400, "invalid_request_error", "", std::move(error));
    return false;
  }
  ex_.stream = facts_.stream;
  return true;
}

awaitable<bool> model_call::admit(const client_request& req) {
  // Keys, scopes, limits and budgets, before anything is scanned or sent.
  const config_generation& rt = *gen_->rt;
  if (!rt.access) {
    co_return true;
  }
  const gateway_config& cfg = *rt.config;
  admission_request ar;
  ar.authorization = sv(req[http::field::authorization]);
  ar.x_api_key = sv(req["x-api-key"]);
  ar.client_ip = peer_;
  ar.endpoint = ex_.endpoint;
  ar.model = ex_.model;
  ar.estimated_input_tokens = static_cast<std::uint32_t>(body_.size());
  const std::uint64_t max_tokens =
      facts_.has_max_tokens ? facts_.max_tokens : (cfg.targets.empty() ? 0 : cfg.targets[0].default_max_tokens);
  ar.max_tokens = static_cast<std::uint32_t>(std::min<std::uint64_t>(max_tokens, 0xffffffffu));
  ar.team_header = ex_.header_team;
  ar.project_header = ex_.header_project;
  admission a = rt.access->admit(ar);
  if (a.fleet_check) {
    fleet_verdict verdict;  // unavailable unless the shard's link answers
    if (ctx_.fleet) {
      verdict = co_await ctx_.fleet->admit(a.fleet_request, fleet_timer_);
    }
    rt.access->finish_admission(a, ar, verdict);
  }
  if (!a.caller.key_name.empty()) {
    ex_.caller.assign(a.caller.key_name);
  }
  ex_.key_id.assign(a.caller.key_id);
  ex_.team.assign(a.caller.team);
  ex_.project.assign(a.caller.project);
  if (!a.allowed) {
    ex_.refuse(a.http_status, a.error_type, "governance", std::move(a.message));
    ex_.refused.retry_after_s = a.retry_after_seconds;
    ex_.refused.reason = to_string(a.reason);
    ex_.refused.logged_message = std::move(a.logged_message);
    co_return false;
  }
  held_ = std::move(a.held);
  co_return true;
}

bool model_call::apply_request_policies() {
  // Scan once, then the policies in order; then the redactions spliced into the body that goes upstream.
  const auto t0 = ex_.started;
  const config_generation& rt = *gen_->rt;
  if (rt.chain->scans_anything()) {
    scan_texts(gen_->scanner, ctx_.scan_result, rt.chain->scan_options(), ex_);
  }
  if (!chain_.request(ex_)) {
    overhead_ += clock::now() - t0;
    return false;
  }
  const auto style = rt.chain->redaction_style();
  if (redactor_.style() != style) {
    redactor_ = engine::redactor(style);
  }
  redactor_.reset();
  upstream_body_view_ = body_;
  bool any_redaction = false;
  for (const auto& t : ex_.texts) {
    any_redaction = any_redaction || t.redact;
  }
  if (any_redaction || rt.chain->wants_text()) {
    if (rewrite_texts(body_, ex_, redactor_, {}, upstream_body_,
                      rt.chain->wants_text() ? &ex_.redacted_request_text : nullptr)) {
      // Never send a request whose redaction could not be written: fail closed.
      overhead_ += clock::now() - t0;
      ex_.refuse(500, "api_error", "", "the request could not be redacted; it was not sent");
      return false;
    }
    upstream_body_view_ = upstream_body_;
  }
  overhead_ += clock::now() - t0;
  return true;
}

awaitable<failover_outcome> model_call::call_upstream(std::optional<upstream_call>& call, const client_watch& watch) {
  const gateway_config& cfg = *gen_->rt->config;
  targets_.begin(cfg, upstream_body_view_, facts_.has_max_tokens, facts_.model_raw_begin, facts_.model_raw_end);
  failover_request request;
  request.targets = cfg.targets;
  request.path = "/v1/messages";
  request.anthropic_beta = anthropic_beta_;
  const failover_outcome outcome = co_await failover_.run(ctx_.pool, ctx_.keys, request, targets_, call, watch);
  const failover_counts& counts = failover_.counts();
  for (std::uint32_t i = 0; i < counts.timeouts; ++i) {
    ctx_.metrics.count_upstream(upstream_outcome::timeout);
  }
  for (std::uint32_t i = 0; i < counts.connect_errors; ++i) {
    ctx_.metrics.count_upstream(upstream_outcome::connect_error);
  }
  for (std::uint32_t i = 0; i < counts.retried; ++i) {
    ctx_.metrics.count_upstream(upstream_outcome::retried);
  }
  if (outcome == failover_outcome::answered) {
    ex_.target = cfg.targets[failover_.target()].id;
    ctx_.metrics.count_upstream(call->status() == 200 ? upstream_outcome::ok : upstream_outcome::http_error);
  }
  co_return outcome;
}

awaitable<bool> model_call::whole_answer(upstream_call& call, const client_watch& watch, bool keep_alive) {
  const unsigned status = call.status();
  if (!co_await call.read_body(response_body_, gen_->rt->config->server.max_response_bytes)) {
    if (watch.client_gone()) {
      finish_exchange(499);
      co_return false;
    }
    const unsigned code = call.failure() == upstream_failure::timeout ? 504 : 502;
    ex_.refuse(code, "api_error", "", "upstream response failed: " + call.failure_message());
    co_return co_await refuse(keep_alive);
  }
  upstream_type_.assign(sv(call.head()[http::field::content_type]));
  call.finish();
  if (status != 200) {
    // 400, 401, 403, 404… from the upstream: passed through.
    finish_exchange(status);
    co_return co_await pass_upstream_error(status, upstream_type_, response_body_, keep_alive, 0);
  }
  const auto t1 = clock::now();
  std::string_view answer;
  const bool ok = process_answer(answer);
  overhead_ += clock::now() - t1;
  if (!ok) {
    co_return co_await refuse(keep_alive);
  }
  finish_exchange(200);
  co_return co_await respond(200, "application/json", answer, keep_alive);
}

bool model_call::process_answer(std::string_view& answer) {
  const config_generation& rt = *gen_->rt;
  ex_.phase = exchange_phase::response;
  ex_.response_texts_begin = static_cast<std::uint32_t>(ex_.texts.size());
  const std::string_view rbody = padded_body(padded_response_, response_body_);
  response_facts rfacts;
  std::string error;
  if (!extract_response_texts(ctx_.response_parser, rbody, ex_, rfacts, error)) {
    ex_.refuse(502, "api_error", "", "the upstream answered with a malformed body: " + error);
    return false;
  }
  ex_.input_tokens = rfacts.input_tokens;
  ex_.output_tokens = rfacts.output_tokens;
  if (rt.chain->scans_responses()) {
    scan_texts(gen_->scanner, ctx_.scan_result, rt.chain->response_scan_options(), ex_);
  }
  if (!chain_.response(ex_)) {
    return false;
  }
  answer = rbody;
  bool rewrite = !ex_.append_text.empty() || rt.chain->wants_text();
  for (std::uint32_t i = ex_.response_texts_begin; i < ex_.texts.size(); ++i) {
    rewrite = rewrite || ex_.texts[i].redact;
  }
  if (rewrite) {
    if (rewrite_texts(rbody, ex_, redactor_, ex_.append_text, out_,
                      rt.chain->wants_text() ? &ex_.redacted_response_text : nullptr)) {
      ex_.refuse(500, "api_error", "", "the response could not be redacted; it was withheld");
      return false;
    }
    answer = out_;
  }
  if (ex_.dialect == api_dialect::openai) {
    const std::string_view message = padded_body(openai_scratch_, answer);
    openai_response_context context;
    context.model = openai_facts_.model;
    context.created = unix_seconds(ex_.wall_started);
    if (ctx_.openai_response.translate(ctx_.response_parser, message, context, out_)) {
      ex_.refuse(502, "api_error", "", "the upstream answered with a message that could not be translated");
      return false;
    }
    answer = out_;
  }
  return true;
}

awaitable<bool> model_call::respond(unsigned status, std::string_view content_type, std::string_view body,
                                    bool keep_alive, std::uint64_t retry_after_ms) {
  answer_head head;
  head.status = status;
  head.content_type = content_type;
  head.request_id = ex_.request_id;
  head.retry_after_ms = retry_after_ms;
  head.keep_alive = keep_alive;
  return writer_.respond(head, body);  // no frame of its own: the writer's holds the head
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
  if (held_.active() && gen_->rt->access) {
    usage_report usage;
    usage.input_tokens = static_cast<std::uint32_t>(ex_.input_tokens);
    usage.output_tokens = static_cast<std::uint32_t>(ex_.output_tokens);
    usage.http_status = static_cast<std::uint16_t>(status);
    usage.latency_us = static_cast<std::uint32_t>(ex_.latency_ms() * 1000.0);
    usage.added_latency_us = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(overhead_).count());
    usage.model = ex_.model;
    gen_->rt->access->settle(std::move(held_), usage);
  }
  ctx_.metrics.count_request(kind_, status);
  ctx_.metrics.count_tokens(ex_.input_tokens, ex_.output_tokens);
  for (const auto& v : ex_.verdicts) {
    ctx_.metrics.count_verdict(v.policy, v.action);
  }
  ctx_.metrics.observe_overhead(std::chrono::duration<double, std::milli>(overhead_).count());
  chain_.complete(ex_);
  chain_.end();
}

awaitable<bool> model_call::pass_upstream_error(unsigned status, std::string_view content_type,
                                                std::string_view body, bool keep_alive, std::uint64_t retry_after_ms) {
  if (ex_.dialect == api_dialect::anthropic && !body.empty()) {
    // The upstream's own words, byte for byte (429 keeps retry-after).
    const std::string_view type = content_type.empty() ? std::string_view("application/json") : content_type;
    co_return co_await respond(status, type, body, keep_alive, retry_after_ms);
  }
  // An OpenAI client gets the same message in OpenAI's shape; 529 (overloaded) becomes 503.
  out_.clear();
  const api_error_kind kind =
      append_openai_error_from_anthropic(ctx_.response_parser, padded_body(openai_scratch_, body), status, out_);
  const unsigned client_status = status == 529 ? http_status(kind, api_dialect::openai) : status;
  co_return co_await respond(client_status, "application/json", out_, keep_alive, retry_after_ms);
}

namespace {

// The upstream call as the stream loop sees it.
class upstream_stream_source final : public stream_source {
 public:
  explicit upstream_stream_source(upstream_call& call) noexcept : call_(call) {}
  awaitable<bool> read_some(std::string& out) override { co_return co_await call_.read_some(out); }
  [[nodiscard]] bool done() const noexcept override { return call_.done(); }
  [[nodiscard]] std::string_view failure_message() const override { return call_.failure_message(); }

 private:
  upstream_call& call_;
};

}  // namespace

awaitable<bool> model_call::stream_answer(upstream_call& call, const client_watch& watch, bool keep_alive) {
  writer_.start_stream(ex_.request_id, keep_alive);
  // Streamed text goes through the stream filter (per-block redaction with tight hold-back, output
  // policies) when a response policy is configured; the relay then adds the disclaimer and reads usage.
  const response_rules& checks = gen_->rt->response;
  const bool filtering = checks.active();
  if (filtering) {
    if (!filter_ || filter_gen_ != gen_.get()) {
      stream_filter_options options;
      options.redaction_mask = &checks.redaction_mask();
      options.validators = gen_->rt->chain->scan_options().validators;
      filter_ = std::make_unique<stream_filter>(gen_->rt->rules, gen_->scanner.scratch(), redactor_, options);
      filter_gen_ = gen_.get();
      filter_->set_policy(&guard_);
    } else {
      filter_->reset();
    }
    ex_.rules = &gen_->scanner.rules();
    guard_.begin(ex_, checks);
  }
  const bool translating = ex_.dialect == api_dialect::openai;
  if (translating) {
    openai_stream_.start(openai_facts_.model, unix_seconds(ex_.wall_started), openai_facts_.include_usage);
  }
  // Unfiltered, the framing's limit is the whole answer's (the relay never had one of its own).
  const sse_limits limits =
      filtering ? filter_->limits() : sse_limits{gen_->rt->config->server.max_response_bytes};
  transform_.begin(ex_, filtering ? filter_.get() : nullptr, translating ? &openai_stream_ : nullptr,
                   ctx_.response_parser, limits);
  upstream_stream_source source(call);
  stream_outcome outcome = co_await run_stream(source, transform_, writer_, stream_buffers_);
  if (outcome.upstream_broke && watch.client_gone()) {
    // The watch cut the upstream read short because the client left: the client went away (499),
    // the upstream did not fail.
    outcome.upstream_broke = false;
    outcome.client_gone = true;
  }
  overhead_ += outcome.work;
  if (outcome.client_gone || outcome.ended_early) {
    call.abort();  // nobody reads on, or the stream is over (its error event is out)
  } else if (!outcome.upstream_broke) {
    call.finish();
  }
  if (outcome.ended_early || outcome.upstream_broke || outcome.incomplete) {
    ctx_.metrics.count_stream_errors();
  }
  if (outcome.upstream_broke) {
    ctx_.metrics.count_upstream(upstream_outcome::broken);
  }
  if (filtering) {
    guard_.finish();
  }
  ex_.input_tokens = transform_.input_tokens();
  ex_.output_tokens = transform_.output_tokens();
  finish_exchange(outcome.client_gone ? 499 : 200);
  co_return !outcome.client_gone && !outcome.upstream_broke && !outcome.ended_early && outcome.written && keep_alive;
}

}  // namespace sluice::gateway
