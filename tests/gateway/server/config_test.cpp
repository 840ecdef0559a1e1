// The policy-config file: accepted as users copy it, and every mistake reported with its position.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "gateway_harness.h"
#include "sluice/gateway/config.h"
#include "policies/audit_logger/audit_logger_options.h"
#include "policies/cost_attribution/cost_attribution_options.h"
#include "policies/disclaimer/disclaimer_options.h"
#include "policies/pii_detector/pii_detector_options.h"
#include "policies/policy_registry.h"
#include "policies/prompt_injection/prompt_injection_options.h"

namespace sluice::gateway {
namespace {

const char* issue_example = R"(pack:
  name: claude-for-work-gateway
  version: 1.0.0
  enabled: true
providers:
  targets:
    - id: claude-enterprise
      provider: anthropic:chat:claude-sonnet-4-20250514
      secret_key_ref:
        env: SLUICE_CONFIG_TEST_KEY
policies:
  chain:
    - prompt-injection
    - pii-detector
    - audit-logger
  policy:
    prompt-injection:
      threshold: 0.8
      action: block
    pii-detector:
      action: redact
      entities: [EMAIL, PHONE, SSN, CREDIT_CARD]
    audit-logger:
      immutable: true
      retention_days: 365
      log_all_access: true
)";

class Config : public ::testing::Test {
 protected:
  void SetUp() override { ::setenv("SLUICE_CONFIG_TEST_KEY", "k", 1); }

  static std::vector<config_problem> problems_of(const std::string& yaml, const config_vocabulary& v = {}) {
    try {
      (void)parse_config(yaml, "policy.yaml", v);
    } catch (const config_error& e) {
      return e.problems();
    }
    return {};
  }
};

TEST_F(Config, AcceptsTheDocumentedExampleUnchanged) {
  auto cfg = parse_config(issue_example, "policy.yaml");
  ASSERT_EQ(cfg->targets.size(), 1u);
  const auto& t = cfg->targets[0];
  EXPECT_EQ(t.id, "claude-enterprise");
  EXPECT_EQ(t.provider, "anthropic");
  EXPECT_EQ(t.model, "claude-sonnet-4-20250514");
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.host, "api.anthropic.com");
  EXPECT_EQ(t.port, 443);
  ASSERT_EQ(cfg->chain.size(), 3u);
  EXPECT_EQ(cfg->chain[0].name, "prompt-injection");
  EXPECT_DOUBLE_EQ(options_of<prompt_injection_options>(cfg->chain[0]).threshold, 0.8);
  EXPECT_EQ(options_of<pii_detector_options>(cfg->chain[1]).action, policy_action::redact);
  EXPECT_EQ(options_of<pii_detector_options>(cfg->chain[1]).entities.size(), 4u);
  EXPECT_TRUE(options_of<audit_logger_options>(cfg->chain[2]).log.immutable);
  EXPECT_EQ(options_of<audit_logger_options>(cfg->chain[2]).log.retention_days, 365);
  EXPECT_EQ(cfg->pack.name, "claude-for-work-gateway");
}

TEST_F(Config, ReadsThePhoneRegionOfThePiiDetector) {
  auto cfg = parse_config(issue_example, "policy.yaml");
  EXPECT_EQ(options_of<pii_detector_options>(cfg->chain[1]).phone_region, "US");  // the default
  std::string yaml = issue_example;
  yaml.replace(yaml.find("      action: redact\n"), 21, "      action: redact\n      phone_region: gb\n");
  cfg = parse_config(yaml, "policy.yaml");
  EXPECT_EQ(options_of<pii_detector_options>(cfg->chain[1]).phone_region, "GB");
  yaml.replace(yaml.find("phone_region: gb"), 16, "phone_region: GBR");
  const auto problems = problems_of(yaml);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "policies.policy.pii-detector.phone_region");
}

TEST_F(Config, AcceptsThePolicyMapAtTheTopLevel) {
  std::string yaml = issue_example;
  const auto pos = yaml.find("  policy:\n");
  std::string tail = yaml.substr(pos);
  yaml = yaml.substr(0, pos);
  // Un-indent the policy map by two spaces and put it at the top level.
  std::string top;
  std::size_t start = 0;
  while (start < tail.size()) {
    auto end = tail.find('\n', start);
    std::string line = tail.substr(start, end - start);
    top += line.substr(2) + "\n";
    start = end + 1;
  }
  auto cfg = parse_config(yaml + top, "policy.yaml");
  ASSERT_EQ(cfg->chain.size(), 3u);
  EXPECT_DOUBLE_EQ(options_of<prompt_injection_options>(cfg->chain[0]).threshold, 0.8);
  EXPECT_TRUE(options_of<audit_logger_options>(cfg->chain[2]).log_all_access);
}

