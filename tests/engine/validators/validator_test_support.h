#pragma once
// Shorthand for the validator tests: check a span the way the scanner does, with default options.
#include <string_view>
#include <thread>
#include <vector>

#include "sluice/engine/validators.h"

namespace sluice::engine::testing {

inline bool accepts(validator_kind kind, std::string_view span,
                    const validator_options& options = validator_options{}) {
  return validate(kind, span, options);
}

// Runs `check` `rounds` times on each of `threads` threads at once (validators keep per-thread state,
// such as a JSON parser); returns how many calls answered true, per thread.
template <class Check>
std::vector<int> confirmations_from_threads(int threads, int rounds, Check check) {
  std::vector<int> confirmed(static_cast<std::size_t>(threads), 0);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < rounds; ++i) {
        confirmed[static_cast<std::size_t>(t)] += check(t) ? 1 : 0;
      }
    });
  }
  for (auto& w : workers) {
    w.join();
  }
  return confirmed;
}

}  // namespace sluice::engine::testing
