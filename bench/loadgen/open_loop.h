#pragma once
// An HTTP/1.1 load generator that holds a fixed request rate (open loop). Request i is due at
// start + i/rate whether or not earlier requests have finished, and its latency is measured from that
// intended time: when the server (or this client) falls behind, the queueing delay shows up in the
// latencies instead of silently lowering the rate (no coordinated omission). A closed-loop mode with a
// fixed number of connections measures throughput at saturation.
//
// Everything is bounded: the number of requests (rate × duration), the connections, the queue of due
// requests waiting for a connection, and the time allowed to drain after the last send.
#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "latency_histogram.h"

namespace sluice::bench {

struct load_target {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/v1/messages";
  std::vector<std::pair<std::string, std::string>> headers;  // besides Host, Content-Type, Content-Length
  std::string body;
  std::string content_type = "application/json";
};

struct load_options {
  double rate = 100;                 // requests per second (open loop)
  double duration_s = 5;             // sending window
  double warmup_s = 0;               // requests due in the first warmup_s are sent but not recorded
  std::size_t max_connections = 128;
  std::size_t max_pending = 100000;  // due requests waiting for a connection; beyond: dropped
  double drain_s = 5;                // after the window, wait at most this long for replies
  double request_timeout_s = 10;
  bool closed_loop = false;          // saturation: `concurrency` connections, back to back
  std::size_t concurrency = 16;
};

struct load_report {
  latency_histogram latency;    // ns from intended send to the last byte of the response
  latency_histogram ttfb;       // ns from intended send to the first byte of the body
  latency_histogram per_event;  // ns between SSE events of a response ((last - first) / (events - 1))
  std::uint64_t scheduled = 0;  // requests due in the window (sent or not)
  std::uint64_t ok = 0;         // 2xx responses read completely
  std::uint64_t non_2xx = 0;
  unsigned last_error_status = 0;  // the status of the latest non-2xx response, for diagnostics
  std::uint64_t errors = 0;     // connect, write, read or parse failures, and timeouts
  std::uint64_t dropped = 0;    // due while every connection was busy and the queue was full
  std::uint64_t unfinished = 0; // still in flight or queued when the drain time ran out
  std::uint64_t connections_opened = 0;
  std::uint64_t events = 0;     // SSE events seen (blank-line separated)
  std::uint64_t body_bytes = 0;
  double elapsed_s = 0;         // first due time to last completion
  [[nodiscard]] double achieved_rate() const noexcept { return elapsed_s > 0 ? double(ok) / elapsed_s : 0.0; }
};

// Runs one load on the calling thread (its own io_context) and returns when every request has finished
// or the drain time ran out. Never throws for network errors (they are counted).
[[nodiscard]] load_report run_load(const load_target& target, const load_options& options);

}  // namespace sluice::bench
