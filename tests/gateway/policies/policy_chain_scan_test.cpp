// What a configured chain asks the scanner for: requests get everything its policies read; whole
// answers only what a policy checks in them (prompt-injection is request-side, so an answer is never
// scanned for signatures or scored by the model; a policy with `responses: false` adds nothing).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "gateway_harness.h"
#include "policies/policy_chain.h"
#include "sluice/gateway/config.h"

namespace sluice::gateway {
namespace {

std::unique_ptr<policy_chain> chain_of(const std::string& policies) {
  ::setenv("SLUICE_CHAIN_SCAN_TEST_KEY", "k", 1);
  const auto cfg = parse_config(
      "providers:\n  targets:\n    - id: t\n      provider: anthropic:chat:claude-sonnet-4-20250514\n"
      "      secret_key_ref:\n        env: SLUICE_CHAIN_SCAN_TEST_KEY\npolicies:\n" + policies,
      "chain.yaml");
  return std::make_unique<policy_chain>(*cfg, policy_environment{testing::test_rules()});
}

TEST(PolicyChainScan, AnswersAreNeverScannedForInjection) {
  const auto chain = chain_of("  chain: [prompt-injection, pii-detector, content-filter]\n");
  EXPECT_TRUE(chain->scan_options().injection);
  EXPECT_TRUE(chain->scan_options().entities);
  EXPECT_TRUE(chain->scan_options().content);
  ASSERT_TRUE(chain->scans_responses());
  const auto& answer = chain->response_scan_options();
  EXPECT_FALSE(answer.injection);
  EXPECT_EQ(answer.model, nullptr);
  EXPECT_TRUE(answer.entities);
  EXPECT_TRUE(answer.content);
}

TEST(PolicyChainScan, APolicyWithResponsesOffAddsNothingToTheAnswerScan) {
  struct expectation {
    const char* policy_off;
    bool entities;
    bool content;
  };
  for (const expectation& e : {expectation{"content-filter", true, false}, expectation{"pii-detector", false, true}}) {
    const auto chain = chain_of(std::string("  chain: [pii-detector, content-filter]\n  policy:\n    ") + e.policy_off +
                                ": {responses: false}\n");
    ASSERT_TRUE(chain->scans_responses()) << e.policy_off;
    EXPECT_EQ(chain->response_scan_options().entities, e.entities) << e.policy_off;
    EXPECT_EQ(chain->response_scan_options().content, e.content) << e.policy_off;
  }
}

TEST(PolicyChainScan, AChainWithOnlyRequestSidePoliciesScansNoAnswer) {
  const auto chain = chain_of(
      "  chain: [prompt-injection, pii-detector]\n  policy:\n"
      "    pii-detector: {responses: false}\n");
  EXPECT_TRUE(chain->scans_anything());
  EXPECT_FALSE(chain->scans_responses());
}

TEST(PolicyChainScan, ResponseScansKeepTheRequestsValidatorSettings) {
  const auto chain = chain_of("  chain: [pii-detector]\n  policy:\n    pii-detector: {phone_region: DE}\n");
  EXPECT_EQ(chain->response_scan_options().validators.default_region[0], 'D');
  EXPECT_EQ(chain->response_scan_options().validators.default_region[1], 'E');
}

}  // namespace
}  // namespace sluice::gateway
