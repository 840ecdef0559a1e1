// Three gateways (replicas behind a load balancer) on one private Redis: a key's hard budget and rate
// limit hold for the three together under concurrent load, and when Redis dies mid-run the replicas
// refuse limited keys with a 503 naming the store (on_store_failure: closed) or fall back to their own
// limits (local), then recover when it is back without losing any usage.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

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

constexpr const char* admin_token = "fleet-admin-token-0123456789abcd";

harness_options replica(const testing::redis_test_server& redis, const std::string& on_failure = "closed") {
  ::setenv("SLUICE_FLEET_TEST_ADMIN_TOKEN", admin_token, 1);
  harness_options o;
  o.threads = 2;
  o.governance = "  require_keys: true\n"
                 "  store: " + redis.url() + "\n"
                 "  on_store_failure: " + on_failure + "\n"
                 "  usage_flush_interval_ms: 50\n"
                 "  admin:\n"
                 "    listen: 127.0.0.1:0\n"
                 "    token_env: SLUICE_FLEET_TEST_ADMIN_TOKEN\n";
  return o;
}

struct fleet {
  explicit fleet(const testing::redis_test_server& redis, const std::string& on_failure = "closed") {
    for (int i = 0; i < 3; ++i) {
      replicas.push_back(std::make_unique<harness>(replica(redis, on_failure)));
    }
  }
  harness& operator[](std::size_t i) { return *replicas[i]; }
  std::vector<std::unique_ptr<harness>> replicas;
};

http_reply admin_call(harness& h, const std::string& method, const std::string& path, const std::string& body = {}) {
  return testing::http_call(h.server().admin_port(), method, path, body,
                            {{"authorization", std::string("Bearer ") + admin_token}});
}

using testing::json_field;

std::uint64_t json_number_after(const std::string& json, std::size_t from, const std::string& name) {
  const auto at = json.find("\"" + name + "\":", from);
  return at == std::string::npos ? 0 : std::strtoull(json.c_str() + at + name.size() + 3, nullptr, 10);
}

struct created {
  std::string id;
  std::string secret;
};

// Creates a key through replica `on` and waits until every replica of `f` knows it (pub/sub: within
// 100 ms, see gateway_replicas_redis_test).
created create_key(fleet& f, std::size_t on, const std::string& limits) {
  const auto r = admin_call(f[on], "POST", "/admin/keys", R"({"name":"fleet","limits":)" + limits + "}");
  EXPECT_EQ(r.status, 201u) << r.body;
  const created key{json_field(r.body, "id"), json_field(r.body, "secret")};
  const auto deadline = steady_clock::now() + milliseconds(2000);
  for (auto& h : f.replicas) {
    while (admin_call(*h, "GET", "/admin/keys/" + key.id).status != 200 && steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(2));
    }
  }
  return key;
}

// The fleet's usage of key `id` (requests, tokens) as any replica's admin API reports it.
std::pair<std::uint64_t, std::uint64_t> fleet_usage(harness& h, const std::string& id) {
  const auto r = admin_call(h, "GET", "/admin/usage?group_by=key");
  EXPECT_EQ(r.status, 200u) << r.body;
  const auto at = r.body.find("\"group\":\"" + id + "\"");
  if (at == std::string::npos) {
    return {0, 0};
  }
  return {json_number_after(r.body, at, "requests"),
          json_number_after(r.body, at, "input_tokens") + json_number_after(r.body, at, "output_tokens")};
}

// Sends `total` requests with `secret`, spread over the replicas by `clients` concurrent clients (a
// client sticks to one replica, as a load balancer's connection would). Returns the replies' statuses.
// The simulator answers it with a 400-character reply (about 160 tokens used of the ~630 reserved), so a
// budget of 40 reservations runs out within 200 requests once settlements give back the difference.
const std::string long_answer = "SIM_REPLY=" + std::string(400, 'a');

