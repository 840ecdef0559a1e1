// Streaming cost per delta event (SSE framing + JSON extraction + Hyperscan stream scan + hold point +
// re-serialization) for 1-, 4- and 16-byte deltas, Anthropic events (the filter runs before any OpenAI translation), default catalog, one
// core; and the hold-back distribution (bytes held after each delta: p50 / p99 / max) over prose.
// Every benchmark first checks that what the client would receive equals block-mode redaction.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bench_inputs.h"
#include "sluice/engine/json_escape.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"
#include "sluice/engine/stream_redactor.h"
#include "wire/sse_parser.h"
#include "streaming/stream_filter.h"

namespace {

using namespace sluice;

const std::shared_ptr<const engine::ruleset>& stream_catalog() {
  static const auto rules = [] {
    engine::compile_options options;
    options.cache_dir = engine::ruleset::default_cache_dir();
    auto r = engine::ruleset::load(engine::ruleset::default_rules_dir(), options);
    std::cerr << "catalog: " << r->stats().rule_count << " rules; max redaction width "
              << r->max_redaction_width() << " B; stream state " << r->stats().stream_state_bytes << " B\n";
    return r;
  }();
  return rules;
}

std::string block_redaction(std::string_view text) {
  engine::scanner s(stream_catalog());
  engine::scan_result r;
  engine::scan_options options;
  options.injection = false;
  options.content = false;
  if (s.scan(text, r, options) != engine::errc::ok) {
    return "<scan failed>";
  }
  engine::redactor red;
  std::string out;
  red.redact(text, r.entities, *stream_catalog(), out);
  return out;
}

// The text cut into `delta` byte pieces, never inside a UTF-8 character (deltas are JSON strings).
std::vector<std::string_view> pieces_of(std::string_view text, std::size_t delta) {
  std::vector<std::string_view> pieces;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = std::min(text.size(), at + delta);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      ++end;
    }
    pieces.push_back(text.substr(at, end - at));
    at = end;
  }
  return pieces;
}

std::string upstream_stream(const std::vector<std::string_view>& pieces) {
  std::string s;
  s += "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[],"
       "\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n";
  s += "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
       "{\"type\":\"text\",\"text\":\"\"}}\n\n";
  for (std::string_view p : pieces) {
    s += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
         "{\"type\":\"text_delta\",\"text\":";
    engine::append_json_string(s, p);
    s += "}}\n\n";
  }
  s += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n";
  s += "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
       "\"usage\":{\"output_tokens\":99}}\n\n";
  s += "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  return s;
}

// The text a client assembles from the filtered stream.
std::string client_text(std::string_view bytes) {
  gateway::sse_parser parser;
  parser.feed(bytes);
  gateway::sse_event ev;
  simdjson::dom::parser json;
  std::string text;
  while (parser.next(ev) == gateway::sse_status::event) {
    simdjson::dom::element doc;
    if (ev.data_lines == 0 || json.parse(std::string(ev.data)).get(doc) != simdjson::SUCCESS) {
      continue;
    }
    std::string_view t;
    if (doc["delta"]["text"].get_string().get(t) == simdjson::SUCCESS) {
      text += t;
    }
  }
  return text;
}

// Network reads: 4 KiB each (a burst: several events per read), or exactly one event per read (a live
// stream where each event arrives on its own).
std::vector<std::size_t> read_sizes(std::string_view upstream, bool one_event_per_read) {
  std::vector<std::size_t> sizes;
  if (!one_event_per_read) {
    for (std::size_t at = 0; at < upstream.size(); at += 4096) {
      sizes.push_back(std::min<std::size_t>(4096, upstream.size() - at));
    }
    return sizes;
  }
  gateway::sse_parser parser;
  parser.feed(upstream);
  gateway::sse_event ev;
  while (parser.next(ev) == gateway::sse_status::event) {
    sizes.push_back(ev.raw.size());
  }
  return sizes;
}

// Feeds `upstream` through `filter` read by read; the client bytes go to `out`.
bool run_stream(gateway::stream_filter& filter, std::string_view upstream, const std::vector<std::size_t>& reads,
                std::string& out, bool keep) {
  filter.reset();
  std::size_t at = 0;
  for (const std::size_t n : reads) {
    if (!keep) {
      out.clear();
    }
    if (filter.feed(upstream.substr(at, n), out) != gateway::stream_error::ok) {
      return false;
    }
    at += n;
  }
  return filter.finish(out) == gateway::stream_error::ok;
}

