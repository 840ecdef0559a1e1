// Two gateways (replicas) on one private TLS-only Redis (rediss://, a CA made for the test): a key made
// through one reaches the other (the key watcher over TLS), and a key with a fleet-wide rate limit is
// admitted and then refused by the admission script, which every shard reaches through its TLS tunnel.
// Skipped, saying why, when redis-server or openssl is missing or redis-server has no TLS.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
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

constexpr const char* admin_token = "rediss-admin-token-0123456789ab";

harness_options replica(const testing::redis_test_server& redis) {
  ::setenv("SLUICE_REDISS_TEST_ADMIN_TOKEN", admin_token, 1);
  harness_options o;
  o.threads = 2;
  o.governance = "  require_keys: true\n"
                 "  store:\n"
                 "    url: " + redis.url() + "\n"
                 "    tls:\n"
                 "      ca_file: " + redis.ca_file() + "\n"
                 "  usage_flush_interval_ms: 50\n"
                 "  admin:\n"
                 "    listen: 127.0.0.1:0\n"
                 "    token_env: SLUICE_REDISS_TEST_ADMIN_TOKEN\n";
  return o;
}

http_reply admin_call(harness& h, const std::string& method, const std::string& path, const std::string& body = {}) {
  return testing::http_call(h.server().admin_port(), method, path, body,
                            {{"authorization", std::string("Bearer ") + admin_token}});
}

using testing::json_field;

TEST(GatewayOnRediss, AKeyMadeOnOneReplicaIsLimitedForBothOverTls) {
  testing::redis_test_server redis({}, false, true);
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  harness a(replica(redis));
  harness b(replica(redis));
  ASSERT_NE(a.server().admin_port(), 0) << a.server().admin_status();
  ASSERT_NE(b.server().admin_port(), 0) << b.server().admin_status();

  const auto created = admin_call(a, "POST", "/admin/keys", R"({"name":"tls","limits":{"requests_per_minute":3}})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string secret = json_field(created.body, "secret");
  const std::string id = json_field(created.body, "id");
  // Replica b learns of the key through its watcher's TLS connection.
  const auto deadline = steady_clock::now() + milliseconds(3000);
  while (admin_call(b, "GET", "/admin/keys/" + id).status != 200 && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  ASSERT_EQ(admin_call(b, "GET", "/admin/keys/" + id).status, 200u) << "replica b never saw the key";

  // Three requests fit the fleet's bucket (one minute's worth); the fourth, on either replica, does not.
  EXPECT_EQ(b.post_messages(messages_body("one"), {{"x-api-key", secret}}).status, 200u);
  EXPECT_EQ(a.post_messages(messages_body("two"), {{"x-api-key", secret}}).status, 200u);
  EXPECT_EQ(b.post_messages(messages_body("three"), {{"x-api-key", secret}}).status, 200u);
  const auto refused = a.post_messages(messages_body("four"), {{"x-api-key", secret}});
  EXPECT_EQ(refused.status, 429u) << refused.body;
  EXPECT_NE(refused.body.find("shared by all replicas"), std::string::npos) << refused.body;

  // The fleet's counters are in the TLS server (seen with redis-cli --tls).
  EXPECT_NE(redis.cli("KEYS 'sluice:fleet:*'").find(id), std::string::npos);

  // Redis goes away: limited requests are refused (on_store_failure: closed); once it is back (empty:
  // nothing persisted, so the bucket is full again) the shards' links reconnect through new tunnels.
  redis.kill();
  EXPECT_EQ(b.post_messages(messages_body("down"), {{"x-api-key", secret}}).status, 503u);
  ASSERT_TRUE(redis.restart());
  unsigned status = 0;
  const auto back_by = steady_clock::now() + milliseconds(5000);
  while ((status = b.post_messages(messages_body("back"), {{"x-api-key", secret}}).status) == 503 &&
         steady_clock::now() < back_by) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(status, 200u) << "replica b did not recover after Redis came back";
}

}  // namespace
}  // namespace sluice::gateway
