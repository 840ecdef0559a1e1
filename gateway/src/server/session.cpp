// One client connection: reads requests with limits and deadlines, routes them, and answers. Model
// requests go through model_call (pipeline/); everything else is answered here, through the
// connection's response_writer like every answer.
#include <cstdio>

#include "dialects/api_errors.h"
#include "http/response_writer.h"
#include "pipeline/model_call.h"
#include "server/shard.h"
#include "sluice/engine/json_escape.h"
#include "sluice/gateway/version.h"

namespace sluice::gateway {
namespace {

using namespace std::chrono_literals;

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

api_dialect dialect_of_path(std::string_view path) {
  return path.starts_with("/v1/chat/") || path.starts_with("/v1/completions") || path.starts_with("/v1/embeddings")
             ? api_dialect::openai
             : api_dialect::anthropic;
}

void render_models(const gateway_config& cfg, std::string& out) {
  // One list both SDKs read: Anthropic's fields (type, display_name, created_at, has_more…) and
  // OpenAI's (object, created, owned_by).
  out = R"({"object":"list","data":[)";
  std::string first;
  std::string last;
  bool any = false;
  for (const auto& t : cfg.targets) {
    if (t.model.empty() || out.find("\"" + t.model + "\"") != std::string::npos) {
      continue;
    }
    out += any ? "," : "";
    out += R"({"type":"model","object":"model","id":)";
    engine::append_json_string(out, t.model);
    out += R"(,"display_name":)";
    engine::append_json_string(out, t.model);
    out += R"(,"created_at":"1970-01-01T00:00:00Z","created":0,"owned_by":)";
    engine::append_json_string(out, t.provider);
    out += "}";
    if (!any) {
      first = t.model;
    }
    last = t.model;
    any = true;
  }
  out += R"(],"has_more":false,"first_id":)";
  if (any) {
    engine::append_json_string(out, first);
    out += R"(,"last_id":)";
    engine::append_json_string(out, last);
  } else {
    out += "null,\"last_id\":null";
  }
  out += "}";
}

// The connection's own answers (everything but model calls): no request id, they reach no model.
class session_answers {
 public:
  explicit session_answers(response_writer& writer) noexcept : writer_(writer) {}

  // An error body in `dialect` (the type follows the status); a 405 carries `allow`.
  awaitable<bool> error(api_dialect dialect, unsigned status, std::string_view message, bool keep_alive,
                        std::string_view allow = {}) {
    body_.clear();
    append_error_body(dialect, gateway_error(status, {}, message), body_);
    answer_head head;
    head.status = status;
    head.allow = allow;
    head.keep_alive = keep_alive;
    co_return co_await writer_.respond(head, body_);
  }
  // Answers with body().
  awaitable<bool> body(unsigned status, std::string_view content_type, bool keep_alive) {
    answer_head head;
    head.status = status;
    head.content_type = content_type;
    head.keep_alive = keep_alive;
    co_return co_await writer_.respond(head, body_);
  }
  [[nodiscard]] std::string& body() noexcept { return body_; }

