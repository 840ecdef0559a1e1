// The Redis store over TLS (rediss://) against a private TLS-only redis-server whose certificate a
// throwaway CA signed (tests/gateway/redis_test_server.h): the store, the key watcher and the
// configuration's checks (a wrong CA, a wrong server name, unreadable files, TLS to a plain server).
// Skipped, saying why, when redis-server or openssl is missing or redis-server has no TLS.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "governance/governance_config.h"
#include "governance/store/redis_store.h"
#include "governance_test_support.h"
#include "redis_test_server.h"

namespace sluice::gateway {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::redis_test_server;

#define REQUIRE_REDIS(server)       \
  if (!(server).available()) {      \
    GTEST_SKIP() << (server).why(); \
  }

redis_test_server tls_server() { return redis_test_server({}, false, true); }

store_tls_options trust(const redis_test_server& redis) {
  store_tls_options tls;
  tls.ca_file = redis.ca_file();
  return tls;
}

struct parsed {
  governance_config config;
  std::vector<config_problem> problems;
};

parsed parse_section(const std::string& yaml) {
  parsed out;
  const config_vocabulary vocabulary;
  config_reader reader("g.yaml", vocabulary);
  parse_governance_config(reader, YAML::Load(yaml), out.config);
  out.problems = reader.problems();
  return out;
}

std::string only_problem(const parsed& p) {
  if (p.problems.size() != 1) {
    return "expected one problem, got " + std::to_string(p.problems.size());
  }
  return p.problems.front().to_string();
}

std::string store_with_tls(const redis_test_server& redis, const std::string& tls) {
  return "store: {url: \"" + redis.url() + "\", tls: " + tls + "}";
}

TEST(RedisTlsStore, KeysAndUsageMakeTheRoundTrip) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto a = open_governance_store(redis.url(), "", "sluice:", trust(redis));
  const auto b = open_governance_store(redis.url(), "", "sluice:", trust(redis));
  key_record k;
  k.id = "key_00000000000000aa";
  k.name = "over tls";
  k.team = "search";
  k.limits.requests_per_minute = 60;
  k.secret_sha256 = std::string(64, 'a');
  k.created_at_ms = 1773144000000;
  a->save_key(k);
  const auto keys = b->load_keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].name, "over tls");
  EXPECT_EQ(keys[0].limits.requests_per_minute, 60u);

  usage_record u;
  u.ts_ms = 1773144001000;
  u.key_id = k.id;
  u.team = "search";
  u.model = "claude-sonnet-4";
  u.input_tokens = 100;
  u.output_tokens = 20;
  u.cost_micro_usd = 7;
  std::vector<usage_record> batch{u, u};
  a->append_usage(batch);
  const usage_total t = b->usage_of_key(k.id, 0, 1773145000000);
  EXPECT_EQ(t.requests, 2u);
  EXPECT_EQ(t.input_tokens, 200u);
  // And the server really speaks TLS only: redis-cli reaches it with --tls (what cli() adds).
  EXPECT_EQ(redis.cli("HGET sluice:key:key_00000000000000aa name"), "over tls");
}

TEST(RedisTlsStore, AKeySavedThroughOneStoreReachesAnotherStoresWatcher) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto a = open_governance_store(redis.url(), "", "sluice:", trust(redis));
  const auto b = open_governance_store(redis.url(), "", "sluice:", trust(redis));
  std::atomic<int> reloads{0};
  std::atomic<bool> saw_key{false};
  const auto watch = b->watch_key_changes([&] {
    ++reloads;
    for (const auto& k : b->load_keys()) {
      if (k.id == "key_00000000000000bb") {
        saw_key = true;
      }
    }
  });
  // The watcher reloads once when it has subscribed; wait for that so the key arrives by message.
  const auto deadline = steady_clock::now() + milliseconds(3000);
  while (reloads == 0 && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  ASSERT_GT(reloads.load(), 0) << "the watcher never subscribed over TLS";
  key_record k;
  k.id = "key_00000000000000bb";
  k.name = "made elsewhere";
  k.secret_sha256 = std::string(64, 'b');
  a->save_key(k);
  while (!saw_key && steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(5));
  }
  EXPECT_TRUE(saw_key) << "the watcher did not see the new key";
}

std::size_t entries_in(const char* dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), {}));
}

