// The governance: section of the config, and anomaly alerts, as an operator meets them.
#include <gtest/gtest.h>

#include "governance/usage/anomaly_detector.h"
#include "governance_test_support.h"
#include "redis_test_server.h"
#include "sluice/gateway/config.h"
#include "sluice/gateway/governance_stack.h"

namespace sluice::gateway {
namespace {

// `sluice admin serve --config FILE` reads the gateway's file with config_scope::governance: the
// governance section and the policies, checked exactly as `sluice gateway run` checks them.
std::shared_ptr<const gateway_config> admin_serve_config(const std::string& yaml) {
  return parse_config(yaml, "gateway.yaml", {}, config_scope::governance);
}

// What `sluice admin serve` prints for a config error: every problem with file, line, column and key.
std::vector<config_problem> admin_serve_problems(const std::string& yaml) {
  try {
    (void)admin_serve_config(yaml);
  } catch (const config_error& e) {
    return e.problems();
  }
  return {};
}

TEST(GovernanceConfig, AdminServeReadsEverySettingTheGatewayReads) {
  // A whole gateway file: its upstream key variable is not set, and admin serve does not need it.
  const auto cfg = admin_serve_config(R"(
providers:
  targets:
    - id: main
      provider: anthropic:chat:claude-sonnet-4-20250514
      secret_key_ref: {env: SLUICE_TEST_UPSTREAM_KEY_THAT_IS_NOT_SET}
server: {max_body_bytes: 1000}
governance:
  require_keys: true
  store: /tmp/x.db
  rotation_grace_seconds: 60
  usage_flush_ms: 250
  alert_webhook_url: http://127.0.0.1:9000/hook
  prices:
    - {model: "claude-sonnet-4*", input_per_mtok: 3, output_per_mtok: 15}
  audit: {directory: /tmp/audit, immutable: true, retention_days: 30}
  admin: {listen: "127.0.0.1:0", token_env: MY_TOKEN}
)");
  const governance_options o = governance_options_of(cfg->governance);
  EXPECT_TRUE(o.require_keys);
  EXPECT_EQ(o.store_path, "/tmp/x.db");
  EXPECT_EQ(o.rotation_grace_seconds, 60);
  EXPECT_EQ(o.usage_flush_interval_ms, 250);
  EXPECT_EQ(o.alert_webhook_url, "http://127.0.0.1:9000/hook");
  ASSERT_EQ(o.prices.size(), 2u);  // + the catch-all priced like the most expensive model
  EXPECT_EQ(o.prices[0].model_glob, "claude-sonnet-4*");
  const audit_options a = audit_options_of(*cfg);
  EXPECT_EQ(a.directory, "/tmp/audit");
  EXPECT_EQ(a.retention_days, 30);
  EXPECT_EQ(cfg->governance.admin.token_env, "MY_TOKEN");
  EXPECT_TRUE(cfg->targets.empty());  // providers are the gateway's business
  // The gateway itself refuses the same file: its upstream key is missing.
  EXPECT_THROW((void)parse_config(R"(providers: {targets: [{id: m, provider: anthropic, secret_key_ref: {env: SLUICE_TEST_UPSTREAM_KEY_THAT_IS_NOT_SET}}]})", "g.yaml"), config_error);
}

TEST(GovernanceConfig, AuditSigningWithoutADirectoryUsesThePolicyLog) {
  ::setenv("SLUICE_TEST_AUDIT_SIGNING_KEY", "signing-key-0123456789abcdef", 1);
  const auto cfg = admin_serve_config(R"(
policies:
  chain: [audit-logger]
  policy:
    audit-logger: {directory: /tmp/policy-audit, retention_days: 7}
governance:
  audit: {signing_key_env: SLUICE_TEST_AUDIT_SIGNING_KEY, checkpoint_interval_s: 60}
)");
  const audit_options a = audit_options_of(*cfg);
  EXPECT_EQ(a.directory, "/tmp/policy-audit");  // the log the gateway writes
  EXPECT_EQ(a.retention_days, 7);
  EXPECT_EQ(a.checkpoint_key, "signing-key-0123456789abcdef");
  EXPECT_EQ(a.checkpoint_interval_ms, 60'000);
  ::setenv("SLUICE_TEST_SHORT_KEY", "short", 1);
  const auto short_key = admin_serve_problems("governance:\n  audit: {directory: x, signing_key_env: SLUICE_TEST_SHORT_KEY}\n");
  ASSERT_EQ(short_key.size(), 1u);
  EXPECT_EQ(short_key[0].key, "governance.audit.signing_key_env");
  // Without the policy, governance.audit must name the directory, as for the gateway.
  const auto no_dir = admin_serve_problems("governance:\n  audit: {retention_days: 3}\n");
  ASSERT_EQ(no_dir.size(), 1u);
  EXPECT_EQ(no_dir[0].key, "governance.audit.directory");
}

TEST(GovernanceConfig, WithARedisStoreEachReplicaWritesItsOwnAuditChain) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  const auto named = admin_serve_config("governance:\n  store: " + redis.url() +
                                        "\n  replica_id: gw-2\n  audit: {directory: /var/log/sluice/audit}\n");
  EXPECT_EQ(audit_options_of(*named).directory, "/var/log/sluice/audit/gw-2");
  const auto by_host = admin_serve_config("governance:\n  store: " + redis.url() +
                                          "\n  audit: {directory: /var/log/sluice/audit}\n");
  EXPECT_EQ(audit_options_of(*by_host).directory, "/var/log/sluice/audit/" + replica_id_of(by_host->governance));
  EXPECT_FALSE(replica_id_of(by_host->governance).empty());
  // One process (SQLite): the directory as configured.
  const auto single = admin_serve_config("governance:\n  replica_id: gw-2\n  audit: {directory: /var/log/sluice/audit}\n");
  EXPECT_EQ(audit_options_of(*single).directory, "/var/log/sluice/audit");
}

TEST(GovernanceConfig, AdminServeMistakesNameTheFileLineColumnAndKey) {
  const auto bad_bool = admin_serve_problems("governance:\n  require_keys: maybe\n");
  ASSERT_EQ(bad_bool.size(), 1u);
  EXPECT_EQ(bad_bool[0].to_string(), "gateway.yaml:2:17: governance.require_keys: expected true or false");
  const auto typo = admin_serve_problems("governance:\n  requre_keys: true\n");
  ASSERT_EQ(typo.size(), 1u);
  EXPECT_EQ(typo[0].key, "governance.requre_keys");
  EXPECT_EQ(typo[0].line, 2);
  EXPECT_EQ(typo[0].column, 3);
  // Every problem is reported, not only the first.
  const auto several = admin_serve_problems(
      "governance:\n  audit: {directory: x, retention_days: -1}\n  admin: {listen: localhost:41003}\n");
  ASSERT_EQ(several.size(), 2u);
  EXPECT_EQ(several[0].key, "governance.audit.retention_days");
  EXPECT_EQ(several[0].line, 2);
  EXPECT_EQ(several[1].key, "governance.admin.listen");
  EXPECT_EQ(several[1].line, 3);
}

TEST(GovernanceStack, WithoutAnAdminTokenTheAdminApiStaysOff) {
  gateway_config c;
  c.governance.admin.token_env = "SLUICE_TEST_TOKEN_THAT_IS_NOT_SET";
  governance_stack stack(c);
  EXPECT_EQ(stack.admin(), nullptr);
  EXPECT_NE(stack.admin_disabled_reason().find("SLUICE_TEST_TOKEN_THAT_IS_NOT_SET"), std::string::npos);
  EXPECT_TRUE(stack.service().open_mode());
  EXPECT_EQ(stack.audit(), nullptr);  // no audit-logger policy, no governance.audit
}

// `enabled: true` written out means the admin API must run: `sluice admin serve` and `sluice gateway run`
// (both start it through start_admin_listener) refuse to start without a token instead of warning.
TEST(GovernanceStack, AnAdminApiMarkedRequiredWithoutATokenIsAStartUpError) {
  gateway_config c;
  c.governance.admin.token_env = "SLUICE_TEST_TOKEN_THAT_IS_NOT_SET";
  c.governance.admin.required = true;
  try {
    governance_stack stack(c);
    FAIL() << "expected a start-up error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("governance.admin.enabled is true"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("SLUICE_TEST_TOKEN_THAT_IS_NOT_SET"), std::string::npos) << e.what();
  }
}

TEST(AnomalyDetector, UsageAboveTwiceTheBaselineRaisesOneAlertPerMinute) {
  anomaly_detector detector;
  std::vector<anomaly> found;
  const std::int64_t start = testing::test_start_ms;
  for (int minute = 0; minute < 30; ++minute) {
    for (int i = 0; i < 5; ++i) {
      detector.observe("k", start + minute * 60'000 + i * 1000, 100, nullptr, found);
    }
  }
  EXPECT_TRUE(found.empty());
  for (int i = 0; i < 40; ++i) {
    detector.observe("k", start + 30 * 60'000 + i * 100, 100, nullptr, found);
  }
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "usage_spike");
  EXPECT_NE(found[0].detail.find("moving average"), std::string::npos);
}

TEST(AnomalyDetector, NewAddressIsReportedMasked) {
  anomaly_detector detector;
  std::vector<anomaly> found;
  ip_bytes a{}, b{};
  ASSERT_TRUE(parse_ip("10.1.2.3", a));
  ASSERT_TRUE(parse_ip("203.0.113.77", b));
  detector.observe("k", testing::test_start_ms, 10, &a, found);
  detector.observe("k", testing::test_start_ms + 1, 10, &a, found);
  EXPECT_TRUE(found.empty());  // the first address is the baseline, not an alert
  detector.observe("k", testing::test_start_ms + 2, 10, &b, found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, "new_ip");
  EXPECT_NE(found[0].detail.find("203.0.113.0/24"), std::string::npos);
  EXPECT_EQ(found[0].detail.find("203.0.113.77"), std::string::npos);
}

TEST(AnomalyDetector, ActivityAtAnUnusualHourIsReported) {
  anomaly_detector detector;
  std::vector<anomaly> found;
  // 200 requests between 12:00 and 13:00 UTC, then one at 03:00 the next day.
  for (int i = 0; i < 200; ++i) {
    detector.observe("k", testing::test_start_ms + i * 15'000, 10, nullptr, found);
  }
  found.clear();
  detector.observe("k", testing::test_start_ms + 15 * 3'600'000, 10, nullptr, found);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.back().kind, "unusual_hour");
}

}  // namespace
}  // namespace sluice::gateway
