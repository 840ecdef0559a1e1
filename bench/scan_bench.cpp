// Scan throughput of the whole default catalog on one core, against the naive baseline (PCRE2 with JIT
// looping over the same patterns), on clean prose, PII-dense text, code and logs at 256 B … 1 MiB.
// Every benchmark checks its results on the input before timing it.
#include <benchmark/benchmark.h>

#include <hs/hs.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "bench_inputs.h"
#include "model/model_kernels.h"
#include "simd/ascii_check.h"
#include "sluice/engine/injection_model.h"
#include "sluice/engine/scanner.h"

#ifdef SLUICE_HAVE_PCRE2
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#endif

namespace {

using namespace sluice;

const std::shared_ptr<const engine::ruleset>& catalog() {
  static const auto rules = [] {
    engine::compile_options options;
    options.cache_dir = engine::ruleset::default_cache_dir();
    auto r = engine::ruleset::load(engine::ruleset::default_rules_dir(), options);
    const auto& s = r->stats();
    std::cerr << "catalog: " << s.rule_count << " rules, " << s.pattern_count << " expressions; "
              << (s.loaded_from_cache ? "loaded in " : "compiled in ") << s.compile_ms << " ms; block db "
              << s.block_database_bytes << " B, stream db " << s.stream_database_bytes << " B, scratch "
              << s.scratch_bytes << " B, stream state " << s.stream_state_bytes << " B\n";
    return r;
  }();
  return rules;
}

constexpr bench::input_kind kinds[] = {bench::input_kind::prose, bench::input_kind::pii_dense,
                                       bench::input_kind::code, bench::input_kind::logs};

// Planted entities whose type the catalog knows must each be covered by a finding of that type.
bool engine_finds_planted(const bench::generated_input& input, const engine::scan_result& result) {
  std::map<std::string, bool> known;
  for (const auto& r : catalog()->rules()) {
    known[r.entity] = true;
  }
  for (const auto& p : input.entities) {
    if (!known.count(p.type)) {
      continue;
    }
    bool covered = false;
    for (const auto& f : result.entities) {
      covered = covered || (f.start <= p.start && f.end >= p.end && catalog()->at(f.rule).entity == p.type);
    }
    if (!covered) {
      std::cerr << "engine missed planted " << p.type << " at " << p.start << "\n";
      return false;
    }
  }
  return true;
}

void BM_engine_scan(benchmark::State& state) {
  const auto kind = kinds[state.range(0)];
  const auto input = bench::make_input(kind, static_cast<std::size_t>(state.range(1)));
  engine::scanner scanner(catalog());
  engine::scan_result result;
  if (scanner.scan(input.text, result) != engine::errc::ok || !engine_finds_planted(input, result)) {
    state.SkipWithError("engine result check failed");
    return;
  }
  for (auto _ : state) {
    const auto e = scanner.scan(input.text, result);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.text.size()));
  state.SetLabel(std::string(bench::name_of(kind)));
}

// Only the Hyperscan pass (a callback that counts): what the database itself costs.
void BM_hyperscan_only(benchmark::State& state) {
  const auto kind = kinds[state.range(0)];
  const auto input = bench::make_input(kind, static_cast<std::size_t>(state.range(1)));
  hs_scratch_t* scratch = nullptr;
  hs_clone_scratch(catalog()->prototype_scratch(), &scratch);
  std::size_t matches = 0;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
    ++*static_cast<std::size_t*>(ctx);
    return 0;
  };
  for (auto _ : state) {
    hs_scan(catalog()->block_database(), input.text.data(), static_cast<unsigned>(input.text.size()), 0,
            scratch, on_match, &matches);
  }
  benchmark::DoNotOptimize(matches);
  hs_free_scratch(scratch);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.text.size()));
  state.SetLabel(std::string(bench::name_of(kind)));
}

// Entities only: Hyperscan + validators + resolver, without normalization and injection.
void BM_engine_entities_only(benchmark::State& state) {
  const auto kind = kinds[state.range(0)];
  const auto input = bench::make_input(kind, static_cast<std::size_t>(state.range(1)));
  engine::scanner scanner(catalog());
  engine::scan_result result;
  engine::scan_options options;
  options.injection = false;
  options.content = false;
  for (auto _ : state) {
    const auto e = scanner.scan(input.text, result, options);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.text.size()));
  state.SetLabel(std::string(bench::name_of(kind)));
}

