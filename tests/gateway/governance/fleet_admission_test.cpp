// Fleet admission against a private redis-server: the governance service asks Redis (through a shard's
// fleet_link on an io_context driven by the test) and settles through the usage writer. Two services
// on one Redis stand for two replicas.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>

#include "governance/governance_service.h"
#include "governance/key_registry.h"
#include "governance/store/fleet_link.h"
#include "governance/usage/usage_ledger.h"
#include "redis_test_server.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {
namespace {

namespace asio = boost::asio;

struct replica {
  explicit replica(const testing::redis_test_server& redis) : service(options(redis)) {
    link = service.make_fleet_link(ioc);
  }
  static governance_options options(const testing::redis_test_server& redis) {
    governance_options o;
    o.require_keys = true;
    o.store_path = redis.url();
    o.usage_flush_interval_ms = 20;
    return o;
  }

  // admit(), then the fleet's verdict, as model_call does; drives the io_context until it is in.
  admission admit(const std::string& secret, std::uint32_t max_tokens = 100) {
    admission_request r;
    r.x_api_key = secret;
    r.client_ip = "127.0.0.1";
    r.endpoint = "/v1/messages";
    r.model = "claude-sim-1";
    r.estimated_input_tokens = 100;
    r.max_tokens = max_tokens;
    admission a = service.admit(r);
    if (a.fleet_check) {
      std::optional<fleet_verdict> verdict;
      asio::co_spawn(ioc, link->admit(a.fleet_request, timer),
                     [&](std::exception_ptr, fleet_verdict v) { verdict = v; });
      while (!verdict) {
        ioc.run_one_for(std::chrono::milliseconds(100));
      }
      service.finish_admission(a, r, *verdict);
    }
    return a;
  }

  asio::io_context ioc;
  asio::steady_timer timer{ioc};
  governance_service service;
  std::unique_ptr<fleet_link> link;
};

std::string new_key(replica& r, std::uint64_t token_budget, std::uint32_t tpm = 0) {
  key_record spec;
  spec.name = "fleet-unit";
  spec.limits.monthly_token_budget = token_budget;
  spec.limits.tokens_per_minute = tpm;
  return r.service.keys().create_key(spec, "test").secret;
}

TEST(FleetAdmission, TwoReplicasShareOneHardBudgetAndAReleaseGivesItBack) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  replica a(redis);
  replica b(redis);
  const std::string secret = new_key(a, 600);  // three reservations of 200 tokens
  b.service.keys().reload_keys();

  admission first = a.admit(secret);
  admission second = b.admit(secret);
  admission third = a.admit(secret);
  ASSERT_TRUE(first.allowed) << first.message;
  ASSERT_TRUE(second.allowed) << second.message;
  ASSERT_TRUE(third.allowed) << third.message;
  const admission fourth = b.admit(secret);
  EXPECT_FALSE(fourth.allowed);
  EXPECT_EQ(fourth.http_status, 429);
  EXPECT_EQ(fourth.error_type, "budget_exceeded");

  // A request refused later in the pipeline (a policy block) releases what it reserved.
  first.held = reservation{};
  a.service.ledger().flush();
  EXPECT_TRUE(b.admit(secret).allowed);

  // A settled request counts what it used (10 tokens), not what it reserved.
  usage_report used;
  used.input_tokens = 4;
  used.output_tokens = 6;
  used.http_status = 200;
  b.service.settle(std::move(second.held), used);
  b.service.ledger().flush();
  EXPECT_TRUE(a.admit(secret, 80).allowed);  // 180 of the 190 given back
}

