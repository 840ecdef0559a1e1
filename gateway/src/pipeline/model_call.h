#pragma once
// A model request (POST /v1/messages, /v1/chat/completions) from arrival to the last byte of the answer.
// run() is the data path, one step per stage: read the request (an OpenAI one translated first),
// admission, request policies and redaction, the upstream with failover, then the whole answer
// (response policies, OpenAI translation) or the stream. One model_call per connection, reused for each
// request on it, so its buffers are allocated once.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "dialects/openai/openai_request.h"
#include "dialects/openai/openai_response.h"
#include "governance/governance_service.h"
#include "http/asio_types.h"
#include "http/response_writer.h"
#include "pipeline/exchange_texts.h"
#include "pipeline/call_context.h"
#include "pipeline/metrics.h"
#include "policies/exchange.h"
#include "policies/policy_chain.h"
#include "sluice/engine/redactor.h"
#include "streaming/stream_filter.h"
#include "streaming/stream_guard.h"
#include "streaming/stream_loop.h"
#include "streaming/stream_transform.h"
#include "upstream/client_watch.h"
#include "upstream/failover.h"
#include "upstream/upstream_client.h"

namespace sluice::gateway {

class model_call {
 public:
  // `context` and `writer` outlive the call (the shard's and the connection's).
  model_call(const call_context& context, beast::tcp_stream& client, response_writer& writer, std::string peer);
  ~model_call();
  model_call(const model_call&) = delete;
  model_call& operator=(const model_call&) = delete;

  // Handles one model request. Returns whether the connection may serve another request.
  awaitable<bool> run(client_request& req, api_dialect dialect, endpoint_kind kind, bool keep_alive);

 private:
  // The request body each target gets: max_tokens added and the model forced when the target asks.
  class target_request final : public target_bodies {
   public:
    void begin(const gateway_config& config, std::string_view base, bool has_max_tokens, std::uint32_t model_begin,
               std::uint32_t model_end) noexcept;
    [[nodiscard]] std::string_view body_for(std::size_t i) override;

   private:
    const gateway_config* config_ = nullptr;
    std::string_view base_;
    bool has_max_tokens_ = false;
    std::uint32_t model_begin_ = 0;
    std::uint32_t model_end_ = 0;
    std::string body_;
  };

  // The steps of run(), in order. A step that returns false has refused the request (ex_.refused).
  void begin(const client_request& req, api_dialect dialect, endpoint_kind kind);
  [[nodiscard]] bool read_request(std::string_view raw_body);
  // Keys, scopes, limits and budgets; with a shared store, the fleet's limits are asked for without
  // blocking the shard (one Redis round trip).
  awaitable<bool> admit(const client_request& req);
  [[nodiscard]] bool apply_request_policies();
  awaitable<failover_outcome> call_upstream(std::optional<upstream_call>& call, const client_watch& watch);
  awaitable<bool> whole_answer(upstream_call& call, const client_watch& watch, bool keep_alive);
  // Response policies, redaction and the disclaimer on a whole answer, then OpenAI's shape for an OpenAI
  // client; `answer` is what the client gets. False: refused.
  [[nodiscard]] bool process_answer(std::string_view& answer);
  // False (and the exchange refused with 503) while an immutable audit log cannot be written.
  bool audit_ready();
  awaitable<bool> stream_answer(upstream_call& call, const client_watch& watch, bool keep_alive);

  // Answers with the refusal in ex_.refused, in the client's dialect.
  awaitable<bool> refuse(bool keep_alive);
  awaitable<bool> respond(unsigned status, std::string_view content_type, std::string_view body, bool keep_alive,
                          std::uint64_t retry_after_ms = 0);
  // Answers an upstream error: byte for byte to an Anthropic client, in OpenAI's shape to an OpenAI one.
  awaitable<bool> pass_upstream_error(unsigned status, std::string_view content_type, std::string_view body,
                                      bool keep_alive, std::uint64_t retry_after_ms);
  // Settles usage, counts metrics, runs the policies' completion hooks.
  void finish_exchange(unsigned status) noexcept;

  const call_context& ctx_;
  beast::tcp_stream& client_;
  response_writer& writer_;
  std::string peer_;
  std::shared_ptr<shard_generation> gen_;  // the generation this request runs on
  exchange ex_;
  chain_run chain_;
  engine::redactor redactor_;
  upstream_failover failover_;
  target_request targets_;
  std::shared_ptr<client_watch::state> watch_state_;  // the client watch's, shared with its wait handler
  stream_transform transform_;
  stream_buffers stream_buffers_;
  stream_guard guard_;
  std::unique_ptr<stream_filter> filter_;  // made for the generation it was built on
  const shard_generation* filter_gen_ = nullptr;
  endpoint_kind kind_ = endpoint_kind::messages;
  std::chrono::steady_clock::duration overhead_{};
  reservation held_;  // what governance reserved for this request; settled in finish_exchange
  net::steady_timer fleet_timer_;  // waits for the fleet's answer (reused for every request)
  std::string_view body_;  // the Messages request (translated for OpenAI clients), padded
  std::string_view upstream_body_view_;  // what goes upstream (redacted when needed)
  request_facts facts_;  // what reading the request found (stream, max_tokens, the model's token)

  // OpenAI clients: the request as translated, what the responses echo, and the stream translator.
  std::string translated_;
  // What the translator learned (the model the responses echo, stream options). Kept per connection so
  // the model name's buffer is reused, not allocated per request.
  openai_request_facts openai_facts_;
  std::string_view refused_param_;  // OpenAI `param` of a 400 (a static string from the translator)
  openai_stream_translator openai_stream_;
  std::string openai_scratch_;  // padded copies for translation

  std::string padded_;           // request body with simdjson padding
  std::string upstream_body_;    // the request after redaction
  std::string response_body_;    // upstream response
  std::string padded_response_;
  std::string out_;              // what the client gets
  std::string anthropic_beta_;
  std::string upstream_type_;    // the upstream answer's content type (reused: "application/json" is past SSO)
};

}  // namespace sluice::gateway
