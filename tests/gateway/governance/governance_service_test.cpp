// Keys, scopes, limits and budgets as a client of the gateway sees them.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <vector>

#include "governance_test_support.h"
#include "sluice/gateway/audit_log.h"
#include "base/time_util.h"

namespace sluice::gateway {
namespace {

using testing::key_named;
using testing::manual_clock;
using testing::request_with;
using testing::used;

class AccessControl : public ::testing::Test {
 protected:
  AccessControl() : clock_(std::make_shared<manual_clock>(testing::test_start_ms)) {}

  governance_service& controller(governance_options options = {}) {
    options.clock = clock_;
    controller_ = std::make_unique<governance_service>(options);
    return *controller_;
  }
  key_registry& keys() { return controller_->keys(); }
  std::string create(key_record spec) { return keys().create_key(std::move(spec), "test").secret; }

  std::shared_ptr<manual_clock> clock_;
  std::unique_ptr<governance_service> controller_;
};

TEST_F(AccessControl, ValidKeyIsAdmittedWithItsIdentityThroughEitherHeader) {
  auto& c = controller();
  const std::string secret = create(key_named("ranker-prod"));
  auto by_api_key = c.admit(request_with(secret));
  ASSERT_TRUE(by_api_key.allowed) << by_api_key.message;
  EXPECT_EQ(by_api_key.caller.key_name, "ranker-prod");
  EXPECT_EQ(by_api_key.held.caller().team, "search");
  EXPECT_EQ(by_api_key.held.caller().project, "ranker");
  EXPECT_TRUE(by_api_key.held.caller().key_id.starts_with("key_"));

  admission_request bearer = request_with("");
  const std::string header = "Bearer " + secret;
  bearer.authorization = header;
  EXPECT_TRUE(c.admit(bearer).allowed);
  EXPECT_FALSE(c.open_mode());
}

TEST_F(AccessControl, SecretIsShownOnceAndStoredOnlyAsItsHash) {
  controller();
  const auto created = keys().create_key(key_named("a"), "test");
  EXPECT_TRUE(created.secret.starts_with("sk-sluice-"));
  EXPECT_GE(created.secret.size(), 50u);
  const auto stored = keys().find_key(created.record.id);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->secret_sha256.size(), 64u);
  EXPECT_EQ(stored->secret_sha256.find(created.secret), std::string::npos);
  EXPECT_EQ(stored->secret_hint.find(created.secret.substr(14, 20)), std::string::npos);
}

TEST_F(AccessControl, MissingKeyIs401OnceKeysExist) {
  auto& c = controller();
  create(key_named("a"));
  const auto a = c.admit(request_with(""));
  EXPECT_FALSE(a.allowed);
  EXPECT_EQ(a.http_status, 401);
  EXPECT_EQ(a.error_type, "authentication_error");
  EXPECT_EQ(a.reason, refusal::missing_key);
  EXPECT_NE(a.message.find("sk-sluice-"), std::string::npos);
}

TEST_F(AccessControl, UnknownKeyIs401) {
  auto& c = controller();
  create(key_named("a"));
  const auto a = c.admit(request_with("sk-sluice-notarealkeyatallnotarealkeyatall0000000"));
  EXPECT_EQ(a.http_status, 401);
  EXPECT_EQ(a.reason, refusal::unknown_key);
}

TEST_F(AccessControl, UpstreamProviderKeyIsNotAcceptedAsASluiceKey) {
  auto& c = controller();
  create(key_named("a"));
  const auto a = c.admit(request_with("sk-ant-api03-something"));
  EXPECT_EQ(a.http_status, 401);
  EXPECT_NE(a.message.find("not a Sluice key"), std::string::npos);
}

TEST_F(AccessControl, BadSluiceKeyIsRefusedEvenInOpenMode) {
  auto& c = controller();
  EXPECT_TRUE(c.open_mode());
  EXPECT_TRUE(c.admit(request_with("")).allowed);
  EXPECT_TRUE(c.admit(request_with("sk-ant-dummy")).allowed);
  EXPECT_EQ(c.admit(request_with("sk-sluice-wrong")).http_status, 401);
}

TEST_F(AccessControl, RevokedKeyIs401) {
  auto& c = controller();
  const auto created = keys().create_key(key_named("a"), "test");
  ASSERT_TRUE(keys().revoke_key(created.record.id, "test"));
  const auto a = c.admit(request_with(created.secret));
  EXPECT_EQ(a.http_status, 401);
  EXPECT_EQ(a.reason, refusal::revoked_key);
  EXPECT_EQ(a.caller.key_id, created.record.id);
}

TEST_F(AccessControl, ExpiredKeyIs401) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.expires_at_ms = testing::test_start_ms + 60'000;
  const std::string secret = create(spec);
  EXPECT_TRUE(c.admit(request_with(secret)).allowed);
  clock_->advance_ms(60'000);
  const auto a = c.admit(request_with(secret));
  EXPECT_EQ(a.http_status, 401);
  EXPECT_EQ(a.reason, refusal::expired_key);
  EXPECT_NE(a.message.find("expired"), std::string::npos);
}

TEST_F(AccessControl, ModelOutsideScopeIs403) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.allowed_models = {"claude-haiku-*", "claude-3-5-haiku-*"};
  const std::string secret = create(spec);
  EXPECT_TRUE(c.admit(request_with(secret, "claude-haiku-4-5")).allowed);
  const auto a = c.admit(request_with(secret, "claude-opus-4-1"));
  EXPECT_EQ(a.http_status, 403);
  EXPECT_EQ(a.error_type, "permission_error");
  EXPECT_EQ(a.reason, refusal::model_not_allowed);
  EXPECT_NE(a.message.find("claude-opus-4-1"), std::string::npos);
}

