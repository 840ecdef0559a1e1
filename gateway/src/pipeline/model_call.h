#pragma once
// A model request (POST /v1/messages, /v1/chat/completions) from arrival to the last byte of the answer:
// parse, scan, policy chain, redaction splice, upstream with retries and fallbacks, response policies,
// streaming relay, audit. One model_call per connection, reused for each request on it, so its buffers
// are allocated once.
#include <string>

#include "http/asio_types.h"
#include "sluice/engine/redactor.h"
#include "governance/governance_service.h"
#include "policies/exchange.h"
#include "pipeline/metrics.h"
#include "dialects/openai/openai_request.h"
#include "dialects/openai/openai_response.h"
#include "wire/sse_parser.h"
#include "policies/policy_chain.h"
#include "streaming/stream_filter.h"
#include "streaming/stream_guard.h"
#include "streaming/stream_relay.h"

namespace sluice::gateway {

class shard;
struct shard_state;
class upstream_call;

class model_call {
 public:
  model_call(shard& sh, beast::tcp_stream& client, std::string peer);
  ~model_call();

  // Handles one model request. Returns whether the connection may serve another request.
  awaitable<bool> run(http::request<http::string_body>& req, client_dialect dialect, endpoint_kind kind,
                      bool keep_alive);
  // Answers with an error body in `dialect` (the type follows the status).
  awaitable<bool> send_error(client_dialect dialect, unsigned status, std::string_view message, bool keep_alive);
  // Answers with scratch_body().
  awaitable<bool> send_body(unsigned status, std::string_view content_type, bool keep_alive);
  [[nodiscard]] std::string& scratch_body() noexcept { return out_; }

  std::string allow_;  // the Allow header of the next 405

 private:
  class client_watch;
  struct watch_state;
  awaitable<bool> refuse(bool keep_alive);
  awaitable<bool> respond(unsigned status, std::string_view content_type, std::string_view body, bool keep_alive,
                          std::uint64_t retry_after_ms = 0);
  awaitable<bool> relay_stream(upstream_call& call, bool keep_alive);
  // Writes `events` + `more` as one chunk of the stream, after the head when it has not gone out yet
  // and followed by the last chunk when `last`, all in one write. False when the client is gone.
  awaitable<bool> write_stream(std::string_view events, std::string_view more, bool last);
  // Answers an upstream error: byte for byte to an Anthropic client, in OpenAI's shape to an OpenAI one.
  awaitable<bool> pass_upstream_error(unsigned status, std::string_view content_type, std::string_view body,
                                      bool keep_alive, std::uint64_t retry_after_ms);
  // OpenAI clients: turns the complete Anthropic SSE events in `events` into OpenAI chunks, in place.
  void translate_events(std::string& events);
  void finish_exchange(unsigned status) noexcept;
  // The body for target `i`: max_tokens added and the model forced when the target asks for it.
  std::string_view body_for_target(std::size_t i, std::string_view base);

  shard& sh_;
  beast::tcp_stream& client_;
  std::string peer_;
  std::shared_ptr<shard_state> state_;  // the generation this request runs on
  exchange ex_;
  chain_run chain_;
  engine::redactor redactor_;
  stream_relay relay_;
  stream_guard guard_;
  std::unique_ptr<stream_filter> filter_;  // made for the shard state it was built on
  const shard_state* filter_state_ = nullptr;
  std::string filtered_;  // stream filter output, before the relay
  endpoint_kind kind_ = endpoint_kind::messages;
  std::chrono::steady_clock::duration overhead_{};
  bool has_max_tokens_ = false;
  reservation held_;  // what governance reserved for this request; settled in finish_exchange
  std::shared_ptr<watch_state> watch_state_;  // the client watch's state, shared with its wait handler
  std::uint32_t model_raw_begin_ = 0;
  std::uint32_t model_raw_end_ = 0;

  // OpenAI clients: the request as translated, what the responses echo, and the stream translator.
  std::string translated_;
  // What the translator learned (the model the responses echo, stream options). Kept per connection so
  // the model name's buffer is reused, not allocated per request.
  openai_request_facts openai_facts_;
  bool openai_failed_ = false;
  std::string_view refused_param_;  // OpenAI `param` of a 400 (a static string from the translator)
  openai_stream_translator openai_stream_;
  sse_parser openai_events_;
  std::string openai_out_;
  std::string openai_scratch_;  // padded copies for translation

  std::string padded_;           // request body with simdjson padding
  std::string upstream_body_;    // the request after redaction
  std::string target_body_;      // per-target adjustments
  std::string response_body_;    // upstream response
  std::string padded_response_;
  std::string out_;              // what the client gets
  std::string chunk_;            // streaming: upstream bytes
  std::string ready_;            // streaming: the last read's output, written with the end of the stream
  std::string stream_head_;      // streaming: the response head until it goes out with the first events
  char chunk_size_line_[24] = {};
  std::string anthropic_beta_;
  std::string upstream_head_;    // the upstream request's head (upstream_call)
  std::string response_head_;    // a whole answer's head (respond)
};

}  // namespace sluice::gateway
