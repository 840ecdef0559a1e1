// The policy registry: every shipped policy is found by its configuration name, in the order the
// metrics and error messages list them; unknown names give the configuration error they always gave;
// each policy's options are read by the policy's own parser.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "sluice/gateway/config.h"
#include "base/config_reader.h"
#include "policies/content_filter/content_filter_options.h"
#include "policies/pii_detector/pii_detector_options.h"
#include "policies/policy_registry.h"
#include "policies/prompt_injection/prompt_injection_options.h"

namespace sluice::gateway {
namespace {

// The shipped policies in registry order: policy ids 0…5, the rows of sluice_policy_verdicts_total.
const std::vector<std::string> shipped = {"prompt-injection", "pii-detector",     "content-filter",
                                          "audit-logger",     "cost-attribution", "disclaimer"};
const std::string known = "prompt-injection, pii-detector, content-filter, audit-logger, cost-attribution, disclaimer";

const char* target = R"(providers:
  targets:
    - id: t
      provider: anthropic:chat:claude-sonnet-4-20250514
      secret_key_ref:
        env: SLUICE_REGISTRY_TEST_KEY
)";

std::vector<config_problem> problems_of(const std::string& yaml) {
  ::setenv("SLUICE_REGISTRY_TEST_KEY", "k", 1);
  try {
    (void)parse_config(yaml, "policy.yaml");
  } catch (const config_error& e) {
    return e.problems();
  }
  return {};
}

TEST(PolicyRegistry, EveryShippedPolicyIsRegisteredInTheDocumentedOrder) {
  ASSERT_GE(policy_registry::all().size(), shipped.size());
  for (std::size_t i = 0; i < shipped.size(); ++i) {
    const policy_descriptor* policy = policy_registry::find(shipped[i]);
    ASSERT_NE(policy, nullptr) << shipped[i];
    EXPECT_EQ(policy->name, shipped[i]);
    EXPECT_TRUE(policy->parse_options) << shipped[i];
    EXPECT_TRUE(policy->make_factory) << shipped[i];
    ASSERT_TRUE(policy_registry::id_of(shipped[i]).has_value());
    EXPECT_EQ(*policy_registry::id_of(shipped[i]), i) << shipped[i];
    EXPECT_EQ(policy_registry::name_of(static_cast<policy_id>(i)), shipped[i]);
  }
  EXPECT_EQ(policy_registry::known_names(), known);
}

TEST(PolicyRegistry, OnlyTheResponseCheckingPoliciesHaveStreamHooks) {
  for (const auto& name : shipped) {
    const bool streams = name == "pii-detector" || name == "content-filter";
    EXPECT_EQ(static_cast<bool>(policy_registry::find(name)->make_stream_hook), streams) << name;
  }
}

TEST(PolicyRegistry, ANameRegisteredTwiceIsAProgrammingError) {
  const std::size_t before = policy_registry::all().size();
  policy_descriptor again;
  again.name = "pii-detector";
  EXPECT_THROW(policy_registry::add(std::move(again)), std::logic_error);
  EXPECT_EQ(policy_registry::all().size(), before);
}

TEST(PolicyRegistry, UnknownNamesAreRejectedWithTheSameMessage) {
  EXPECT_EQ(policy_registry::find("audit-loger"), nullptr);
  EXPECT_FALSE(policy_registry::id_of("audit-loger").has_value());
  EXPECT_EQ(policy_registry::name_of(200), "unknown");

  auto in_chain = problems_of(std::string(target) + "policies:\n  chain: [pii-detector, audit-loger]\n");
  ASSERT_EQ(in_chain.size(), 1u);
  EXPECT_EQ(in_chain[0].key, "policies.chain[1]");
  EXPECT_EQ(in_chain[0].message, "unknown policy 'audit-loger' (known: " + known + ")");

  auto in_options = problems_of(std::string(target) +
                                "policies:\n  chain: [pii-detector]\n  policy:\n    pii-detectr: {action: block}\n");
  ASSERT_EQ(in_options.size(), 1u);
  EXPECT_EQ(in_options[0].key, "policies.policy.pii-detectr");
  EXPECT_EQ(in_options[0].message, "unknown policy 'pii-detectr' (known: " + known + ")");
}

TEST(PolicyRegistry, OptionsAreReadByThePolicysOwnParser) {
  const config_vocabulary vocabulary;
  config_reader reader("policy.yaml", vocabulary);
  const policy_descriptor* injection = policy_registry::find("prompt-injection");
  ASSERT_NE(injection, nullptr);
  const auto options =
      injection->parse_options(YAML::Load("{threshold: 0.5, action: flag}"), "policies.policy.prompt-injection",
                               reader, nullptr);
  EXPECT_TRUE(reader.problems().empty());
  const auto* read = dynamic_cast<const prompt_injection_options*>(options.get());
  ASSERT_NE(read, nullptr);
  EXPECT_DOUBLE_EQ(read->threshold, 0.5);
  EXPECT_EQ(read->action, policy_action::flag);

  // No section: the policy's defaults, of its own type.
  const auto defaults = policy_registry::find("content-filter")->parse_options(YAML::Node(), "k", reader, nullptr);
  const auto* content = dynamic_cast<const content_filter_options*>(defaults.get());
  ASSERT_NE(content, nullptr);
  EXPECT_EQ(content->action, policy_action::block);
  EXPECT_TRUE(content->responses);
  EXPECT_TRUE(reader.problems().empty());
}

TEST(PolicyRegistry, BadOptionsAreReportedByThePolicysParserAtTheirKey) {
  const config_vocabulary vocabulary;
  config_reader reader("policy.yaml", vocabulary);
  const auto options = policy_registry::find("prompt-injection")
                           ->parse_options(YAML::Load("{threshold: 2, action: redact, colour: red}"),
                                           "policies.policy.prompt-injection", reader, nullptr);
  ASSERT_EQ(reader.problems().size(), 3u);
  EXPECT_EQ(reader.problems()[0].key, "policies.policy.prompt-injection.colour");
  EXPECT_EQ(reader.problems()[1].key, "policies.policy.prompt-injection.threshold");
  EXPECT_EQ(reader.problems()[1].message, "expected a number from 0 to 1, got 2");
  EXPECT_EQ(reader.problems()[2].key, "policies.policy.prompt-injection.action");
  EXPECT_EQ(reader.problems()[2].message, "unknown action 'redact' (expected block, flag)");
  // The defaults stand where a value was wrong.
  const auto& read = dynamic_cast<const prompt_injection_options&>(*options);
  EXPECT_DOUBLE_EQ(read.threshold, 0.8);
  EXPECT_EQ(read.action, policy_action::block);
}

TEST(PolicyRegistry, LoadedConfigurationsHoldEachPolicysOwnOptions) {
  ::setenv("SLUICE_REGISTRY_TEST_KEY", "k", 1);
  // Options given under policies.policy and again at the top level: the second reads over the first.
  const auto cfg = parse_config(std::string(target) +
                                    "policies:\n  chain: [pii-detector]\n  policy:\n"
                                    "    pii-detector: {action: block, fail_open: true}\n"
                                    "policy:\n  pii-detector: {entities: [EMAIL]}\n",
                                "policy.yaml");
  ASSERT_EQ(cfg->chain.size(), 1u);
  EXPECT_EQ(cfg->chain[0].name, "pii-detector");
  EXPECT_TRUE(cfg->chain[0].fail_open);
  const auto& pii = options_of<pii_detector_options>(cfg->chain[0]);
  EXPECT_EQ(pii.action, policy_action::block);
  EXPECT_EQ(pii.entities, std::set<std::string>{"EMAIL"});
  EXPECT_THROW((void)options_of<content_filter_options>(cfg->chain[0]), std::logic_error);
  EXPECT_EQ(cfg->find("pii-detector"), &cfg->chain[0]);
  EXPECT_EQ(cfg->find("content-filter"), nullptr);
}

}  // namespace
}  // namespace sluice::gateway