 private:
  response_writer& writer_;
  std::string body_;  // reused for every answer on the connection
};

}  // namespace

awaitable<void> run_session(shard& sh, tcp::socket socket) {
  ++sh.open_sessions_;
  struct session_guard {
    shard& sh;
    ~session_guard() { --sh.open_sessions_; }
  } guard{sh};

  beast::tcp_stream stream(std::move(socket));
  error_code ec;
  std::string peer;
  {
    const auto ep = stream.socket().remote_endpoint(ec);
    if (!ec) {
      peer = ep.address().to_string();
    }
  }
  beast::flat_buffer buffer;
  // Beast reads at most the buffer's free capacity (512 bytes when empty): room up front lets a request
  // arrive in one or two reads instead of one 512-byte read (and one epoll round) per half kilobyte.
  buffer.reserve(read_buffer_bytes);
  response_writer writer(stream);
  session_answers answers(writer);
  // Made on the connection's first model request: an idle connection, or one that only asks for
  // health or metrics, does not carry a model call's state (measured: 10,000 idle connections).
  std::unique_ptr<model_call> call;
  // The last request's body string, handed to the next parser so its capacity is reused (up to
  // kept_body_bytes: one large upload does not pin its memory to an idle connection).
  constexpr std::size_t kept_body_bytes = 64 * 1024;
  std::string spare_body;
  bool first = true;
  // The read deadline cancels the read instead of closing the socket (as the stream's own timeout
  // would), so a client that is too slow still gets its 408. One timer for the connection.
  net::steady_timer deadline(stream.get_executor());
  bool timed_out = false;
  auto arm_deadline = [&deadline, &timed_out, &stream](std::chrono::milliseconds limit) {
    deadline.expires_after(limit);
    deadline.async_wait([&timed_out, &stream](const error_code& wait_ec) {
      if (!wait_ec) {
        timed_out = true;
        error_code ignored;
        stream.socket().cancel(ignored);
      }
    });
  };
  for (;;) {
    if (sh.draining_) {
      break;
    }
    const server_options& limits = sh.state_->rt->config->server;
    writer.set_write_timeout(limits.request_timeout);
    client_request_parser parser;
    spare_body.clear();
    parser.get().body() = std::move(spare_body);
    parser.header_limit(limits.max_header_bytes);
    parser.body_limit(limits.max_body_bytes);
    timed_out = false;
    arm_deadline(first ? limits.request_timeout : limits.keep_alive_timeout);
    co_await http::async_read_header(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
    // The path picks the error's dialect. Beast checks Content-Length against the body limit while it
    // reads the head, so a too-large body fails here, after the request line: take the path from it too.
    std::string_view path_for_errors = parser.get().target().empty() ? "/" : sv(parser.get().target());
    if (!ec) {
      arm_deadline(limits.request_timeout);  // replaces the first deadline (its wait ends as aborted)
      if (parser.get()[http::field::expect] == "100-continue") {
        http::response<http::empty_body> cont{http::status::continue_, 11};
        co_await http::async_write(stream, cont, net::redirect_error(net::use_awaitable, ec));
      }
      if (!ec) {
        co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
      }
    }
    deadline.cancel();
    if (timed_out && ec) {
      if (buffer.size() == 0 && !parser.got_some()) {
        break;  // an idle keep-alive connection: close quietly
      }
      const std::string path(path_for_errors);
      co_await answers.error(dialect_of_path(path), 408, "the request was not received in time", false);
      sh.metrics_.count_request(endpoint_kind::other, 408);
      break;
    }
    if (ec) {
      if (ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::operation_aborted ||
          ec == net::error::connection_reset) {
        break;
      }
      unsigned status = 400;
      std::string message = "malformed HTTP request: " + ec.message();
      if (ec == http::error::body_limit) {
        status = 413;
        message = "request body larger than " + std::to_string(limits.max_body_bytes) + " bytes";
      } else if (ec == http::error::header_limit) {
        status = 413;
        message = "request headers larger than " + std::to_string(limits.max_header_bytes) + " bytes";
      }
      const std::string path(path_for_errors);
      co_await answers.error(dialect_of_path(path), status, message, false);
      sh.metrics_.count_request(endpoint_kind::other, status);
      break;
    }
    first = false;
    auto& req = parser.get();
    const bool keep_alive = req.keep_alive() && !sh.draining_;
    std::string_view target = sv(req.target());
    const std::string path(target.substr(0, target.find('?')));
    const api_dialect dialect = dialect_of_path(path);
    bool keep = keep_alive;


    ++sh.active_requests_;
    sh.metrics_.request_started();
    if (path == "/v1/messages" || path == "/v1/chat/completions") {
      const endpoint_kind kind = path == "/v1/messages" ? endpoint_kind::messages : endpoint_kind::chat_completions;
      if (req.method() != http::verb::post) {
        const std::string message = "method not allowed: use POST " + path;
        keep = co_await answers.error(dialect, 405, message, keep_alive, "POST");
        sh.metrics_.count_request(kind, 405);
      } else if (!iequals_prefix(sv(req[http::field::content_type]), "application/json")) {
        keep = co_await answers.error(dialect, 415, "content-type must be application/json", keep_alive);
        sh.metrics_.count_request(kind, 415);
      } else {
        if (!call) {
          call = std::make_unique<model_call>(sh.context_, stream, writer, peer);
        }
        keep = co_await call->run(req, dialect, kind, keep_alive);
      }
    } else if (path == "/healthz" || path == "/readyz" || path == "/metrics" || path == "/v1/models") {
      const endpoint_kind kind = path == "/metrics"      ? endpoint_kind::metrics
                                 : path == "/v1/models" ? endpoint_kind::models
                                                         : endpoint_kind::health;
      if (req.method() != http::verb::get) {
        const std::string message = "method not allowed: use GET " + path;
        keep = co_await answers.error(dialect, 405, message, keep_alive, "GET");
        sh.metrics_.count_request(kind, 405);
      } else {
        std::string& body = answers.body();
        std::string_view type = "application/json";
        unsigned status = 200;
        if (path == "/healthz") {
          body = R"({"status":"ok","version":")" + std::string(version()) + "\"}";
        } else if (path == "/readyz") {
          const bool ready = !sh.draining_ && sh.state_ != nullptr;
          // Not ready while draining, while an immutable audit log cannot be written (model requests
          // fail), and while keys with fleet-wide limits are refused (on_store_failure: closed): a load
          // balancer sends clients elsewhere meanwhile.
          const audit_log* audit = ready ? sh.state_->rt->audit.get() : nullptr;
          const bool audit_blocked = audit != nullptr && audit->immutable() && !audit->writable();
          std::string why;
          const bool store_ready = !ready || !sh.state_->rt->access || sh.state_->rt->access->store_ready(&why);
          status = ready && !audit_blocked && store_ready ? 200 : 503;
          if (!ready) {
            body = R"({"status":"draining"})";
          } else if (audit_blocked) {
            body = R"({"status":"audit_log_unwritable"})";
          } else if (!store_ready) {
            body = R"({"status":"not_ready","reason":")" + why + "\"}";
          } else {
            body = R"({"status":"ready"})";
          }
        } else if (path == "/metrics") {
          body.clear();
          std::vector<const shard_metrics*> all;
          for (const auto& s : sh.all_) {
            all.push_back(&s->metrics_);
          }
          shard_metrics::render(all, body);
          char line[160];
          std::snprintf(line, sizeof line,
                        "# HELP sluice_config_generation Configuration generation in use.\n"
                        "# TYPE sluice_config_generation gauge\nsluice_config_generation %llu\n",
                        static_cast<unsigned long long>(sh.state_->rt->generation));
          body += line;
          if (sh.state_->rt->access) {
            sh.state_->rt->access->append_metrics(body);
          }
          type = "text/plain; version=0.0.4";
        } else {
          render_models(*sh.state_->rt->config, body);
        }
        keep = co_await answers.body(status, type, keep_alive);
        sh.metrics_.count_request(kind, status);
      }
    } else {
      const std::string message = "not found: " + path;
      keep = co_await answers.error(dialect, 404, message, keep_alive);
      sh.metrics_.count_request(endpoint_kind::other, 404);
    }
    sh.metrics_.request_finished();
    --sh.active_requests_;
    if (!keep) {
      break;
    }
    if (req.body().capacity() <= kept_body_bytes) {
      spare_body = std::move(req.body());
    }
  }
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  stream.close();
}

}  // namespace sluice::gateway