TEST_F(AccessControl, EndpointOutsideScopeIs403) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.allowed_endpoints = {"/v1/messages"};
  const std::string secret = create(spec);
  auto r = request_with(secret);
  EXPECT_TRUE(c.admit(r).allowed);
  r.endpoint = "/v1/chat/completions";
  const auto a = c.admit(r);
  EXPECT_EQ(a.http_status, 403);
  EXPECT_EQ(a.reason, refusal::endpoint_not_allowed);
}

TEST_F(AccessControl, AddressOutsideAllowlistIs403ForIpv4AndIpv6) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.ip_allowlist = {"10.0.0.0/8", "2001:db8::/32"};
  const std::string secret = create(spec);
  auto r = request_with(secret);
  for (const char* inside : {"10.1.2.3", "2001:db8:ffff::1", "::ffff:10.9.9.9"}) {
    r.client_ip = inside;
    EXPECT_TRUE(c.admit(r).allowed) << inside;
  }
  for (const char* outside : {"11.0.0.1", "2001:db9::1", "127.0.0.1", "not-an-ip", ""}) {
    r.client_ip = outside;
    const auto a = c.admit(r);
    EXPECT_EQ(a.http_status, 403) << outside;
    EXPECT_EQ(a.reason, refusal::ip_not_allowed) << outside;
  }
}

TEST_F(AccessControl, AllowlistRefusalShowsTheClientItsAddressAndTheLogOnlyItsNetwork) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.ip_allowlist = {"10.0.0.0/8"};
  const std::string secret = create(spec);
  auto r = request_with(secret);
  const struct {
    const char* address;
    const char* network;
  } cases[] = {{"11.0.0.77", "11.0.0.0/24"}, {"::ffff:11.0.0.77", "11.0.0.0/24"}, {"2001:db9:1:2::5", "2001:db9:1::/48"}};
  for (const auto& each : cases) {
    r.client_ip = each.address;
    const auto a = c.admit(r);
    EXPECT_EQ(a.http_status, 403);
    EXPECT_NE(a.message.find(each.address), std::string::npos) << a.message;  // the client's own address
    EXPECT_NE(a.logged_message.find(each.network), std::string::npos) << a.logged_message;
    EXPECT_EQ(a.logged_message.find("0.77"), std::string::npos) << a.logged_message;
    EXPECT_EQ(a.logged_message.find("::5"), std::string::npos) << a.logged_message;
  }
  r.client_ip = "not-an-ip";
  const auto unparsed = c.admit(r);
  EXPECT_EQ(unparsed.logged_message.find("not-an-ip"), std::string::npos) << unparsed.logged_message;
}

