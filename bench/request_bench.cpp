// The gateway's per-request work without the network, on one core: reading a Messages body, translating
// an OpenAI chat-completions body, splicing a redaction back into the JSON, and the whole request side
// of the policy chain (read + scan + policies + rewrite) for each policy alone and the full chain.
// Prompts are generated prose (bench_inputs.h) with one e-mail address, at 1 KiB, 4 KiB and 64 KiB.
// Every benchmark checks its result once before timing.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <iostream>

#include "pipeline/exchange_texts.h"
#include "bench_inputs.h"
#include "pipeline/config_generation.h"
#include "sluice/engine/json_escape.h"
#include "sluice/engine/scanner.h"
#include "dialects/anthropic/messages_request.h"
#include "dialects/openai/openai_request.h"
#include "policies/policy_chain.h"

namespace {

using namespace sluice;
using namespace sluice::gateway;

constexpr std::string_view email = "jane.doe@example.com";

const std::shared_ptr<const engine::ruleset>& catalog() {
  static const auto rules = [] {
    engine::compile_options options;
    options.cache_dir = engine::ruleset::default_cache_dir();
    return engine::ruleset::load(engine::ruleset::default_rules_dir(), options);
  }();
  return rules;
}

// The user's prompt: `size` bytes of prose, then a sentence with the e-mail address.
std::string prompt_of(std::size_t size) {
  std::string text = bench::make_input(bench::input_kind::prose, size).text;
  text += " Please reply to ";
  text += email;
  text += " by Friday.";
  return text;
}

std::string messages_body(std::size_t size) {
  std::string body = R"({"model":"claude-sonnet-4-20250514","max_tokens":256,"system":"You are a helpful assistant.",)"
                     R"("messages":[{"role":"user","content":)";
  engine::append_json_string(body, prompt_of(size));
  body += "}]}";
  return body;
}

std::string openai_body(std::size_t size) {
  std::string body = R"({"model":"claude-sonnet-4-20250514","max_tokens":256,"messages":[)"
                     R"({"role":"system","content":"You are a helpful assistant."},{"role":"user","content":)";
  engine::append_json_string(body, prompt_of(size));
  body += "}]}";
  return body;
}

// A copy with simdjson's padding after it.
struct padded_text {
  explicit padded_text(std::string text) : bytes(std::move(text)) { view = padded_copy(storage, bytes); }
  std::string bytes;
  std::string storage;
  std::string_view view;
};

void sizes(benchmark::internal::Benchmark* b) {
  b->ArgName("bytes")->Arg(1024)->Arg(4096)->Arg(65536)->Unit(benchmark::kMicrosecond);
}

void BM_read_messages_request(benchmark::State& state) {
  const padded_text body(messages_body(static_cast<std::size_t>(state.range(0))));
  simdjson::ondemand::parser parser;
  json_string_table strings;
  messages_request_facts facts;
  if (read_messages_request(parser, body.view, strings, facts) || strings.size() != 2 ||
      strings.text(1).find(email) == std::string_view::npos) {
    state.SkipWithError("the request was not read as expected");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(read_messages_request(parser, body.view, strings, facts));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.bytes.size()));
}

void BM_openai_translate(benchmark::State& state) {
  const padded_text body(openai_body(static_cast<std::size_t>(state.range(0))));
  simdjson::ondemand::parser parser;
  openai_request_translator translator;
  std::string out;
  openai_request_facts facts;
  if (translator.translate(parser, body.view, {}, out, facts) || out.find(R"("system")") == std::string::npos ||
      out.find(email) == std::string::npos) {
    state.SkipWithError("the OpenAI request was not translated as expected");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(translator.translate(parser, body.view, {}, out, facts));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.bytes.size()));
}

void BM_splice_redaction(benchmark::State& state) {
  const padded_text body(messages_body(static_cast<std::size_t>(state.range(0))));
  simdjson::ondemand::parser parser;
  json_string_table strings;
  messages_request_facts facts;
  (void)read_messages_request(parser, body.view, strings, facts);
  const auto at = static_cast<std::uint32_t>(strings.text(1).find(email));
  std::uint32_t email_rule = 0;
  for (std::uint32_t i = 0; i < catalog()->size(); ++i) {
    if (catalog()->at(i).entity == "EMAIL") {
      email_rule = i;
      break;
    }
  }
  const engine::finding found{email_rule, at, at + static_cast<std::uint32_t>(email.size())};
  engine::redactor redactor;
  json_splicer splicer;
  std::string out;
  auto splice = [&] {
    splicer.reset(body.view, strings);
    (void)splicer.redact(1, {&found, 1}, *catalog(), redactor);
    return splicer.finish(out);
  };
  if (splice() || out.find(email) != std::string::npos || out.find("[REDACTED:EMAIL]") == std::string::npos ||
      out.size() != body.bytes.size() - email.size() + std::string_view("[REDACTED:EMAIL]").size()) {
    state.SkipWithError("the redaction was not spliced as expected");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(splice());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.bytes.size()));
}