#ifdef SLUICE_HAVE_PCRE2
// The naive way: every catalog pattern compiled with PCRE2 JIT, each run over the whole input.
struct pcre2_catalog {
  std::vector<pcre2_code*> codes;
  std::size_t skipped = 0;
  pcre2_match_data* data = nullptr;

  pcre2_catalog() {
    for (const auto& r : catalog()->rules()) {
      std::uint32_t options = PCRE2_UTF | PCRE2_NO_UTF_CHECK;
      if ((r.hs_flags & HS_FLAG_CASELESS) != 0 || r.kind == engine::rule_kind::injection ||
          r.kind == engine::rule_kind::content) {
        options |= PCRE2_CASELESS;
      }
      int error = 0;
      PCRE2_SIZE offset = 0;
      pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(r.pattern.c_str()), r.pattern.size(),
                                       options, &error, &offset, nullptr);
      if (code == nullptr) {
        ++skipped;
        continue;
      }
      pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
      codes.push_back(code);
    }
    data = pcre2_match_data_create(4, nullptr);
  }
  ~pcre2_catalog() {
    for (auto* c : codes) {
      pcre2_code_free(c);
    }
    pcre2_match_data_free(data);
  }

  std::size_t scan(std::string_view text) const {
    std::size_t matches = 0;
    for (auto* code : codes) {
      PCRE2_SIZE at = 0;
      while (at <= text.size()) {
        const int rc = pcre2_jit_match(code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), at, 0,
                                       data, nullptr);
        if (rc < 0) {
          break;
        }
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(data);
        ++matches;
        at = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
      }
    }
    return matches;
  }
};

void BM_pcre2_baseline(benchmark::State& state) {
  static const pcre2_catalog baseline;
  const auto kind = kinds[state.range(0)];
  const auto input = bench::make_input(kind, static_cast<std::size_t>(state.range(1)));
  if (kind == bench::input_kind::pii_dense && !input.entities.empty() && baseline.scan(input.text) == 0) {
    state.SkipWithError("PCRE2 baseline found nothing in PII-dense text");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(baseline.scan(input.text));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.text.size()));
  state.SetLabel(std::string(bench::name_of(kind)) + " (" + std::to_string(baseline.codes.size()) +
                 " patterns, " + std::to_string(baseline.skipped) + " not PCRE2-compatible)");
}
#endif