TEST_F(AccessControl, TokenBudgetRefusalSaysWhatIsLeftAndWhatTheRequestMayUse) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.monthly_token_budget = 500;
  const std::string secret = create(spec);
  auto first = c.admit(request_with(secret));
  ASSERT_TRUE(first.allowed);
  c.settle(std::move(first.held), used(200, 170));  // 370 of 500 used
  auto r = request_with(secret);
  r.estimated_input_tokens = 63;
  r.max_tokens = 100;  // may use up to 163, more than the 130 left
  const auto refused = c.admit(r);
  EXPECT_EQ(refused.http_status, 429);
  EXPECT_EQ(refused.error_type, "budget_exceeded");
  EXPECT_NE(refused.message.find("monthly token budget of 500 tokens has 130 left (370 used or reserved)"),
            std::string::npos) << refused.message;
  EXPECT_NE(refused.message.find("this request may use up to 163"), std::string::npos) << refused.message;
  EXPECT_NE(refused.message.find("lower max_tokens"), std::string::npos) << refused.message;
  EXPECT_EQ(refused.message.find("exhausted"), std::string::npos) << refused.message;
  r.max_tokens = 60;  // 123 fits
  EXPECT_TRUE(c.admit(r).allowed);
}

TEST_F(AccessControl, UsdBudgetRefusalSaysWhatIsLeftInDollars) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.monthly_usd_budget = 0.01;
  const std::string secret = create(spec);
  auto r = request_with(secret, "claude-sonnet-4-20250514");  // $3 / $15 per Mtok
  r.estimated_input_tokens = 1000;  // $0.003
  r.max_tokens = 400;               // $0.006
  const auto held = c.admit(r);
  ASSERT_TRUE(held.allowed);
  const auto refused = c.admit(r);
  EXPECT_NE(refused.message.find("monthly budget of $0.01 has $0.001 left ($0.009 used or reserved)"),
            std::string::npos) << refused.message;
  EXPECT_NE(refused.message.find("may cost up to $0.009"), std::string::npos) << refused.message;
}