TEST_F(Config, UnknownPolicyNameIsAnErrorNamingLineColumnAndKey) {
  std::string yaml = issue_example;
  yaml.replace(yaml.find("    - audit-logger\n"), 19, "    - audit-loger\n");
  auto problems = problems_of(yaml);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0].file, "policy.yaml");
  EXPECT_EQ(problems[0].line, 15);
  EXPECT_EQ(problems[0].column, 7);
  EXPECT_EQ(problems[0].key, "policies.chain[2]");
  EXPECT_NE(problems[0].message.find("unknown policy 'audit-loger'"), std::string::npos);
  EXPECT_NE(problems[0].to_string().find("policy.yaml:15:7: policies.chain[2]:"), std::string::npos);
}

TEST_F(Config, WrongTypesAreErrors) {
  std::string yaml = issue_example;
  yaml.replace(yaml.find("threshold: 0.8"), 14, "threshold: high");
  yaml.replace(yaml.find("retention_days: 365"), 19, "retention_days: [1]");
  auto problems = problems_of(yaml);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].key, "policies.policy.prompt-injection.threshold");
  EXPECT_EQ(problems[0].line, 18);
  EXPECT_EQ(problems[1].key, "policies.policy.audit-logger.retention_days");
}

TEST_F(Config, ThresholdOutsideZeroToOneIsAnError) {
  std::string yaml = issue_example;
  yaml.replace(yaml.find("threshold: 0.8"), 14, "threshold: 8");
  auto problems = problems_of(yaml);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("from 0 to 1"), std::string::npos);
}

TEST_F(Config, MissingSecretIsAnError) {
  ::unsetenv("SLUICE_CONFIG_TEST_KEY");
  auto problems = problems_of(issue_example);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "providers.targets[0].secret_key_ref.env");
  EXPECT_NE(problems[0].message.find("SLUICE_CONFIG_TEST_KEY is not set"), std::string::npos);
}

TEST_F(Config, UnknownKeysAndUnknownEntitiesAreErrors) {
  std::string yaml = issue_example;
  yaml.replace(yaml.find("      action: redact"), 20, "      action: redact\n      colour: blue");
  config_vocabulary v;
  v.entities = {"EMAIL", "PHONE", "SSN"};
  auto problems = problems_of(yaml, v);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].key, "policies.policy.pii-detector.colour");
  EXPECT_NE(problems[1].message.find("unknown entity 'CREDIT_CARD'"), std::string::npos);
}

TEST_F(Config, OptionsForAPolicyOutsideTheChainAreAnError) {
  std::string yaml = issue_example;
  yaml += "    disclaimer:\n      text: hi\n";
  auto problems = problems_of(yaml);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("not in policies.chain"), std::string::npos);
}

TEST_F(Config, ReadsBaseUrlsTimeoutsFallbacksAndPrices) {
  const std::string yaml = R"(providers:
  targets:
    - id: mirror
      provider: anthropic:chat:claude-a
      base_url: http://127.0.0.1:8080/proxy/
      secret_key_ref: {env: SLUICE_CONFIG_TEST_KEY}
      default_max_tokens: 2048
      timeouts: {connect_ms: 100, header_ms: 200, idle_ms: 300, total_ms: 400}
      retry: {max_attempts: 5, backoff_ms: 10, max_backoff_ms: 20}
    - id: anthropic
      base_url: https://[::1]:8443
      secret_key_ref: {env: SLUICE_CONFIG_TEST_KEY}
policies:
  chain: [cost-attribution, disclaimer]
  policy:
    cost-attribution:
      prices:
        claude-a: {input_per_mtok: 3, output_per_mtok: 15}
    disclaimer:
      text: "AI-generated."
)";
  auto cfg = parse_config(yaml, "p.yaml");
  ASSERT_EQ(cfg->targets.size(), 2u);
  const auto& a = cfg->targets[0];
  EXPECT_FALSE(a.tls);
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 8080);
  EXPECT_EQ(a.base_path, "/proxy");
  EXPECT_EQ(a.default_max_tokens, 2048u);
  EXPECT_EQ(a.timeouts.idle.count(), 300);
  EXPECT_EQ(a.retry.max_attempts, 5);
  const auto& b = cfg->targets[1];
  EXPECT_TRUE(b.tls);
  EXPECT_EQ(b.host, "::1");
  EXPECT_EQ(b.port, 8443);
  EXPECT_DOUBLE_EQ(options_of<cost_attribution_options>(cfg->chain[0]).prices.at("claude-a").output_per_mtok, 15);
  EXPECT_EQ(options_of<disclaimer_options>(cfg->chain[1]).text, "AI-generated.");
}