std::vector<unsigned> load(fleet& f, const std::string& secret, int total, int clients) {
  std::vector<unsigned> statuses(static_cast<std::size_t>(total), 0);
  std::atomic<int> next{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      harness& h = f[static_cast<std::size_t>(c) % f.replicas.size()];
      for (int i = next++; i < total; i = next++) {
        statuses[static_cast<std::size_t>(i)] = h.post_messages(messages_body(long_answer), {{"x-api-key", secret}}).status;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return statuses;
}

long count(const std::vector<unsigned>& statuses, unsigned status) {
  return std::count(statuses.begin(), statuses.end(), status);
}

// The fleet's usage of `id` once it reaches `requests` (every replica's writer has flushed), or as it
// stands after 2 s.
std::pair<std::uint64_t, std::uint64_t> usage_when_flushed(harness& h, const std::string& id, long requests) {
  const auto deadline = steady_clock::now() + milliseconds(2000);
  auto usage = fleet_usage(h, id);
  while (usage.first < static_cast<std::uint64_t>(requests) && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(10));
    usage = fleet_usage(h, id);
  }
  return usage;
}

void wait_for_usage_flush() { std::this_thread::sleep_for(milliseconds(250)); }

TEST(FleetLimitsOnRedis, AHardBudgetIsNeverOverrunByThreeReplicasTogether) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  fleet f(redis);
  // One request reserves its body size (the input estimate) plus max_tokens; the budget holds 40 of them.
  const std::uint64_t reservation = messages_body(long_answer).size() + 64;
  const std::uint64_t budget = 40 * reservation;
  for (int round = 0; round < 20; ++round) {
    const created key = create_key(f, round % 3, R"({"monthly_token_budget":)" + std::to_string(budget) + "}");
    const auto statuses = load(f, key.secret, 200, 12);
    const long admitted = count(statuses, 200);
    EXPECT_GE(admitted, 40) << "round " << round;  // at least the 40 the budget holds at worst
    EXPECT_EQ(admitted + count(statuses, 429), 200)
        << "round " << round << ": " << count(statuses, 503) << " x 503, " << count(statuses, 401) << " x 401";
    const auto [requests, tokens] = usage_when_flushed(f[(round + 1) % 3], key.id, admitted);
    EXPECT_EQ(requests, static_cast<std::uint64_t>(admitted)) << "round " << round;
    EXPECT_LE(tokens, budget) << "round " << round << ": the fleet used more than the hard budget";
    EXPECT_GT(count(statuses, 429), 0) << "round " << round << ": the budget never ran out";
  }
}

TEST(FleetLimitsOnRedis, ARateLimitHoldsForThreeReplicasTogether) {
  testing::redis_test_server redis;
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  fleet f(redis);
  const created key = create_key(f, 0, R"({"requests_per_minute":30})");
  const auto start = steady_clock::now();
  const auto statuses = load(f, key.secret, 120, 12);
  const double seconds = std::chrono::duration<double>(steady_clock::now() - start).count();
  const long admitted = count(statuses, 200);
  // The bucket holds one minute (30) and refills at 30 per minute while the test runs.
  EXPECT_GE(admitted, 30);
  EXPECT_LE(admitted, 30 + static_cast<long>(seconds * 30 / 60) + 1) << "over " << seconds << " s";
  EXPECT_EQ(admitted + count(statuses, 429), 120);
  const auto refused = f[1].post_messages(messages_body("again"), {{"x-api-key", key.secret}});
  EXPECT_EQ(refused.status, 429u);
  EXPECT_NE(refused.body.find("shared by all replicas"), std::string::npos) << refused.body;
  EXPECT_FALSE(refused.header("retry-after").empty());
}

