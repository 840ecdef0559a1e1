// `sluice-bench`: the load generator. `run` holds a fixed rate against one URL; `overhead` measures the
// latency the gateway adds over calling the upstream simulator directly (see docs/benchmarks.md).
#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>

#include "bystanders.h"
#include "open_loop.h"
#include "overhead.h"
#include "store_overhead.h"

namespace {

int run_once(const std::string& host, std::uint16_t port, const std::string& path, std::size_t bytes, bool stream,
             const std::string& prose_file, const sluice::bench::load_options& options, std::size_t idle,
             std::size_t slow) {
  sluice::bench::load_target target;
  target.host = host;
  target.port = port;
  target.path = path;
  // The same prompt as `overhead`: English prose with one e-mail address (a run of one letter would
  // measure the scanner's worst case, not a request).
  target.body = sluice::bench::messages_body(sluice::bench::load_prose(prose_file), bytes, stream);
  target.headers = {{"x-api-key", "sk-bench"}, {"anthropic-version", "2023-06-01"}};
  // Bystanders stand by for the whole run (and its warm-up), then close.
  std::unique_ptr<sluice::bench::bystanders> beside;
  if (idle + slow > 0) {
    beside = std::make_unique<sluice::bench::bystanders>(host, port, idle, slow);
    std::cout << "beside the load: " << beside->idle_open() << " idle connections, " << slow
              << " slowloris clients (one header byte per second)\n";
  }
  const auto r = sluice::bench::run_load(target, options);
  if (beside) {
    std::cout << "bystander connections closed by the server and reopened: " << beside->reopened() << "\n";
  }
  using sluice::bench::format_ns;
  std::cout << "scheduled " << r.scheduled << ", ok " << r.ok << ", non-2xx " << r.non_2xx << ", errors " << r.errors
            << ", dropped " << r.dropped << ", unfinished " << r.unfinished << ", connections " << r.connections_opened
            << "\nachieved " << r.achieved_rate() << " req/s over " << r.elapsed_s << " s\n"
            << "latency p50 " << format_ns(double(r.latency.percentile(0.5))) << "  p90 "
            << format_ns(double(r.latency.percentile(0.9))) << "  p99 " << format_ns(double(r.latency.percentile(0.99)))
            << "  p99.9 " << format_ns(double(r.latency.percentile(0.999))) << "  max "
            << format_ns(double(r.latency.max())) << "\n";
  if (stream) {
    std::cout << "ttfb p50 " << format_ns(double(r.ttfb.percentile(0.5))) << "  p99 "
              << format_ns(double(r.ttfb.percentile(0.99))) << "; gap between events p50 "
              << format_ns(double(r.per_event.percentile(0.5))) << "  p99 "
              << format_ns(double(r.per_event.percentile(0.99))) << "; " << (r.ok ? r.events / r.ok : 0)
              << " events per response\n";
  }
  return r.ok > 0 && r.errors == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sluice-bench: open-loop load generator and gateway overhead benchmark"};
  app.require_subcommand(1);

  auto* run = app.add_subcommand("run", "Hold a fixed request rate against one server and report latency");
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string path = "/v1/messages";
  std::size_t bytes = 4096;
  std::string prose_file = "corpora/prose/clean_en.txt";
  bool stream = false;
  sluice::bench::load_options load;
  run->add_option("--host", host, "Server address (loopback)")->capture_default_str();
  run->add_option("--port", port, "Server port")->required();
  run->add_option("--path", path, "Request path")->capture_default_str();
  run->add_option("--bytes", bytes, "Prompt size in bytes")->capture_default_str();
  run->add_flag("--stream", stream, "Ask for a streaming response");
  run->add_option("--prose", prose_file, "Prompt text file")->capture_default_str();
  run->add_option("--rate", load.rate, "Requests per second")->capture_default_str()->check(CLI::Range(0.1, 1e6));
  run->add_option("--duration", load.duration_s, "Seconds of sending")->capture_default_str()->check(CLI::Range(0.01, 3600.0));
  run->add_option("--warmup", load.warmup_s, "Seconds not recorded at the start")->capture_default_str();
  run->add_option("--connections", load.max_connections, "Most connections open at once")->capture_default_str();
  run->add_flag("--closed-loop", load.closed_loop, "Saturation: --concurrency connections back to back");
  std::size_t idle_connections = 0;
  std::size_t slowloris = 0;
  run->add_option("--idle-connections", idle_connections, "Idle connections held open beside the load")
      ->capture_default_str();
  run->add_option("--slowloris", slowloris, "Clients sending a request head one byte per second beside the load")
      ->capture_default_str();
  run->add_option("--concurrency", load.concurrency, "Connections in closed-loop mode")->capture_default_str();

  auto* overhead = app.add_subcommand("overhead", "Added latency: simulator directly vs. through the gateway");
  sluice::bench::overhead_options o;
  overhead->add_option("--sluice", o.sluice_path, "Path of the sluice binary")->required();
  overhead->add_option("--rates", o.rates, "Request rates (per second)")->delimiter(',')->capture_default_str();
  overhead->add_option("--sizes", o.sizes, "Prompt sizes in bytes")->delimiter(',')->capture_default_str();
  overhead->add_option("--variants", o.variants, "none, a policy name, or full")->delimiter(',')->capture_default_str();
  overhead->add_option("--duration", o.duration_s, "Seconds per point")->capture_default_str()->check(CLI::Range(0.1, 600.0));
  overhead->add_option("--warmup", o.warmup_s, "Seconds not recorded per point")->capture_default_str();
  overhead->add_option("--gateway-threads", o.gateway_threads, "Gateway shards")->capture_default_str();
  overhead->add_option("--sim-threads", o.sim_threads, "Simulator threads")->capture_default_str();
  overhead->add_option("--saturation-concurrency", o.saturation_concurrency, "Connections for the saturation run")
      ->capture_default_str();
  overhead->add_option("--saturation-duration", o.saturation_s, "Seconds of the saturation run")->capture_default_str();
  overhead->add_option("--prose", o.prose_file, "Prompt text file")->capture_default_str();
  overhead->add_option("--baseline", o.baseline, "nginx: also measure a bare nginx reverse proxy in its own process")
      ->check(CLI::IsMember({"nginx"}));
  overhead->add_option("--nginx", o.nginx_program, "The nginx program (name in PATH or path)")->capture_default_str();
  overhead->add_option("--stream-rate", o.stream_rate, "Streams per second in the streaming run (0: no streaming run)")->capture_default_str();
  overhead->add_option("--stream-tokens-per-second", o.stream_tokens_per_second,
                       "Simulator pace for streamed answers, deltas per second (0: unpaced)")
      ->capture_default_str();
  bool no_stream = false;
  overhead->add_flag("--no-streaming", no_stream, "Skip the streaming measurements");
  sluice::bench::store_overhead_options store;
  overhead->add_option("--store", store.redis_url,
                       "redis://host:port/db: instead of the policy runs, compare no governance, the SQLite store "
                       "and this (private) Redis, closed loop");
  overhead->add_option("--store-clients", store.clients, "Concurrent clients for --store")
      ->delimiter(',')
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);
  if (run->parsed()) {
    return run_once(host, port, path, bytes, stream, prose_file, load, idle_connections, slowloris);
  }
  if (!store.redis_url.empty()) {
    store.sluice_path = o.sluice_path;
    store.duration_s = o.duration_s;
    store.warmup_s = o.warmup_s;
    store.gateway_threads = o.gateway_threads;
    store.sim_threads = o.sim_threads;
    return sluice::bench::run_store_overhead(store, std::cout);
  }
  o.streaming = !no_stream;
  return sluice::bench::run_overhead(o, std::cout);
}
