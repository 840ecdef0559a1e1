// Differential fuzzer: streaming a text through the stream redactor, split where the input says,
// must give exactly the block-mode redaction of the whole text, with the shipped catalog.
// Input layout: first byte = maximum piece length (1..16), the rest = the text.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <simdjson.h>

#include "sluice/engine/json_escape.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"
#include "sluice/engine/stream_redactor.h"

namespace {

using namespace sluice::engine;

struct fixture {
  std::shared_ptr<const ruleset> rules = ruleset::load(ruleset::default_rules_dir(), cached());

  static compile_options cached() {
    compile_options options;
    options.cache_dir = ruleset::default_cache_dir();
    return options;
  }
  scanner block{rules};
  scanner stream_scanner{rules};
};

fixture& the_fixture() {
  static fixture f;
  return f;
}

// Control bytes (a NUL above all) would cut or garble a plain print of the mismatch: the texts are
// printed as JSON strings (every one is valid UTF-8: the input is checked, redaction keeps it so).
std::string as_json(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace

// Compiling the shipped rules takes seconds, tens of them under ASan on a loaded machine. libFuzzer calls
// this before it starts timing inputs, so the first input is not reported as a timeout for it (replay_main
// does not call it: the first input loads them there, with no time limit).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)the_fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fixture& f = the_fixture();
  if (size < 2) {
    return 0;
  }
  const std::size_t max_piece = 1 + data[0] % 16;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (!simdjson::validate_utf8(text.data(), text.size())) {
    return 0;  // the gateway only ever streams valid UTF-8 (JSON strings)
  }
  scan_result result;
  scan_options options;
  options.injection = false;
  options.content = false;
  if (f.block.scan(text, result, options) != errc::ok) {
    std::abort();
  }
  redactor block_redactor;
  std::string expected;
  block_redactor.redact(text, result.entities, *f.rules, expected);

  redactor stream_placeholders;
  stream_redactor sr(f.rules, f.stream_scanner.scratch(), stream_placeholders);
  std::string got;
  std::size_t at = 0;
  std::size_t step = 0;
  while (at < text.size()) {
    // Piece lengths cycle deterministically through 1..max_piece, seeded by the text itself.
    const std::size_t len = 1 + (static_cast<unsigned char>(text[at]) + step++) % max_piece;
    const std::size_t n = std::min(len, text.size() - at);
    if (sr.write(text.substr(at, n), got) != errc::ok) {
      std::abort();
    }
    at += n;
  }
  if (sr.finish(got) != errc::ok || got != expected) {
    std::fprintf(stderr, "stream/block mismatch (pieces of at most %zu bytes)\ntext:     %s\nexpected: %s\ngot:      %s\n",
                 max_piece, as_json(text).c_str(), as_json(expected).c_str(), as_json(got).c_str());
    std::abort();
  }
  return 0;
}
