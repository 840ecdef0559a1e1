// Two gateways (two replicas behind a load balancer) sharing one private Redis as their governance
// store: a key created through one replica's admin API works on the other, a revocation through the
// other is refused by the first within 100 ms, and either replica's /admin/usage reports the fleet.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "gateway_harness.h"
#include "redis_test_server.h"

namespace sluice::gateway {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::harness;
using testing::harness_options;
using testing::http_reply;
using testing::messages_body;

constexpr const char* admin_token = "replica-admin-token-0123456789";

harness_options replica(const testing::redis_test_server& redis) {
  ::setenv("SLUICE_REPLICA_TEST_ADMIN_TOKEN", admin_token, 1);
  harness_options o;
  o.threads = 2;
  o.governance = "  require_keys: true\n"
                 "  store: " + redis.url() + "\n"
                 "  usage_flush_interval_ms: 50\n"
                 "  admin:\n"
                 "    listen: 127.0.0.1:0\n"
                 "    token_env: SLUICE_REPLICA_TEST_ADMIN_TOKEN\n";
  return o;
}

http_reply admin_call(harness& h, const std::string& method, const std::string& path, const std::string& body = {}) {
  return testing::http_call(h.server().admin_port(), method, path, body,
                            {{"authorization", std::string("Bearer ") + admin_token}});
}

using testing::json_field;

// Milliseconds until `h` answers a request with `secret` with `status`; 2000 when it never does.
long long ms_until_status(harness& h, const std::string& secret, unsigned status) {
  const auto start = steady_clock::now();
  while (steady_clock::now() - start < milliseconds(2000)) {
    if (h.post_messages(messages_body("probe"), {{"x-api-key", secret}}).status == status) {
      return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count();
    }
    std::this_thread::sleep_for(milliseconds(1));
  }
  return 2000;
}

TEST(GatewayReplicasOnRedis, KeysMadeOnOneReplicaWorkOnTheOtherAndRevocationsReachItWithin100ms) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  harness a(replica(redis));
  harness b(replica(redis));
  ASSERT_NE(a.server().admin_port(), 0) << a.server().admin_status();
  ASSERT_NE(b.server().admin_port(), 0) << b.server().admin_status();
  std::this_thread::sleep_for(milliseconds(200));  // the watchers subscribe

  const auto created = admin_call(a, "POST", "/admin/keys", R"({"name":"fleet","team":"search"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string secret = json_field(created.body, "secret");
  const std::string id = json_field(created.body, "id");
  const long long seen = ms_until_status(b, secret, 200);
  EXPECT_LE(seen, 100) << "replica b admitted the key created on a after " << seen << " ms";
  EXPECT_EQ(a.post_messages(messages_body("on a"), {{"x-api-key", secret}}).status, 200u);

  // Usage from both replicas, read through either admin API (each flushes its own ledger first; the
  // other's last 50 ms may still be in its ledger, so wait one flush interval).
  std::this_thread::sleep_for(milliseconds(200));
  const auto usage = admin_call(b, "GET", "/admin/usage?group_by=team");
  ASSERT_EQ(usage.status, 200u) << usage.body;
  EXPECT_NE(usage.body.find("\"group\":\"search\",\"requests\":2"), std::string::npos) << usage.body;

  const auto revoked = admin_call(b, "POST", "/admin/keys/" + id + "/revoke");
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  const long long refused = ms_until_status(a, secret, 401);
  EXPECT_LE(refused, 100) << "replica a refused the key revoked on b after " << refused << " ms";
  const auto listed = admin_call(a, "GET", "/admin/keys/" + id);
  EXPECT_NE(listed.body.find("revoked"), std::string::npos) << listed.body;
}

}  // namespace
}  // namespace sluice::gateway
