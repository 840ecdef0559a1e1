#pragma once
// `sluice-bench overhead`: the latency Sluice adds. The same open-loop load is sent to the upstream
// simulator directly and through the gateway (both child processes on 127.0.0.1, ports chosen by the
// OS), at several rates and prompt sizes, for no policies, each policy alone and the full chain, plus
// streaming (time to first byte, time between events) and throughput at saturation (closed loop).
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace sluice::bench {

struct overhead_options {
  std::string sluice_path;                 // the `sluice` binary (gateway and upstream-sim)
  std::vector<double> rates{250, 500, 1000};
  std::vector<std::size_t> sizes{1024, 4096, 65536};
  // Gateway variants: "none", a policy name, or "full" (prompt-injection, pii-detector, content-filter,
  // audit-logger). "none" and "full" run at every size; single policies at 4 KiB only.
  std::vector<std::string> variants{"none", "prompt-injection", "pii-detector", "content-filter", "audit-logger",
                                    "full"};
  bool streaming = true;                   // also measure streaming responses (4 KiB prompt)
  double stream_rate = 20;                 // streams per second (each is hundreds of events)
  // The simulator's pace for streamed answers, deltas per second (0: as fast as it can write). Unpaced,
  // a 4 KiB echo is ~500 events written in one burst of a few ms of CPU, which on a shared core the
  // gateway must wait out before it can relay the first one; a real upstream spreads them over seconds.
  double stream_tokens_per_second = 0;
  double duration_s = 3;
  double warmup_s = 0.5;
  unsigned gateway_threads = 1;
  unsigned sim_threads = 1;
  std::size_t saturation_concurrency = 32;
  double saturation_s = 3;
  std::string prose_file = "corpora/prose/clean_en.txt";  // prompt text; generated filler if missing
  // "nginx": also measure a bare nginx reverse proxy in its own process (nginx_proxy.h) in front of the
  // same simulator, right after the direct run at every point, so the gateway's added latency is set
  // beside a plain proxy's in one run. Empty: no baseline.
  std::string baseline;
  std::string nginx_program = "nginx";
};

// Runs the whole experiment, printing tables to `out` as results arrive. Returns 0 on success, non-zero
// when a child process could not be started or never answered.
int run_overhead(const overhead_options& options, std::ostream& out);

// A Messages API request body of about `bytes` bytes of prompt text (JSON-escaped), optionally streaming.
[[nodiscard]] std::string messages_body(const std::string& prose, std::size_t bytes, bool stream);
// The prompt text of `path`, or generated English filler when it cannot be read.
[[nodiscard]] std::string load_prose(const std::string& path);

// "  81.2µs"-style rendering of nanoseconds, for the tables.
[[nodiscard]] std::string format_ns(double ns);

}  // namespace sluice::bench
