// What Hyperscan alone costs for the words the injection and content signatures are screened by, with
// nothing of ours around it: the floor under the main database's speed on clean prose.
//
// The signature parts (prefilter_derivation.h) are plain word alternations; this collects every distinct
// word of them and compiles the words as caseless literals, one expression each, into a database of
// their own. The scan's callback only counts. Four sets, over the same prose as BM_engine_scan:
//   words:0  every part word;
//   words:1  only the words that never occur in the text (so no match is reported: the literal
//            matcher's own cost for a vocabulary of this size);
//   words:2  only those of at least 8 bytes (the same matcher with fewer, longer literals, for scale);
//   words:3  for each branch of each signature, only the words of its one part that occurs least in the
//            text: the fewest literals any sound screening made of these parts could use on this text.
#include <benchmark/benchmark.h>

#include <hs/hs.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "bench_inputs.h"
#include "compile/prefilter_derivation.h"
#include "sluice/engine/ruleset.h"
#include "text/ascii_text.h"

namespace {

using namespace sluice;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), engine::detail::to_lower);
  return s;
}

std::size_t occurrences(const std::string& text_lower, const std::string& word) {
  std::size_t n = 0;
  for (std::size_t at = text_lower.find(word); at != std::string::npos; at = text_lower.find(word, at + 1)) {
    ++n;
  }
  return n;
}

// Every part word (least_present == false), or per branch only the words of its part with the fewest
// occurrences in `text_lower`.
std::set<std::string> part_words(const std::string& text_lower, bool least_present) {
  engine::compile_options options;
  options.cache_dir = engine::ruleset::default_cache_dir();
  const auto rules = engine::ruleset::load(engine::ruleset::default_rules_dir(), options);
  std::set<std::string> words;
  for (const auto& r : rules->rules()) {
    if (r.kind != engine::rule_kind::injection && r.kind != engine::rule_kind::content) {
      continue;
    }
    const auto plan = engine::detail::signature_prefilter(r);
    if (!plan) {
      continue;
    }
    for (const auto& branch : plan->branches) {
      std::vector<std::string> best;
      std::size_t best_count = SIZE_MAX;
      for (const auto& part : branch) {
        std::vector<std::string> these = engine::detail::plain_part_words(part);
        for (auto& w : these) w = lower(w);
        if (!least_present) {
          words.insert(these.begin(), these.end());
          continue;
        }
        std::size_t count = 0;
        for (const auto& w : these) count += occurrences(text_lower, w);
        if (!these.empty() && count < best_count) {
          best = these;
          best_count = count;
        }
      }
      words.insert(best.begin(), best.end());
    }
  }
  return words;
}

void BM_part_words(benchmark::State& state) {
  const std::string text = bench::make_input(bench::input_kind::prose, 65536).text;
  const std::string text_lower = lower(text);
  std::vector<std::string> chosen;
  for (const auto& w : part_words(text_lower, state.range(0) == 3)) {
    const bool absent = text_lower.find(w) == std::string::npos;
    if (state.range(0) == 0 || state.range(0) == 3 || (absent && (state.range(0) == 1 || w.size() >= 8))) {
      chosen.push_back(w);
    }
  }
  // Hyperscan takes patterns, not literals: escape everything that is not a letter or digit.
  std::vector<std::string> patterns;
  for (const auto& w : chosen) {
    std::string p;
    for (const unsigned char c : w) {
      static const char hex[] = "0123456789abcdef";
      if (engine::detail::is_alnum(static_cast<char>(c))) {
        p.push_back(static_cast<char>(c));
      } else {
        p += "\\x";
        p.push_back(hex[c >> 4]);
        p.push_back(hex[c & 15]);
      }
    }
    patterns.push_back(p);
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    exprs.push_back(patterns[i].c_str());
    flags.push_back(HS_FLAG_CASELESS);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                       nullptr, &db, &err) != HS_SUCCESS) {
    state.SkipWithError(err != nullptr ? err->message : "compile failed");
    hs_free_compile_error(err);
    return;
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  std::size_t matches = 0;
  const auto count = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
    ++*static_cast<std::size_t*>(ctx);
    return 0;
  };
  hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, count, &matches);
  const std::size_t matches_per_scan = matches;
  for (auto _ : state) {
    hs_scan(db, text.data(), static_cast<unsigned>(text.size()), 0, scratch, count, &matches);
  }
  benchmark::DoNotOptimize(matches);
  hs_free_scratch(scratch);
  hs_free_database(db);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["literals"] = static_cast<double>(chosen.size());
  state.counters["matches"] = static_cast<double>(matches_per_scan);
}

BENCHMARK(BM_part_words)->ArgName("words")->Arg(0)->Arg(1)->Arg(2)->Arg(3);

}  // namespace

BENCHMARK_MAIN();
