// Two governance services (two gateway replicas) on one private Redis: a key created or revoked
// through one is admitted or refused by the other within the 100 ms, through the store's
// pub/sub watch (no restart, no polling by the test beyond asking admit()).
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "governance_test_support.h"
#include "redis_test_server.h"

namespace sluice::gateway {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// How long `pred` took to become true, polling every ms; `limit` when it never did.
template <typename Pred>
milliseconds time_until(Pred pred, milliseconds limit = milliseconds(2000)) {
  const auto start = steady_clock::now();
  while (steady_clock::now() - start < limit) {
    if (pred()) {
      return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return limit;
}

governance_options replica_options(const testing::redis_test_server& redis) {
  governance_options options;
  options.store_path = redis.url();
  options.require_keys = true;
  return options;
}

TEST(RedisKeyWatch, AKeyCreatedOnOneReplicaWorksOnAnotherAndARevocationReachesItWithin100ms) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  governance_service replica_a(replica_options(redis));
  governance_service replica_b(replica_options(redis));
  // Let b's watcher subscribe (it resyncs on subscribing, so even a change before that is not lost;
  // this only keeps the measurement about pub/sub, not about start-up).
  std::this_thread::sleep_for(milliseconds(200));

  const auto created = replica_a.keys().create_key(testing::key_named("fleet"), "test");
  EXPECT_TRUE(replica_a.admit(testing::request_with(created.secret)).allowed);
  const milliseconds seen = time_until([&] { return replica_b.admit(testing::request_with(created.secret)).allowed; });
  EXPECT_LE(seen.count(), 100) << "replica b admitted the new key after " << seen.count() << " ms";

  ASSERT_TRUE(replica_b.keys().revoke_key(created.record.id, "test").has_value());
  EXPECT_FALSE(replica_b.admit(testing::request_with(created.secret)).allowed);
  const milliseconds refused = time_until([&] {
    const auto a = replica_a.admit(testing::request_with(created.secret));
    return !a.allowed && a.reason == refusal::revoked_key;
  });
  EXPECT_LE(refused.count(), 100) << "replica a refused the revoked key after " << refused.count() << " ms";
}

TEST(RedisKeyWatch, AnUpdateMadeElsewhereChangesTheKeysScopeHere) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  governance_service replica_a(replica_options(redis));
  const auto created = replica_a.keys().create_key(testing::key_named("scoped"), "test");
  governance_service replica_b(replica_options(redis));  // starts with the key already in Redis
  EXPECT_TRUE(replica_b.admit(testing::request_with(created.secret)).allowed);

  key_record narrower = created.record;
  narrower.allowed_models = {"claude-haiku-*"};
  ASSERT_TRUE(replica_a.keys().update_key(created.record.id, narrower, "test").has_value());
  const milliseconds took = time_until([&] {
    return replica_b.admit(testing::request_with(created.secret, "claude-sonnet-4-20250514")).reason ==
           refusal::model_not_allowed;
  });
  EXPECT_LE(took.count(), 100) << took.count() << " ms";
}

TEST(RedisKeyWatch, AReplicaStartedWhileRedisHoldsKeysAdmitsThem) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  std::string secret;
  {
    governance_service first(replica_options(redis));
    secret = first.keys().create_key(testing::key_named("kept"), "test").secret;
  }
  governance_service restarted(replica_options(redis));
  EXPECT_TRUE(restarted.admit(testing::request_with(secret)).allowed);
}

}  // namespace
}  // namespace sluice::gateway