TEST_F(Config, BadBaseUrlAndMissingDisclaimerTextAreErrors) {
  const std::string yaml = R"(providers:
  targets:
    - base_url: ftp://example.com
      secret_key_ref: {env: SLUICE_CONFIG_TEST_KEY}
policies:
  chain: [disclaimer]
)";
  auto problems = problems_of(yaml + "  policy:\n    disclaimer: {}\n");
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].key, "providers.targets[0].base_url");
  EXPECT_EQ(problems[1].key, "policies.policy.disclaimer.text");
}

TEST_F(Config, SecretFilesAreReadWithoutTheTrailingNewline) {
  testing::temp_dir dir;
  const auto file = dir.path / "key";
  std::ofstream(file) << "sk-from-file\n";
  secret_ref ref;
  ref.file = file;
  EXPECT_EQ(read_secret(ref), "sk-from-file");
  std::ofstream(file) << "";
  EXPECT_THROW((void)read_secret(ref), std::runtime_error);
}

TEST_F(Config, ReadsTheGovernanceSection) {
  auto cfg = parse_config(std::string(issue_example) + "governance:\n  require_keys: true\n  store: keys.db\n", "p.yaml");
  EXPECT_TRUE(cfg->governance.enabled);
  EXPECT_TRUE(cfg->governance.require_keys);
  EXPECT_EQ(cfg->governance.store_path, "keys.db");
  EXPECT_FALSE(parse_config(issue_example, "p.yaml")->governance.enabled);
}

TEST_F(Config, ReadsEveryGovernanceSetting) {
  ::setenv("SLUICE_CONFIG_TEST_AUDIT_KEY", "0123456789abcdef0123456789abcdef", 1);
  const std::string yaml = std::string(issue_example) + R"(governance:
  require_keys: true
  usage_flush_ms: 250
  alert_webhook: http://127.0.0.1:9000/alerts
  prices:
    - {model: "claude-sonnet-4*", input_per_mtok: 3, output_per_mtok: 15}
  audit:
    retention_days: 365
    signing_key_env: SLUICE_CONFIG_TEST_AUDIT_KEY
    checkpoint_interval_s: 60
  admin:
    enabled: true
    listen: "[::1]:0"
    token_env: MY_ADMIN_TOKEN
    token_file: /etc/sluice/admin-token
)";
  const auto cfg = parse_config(yaml, "p.yaml");
  const auto& g = cfg->governance;
  EXPECT_EQ(g.usage_flush_interval_ms, 250);
  EXPECT_EQ(g.alert_webhook_url, "http://127.0.0.1:9000/alerts");
  ASSERT_EQ(g.prices.size(), 2u);  // the list, then the catch-all at Opus prices
  EXPECT_EQ(g.prices[0].model_glob, "claude-sonnet-4*");
  EXPECT_DOUBLE_EQ(g.prices[0].output_usd_per_mtok, 15.0);
  EXPECT_EQ(g.prices[1].model_glob, "*");
  EXPECT_TRUE(g.audit.present);
  EXPECT_EQ(g.audit.signing_key.env, "SLUICE_CONFIG_TEST_AUDIT_KEY");
  EXPECT_EQ(g.audit.checkpoint_interval_s, 60);
  EXPECT_TRUE(g.admin.enabled);
  EXPECT_TRUE(g.admin.required);
  EXPECT_EQ(g.admin.listen, "[::1]:0");
  EXPECT_EQ(g.admin.token_env, "MY_ADMIN_TOKEN");
  EXPECT_EQ(g.admin.token_file, "/etc/sluice/admin-token");
}

