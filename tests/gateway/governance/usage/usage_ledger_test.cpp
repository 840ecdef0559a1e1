// The usage ledger on its own, over an in-memory store: what is queued reaches the store on flush()
// and on destruction, and refusals without a key show in its metrics.
#include "governance/usage/usage_ledger.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "governance/keys/key_table.h"
#include "governance/store/key_store.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {
namespace {

pending_usage usage_of(std::string_view team, std::uint32_t input, std::uint32_t output) {
  pending_usage u;
  u.ts_ms = 1000;
  u.model.assign("claude-sonnet-4-20250514");
  u.team.assign(team);
  u.project.assign("ranker");
  u.input_tokens = input;
  u.output_tokens = output;
  u.cost_micro_usd = 7;
  u.http_status = 200;
  return u;
}

governance_options slow_writer() {
  governance_options options;
  options.usage_flush_interval_ms = 3'600'000;  // only flush() and the destructor write
  return options;
}

TEST(UsageLedger, FlushWritesEverythingQueuedBeforeIt) {
  const auto store = open_sqlite_store("");
  usage_ledger ledger(*store, slow_writer());
  ledger.enqueue(usage_of("search", 10, 20));
  ledger.enqueue(usage_of("search", 1, 2));
  ledger.enqueue(usage_of("ads", 5, 5));
  ledger.flush();
  const auto by_team = store->usage_by(usage_grouping::team, 0, 2000);
  ASSERT_EQ(by_team.size(), 2u);
  std::uint64_t requests = 0;
  std::uint64_t tokens = 0;
  for (const auto& row : by_team) {
    requests += row.requests;
    tokens += row.input_tokens + row.output_tokens;
  }
  EXPECT_EQ(requests, 3u);
  EXPECT_EQ(tokens, 43u);
}

TEST(UsageLedger, DestroyingTheLedgerWritesWhatIsStillQueued) {
  const auto store = open_sqlite_store("");
  {
    usage_ledger ledger(*store, slow_writer());
    ledger.enqueue(usage_of("search", 3, 4));
  }
  const auto by_model = store->usage_by(usage_grouping::model, 0, 2000);
  ASSERT_EQ(by_model.size(), 1u);
  EXPECT_EQ(by_model[0].group, "claude-sonnet-4-20250514");
  EXPECT_EQ(by_model[0].output_tokens, 4u);
}

TEST(UsageLedger, RefusalsWithoutAKeyAreCountedInItsMetrics) {
  const auto store = open_sqlite_store("");
  usage_ledger ledger(*store, slow_writer());
  ledger.count_keyless_refusal(refusal::missing_key);
  ledger.count_keyless_refusal(refusal::missing_key);
  ledger.enqueue(usage_of("search", 1, 1));
  ledger.flush();
  const auto table = build_key_table({}, nullptr);
  std::string metrics;
  ledger.append_metrics(metrics, *table);
  EXPECT_NE(metrics.find("sluice_refusals_total{key=\"none\",reason=\"missing_key\"} 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("team=\"search\""), std::string::npos) << metrics;
}

}  // namespace
}  // namespace sluice::gateway
