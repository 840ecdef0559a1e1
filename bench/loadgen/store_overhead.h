#pragma once
// `sluice-bench overhead --store redis://…`: what the governance store adds to a request. The same
// closed-loop load (1 and 16 clients by default) goes to the simulator directly and through three
// gateways in turn: no governance, governance on the embedded SQLite store, and governance on the given
// Redis (where a key with a rate limit and a hard budget costs one Redis round trip per request). Each
// gateway admits with one key that has a requests-per-minute limit and a hard token budget, both far
// above what the run uses, so every request takes the full admission path and none is refused.
#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace sluice::bench {

struct store_overhead_options {
  std::string sluice_path;
  std::string redis_url;                 // redis://host:port/db (a private one: the run writes keys)
  std::vector<std::size_t> clients{1, 16};
  double duration_s = 3;
  double warmup_s = 0.5;
  unsigned gateway_threads = 1;
  unsigned sim_threads = 1;
  std::size_t prompt_bytes = 1024;
};

// Returns 0 on success, non-zero when a process could not be started or a key not created.
int run_store_overhead(const store_overhead_options& options, std::ostream& out);

}  // namespace sluice::bench