// The configurations measured, as a user would write them.
std::string policies_for(int variant) {
  switch (variant) {
    case 0: return "";
    case 1: return "policies:\n  chain: [prompt-injection]\n  policy:\n    prompt-injection: {threshold: 0.8, action: block}\n";
    case 2: return "policies:\n  chain: [pii-detector]\n";
    case 3: return "policies:\n  chain: [content-filter]\n";
    default:
      return "policies:\n  chain: [prompt-injection, pii-detector, content-filter, audit-logger]\n"
             "  policy:\n    prompt-injection: {threshold: 0.8, action: block}\n"
             "    audit-logger: {path: @DIR@}\n";
  }
}

// Twice this machine's L2 (2 MiB a core), and twice its last-level cache (32 MiB): what a request
// touches then comes from L3, or from memory.
constexpr std::size_t evict_core_bytes = 4u << 20;
constexpr std::size_t evict_all_bytes = 64u << 20;

constexpr const char* variant_names[] = {"none", "prompt-injection", "pii-detector", "content-filter", "full"};

// The request half of model_call::run: read, scan once, run the chain, splice redactions.
void BM_policy_chain(benchmark::State& state) {
  const int variant = static_cast<int>(state.range(0));
  state.SetLabel(variant_names[variant]);
  const std::filesystem::path audit_dir = std::filesystem::temp_directory_path() / "sluice-request-bench-audit";
  std::string yaml = "providers:\n  targets:\n    - id: t\n      provider: anthropic:chat:m\n"
                     "      base_url: http://127.0.0.1:9\n      secret_key_ref:\n        env: HOME\n" +
                     policies_for(variant);
  if (const auto pos = yaml.find("@DIR@"); pos != std::string::npos) {
    yaml.replace(pos, 5, audit_dir.string());
  }
  const auto runtime = build_generation(parse_config(yaml, "bench.yaml"), catalog(), nullptr, 1);
  engine::scanner scanner(catalog());
  engine::scan_result scan;
  simdjson::ondemand::parser parser;
  const padded_text body(messages_body(static_cast<std::size_t>(state.range(1))));
  exchange ex;
  std::string audit_buffer;
  ex.audit_out = &audit_buffer;
  chain_run chain;
  engine::redactor redactor;
  std::string upstream_body;
  std::string error;

  // Returns the body that would go upstream ("" when refused).
  auto one_request = [&]() -> std::string_view {
    ex.clear();
    audit_buffer.clear();
    chain.begin(*runtime->chain);
    request_facts facts;
    std::string_view sent;
    if (extract_request_texts(parser, body.view, ex, facts, error)) {
      if (runtime->chain->scans_anything()) {
        scan_texts(scanner, scan, runtime->chain->scan_options(), ex);
      }
      if (chain.request(ex)) {
        sent = body.view;
        bool redact = runtime->chain->wants_text();
        for (const auto& t : ex.texts) {
          redact = redact || t.redact;
        }
        if (redact && !rewrite_texts(body.view, ex, redactor, {}, upstream_body,
                                     runtime->chain->wants_text() ? &ex.redacted_request_text : nullptr)) {
          sent = upstream_body;
        }
      }
    }
    chain.complete(ex);
    chain.end();
    return sent;
  };

  const std::string_view first = one_request();
  const bool redacts = variant == 2 || variant == 4;
  if (first.empty() || (first.find(email) == std::string_view::npos) != redacts) {
    state.SkipWithError("the policy chain did not pass and redact the request as expected");
    return;
  }
  // cold:1 evicts the core's own caches (L1, L2) before each request, cold:2 the last-level cache too
  // (untimed): a gateway at one request a millisecond, sharing its core with other work, meets the
  // databases and the model's weights somewhere between the two.
  const int cold = static_cast<int>(state.range(2));
  std::vector<unsigned char> evict(cold == 1 ? evict_core_bytes : cold == 2 ? evict_all_bytes : 0);
  for (auto _ : state) {
    if (cold != 0) {
      state.PauseTiming();
      for (std::size_t i = 0; i < evict.size(); i += 64) {
        evict[i] = static_cast<unsigned char>(evict[i] + 1);
      }
      benchmark::ClobberMemory();
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(one_request());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.bytes.size()));
  std::error_code ignored;
  std::filesystem::remove_all(audit_dir, ignored);
}

void chain_points(benchmark::internal::Benchmark* b) {
  b->ArgNames({"variant", "bytes", "cold"})->Unit(benchmark::kMicrosecond);
  for (int v = 0; v < 5; ++v) {
    b->Args({v, 4096, 0});
  }
  b->Args({0, 1024, 0})->Args({4, 1024, 0})->Args({0, 65536, 0})->Args({4, 65536, 0});
  for (int cold = 1; cold <= 2; ++cold) {
    for (int v = 0; v < 5; ++v) {
      b->Args({v, 4096, cold});
    }
  }
}

}  // namespace

BENCHMARK(BM_read_messages_request)->Apply(sizes);
BENCHMARK(BM_openai_translate)->Apply(sizes);
BENCHMARK(BM_splice_redaction)->Apply(sizes);
BENCHMARK(BM_policy_chain)->Apply(chain_points);

BENCHMARK_MAIN();