TEST_F(AccessControl, OldSecretPastItsRotationGraceHasItsOwnReason) {
  auto& c = controller();
  const auto created = keys().create_key(key_named("a"), "test");
  ASSERT_TRUE(keys().rotate_key(created.record.id, 0, "test"));
  const auto a = c.admit(request_with(created.secret));
  EXPECT_EQ(a.http_status, 401);
  EXPECT_EQ(a.error_type, "authentication_error");
  EXPECT_EQ(a.reason, refusal::rotated_secret);
  EXPECT_NE(a.message.find("replaced by a rotation"), std::string::npos) << a.message;
  EXPECT_NE(a.message.find(created.record.id), std::string::npos) << a.message;
  EXPECT_EQ(c.admit(request_with("sk-sluice-not-a-key-at-all")).reason, refusal::unknown_key);
  std::string metrics;
  c.append_metrics(metrics);
  EXPECT_NE(metrics.find("reason=\"rotated_secret\"} 1"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("sluice_refusals_total{key=\"none\",reason=\"unknown_key\"} 1"), std::string::npos) << metrics;
}

TEST_F(AccessControl, InvalidKeySettingsAreRejectedWithAReason) {
  controller();
  auto spec = key_named("a");
  spec.ip_allowlist = {"10.0.0.0/33"};
  EXPECT_THROW(create(spec), std::invalid_argument);
  auto unnamed = key_named("");
  EXPECT_THROW(create(unnamed), std::invalid_argument);
  auto thresholds = key_named("t");
  thresholds.limits.alert_thresholds = {0.9, 0.5};
  EXPECT_THROW(create(thresholds), std::invalid_argument);
}

TEST_F(AccessControl, RequestsPerMinuteLimitIs429WithRetryAfterThenRecovers) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.requests_per_minute = 3;
  const std::string secret = create(spec);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(c.admit(request_with(secret)).allowed) << i;
  }
  const auto a = c.admit(request_with(secret));
  EXPECT_EQ(a.http_status, 429);
  EXPECT_EQ(a.error_type, "rate_limit_error");
  EXPECT_EQ(a.reason, refusal::rate_limited);
  EXPECT_GE(a.retry_after_seconds, 1u);
  EXPECT_LE(a.retry_after_seconds, 20u);  // one request refills in 60/3 s
  clock_->advance_ms(a.retry_after_seconds * 1000LL);
  EXPECT_TRUE(c.admit(request_with(secret)).allowed);
}

TEST_F(AccessControl, TokensPerMinuteLimitIs429AndTooLargeARequestSaysSo) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.tokens_per_minute = 250;  // each test request may use 100
  const std::string secret = create(spec);
  // Held, not dropped: a dropped reservation gives its tokens back.
  auto first = c.admit(request_with(secret));
  auto second = c.admit(request_with(secret));
  EXPECT_TRUE(first.allowed && second.allowed);
  EXPECT_EQ(c.admit(request_with(secret)).http_status, 429);
  auto big = request_with(secret);
  big.max_tokens = 4096;
  const auto a = c.admit(big);
  EXPECT_EQ(a.http_status, 429);
  EXPECT_NE(a.message.find("lower max_tokens"), std::string::npos);
}

TEST_F(AccessControl, SettlingWithLessThanReservedGivesTokensPerMinuteBack) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.tokens_per_minute = 150;
  const std::string secret = create(spec);
  auto first = c.admit(request_with(secret));
  ASSERT_TRUE(first.allowed);
  EXPECT_FALSE(c.admit(request_with(secret)).allowed);
  usage_report used;
  used.input_tokens = 10;
  used.output_tokens = 5;
  c.settle(std::move(first.held), used);
  EXPECT_TRUE(c.admit(request_with(secret)).allowed);
}

TEST_F(AccessControl, HardTokenBudgetIs429BudgetExceeded) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.monthly_token_budget = 250;
  const std::string secret = create(spec);
  auto a1 = c.admit(request_with(secret));
  auto a2 = c.admit(request_with(secret));
  ASSERT_TRUE(a1.allowed && a2.allowed);
  const auto refused = c.admit(request_with(secret));
  EXPECT_EQ(refused.http_status, 429);
  EXPECT_EQ(refused.error_type, "budget_exceeded");
  EXPECT_EQ(refused.reason, refusal::budget_exceeded);
  // retry-after points at the start of next month (2026-04-01).
  const std::int64_t to_april = (timeutil::from_civil(2026, 4, 1) - testing::test_start_ms) / 1000;
  EXPECT_NEAR(static_cast<double>(refused.retry_after_seconds), static_cast<double>(to_april), 2.0);
  // Settling below the reservation frees budget.
  usage_report small;
  small.input_tokens = 10;
  small.output_tokens = 10;
  c.settle(std::move(a1.held), small);
  EXPECT_TRUE(c.admit(request_with(secret)).allowed);
}