// Redis dies mid-run and comes back (with its append-only file, as a production Redis would).
TEST(FleetLimitsOnRedis, RedisDownRefusesLimitedKeysThenRecoversWithoutLosingUsage) {
  testing::redis_test_server redis("", true);
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  fleet f(redis);
  const created limited = create_key(f, 0, R"({"monthly_token_budget":100000000,"requests_per_minute":100000})");
  const created open_key = create_key(f, 0, R"({})");
  long limited_ok = 0;
  long open_ok = 0;
  auto send_round = [&](unsigned expect_limited) {
    for (int i = 0; i < 3; ++i) {
      const auto a = f[static_cast<std::size_t>(i)].post_messages(messages_body("x"), {{"x-api-key", limited.secret}});
      EXPECT_EQ(a.status, expect_limited) << a.body;
      limited_ok += a.status == 200;
      const auto b = f[static_cast<std::size_t>(i)].post_messages(messages_body("y"), {{"x-api-key", open_key.secret}});
      EXPECT_EQ(b.status, 200u) << b.body;
      open_ok += b.status == 200;
    }
  };
  send_round(200);
  wait_for_usage_flush();
  redis.kill();
  // The first request may find the connection still open and learn of the failure itself.
  (void)f[0].post_messages(messages_body("x"), {{"x-api-key", limited.secret}});
  std::this_thread::sleep_for(milliseconds(100));
  const auto refused = f[1].post_messages(messages_body("x"), {{"x-api-key", limited.secret}});
  EXPECT_EQ(refused.status, 503u);
  EXPECT_NE(refused.body.find("cannot be reached"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("on_store_failure"), std::string::npos) << refused.body;
  const auto not_ready = testing::http_call(f[2].port(), "GET", "/readyz");
  EXPECT_EQ(not_ready.status, 503u) << not_ready.body;
  EXPECT_NE(not_ready.body.find("unreachable"), std::string::npos) << not_ready.body;
  // Keys without fleet limits keep working; their usage waits for Redis.
  for (int i = 0; i < 3; ++i) {
    const auto b = f[static_cast<std::size_t>(i)].post_messages(messages_body("y"), {{"x-api-key", open_key.secret}});
    EXPECT_EQ(b.status, 200u) << b.body;
    open_ok += b.status == 200;
  }
  std::this_thread::sleep_for(milliseconds(200));  // a few failed writes: the batches are kept

  ASSERT_TRUE(redis.restart());
  const auto deadline = steady_clock::now() + milliseconds(5000);
  bool ready = false;
  while (!ready && steady_clock::now() < deadline) {
    ready = true;
    for (auto& r : f.replicas) {
      ready = ready && testing::http_call(r->port(), "GET", "/readyz").status == 200;
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  ASSERT_TRUE(ready) << "the replicas did not reconnect";
  send_round(200);
  std::this_thread::sleep_for(milliseconds(400));
  EXPECT_EQ(fleet_usage(f[0], limited.id).first, static_cast<std::uint64_t>(limited_ok));
  EXPECT_EQ(fleet_usage(f[1], open_key.id).first, static_cast<std::uint64_t>(open_ok));
}

TEST(FleetLimitsOnRedis, RedisDownWithLocalFailureModeAdmitsAgainstEachReplicasOwnLimits) {
  testing::redis_test_server redis("", true);
  if (!redis.available()) {
    GTEST_SKIP() << redis.why();
  }
  fleet f(redis, "local");
  const created limited = create_key(f, 0, R"({"monthly_token_budget":100000000,"requests_per_minute":100000})");
  EXPECT_EQ(f[0].post_messages(messages_body("x"), {{"x-api-key", limited.secret}}).status, 200u);
  redis.kill();
  long ok = 1;
  for (int i = 0; i < 6; ++i) {
    const auto r = f[static_cast<std::size_t>(i % 3)].post_messages(messages_body("x"), {{"x-api-key", limited.secret}});
    EXPECT_EQ(r.status, 200u) << r.body;
    ok += r.status == 200;
  }
  EXPECT_EQ(testing::http_call(f[2].port(), "GET", "/readyz").status, 200u);
  ASSERT_TRUE(redis.restart());
  std::this_thread::sleep_for(milliseconds(600));  // reconnect, replay
  EXPECT_EQ(fleet_usage(f[0], limited.id).first, static_cast<std::uint64_t>(ok));
}

}  // namespace
}  // namespace sluice::gateway
