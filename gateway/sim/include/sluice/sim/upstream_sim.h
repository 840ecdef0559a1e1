#pragma once
// A local stand-in for Anthropic's Messages API, for tests, benchmarks and `make run` without a key.
// It answers POST /v1/messages, streaming (SSE, the real event sequence) or not, with configurable
// latency, pacing and chunk size, and it can be told what to do from inside the prompt, so that tests
// driving it through the gateway can steer it:
//   SIM_REPLY=<text>          reply with <text> (to the end of the message)
//   SIM_REPLY64=<base64>      reply with the decoded text (so PII in the reply never appears in the
//                             prompt the gateway scans)
//   SIM_ERROR=<status>        answer every such request with that HTTP error (429 and 529 carry
//                             retry-after: 0)
//   SIM_FAIL=<status>x<n>#<tag>  fail the first <n> requests carrying <tag>, then succeed
//   SIM_CUT=<n>               streaming: drop the connection after <n> text deltas
//   SIM_DELAY=<ms>            wait before answering
// Faults, for the fault-injection tests (tests/gateway/faults/):
//   SIM_RESET=<n>             streaming: reset the connection (RST) after <n> text deltas
//   SIM_TRUNCATE=<n>          streaming: after <n> deltas send half an event, then end the body cleanly
//   SIM_MALFORMED=<n>         streaming: after <n> deltas send one event whose JSON is broken, then go on
//   SIM_STALL=<ms>            streaming: be silent for <ms> after the first delta
//   SIM_RETRY_AFTER=<v>|none  the retry-after of a 429/503/529 (default 0; none: no header)
//   SIM_BIG=<bytes>           non-streaming: a 200 answer of about <bytes> (written in pieces)
//   SIM_SILENT=<ms>           read the request and never answer (no headers); close after <ms>
// Without a directive it replies "Echo: " followed by the last user text. The same directives are
// accepted as request headers (x-sim-reply, x-sim-error, x-sim-cut, x-sim-delay) for direct use.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sluice::gateway {

struct simulator_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the OS picks
  unsigned threads = 1;
  std::chrono::milliseconds latency{0};  // before the response head
  double tokens_per_second = 0;          // streaming pace; 0: as fast as possible
  std::size_t chunk_chars = 8;           // bytes of text per delta
  unsigned error_status = 0;             // answer everything with this status when not 0
  std::string api_key;                   // when set, x-api-key must match (else 401)
};

class upstream_simulator {
 public:
  explicit upstream_simulator(simulator_options options);
  ~upstream_simulator();
  upstream_simulator(const upstream_simulator&) = delete;
  upstream_simulator& operator=(const upstream_simulator&) = delete;

  // Binds and starts serving on background threads; returns the port.
  std::uint16_t start();
  void stop();
  [[nodiscard]] std::uint16_t port() const noexcept;

  // What the simulator has seen: number of POST /v1/messages and the last body and headers.
  [[nodiscard]] std::uint64_t request_count() const;
  [[nodiscard]] std::string last_request_body() const;
  [[nodiscard]] std::string last_request_header(const std::string& name) const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace sluice::gateway