TEST_F(AccessControl, HardUsdBudgetRefusesWhatCouldCostMoreThanIsLeft) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.monthly_usd_budget = 0.01;  // $0.01
  const std::string secret = create(spec);
  auto r = request_with(secret, "claude-sonnet-4-20250514");  // $3 / $15 per Mtok
  r.estimated_input_tokens = 1000;  // $0.003
  r.max_tokens = 400;               // $0.006
  const auto held = c.admit(r);
  EXPECT_TRUE(held.allowed);
  const auto refused = c.admit(r);
  EXPECT_EQ(refused.error_type, "budget_exceeded");
  EXPECT_NE(refused.message.find("$"), std::string::npos);
}

TEST_F(AccessControl, SoftBudgetAdmitsAndRecordsThresholdAlerts) {
  testing::temp_dir dir;
  audit_options ao;
  ao.directory = dir.path();
  ao.clock = clock_;
  auto audit = std::make_shared<audit_log>(ao);
  governance_options options;
  options.audit = audit;
  auto& c = controller(options);
  auto spec = key_named("a");
  spec.limits.monthly_token_budget = 150;
  spec.limits.hard_budget = false;
  const std::string secret = create(spec);
  for (int i = 0; i < 3; ++i) {
    auto a = c.admit(request_with(secret));
    ASSERT_TRUE(a.allowed) << i;
    usage_report u;
    u.input_tokens = 50;
    u.output_tokens = 10;
    c.settle(std::move(a.held), u);
  }
  controller_->ledger().flush();
  audit->flush();
  std::string text;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    std::ifstream in(entry.path());
    text.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(text.find("\"type\":\"alert.budget\""), std::string::npos);
  EXPECT_NE(text.find("\"threshold\":0.8"), std::string::npos);
  EXPECT_NE(text.find("\"threshold\":1"), std::string::npos);
  EXPECT_EQ(text.find(secret), std::string::npos);
}

TEST_F(AccessControl, DroppingAReservationReleasesItsBudget) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.monthly_token_budget = 100;
  const std::string secret = create(spec);
  {
    auto a = c.admit(request_with(secret));
    ASSERT_TRUE(a.allowed);
    EXPECT_FALSE(c.admit(request_with(secret)).allowed);
  }  // blocked by a later policy: never settled
  EXPECT_TRUE(c.admit(request_with(secret)).allowed);
}

TEST_F(AccessControl, BudgetStartsAfreshInANewMonth) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.monthly_token_budget = 100;
  const std::string secret = create(spec);
  auto a = c.admit(request_with(secret));
  c.settle(std::move(a.held), used(50, 50));
  EXPECT_FALSE(c.admit(request_with(secret)).allowed);
  clock_->set_ms(timeutil::from_civil(2026, 4, 1) + 1000);
  EXPECT_TRUE(c.admit(request_with(secret)).allowed);
}

