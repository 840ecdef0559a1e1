// The `governance:` section read by the governance folder's own parser, straight from a YAML node
// (the loader's part, file positions and the audit-logger agreement, is config_test's).
#include "governance/governance_config.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::gateway {
namespace {

struct parsed {
  governance_config config;
  std::vector<config_problem> problems;
};

parsed parse_section(const std::string& yaml) {
  parsed out;
  const config_vocabulary vocabulary;  // empty: the governance section names no entities
  config_reader reader("g.yaml", vocabulary);
  parse_governance_config(reader, YAML::Load(yaml), out.config);
  out.problems = reader.problems();
  return out;
}

TEST(GovernanceSection, ReadsEverySetting) {
  const auto p = parse_section(R"(
require_keys: true
store: /var/lib/sluice/keys.db
rotation_grace_seconds: 60
usage_flush_interval_ms: 250
alert_webhook_url: http://127.0.0.1:9000/alerts
anomaly_detection: false
prices: [{model: "claude-haiku-*", input_per_mtok: 1, output_per_mtok: 5}]
admin: {enabled: true, listen: "[::1]:41003", token_env: MY_ADMIN_TOKEN}
)");
  ASSERT_TRUE(p.problems.empty()) << p.problems.front().to_string();
  const governance_config& g = p.config;
  EXPECT_TRUE(g.enabled);
  EXPECT_TRUE(g.require_keys);
  EXPECT_EQ(g.store_path, "/var/lib/sluice/keys.db");
  EXPECT_EQ(g.rotation_grace_seconds, 60);
  EXPECT_EQ(g.usage_flush_interval_ms, 250);
  EXPECT_EQ(g.alert_webhook_url, "http://127.0.0.1:9000/alerts");
  EXPECT_FALSE(g.anomaly_detection);
  ASSERT_EQ(g.prices.size(), 2u);  // the given price, then the catch-all at the top price
  EXPECT_EQ(g.prices[0].model_glob, "claude-haiku-*");
  EXPECT_EQ(g.prices[1].model_glob, "*");
  EXPECT_TRUE(g.admin.enabled);
  EXPECT_TRUE(g.admin.required);
  EXPECT_EQ(g.admin.listen, "[::1]:41003");
  EXPECT_EQ(g.admin.token_env, "MY_ADMIN_TOKEN");
  EXPECT_FALSE(g.audit.present);
}

TEST(GovernanceSection, AnEmptySectionTurnsGovernanceOnWithDefaults) {
  const auto p = parse_section("~");
  EXPECT_TRUE(p.problems.empty());
  EXPECT_TRUE(p.config.enabled);
  EXPECT_FALSE(p.config.require_keys);
  EXPECT_TRUE(p.config.prices.empty());
}

TEST(GovernanceSection, EveryMistakeIsReportedWithItsKey) {
  const auto p = parse_section(R"(
require_keys: maybe
rotation_grace_seconds: -1
alert_webhook_url: https://example.com/hook
admin: {listen: "localhost:41003"}
prices: [{model: "*", input_per_mtok: 1}]
shiny: true
)");
  std::vector<std::string> keys;
  for (const auto& problem : p.problems) {
    keys.push_back(problem.key);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"governance.shiny", "governance.require_keys",
                                            "governance.rotation_grace_seconds", "governance.alert_webhook_url",
                                            "governance.prices[0].output_per_mtok", "governance.admin.listen"}));
}

TEST(GovernanceSection, StoreFailureModeAndReplicaId) {
  const auto p = parse_section("on_store_failure: local\nreplica_id: gw-1.eu\n");
  ASSERT_TRUE(p.problems.empty()) << p.problems.front().to_string();
  EXPECT_EQ(p.config.on_store_failure, "local");
  EXPECT_EQ(p.config.replica_id, "gw-1.eu");
  EXPECT_EQ(parse_section("~").config.on_store_failure, "closed");

  const auto bad = parse_section("on_store_failure: open\nreplica_id: ../other\n");
  ASSERT_EQ(bad.problems.size(), 2u);
  EXPECT_EQ(bad.problems[0].key, "governance.on_store_failure");
  EXPECT_NE(bad.problems[0].message.find("closed"), std::string::npos) << bad.problems[0].message;
  EXPECT_EQ(bad.problems[1].key, "governance.replica_id");
}

TEST(GovernanceSection, RedisOverTlsIsCheckedAtLoad) {
  // Nothing listens on port 1: the load error names the store and the rediss:// address.
  const auto p = parse_section("store: rediss://127.0.0.1:1/0\n");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].key, "governance.store");
  EXPECT_NE(p.problems[0].message.find("rediss://127.0.0.1:1"), std::string::npos) << p.problems[0].message;
  EXPECT_NE(p.problems[0].message.find("cannot connect"), std::string::npos) << p.problems[0].message;
}

}  // namespace
}  // namespace sluice::gateway