TEST(FleetAdmission, ATokensPerMinuteLimitIsSharedAndTooLargeARequestIsNamed) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  replica a(redis);
  replica b(redis);
  const std::string secret = new_key(a, 0, 500);
  b.service.keys().reload_keys();
  EXPECT_TRUE(a.admit(secret).allowed);
  EXPECT_TRUE(b.admit(secret).allowed);
  const admission refused = a.admit(secret, 150);  // 250 more than the 100 left
  EXPECT_EQ(refused.http_status, 429);
  EXPECT_NE(refused.message.find("shared by all replicas"), std::string::npos) << refused.message;
  EXPECT_GE(refused.retry_after_seconds, 1u);
  const admission huge = b.admit(secret, 1000);
  EXPECT_NE(huge.message.find("more than the key's limit of 500 tokens per minute"), std::string::npos)
      << huge.message;
}

// Budget alerts (sluice_governance_alerts_total) this replica raised for key `id`.
int budget_alerts(replica& r, const std::string& id) {
  std::string metrics;
  r.service.append_metrics(metrics);
  const std::string line = "sluice_governance_alerts_total{key=\"" + id + "\",kind=\"budget_threshold\"} ";
  const auto at = metrics.find(line);
  return at == std::string::npos ? 0 : std::atoi(metrics.c_str() + at + line.size());
}

TEST(FleetAdmission, ABudgetAlertComesFromTheFleetsTotalOnceForAllReplicas) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  replica a(redis);
  replica b(redis);
  key_record spec;
  spec.name = "alerts";
  spec.limits.monthly_token_budget = 1000;
  spec.limits.hard_budget = false;  // alerts only
  spec.limits.alert_thresholds = {0.5};
  const auto created = a.service.keys().create_key(spec, "test");
  b.service.keys().reload_keys();
  usage_report used;
  used.input_tokens = 100;
  used.output_tokens = 200;  // 300 tokens per request: 30 % of the budget
  used.http_status = 200;
  for (replica* r : {&a, &b}) {
    admission adm = r->admit(created.secret);
    ASSERT_TRUE(adm.allowed) << adm.message;
    r->service.settle(std::move(adm.held), used);
    r->service.ledger().flush();
  }
  // 600 of 1000 for the fleet (each replica alone saw 300): one alert, from the replica that crossed it.
  EXPECT_EQ(budget_alerts(a, created.record.id), 0);
  EXPECT_EQ(budget_alerts(b, created.record.id), 1);
  admission more = a.admit(created.secret);
  a.service.settle(std::move(more.held), used);
  a.service.ledger().flush();
  EXPECT_EQ(budget_alerts(a, created.record.id) + budget_alerts(b, created.record.id), 1);  // not again
}

TEST(FleetAdmission, RedisUnreachableRefusesWith503ByDefault) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  replica a(redis);
  const std::string secret = new_key(a, 1000000);
  ASSERT_TRUE(a.admit(secret).allowed);
  redis.kill();
  admission refused = a.admit(secret);
  if (refused.allowed) {
    refused = a.admit(secret);  // the first may find the dead connection
  }
  EXPECT_EQ(refused.http_status, 503);
  EXPECT_EQ(refused.error_type, "api_error");
  EXPECT_NE(refused.message.find("cannot be reached"), std::string::npos) << refused.message;
  std::string why;
  EXPECT_FALSE(a.service.store_ready(&why));
  EXPECT_NE(why.find("unreachable"), std::string::npos) << why;
}

TEST(FleetAdmission, AHungRedisIsUnavailableAfterTheRequestTimeoutThenRecovers) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  replica a(redis);
  const std::string secret = new_key(a, 1000000);
  ASSERT_TRUE(a.admit(secret).allowed);
  redis.pause();
  const auto start = std::chrono::steady_clock::now();
  const admission hung = a.admit(secret);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(hung.http_status, 503);
  EXPECT_LT(waited, std::chrono::seconds(3));  // the 500 ms request timeout, not forever
  redis.resume();
  admission back;
  for (int i = 0; i < 100 && !back.allowed; ++i) {  // the link reconnects with backoff
    a.ioc.run_for(std::chrono::milliseconds(50));
    back = a.admit(secret);
  }
  EXPECT_TRUE(back.allowed) << back.message;
  EXPECT_TRUE(a.service.store_ready());
}

}  // namespace
}  // namespace sluice::gateway