TEST_F(AccessControl, RotatedSecretWorksDuringGraceAndNotAfter) {
  governance_options options;
  options.rotation_grace_seconds = 600;
  auto& c = controller(options);
  const auto created = keys().create_key(key_named("a"), "test");
  const auto rotated = keys().rotate_key(created.record.id, std::nullopt, "test");
  ASSERT_TRUE(rotated);
  EXPECT_NE(rotated->secret, created.secret);
  EXPECT_TRUE(c.admit(request_with(created.secret)).allowed);
  EXPECT_TRUE(c.admit(request_with(rotated->secret)).allowed);
  clock_->advance_ms(599'000);
  EXPECT_TRUE(c.admit(request_with(created.secret)).allowed);
  clock_->advance_ms(1'000);
  const auto a = c.admit(request_with(created.secret));
  EXPECT_EQ(a.http_status, 401);
  EXPECT_NE(a.message.find("grace period ended at"), std::string::npos) << a.message;
  EXPECT_EQ(a.reason, refusal::rotated_secret);
  EXPECT_TRUE(c.admit(request_with(rotated->secret)).allowed);
}

TEST_F(AccessControl, RotationGraceCanBeChosenPerRotation) {
  auto& c = controller();
  const auto created = keys().create_key(key_named("a"), "test");
  const auto rotated = keys().rotate_key(created.record.id, 0, "test");
  ASSERT_TRUE(rotated);
  EXPECT_FALSE(c.admit(request_with(created.secret)).allowed);
  EXPECT_TRUE(c.admit(request_with(rotated->secret)).allowed);
}

TEST_F(AccessControl, LimitsAndBudgetsSurviveAnUpdateOfTheKey) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.limits.requests_per_minute = 2;
  const auto created = keys().create_key(spec, "test");
  EXPECT_TRUE(c.admit(request_with(created.secret)).allowed);
  EXPECT_TRUE(c.admit(request_with(created.secret)).allowed);
  auto changed = created.record;
  changed.description = "now with a description";
  ASSERT_TRUE(keys().update_key(created.record.id, changed, "test"));
  EXPECT_FALSE(c.admit(request_with(created.secret)).allowed);  // counters were not reset
}

TEST_F(AccessControl, BudgetsContinueAfterARestartFromTheStore) {
  testing::temp_dir dir;
  governance_options options;
  options.store_path = dir.file("sluice.db");
  std::string secret;
  {
    auto& c = controller(options);
    auto spec = key_named("a");
    spec.limits.monthly_token_budget = 300;
    secret = create(spec);
    auto a = c.admit(request_with(secret));
    c.settle(std::move(a.held), used(100, 150));
    controller_.reset();  // final flush
  }
  auto& c = controller(options);
  EXPECT_EQ(keys().budget_used(keys().list_keys().front().id).first, 250u);
  EXPECT_FALSE(c.admit(request_with(secret)).allowed);  // 250 used + 100 reserved > 300
}

TEST_F(AccessControl, MetricsShowRequestsTokensAndRefusalsPerKey) {
  auto& c = controller();
  auto spec = key_named("a");
  spec.allowed_models = {"claude-haiku-*"};
  const auto created = keys().create_key(spec, "test");
  auto a = c.admit(request_with(created.secret, "claude-haiku-4-5"));
  c.settle(std::move(a.held), used(7, 3, "pii-detector:redact"));
  (void)c.admit(request_with(created.secret, "claude-opus-4-1"));
  controller_->ledger().flush();
  std::string text;
  c.append_metrics(text);
  EXPECT_NE(text.find("sluice_key_requests_total{key=\"" + created.record.id +
                      "\",team=\"search\",model=\"claude-haiku-4-5\",status=\"2xx\"} 1"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("direction=\"input\"} 7"), std::string::npos);
  EXPECT_NE(text.find("reason=\"model_not_allowed\"} 1"), std::string::npos);
  EXPECT_NE(text.find("sluice_policy_verdicts_total{policy=\"pii-detector\",action=\"redact\"} 1"), std::string::npos);
}

TEST_F(AccessControl, UsageIsRecordedInTheStoreGroupedByTeamAndModel) {
  auto& c = controller();
  const std::string secret = create(key_named("a"));
  for (int i = 0; i < 3; ++i) {
    auto a = c.admit(request_with(secret));
    c.settle(std::move(a.held), used(10, 20));
  }
  controller_->ledger().flush();
  const auto by_team = keys().store().usage_by(usage_grouping::team, 0, testing::test_start_ms + 1000);
  ASSERT_EQ(by_team.size(), 1u);
  EXPECT_EQ(by_team[0].group, "search");
  EXPECT_EQ(by_team[0].requests, 3u);
  EXPECT_EQ(by_team[0].output_tokens, 60u);
  const auto by_model = keys().store().usage_by(usage_grouping::model, 0, testing::test_start_ms + 1000);
  ASSERT_EQ(by_model.size(), 1u);
  EXPECT_EQ(by_model[0].group, "claude-sonnet-4-20250514");
}

}  // namespace
}  // namespace sluice::gateway
