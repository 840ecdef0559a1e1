// Any bytes at all: the scanner answers ok or invalid_utf8 (never crashes, never another error on
// valid UTF-8), findings lie inside the text and are sorted and disjoint.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string_view>

#include "sluice/engine/scanner.h"

namespace {

const std::shared_ptr<const sluice::engine::ruleset>& shipped_rules() {
  using namespace sluice::engine;
  static const auto rules = [] {
    compile_options options;
    options.cache_dir = ruleset::default_cache_dir();
    return ruleset::load(ruleset::default_rules_dir(), options);
  }();
  return rules;
}

}  // namespace

// Compiling the shipped rules takes seconds, tens of them under ASan on a loaded machine. libFuzzer calls
// this before it starts timing inputs, so the first input is not reported as a timeout for it (replay_main
// does not call it: the first input loads them there, with no time limit).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)shipped_rules();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sluice::engine;
  static scanner s(shipped_rules());
  static scan_result result;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const errc e = s.scan(text, result);
  if (e == errc::invalid_utf8) {
    return 0;
  }
  if (e != errc::ok) {
    std::abort();
  }
  std::uint32_t last_end = 0;
  for (const finding& f : result.entities) {
    if (f.start < last_end || f.end <= f.start || f.end > size) {
      std::abort();
    }
    last_end = f.end;
  }
  if (result.injection_score < 0 || result.injection_score > 1) {
    std::abort();
  }
  return 0;
}
