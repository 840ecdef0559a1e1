// Arbitrary upstream bytes in arbitrary read splits, through the SSE framer and the whole stream path.
//   - sse_parser: the events framed from the split input are exactly those framed from it in one read
//     (type, data, id, retry), and their raws plus the pending tail add up to the input byte for byte;
//   - stream_transform (framer -> stream filter -> relay -> OpenAI chunk translation), as model_call
//     drives it for each read: no crash, leak or UB, with and without the filter and the translation.
// Input layout: first byte = flags (bit 0: stream filter, bit 1: OpenAI client, bit 2: a 64-byte event
// limit, bits 3-7: maximum read length 1..32), the rest = the upstream's bytes.
// ctest replays tests/fuzz/corpus/sse_stream; `make fuzz` runs the libFuzzer build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"
#include "streaming/stream_transform.h"
#include "wire/sse_parser.h"

using namespace sluice::gateway;

namespace {

struct framed {
  std::string type, data, id;
  std::uint32_t retry_ms = 0;
  bool has_id = false, has_retry = false;
  bool operator==(const framed&) const = default;
};

// Frames `input` in reads of the lengths `split` gives; returns false when the framer failed.
template <typename Split>
bool frame(std::string_view input, const sse_limits& limits, Split split, std::vector<framed>& events,
           std::string& raws) {
  sse_parser parser(limits);
  std::size_t at = 0;
  while (at < input.size()) {
    const std::size_t n = std::min(split(at), input.size() - at);
    parser.feed(input.substr(at, n));
    at += n;
    sse_event ev;
    for (;;) {
      const sse_status st = parser.next(ev);
      if (st == sse_status::need_more) {
        break;
      }
      if (st == sse_status::error) {
        return false;
      }
      raws.append(ev.raw);
      events.push_back({std::string(ev.type), std::string(ev.data), std::string(ev.id), ev.retry_ms, ev.has_id,
                        ev.has_retry});
    }
  }
  raws.append(parser.pending_raw());
  return true;
}

const std::shared_ptr<const sluice::engine::ruleset>& shipped_rules() {
  static const auto rules = [] {
    sluice::engine::compile_options options;
    options.cache_dir = sluice::engine::ruleset::default_cache_dir();
    return sluice::engine::ruleset::load(sluice::engine::ruleset::default_rules_dir(), options);
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
  if (size < 1) {
    return 0;
  }
  static sluice::engine::scanner scanner(shipped_rules());
  static simdjson::ondemand::parser json;
  static stream_transform transform;

  const bool filtering = (data[0] & 1) != 0;
  const bool openai = (data[0] & 2) != 0;
  const sse_limits limits{(data[0] & 4) != 0 ? std::size_t{64} : std::size_t{1} << 20};
  const std::size_t max_read = 1 + (data[0] >> 3);
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  // Read lengths cycle through 1..max_read, seeded by the bytes themselves.
  std::size_t step = 0;
  auto split = [&](std::size_t at) {
    return 1 + (static_cast<unsigned char>(input[at]) + step++) % max_read;
  };

  std::vector<framed> whole_events, split_events;
  std::string whole_raws, split_raws;
  const bool whole_ok = frame(input, limits, [&](std::size_t) { return input.size(); }, whole_events, whole_raws);
  const bool split_ok = frame(input, limits, split, split_events, split_raws);
  if (whole_ok && split_ok && (whole_events != split_events || whole_raws != input || split_raws != input)) {
    std::fprintf(stderr, "sse framing depends on read boundaries: %zu events whole, %zu split\n",
                 whole_events.size(), split_events.size());
    std::abort();
  }

  sluice::engine::redactor placeholders;
  stream_filter_options filter_options;
  filter_options.limits = limits;
  stream_filter filter(shipped_rules(), scanner.scratch(), placeholders, filter_options);
  openai_stream_translator translator;
  translator.start("gpt-fuzz", 1700000000, (data[0] & 8) != 0);
  exchange ex;
  transform.begin(ex, filtering ? &filter : nullptr, openai ? &translator : nullptr, json, limits);
  std::string out;
  bool live = true;
  step = 0;
  for (std::size_t at = 0; at < input.size() && live;) {
    const std::size_t n = std::min(split(at), input.size() - at);
    live = transform.feed(input.substr(at, n), out);
    at += n;
  }
  if (live) {
    (void)transform.finish(out);
  }
  transform.close(out);
  return 0;
}