TEST_F(Config, GovernanceMistakesNameFileLineColumnAndKey) {
  const std::string yaml = std::string(issue_example) + R"(governance:
  prices:
    - {model: "claude-*", input_per_mtok: cheap, output_per_mtok: 15}
    - {model: "claude-haiku*", input_per_mtok: 1}
  audit:
    retention_days: forever
    signing_key_env: SLUICE_CONFIG_TEST_UNSET_KEY
  admin:
    listen: localhost:41003
    tokenfile: x
  alert_webhook_url: https://hooks.example.com/x
)";
  ::unsetenv("SLUICE_CONFIG_TEST_UNSET_KEY");
  const auto problems = problems_of(yaml);
  std::map<std::string, config_problem> by_key;
  for (const auto& p : problems) {
    by_key[p.key] = p;
  }
  // issue_example has 26 lines; the governance section starts on line 27.
  ASSERT_TRUE(by_key.contains("governance.prices[0].input_per_mtok")) << config_error(problems).what();
  EXPECT_EQ(by_key["governance.prices[0].input_per_mtok"].line, 29);
  EXPECT_EQ(by_key["governance.prices[0].input_per_mtok"].column, 43);
  ASSERT_TRUE(by_key.contains("governance.prices[1].output_per_mtok"));
  EXPECT_EQ(by_key["governance.prices[1].output_per_mtok"].message, "missing");
  ASSERT_TRUE(by_key.contains("governance.audit.retention_days"));
  EXPECT_EQ(by_key["governance.audit.retention_days"].line, 32);
  EXPECT_EQ(by_key["governance.audit.retention_days"].column, 21);
  ASSERT_TRUE(by_key.contains("governance.audit.signing_key_env"));
  EXPECT_NE(by_key["governance.audit.signing_key_env"].message.find("SLUICE_CONFIG_TEST_UNSET_KEY"), std::string::npos);
  ASSERT_TRUE(by_key.contains("governance.admin.listen"));
  EXPECT_EQ(by_key["governance.admin.listen"].line, 35);
  EXPECT_NE(by_key["governance.admin.listen"].message.find("not an IP address"), std::string::npos);
  ASSERT_TRUE(by_key.contains("governance.admin.tokenfile"));
  EXPECT_NE(by_key["governance.admin.tokenfile"].message.find("token_file"), std::string::npos);
  ASSERT_TRUE(by_key.contains("governance.alert_webhook_url"));
  EXPECT_EQ(by_key["governance.alert_webhook_url"].line, 37);
  EXPECT_NE(by_key["governance.admin.listen"].to_string().find("policy.yaml:35:13: governance.admin.listen: "),
            std::string::npos)
      << by_key["governance.admin.listen"].to_string();
}

TEST_F(Config, GovernanceAuditMustAgreeWithTheAuditLoggerPolicy) {
  // The issue example's audit-logger keeps 365 days in ./sluice-audit.
  const auto clash = problems_of(std::string(issue_example) +
                                 "governance:\n  audit:\n    directory: /var/log/other\n    retention_days: 30\n");
  ASSERT_EQ(clash.size(), 2u) << config_error(clash).what();
  EXPECT_EQ(clash[0].key, "governance.audit.directory");
  EXPECT_EQ(clash[0].line, 29);
  EXPECT_NE(clash[0].message.find("one audit chain"), std::string::npos);
  EXPECT_EQ(clash[1].key, "governance.audit.retention_days");
  EXPECT_TRUE(problems_of(std::string(issue_example) + "governance:\n  audit:\n    retention_days: 365\n").empty());
  // Without the policy, governance.audit must say where the log goes.
  std::string no_logger = issue_example;
  no_logger.replace(no_logger.find("    - audit-logger\n"), 19, "");
  no_logger = no_logger.substr(0, no_logger.find("    audit-logger:"));
  const auto missing = problems_of(no_logger + "governance:\n  audit:\n    immutable: true\n");
  ASSERT_EQ(missing.size(), 1u) << config_error(missing).what();
  EXPECT_EQ(missing[0].key, "governance.audit.directory");
  EXPECT_NE(missing[0].message.find("missing"), std::string::npos);
}

TEST_F(Config, InvalidYamlNamesItsPosition) {
  auto problems = problems_of("providers: [\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_GT(problems[0].line, 0);
  EXPECT_NE(problems[0].message.find("invalid YAML"), std::string::npos);
}

}  // namespace
}  // namespace sluice::gateway