void BM_stream_filter(benchmark::State& state) {
  const auto delta = static_cast<std::size_t>(state.range(0));
  const auto kind = state.range(1) == 0 ? bench::input_kind::prose : bench::input_kind::pii_dense;
  const auto input = bench::make_input(kind, 16 * 1024);
  const auto pieces = pieces_of(input.text, delta);
  const std::string upstream = upstream_stream(pieces);
  const auto reads = read_sizes(upstream, state.range(2) != 0);

  engine::scanner scanner(stream_catalog());
  engine::redactor placeholders;
  gateway::stream_filter filter(stream_catalog(), scanner.scratch(), placeholders);
  std::string out;
  if (!run_stream(filter, upstream, reads, out, true) || client_text(out) != block_redaction(input.text)) {
    state.SkipWithError("streamed output differs from block-mode redaction");
    return;
  }
  for (auto _ : state) {
    const bool ok = run_stream(filter, upstream, reads, out, false);
    benchmark::DoNotOptimize(ok);
  }
  const auto events = static_cast<double>(pieces.size());
  state.counters["ns_per_event"] =
      benchmark::Counter(events * 1e-9, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.text.size()));
  state.SetLabel(std::string(bench::name_of(kind)) + (state.range(2) != 0 ? " one-event-reads" : " 4KiB-reads"));
}

// Prose for the hold-back distribution: the corpus's clean English if present, else generated prose.
std::string prose_text() {
  const auto path = std::filesystem::path(SLUICE_SOURCE_DIR) / "corpora" / "prose" / "clean_en.txt";
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
  }
  return bench::make_input(bench::input_kind::prose, 256 * 1024).text;
}

// Bytes held after each delta of `delta` bytes (0: token-like pieces of 2–6 bytes cut at spaces).
void BM_holdback_prose(benchmark::State& state) {
  const std::string text = prose_text();
  const auto delta = static_cast<std::size_t>(state.range(0));
  std::vector<std::string_view> pieces;
  if (delta > 0) {
    pieces = pieces_of(text, delta);
  } else {
    std::size_t at = 0;
    std::uint32_t n = 0;
    while (at < text.size()) {
      std::size_t end = std::min(text.size(), at + 2 + (n++ * 7) % 5);
      const std::size_t space = text.find(' ', at + 1);
      end = std::min(end, space == std::string::npos ? text.size() : space);
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
        ++end;
      }
      pieces.push_back(std::string_view(text).substr(at, end - at));
      at = end;
    }
  }
  engine::scanner scanner(stream_catalog());
  engine::redactor placeholders;
  engine::stream_redactor sr(stream_catalog(), scanner.scratch(), placeholders);
  std::vector<std::uint32_t> held;
  held.reserve(pieces.size());
  std::string out;
  for (auto _ : state) {
    held.clear();
    out.clear();
    (void)sr.reset();
    for (std::string_view p : pieces) {
      (void)sr.write(p, out);
      held.push_back(static_cast<std::uint32_t>(sr.held_bytes()));
    }
    (void)sr.finish(out);
  }
  if (out != block_redaction(text)) {
    state.SkipWithError("streamed output differs from block-mode redaction");
    return;
  }
  std::sort(held.begin(), held.end());
  const auto at = [&](double q) { return static_cast<double>(held[static_cast<std::size_t>(q * (held.size() - 1))]); };
  state.counters["held_p50"] = at(0.50);
  state.counters["held_p99"] = at(0.99);
  state.counters["held_max"] = static_cast<double>(held.back());
  state.counters["deltas"] = static_cast<double>(held.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

// Streamed redaction of 16 KiB long runs (bench_inputs.h) in 16-byte deltas: what a streamed hex dump
// or base64 blob costs per byte.
void BM_stream_long_runs(benchmark::State& state) {
  const auto kind = static_cast<bench::adversarial_kind>(state.range(0));
  const std::string text = bench::make_adversarial(kind, 16 * 1024);
  const auto pieces = pieces_of(text, 16);
  engine::scanner scanner(stream_catalog());
  engine::redactor placeholders;
  engine::stream_redactor sr(stream_catalog(), scanner.scratch(), placeholders);
  std::string out;
  for (auto _ : state) {
    out.clear();
    (void)sr.reset();
    for (std::string_view p : pieces) {
      (void)sr.write(p, out);
    }
    (void)sr.finish(out);
  }
  if (out != block_redaction(text)) {
    state.SkipWithError("streamed output differs from block-mode redaction");
    return;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(std::string(bench::name_of(kind)));
}

}  // namespace

BENCHMARK(BM_stream_long_runs)->ArgName("input")->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_stream_filter)
    ->ArgNames({"delta", "pii", "event_reads"})
    ->ArgsProduct({{1, 4, 16}, {0}, {0, 1}})
    ->Args({16, 1, 0})
    ->Args({16, 1, 1})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_holdback_prose)->ArgName("delta")->Arg(0)->Arg(1)->Arg(4)->Arg(16)->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
