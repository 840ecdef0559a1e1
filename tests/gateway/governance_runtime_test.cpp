// The governance: section of the config, and anomaly alerts, as an operator meets them.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "anomaly_detector.h"
#include "governance_test_support.h"
#include "sluice/gateway/governance_runtime.h"

namespace sluice::gateway {
namespace {

TEST(GovernanceConfig, ReadsEverySetting) {
  const auto root = YAML::Load(R"(
governance:
  require_keys: true
  store: /tmp/x.db
  rotation_grace_seconds: 60
  usage_flush_interval_ms: 250
  alert_webhook_url: http://127.0.0.1:9000/hook
  prices:
    - {model: "claude-sonnet-4*", input_per_mtok: 3, output_per_mtok: 15}
  audit: {directory: /tmp/audit, immutable: true, retention_days: 30}
  admin: {listen: "127.0.0.1:0", token_env: MY_TOKEN}
)");
  const auto c = parse_governance_config(root["governance"]);
  EXPECT_TRUE(c.options.require_keys);
  EXPECT_EQ(c.options.store_path, "/tmp/x.db");
  EXPECT_EQ(c.options.rotation_grace_seconds, 60);
  EXPECT_EQ(c.options.usage_flush_interval_ms, 250);
  ASSERT_EQ(c.options.prices.size(), 2u);  // + the catch-all priced like the most expensive model
  EXPECT_EQ(c.options.prices[0].model_glob, "claude-sonnet-4*");
  EXPECT_TRUE(c.audit_enabled);
  EXPECT_EQ(c.audit.retention_days, 30);
  EXPECT_EQ(c.admin_token_env, "MY_TOKEN");
}

TEST(GovernanceConfig, AuditSigningWithoutADirectoryUsesThePolicyLog) {
  ::setenv("SLUICE_TEST_AUDIT_SIGNING_KEY", "signing-key-0123456789abcdef", 1);
  const auto root = YAML::Load(
      "governance:\n  audit: {signing_key_env: SLUICE_TEST_AUDIT_SIGNING_KEY, checkpoint_interval_s: 60}\n");
  const auto c = parse_governance_config(root["governance"]);
  EXPECT_FALSE(c.audit_enabled);  // `sluice admin serve` takes the audit-logger policy's directory
  EXPECT_EQ(c.audit.checkpoint_key, "signing-key-0123456789abcdef");
  EXPECT_EQ(c.audit.checkpoint_interval_ms, 60'000);
  const auto short_key = YAML::Load("governance:\n  audit: {signing_key_env: SLUICE_TEST_SHORT_KEY}\n");
  ::setenv("SLUICE_TEST_SHORT_KEY", "short", 1);
  EXPECT_THROW((void)parse_governance_config(short_key["governance"]), std::invalid_argument);
}

TEST(GovernanceConfig, MistakesNameTheKeyLineAndColumn) {
  const auto root = YAML::Load("governance:\n  require_keys: maybe\n");
  try {
    (void)parse_governance_config(root["governance"]);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("governance.require_keys (line 2, column 17): must be true or false"),
              std::string::npos)
        << e.what();
  }
  const auto typo = YAML::Load("governance:\n  requre_keys: true\n");
  EXPECT_THROW((void)parse_governance_config(typo["governance"]), std::invalid_argument);
  const auto negative = YAML::Load("governance:\n  audit: {directory: x, retention_days: -1}\n");
  EXPECT_THROW((void)parse_governance_config(negative["governance"]), std::invalid_argument);
}

TEST(GovernanceRuntime, WithoutAnAdminTokenTheAdminApiStaysOff) {
  governance_runtime_config c;
  c.admin_token_env = "SLUICE_TEST_TOKEN_THAT_IS_NOT_SET";
  governance_runtime runtime(c);
  EXPECT_EQ(runtime.admin(), nullptr);
  EXPECT_NE(runtime.admin_disabled_reason().find("SLUICE_TEST_TOKEN_THAT_IS_NOT_SET"), std::string::npos);
  EXPECT_TRUE(runtime.access().open_mode());
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