// The whole catalog on inputs built to be hard (bench_inputs.h): what one bad prompt can cost.
void BM_engine_adversarial(benchmark::State& state) {
  const auto kind = static_cast<bench::adversarial_kind>(state.range(0));
  const std::string input = bench::make_adversarial(kind, static_cast<std::size_t>(state.range(1)));
  engine::scanner scanner(catalog());
  engine::scan_result result;
  if (scanner.scan(input, result) != engine::errc::ok) {
    state.SkipWithError("scan failed");
    return;
  }
  for (auto _ : state) {
    const auto e = scanner.scan(input, result);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetLabel(std::string(bench::name_of(kind)));
}

// Secrets-dense text: config and code lines holding a provider key, a keyed setting, a JWT, a PEM block or
// a password every few lines, between lines of the benchmark prose, to `size` bytes. The same bytes for
// every catalog, so two catalogs (SLUICE_RULES_DIR) compare on one input. Args: full scan (1) or
// entities only (0), and the size.
std::string make_secrets_dense(std::size_t size) {
  static const char* const lines[] = {
      "aws_access_key_id = AKIAKAEDCMPB5U4MOS7A\nsecret_key = \"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\"\n",
      "GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a\n",
      "SLACK_BOT_TOKEN=xoxb-2934567890123-2934567890124-AbCdEfGhIjKlMnOpQrStUvWx\n",
      "EMAIL_HOST_PASSWORD = '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'\n",
      "stripe.api_key = \"sk_live_4eC39HqLyjWDarjtT1zdp7dc\"\n",
      "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n",
      "DATABASE_URL=postgres://app:Xk9mP2vQ7wR4@db.internal:5432/prod\n",
      "const client = new Client({ apiKey: 'Zf3D0LXCM3EIMbgJpUNnkRtOfOueHznB9' });\n",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm\n-----END RSA PRIVATE KEY-----\n",
      "HF_TOKEN=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\n",
      "npm config set //registry.npmjs.org/:_authToken=npm_Qm3Xr8Tz1Lp6Wn9Ks2Vb5Yc7Hd4Jf0Ga3Eu8\n",
      "password: Xk9#mP2$vQ7!wR4\n",
  };
  const auto prose = bench::make_input(bench::input_kind::prose, size);
  std::string out;
  out.reserve(size + 512);
  std::size_t line = 0;
  std::size_t from = 0;
  while (out.size() < size) {
    // About 300 bytes of prose, to its next line break or sentence end, then a secret line.
    std::size_t to = std::min(prose.text.size(), from + 300);
    while (to < prose.text.size() && prose.text[to - 1] != '.' && prose.text[to - 1] != '\n') {
      ++to;
    }
    out.append(prose.text, from, to - from);
    out.push_back('\n');
    from = to < prose.text.size() ? to : 0;
    out.append(lines[line++ % std::size(lines)]);
  }
  out.resize(size);
  return out;
}

void BM_engine_secrets_dense(benchmark::State& state) {
  const std::string input = make_secrets_dense(static_cast<std::size_t>(state.range(1)));
  engine::scanner scanner(catalog());
  engine::scan_result result;
  engine::scan_options options;
  options.injection = state.range(0) == 1;
  options.content = state.range(0) == 1;
  if (scanner.scan(input, result, options) != engine::errc::ok || result.entities.empty()) {
    state.SkipWithError("scan failed or found nothing");
    return;
  }
  for (auto _ : state) {
    const auto e = scanner.scan(input, result, options);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.SetLabel(std::string(state.range(0) == 1 ? "full" : "entities only") + ", " +
                 std::to_string(result.entities.size()) + " findings");
}

// The normalizer's ASCII profile alone (the SIMD kernel that decides whether a block can skip
// normalization), on 64 KiB of prose: args are the kernel (0 sse2, 1 avx2) and the window. Window 272
// is what the normalizer does (a 272-byte profile every 256 bytes); window 0 profiles the whole input
// in one call. Every window's answer is checked against the scalar kernel before timing.
void BM_ascii_profile(benchmark::State& state) {
  const bool avx2 = state.range(0) == 1;
  if (avx2 && !__builtin_cpu_supports("avx2")) {
    state.SkipWithError("no avx2 on this CPU");
    return;
  }
  const auto kernels = avx2 ? engine::detail::avx2_ascii_kernels() : engine::detail::sse2_ascii_kernels();
  const auto reference = engine::detail::scalar_ascii_kernels();
  const auto input = bench::make_input(bench::input_kind::prose, 65536);
  const std::string& text = input.text;
  const std::size_t window = static_cast<std::size_t>(state.range(1));
  const std::size_t step = window == 0 ? text.size() : 256;
  const std::size_t length = window == 0 ? text.size() : window;
  std::size_t suspicious_windows = 0;
  for (std::size_t from = 0; from < text.size(); from += step) {
    const std::size_t n = std::min(text.size() - from, length);
    const auto got = kernels.profile(text.data() + from, n);
    const auto want = reference.profile(text.data() + from, n);
    if (got.ascii != want.ascii || (want.ascii && got.suspicious != want.suspicious)) {
      state.SkipWithError("profile differs from the scalar kernel");
      return;
    }
    suspicious_windows += want.suspicious ? 1 : 0;
  }
  for (auto _ : state) {
    std::size_t suspicious = 0;
    for (std::size_t from = 0; from < text.size(); from += step) {
      const auto got = kernels.profile(text.data() + from, std::min(text.size() - from, length));
      suspicious += got.suspicious ? 1 : 0;
    }
    benchmark::DoNotOptimize(suspicious);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["suspicious_windows"] = static_cast<double>(suspicious_windows);
  state.SetLabel(std::string(kernels.name));
}

// The learned injection scorer (engine/models/injection.model) on prose, normalized text given (the
// scanner's copy): args are the kernel (0 scalar, 1 sse4.1) and the size. Both kernels' window sums are
// checked against each other before timing.
void BM_model_score(benchmark::State& state) {
  std::shared_ptr<const engine::injection_model> model;
  try {
    model = engine::injection_model::load(engine::injection_model::default_model_path());
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  const auto kernel = state.range(0);  // 0 scalar, 1 SSE4.1, 2 AVX2, 3 AVX-512
  if ((kernel == 1 && !__builtin_cpu_supports("sse4.1")) || (kernel == 2 && !__builtin_cpu_supports("avx2")) ||
      (kernel == 3 && !engine::detail::avx512_model_kernel_supported())) {
    state.SkipWithError("the CPU lacks this kernel's instructions");
    return;
  }
  const auto input = bench::make_input(bench::input_kind::prose, static_cast<std::size_t>(state.range(1)));
  const std::string& text = input.text;
  const auto& f = model->features();
  const engine::detail::hash_params hashes(f);
  const engine::detail::window_layout layout{static_cast<std::uint32_t>(text.size()), f.window, f.stride};
  std::string folded;
  const engine::detail::kernel_input in{&hashes, model->weights().data(), f.bucket_bits, text, &folded};
  const auto kernels = kernel == 3   ? engine::detail::avx512_model_kernels()
                       : kernel == 2 ? engine::detail::avx2_model_kernels()
                       : kernel == 1 ? engine::detail::sse41_model_kernels()
                                     : engine::detail::scalar_model_kernels();
  const auto run = [&](const engine::detail::model_kernels& k) {
    engine::detail::window_tracker tracker(layout);
    k.accumulate(in, tracker);
    tracker.finish();
    return tracker.best_value();
  };
  if (run(kernels) != run(engine::detail::scalar_model_kernels())) {
    state.SkipWithError("kernel differs from the scalar reference");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(run(kernels));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.SetLabel(std::string(kernels.name));
}

// One core, in process, on the text the end-to-end `sluice scan` numbers are taken on (the licence
// texts in /usr/share/common-licenses, concatenated: see bench/scan_end_to_end.sh): 1 MiB, the chunk
// `sluice scan` hands each scanner thread, scanned whole. Its bytes/s times the cores is the ceiling
// for `sluice scan --jobs N` on that text.
void BM_engine_scan_licences(benchmark::State& state) {
  std::string text;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/share/common-licenses", ec)) {
    if (entry.is_regular_file()) {
      std::ifstream in(entry.path(), std::ios::binary);
      text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
  }
  if (text.empty()) {
    state.SkipWithError("no /usr/share/common-licenses");
    return;
  }
  const std::string blob = text;
  while (text.size() < (1u << 20)) {
    text += blob;
  }
  std::size_t cut = 1u << 20;
  while ((static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) {
    --cut;
  }
  text.resize(cut);
  engine::scanner scanner(catalog());
  engine::scan_result result;
  if (scanner.scan(text, result) != engine::errc::ok) {
    state.SkipWithError("the scan failed");
    return;
  }
  for (auto _ : state) {
    const auto e = scanner.scan(text, result);
    benchmark::DoNotOptimize(e);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}

void adversarial_sizes(benchmark::internal::Benchmark* b) {
  for (int k = 0; k < 5; ++k) {
    for (int size : {4096, 65536}) {
      b->Args({k, size});
    }
  }
  b->ArgNames({"input", "bytes"});
}

void sizes(benchmark::internal::Benchmark* b) {
  for (int k = 0; k < 4; ++k) {
    for (int size : {256, 4096, 65536, 1 << 20}) {
      b->Args({k, size});
    }
  }
  b->ArgNames({"input", "bytes"});
}

BENCHMARK(BM_engine_scan)->Apply(sizes);
BENCHMARK(BM_engine_entities_only)->Apply(sizes);
BENCHMARK(BM_hyperscan_only)->Apply(sizes);
BENCHMARK(BM_engine_adversarial)->Apply(adversarial_sizes);
BENCHMARK(BM_model_score)->ArgsProduct({{0, 1, 2, 3}, {4096, 65536}})->ArgNames({"kernel", "bytes"});
BENCHMARK(BM_engine_secrets_dense)->ArgsProduct({{0, 1}, {65536}})->ArgNames({"full", "bytes"});
BENCHMARK(BM_engine_scan_licences)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ascii_profile)->ArgsProduct({{0, 1}, {272, 0}})->ArgNames({"kernel", "window"});
#ifdef SLUICE_HAVE_PCRE2
BENCHMARK(BM_pcre2_baseline)->Apply(sizes);
#endif

}  // namespace

BENCHMARK_MAIN();