// Each connection has a tunnel thread and three descriptors; closing the store (or the watcher)
// must end the thread and close them all.
TEST(RedisTlsStore, ClosedConnectionsLeaveNoThreadOrDescriptorBehind) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  (void)open_governance_store(redis.url(), "", "sluice:", trust(redis));  // OpenSSL's one-time set-up
  const std::size_t threads = entries_in("/proc/self/task");
  const std::size_t fds = entries_in("/proc/self/fd");
  for (int i = 0; i < 10; ++i) {
    const auto store = open_governance_store(redis.url(), "", "sluice:", trust(redis));
    const auto watch = store->watch_key_changes([] {});
    EXPECT_TRUE(store->load_keys().empty());
  }
  EXPECT_EQ(entries_in("/proc/self/task"), threads);
  EXPECT_EQ(entries_in("/proc/self/fd"), fds);
}

TEST(RedisTlsConfig, TheRightCaLoads) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto p = parse_section(store_with_tls(redis, "{ca_file: \"" + redis.ca_file() + "\"}"));
  ASSERT_TRUE(p.problems.empty()) << p.problems.front().to_string();
  EXPECT_EQ(p.config.store_tls.ca_file, redis.ca_file());
  EXPECT_TRUE(p.config.store_tls.verify);
  // localhost is in the certificate too.
  const auto named = parse_section(store_with_tls(redis, "{ca_file: \"" + redis.ca_file() + "\", server_name: localhost}"));
  EXPECT_TRUE(named.problems.empty()) << only_problem(named);
}

TEST(RedisTlsConfig, AWrongCaIsALoadErrorThatSaysTheCertificateWasNotTrusted) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto p = parse_section(store_with_tls(redis, "{ca_file: \"" + redis.other_ca_file() + "\"}"));
  const std::string problem = only_problem(p);
  EXPECT_NE(problem.find("governance.store.url"), std::string::npos) << problem;
  EXPECT_NE(problem.find("TLS handshake"), std::string::npos) << problem;
  EXPECT_NE(problem.find("certificate verification failed"), std::string::npos) << problem;
  EXPECT_NE(problem.find("self-signed certificate"), std::string::npos) << problem;  // OpenSSL's reason
}

TEST(RedisTlsConfig, TheSystemStoreDoesNotTrustATestCa) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto p = parse_section("store: " + redis.url());
  const std::string problem = only_problem(p);
  EXPECT_NE(problem.find("governance.store"), std::string::npos) << problem;
  EXPECT_NE(problem.find("certificate verification failed"), std::string::npos) << problem;
}

TEST(RedisTlsConfig, AServerNameTheCertificateLacksIsRefused) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto p =
      parse_section(store_with_tls(redis, "{ca_file: \"" + redis.ca_file() + "\", server_name: redis.example.com}"));
  const std::string problem = only_problem(p);
  EXPECT_NE(problem.find("certificate verification failed"), std::string::npos) << problem;
  EXPECT_NE(problem.find("redis.example.com"), std::string::npos) << problem;
}

TEST(RedisTlsConfig, VerifyFalseAcceptsAnyCertificate) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto p = parse_section(store_with_tls(redis, "{ca_file: \"" + redis.other_ca_file() + "\", verify: false}"));
  EXPECT_TRUE(p.problems.empty()) << only_problem(p);
  EXPECT_FALSE(p.config.store_tls.verify);
}

TEST(RedisTlsConfig, UnreadableFilesAreLoadErrorsAtTheirKeys) {
  auto redis = tls_server();
  REQUIRE_REDIS(redis);
  const auto ca = parse_section(store_with_tls(redis, "{ca_file: /nonexistent/ca.pem}"));
  EXPECT_NE(only_problem(ca).find("governance.store.tls.ca_file"), std::string::npos) << only_problem(ca);
  EXPECT_NE(only_problem(ca).find("/nonexistent/ca.pem"), std::string::npos) << only_problem(ca);

  const auto half = parse_section(store_with_tls(redis, "{cert_file: \"" + redis.ca_file() + "\"}"));
  EXPECT_NE(only_problem(half).find("governance.store.tls.key_file"), std::string::npos) << only_problem(half);

  const auto unknown = parse_section(store_with_tls(redis, "{ca: x}"));
  ASSERT_FALSE(unknown.problems.empty());
  EXPECT_NE(unknown.problems.front().to_string().find("governance.store.tls"), std::string::npos)
      << unknown.problems.front().to_string();
}

TEST(RedisTlsConfig, TlsToAPlainServerIsAHandshakeError) {
  redis_test_server plain;
  REQUIRE_REDIS(plain);
  const std::string url = "rediss://127.0.0.1:" + std::to_string(plain.port()) + "/0";
  const auto p = parse_section("store: " + url);
  const std::string problem = only_problem(p);
  EXPECT_NE(problem.find("governance.store"), std::string::npos) << problem;
  EXPECT_NE(problem.find("TLS handshake"), std::string::npos) << problem;
}

}  // namespace
}  // namespace sluice::gateway
