// The Redis store against a private redis-server (tests/gateway/redis_test_server.h): two store
// instances stand for two gateway replicas sharing one Redis. Skipped, saying why, when redis-server
// is not installed.
#include "governance/store/redis_store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "governance/governance_config.h"
#include "governance/key_registry.h"
#include "governance_test_support.h"
#include "redis_test_server.h"

namespace sluice::gateway {
namespace {

using testing::redis_test_server;

#define REQUIRE_REDIS(server)              \
  if (!(server).available()) {             \
    GTEST_SKIP() << (server).why();        \
  }

key_record full_key(const std::string& id) {
  key_record k;
  k.id = id;
  k.name = "ranker prod";
  k.description = "line one\nwith a newline and ünïcode";
  k.team = "search";
  k.project = "ranker";
  k.environment = "prod";
  k.allowed_models = {"claude-sonnet-4*", "claude-haiku-?"};
  k.allowed_endpoints = {"/v1/messages"};
  k.ip_allowlist = {"10.0.0.0/8", "2001:db8::/32"};
  k.limits.requests_per_minute = 60;
  k.limits.tokens_per_minute = 100000;
  k.limits.monthly_token_budget = 5000000;
  k.limits.monthly_usd_budget = 12.34;
  k.limits.hard_budget = false;
  k.limits.alert_thresholds = {0.5, 0.9, 1.0};
  k.expires_at_ms = 1800000000000;
  k.created_at_ms = 1773144000000;
  k.rotated_at_ms = 1773145000000;
  k.revoked_at_ms = 0;
  k.secret_hint = "sk-sluice-AbCd…wxyz";
  k.secret_sha256 = std::string(64, 'a');
  k.previous_secret_sha256 = std::string(64, 'b');
  k.previous_valid_until_ms = 1773146000000;
  return k;
}

usage_record usage(std::int64_t ts, const std::string& key, const std::string& team, const std::string& model,
                   std::uint32_t in, std::uint32_t out, std::int64_t cost) {
  usage_record u;
  u.ts_ms = ts;
  u.key_id = key;
  u.team = team;
  u.project = "p-" + team;
  u.model = model;
  u.input_tokens = in;
  u.output_tokens = out;
  u.cost_micro_usd = cost;
  u.http_status = 200;
  u.latency_us = 1234;
  u.verdicts = "pii:ok|weird;bytes:1";
  return u;
}

TEST(RedisStore, AKeySavedByOneReplicaIsLoadedWholeByAnother) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  const auto a = open_governance_store(redis.url(), "", "sluice:");
  const auto b = open_governance_store(redis.url(), "", "sluice:");
  const key_record saved = full_key("key_00000000000000aa");
  a->save_key(saved);
  key_record later = full_key("key_00000000000000bb");
  later.created_at_ms += 1;
  later.allowed_models.clear();
  later.limits.alert_thresholds.clear();
  a->save_key(later);

  const auto loaded = b->load_keys();
  ASSERT_EQ(loaded.size(), 2u);
  const key_record& k = loaded[0];  // ordered by creation, as the SQLite store orders them
  EXPECT_EQ(k.id, saved.id);
  EXPECT_EQ(k.name, saved.name);
  EXPECT_EQ(k.description, saved.description);
  EXPECT_EQ(k.team, saved.team);
  EXPECT_EQ(k.project, saved.project);
  EXPECT_EQ(k.environment, saved.environment);
  EXPECT_EQ(k.allowed_models, saved.allowed_models);
  EXPECT_EQ(k.allowed_endpoints, saved.allowed_endpoints);
  EXPECT_EQ(k.ip_allowlist, saved.ip_allowlist);
  EXPECT_EQ(k.limits.requests_per_minute, 60u);
  EXPECT_EQ(k.limits.tokens_per_minute, 100000u);
  EXPECT_EQ(k.limits.monthly_token_budget, 5000000u);
  EXPECT_DOUBLE_EQ(k.limits.monthly_usd_budget, 12.34);
  EXPECT_FALSE(k.limits.hard_budget);
  EXPECT_EQ(k.limits.alert_thresholds, saved.limits.alert_thresholds);
  EXPECT_EQ(k.expires_at_ms, saved.expires_at_ms);
  EXPECT_EQ(k.created_at_ms, saved.created_at_ms);
  EXPECT_EQ(k.rotated_at_ms, saved.rotated_at_ms);
  EXPECT_EQ(k.revoked_at_ms, 0);
  EXPECT_EQ(k.secret_hint, saved.secret_hint);
  EXPECT_EQ(k.secret_sha256, saved.secret_sha256);
  EXPECT_EQ(k.previous_secret_sha256, saved.previous_secret_sha256);
  EXPECT_EQ(k.previous_valid_until_ms, saved.previous_valid_until_ms);
  EXPECT_EQ(loaded[1].id, later.id);
  EXPECT_TRUE(loaded[1].allowed_models.empty());
  EXPECT_TRUE(loaded[1].limits.alert_thresholds.empty());

  // Replacing by id (a revocation) is seen by the other replica on its next load.
  key_record revoked = saved;
  revoked.revoked_at_ms = 1773147000000;
  b->save_key(revoked);
  EXPECT_EQ(a->load_keys()[0].revoked_at_ms, 1773147000000);
}

TEST(RedisStore, KeysCreatedThroughOneRegistryAreKnownToASecondOneAndNoSecretIsStored) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  governance_options options;
  options.store_path = redis.url(3);
  key_registry replica_a(options);
  const auto created = replica_a.create_key(testing::key_named("alpha"), "test");
  ASSERT_FALSE(created.secret.empty());

  key_registry replica_b(options);  // a second gateway starting against the same Redis
  const auto found = replica_b.find_key(created.record.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->secret_sha256, created.record.secret_sha256);
  EXPECT_EQ(found->team, "search");

  const std::string everything = redis.dump();
  ASSERT_NE(everything.find(created.record.secret_sha256), std::string::npos)
      << "the dump should hold the key (else this check proves nothing)";
  EXPECT_EQ(everything.find(created.secret), std::string::npos) << "the secret is in Redis in the clear";
}

TEST(RedisStore, UsageFromTwoReplicasIsSummedInOneQuery) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  const auto a = open_governance_store(redis.url(), "", "sluice:");
  const auto b = open_governance_store(redis.url(), "", "sluice:");
  const std::int64_t t0 = testing::test_start_ms;
  const std::vector<usage_record> from_a{usage(t0, "key_a", "search", "claude-sonnet-4", 10, 20, 300),
                                         usage(t0 + 1, "key_b", "ads", "claude-haiku-4", 1, 2, 3)};
  // The same record as a's first one, from the other replica: two requests, not one.
  const std::vector<usage_record> from_b{usage(t0, "key_a", "search", "claude-sonnet-4", 10, 20, 300),
                                         usage(t0 + 2, "key_a", "search", "claude-haiku-4", 5, 5, 50),
                                         usage(t0 + 100, "key_a", "search", "claude-haiku-4", 7, 7, 70)};
  a->append_usage(from_a);
  b->append_usage(from_b);

  const usage_total key_a = b->usage_of_key("key_a", t0, t0 + 100);  // [from, to): the last one is out
  EXPECT_EQ(key_a.requests, 3u);
  EXPECT_EQ(key_a.input_tokens, 25u);
  EXPECT_EQ(key_a.output_tokens, 45u);
  EXPECT_EQ(key_a.cost_micro_usd, 650);

  const auto by_team = a->usage_by(usage_grouping::team, t0, t0 + 101);
  ASSERT_EQ(by_team.size(), 2u);
  EXPECT_EQ(by_team[0].group, "search");  // largest cost first
  EXPECT_EQ(by_team[0].requests, 4u);
  EXPECT_EQ(by_team[0].cost_micro_usd, 720);
  EXPECT_EQ(by_team[1].group, "ads");
  EXPECT_EQ(by_team[1].requests, 1u);

  const auto by_model = a->usage_by(usage_grouping::model, t0, t0 + 101);
  ASSERT_EQ(by_model.size(), 2u);
  EXPECT_EQ(by_model[0].group, "claude-sonnet-4");
  EXPECT_EQ(by_model[0].requests, 2u);
  EXPECT_EQ(by_model[1].group, "claude-haiku-4");
  EXPECT_EQ(by_model[1].requests, 3u);

  const auto by_project = b->usage_by(usage_grouping::project, t0 + 1, t0 + 2);
  ASSERT_EQ(by_project.size(), 1u);
  EXPECT_EQ(by_project[0].group, "p-ads");
  EXPECT_EQ(by_project[0].input_tokens, 1u);
  EXPECT_EQ(by_project[0].output_tokens, 2u);
}

TEST(RedisStore, ABatchWrittenTwiceCountsOnceEvenWithThousandsOfSettlements) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  const auto store = open_governance_store(redis.url(), "", "sluice:");
  usage_batch batch;
  batch.id = "replica-a.7";
  for (int i = 0; i < 2500; ++i) {  // more than one settlement chunk
    batch.usage.push_back(usage(testing::test_start_ms + i, "key_s", "search", "claude-sonnet-4", 1, 2, 3));
    fleet_settlement f;
    f.key_id.assign("key_s");
    f.budget_month = f.now_month = 600;
    f.used_tokens = 3;
    f.used_micro_usd = 3;
    f.budgeted = true;
    f.known_tokens = 1000;  // the month's use before: where the fleet's counter starts
    batch.settlements.push_back(f);
  }
  const std::vector<fleet_budget_use> first = store->append_batch(batch);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.back().key_id, "key_s");
  EXPECT_EQ(first.back().month, 600u);
  EXPECT_EQ(first.back().tokens, 1000u + 2500u * 3u);
  // A replay (its reply was lost): no new usage, no second settlement.
  EXPECT_TRUE(store->append_batch(batch).empty());
  const usage_total total = store->usage_of_key("key_s", testing::test_start_ms, testing::test_start_ms + 10000);
  EXPECT_EQ(total.requests, 2500u);
  EXPECT_EQ(redis.cli("HGET sluice:budget:key_s:600 t"), std::to_string(1000 + 2500 * 3));
}

TEST(RedisStore, ManyRecordsArePagedThrough) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  const auto store = open_governance_store(redis.url(), "", "sluice:");
  std::vector<usage_record> batch;
  for (int i = 0; i < 12001; ++i) {
    batch.push_back(usage(testing::test_start_ms + i, "key_a", "search", "m", 1, 1, 1));
  }
  store->append_usage(batch);
  const auto all = store->usage_by(usage_grouping::key, 0, testing::test_start_ms + 20000);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].requests, 12001u);
  EXPECT_EQ(store->usage_of_key("key_a", 0, testing::test_start_ms + 20000).output_tokens, 12001u);
}

TEST(RedisStore, PrefixesKeepDeploymentsApart) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  const auto staging = open_governance_store(redis.url(), "", "staging:");
  const auto prod = open_governance_store(redis.url(), "", "prod:");
  staging->save_key(full_key("key_00000000000000aa"));
  staging->append_usage(std::vector{usage(testing::test_start_ms, "key_00000000000000aa", "t", "m", 1, 1, 1)});
  staging->set_state("budget_alert/key_00000000000000aa", "7:1");

  EXPECT_TRUE(prod->load_keys().empty());
  EXPECT_TRUE(prod->usage_by(usage_grouping::key, 0, testing::test_start_ms + 1).empty());
  EXPECT_EQ(prod->usage_of_key("key_00000000000000aa", 0, testing::test_start_ms + 1).requests, 0u);
  EXPECT_EQ(prod->get_state("budget_alert/key_00000000000000aa"), "");
  EXPECT_EQ(staging->get_state("budget_alert/key_00000000000000aa"), "7:1");
  EXPECT_EQ(staging->load_keys().size(), 1u);
}

TEST(RedisStore, DatabasesKeepStoresApart) {
  redis_test_server redis;
  REQUIRE_REDIS(redis);
  open_governance_store(redis.url(1), "", "sluice:")->save_key(full_key("key_00000000000000aa"));
  EXPECT_TRUE(open_governance_store(redis.url(2), "", "sluice:")->load_keys().empty());
  EXPECT_EQ(open_governance_store(redis.url(1), "", "sluice:")->load_keys().size(), 1u);
}

TEST(RedisStore, OpeningAnUnreachableServerNamesIt) {
  const std::string url = "redis://127.0.0.1:1/0";
  try {
    (void)open_governance_store(url, "", "sluice:");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}

TEST(RedisUrl, ParsesHostPortAndDatabase) {
  redis_target t;
  std::string why;
  ASSERT_TRUE(parse_redis_url("redis://10.1.2.3:6380/4", t, why)) << why;
  EXPECT_EQ(t.host, "10.1.2.3");
  EXPECT_EQ(t.port, 6380);
  EXPECT_EQ(t.db, 4u);
  ASSERT_TRUE(parse_redis_url("redis://redis.internal", t, why)) << why;
  EXPECT_EQ(t.host, "redis.internal");
  EXPECT_EQ(t.port, 6379);
  EXPECT_EQ(t.db, 0u);
  ASSERT_TRUE(parse_redis_url("redis://[::1]:7000/2", t, why)) << why;
  EXPECT_EQ(t.host, "::1");
  EXPECT_EQ(t.port, 7000);
  for (const char* bad : {"redis://", "redis://:6379", "redis://h:99999/0", "redis://h:6379/x", "redis://u:p@h:6379/0",
                          "rediss://", "http://h:6379"}) {
    EXPECT_FALSE(parse_redis_url(bad, t, why)) << bad;
  }
  ASSERT_TRUE(parse_redis_url("rediss://redis.internal:6380/3", t, why)) << why;
  EXPECT_TRUE(t.tls);
  EXPECT_EQ(t.host, "redis.internal");
  EXPECT_EQ(t.port, 6380);
  EXPECT_EQ(t.db, 3u);
  ASSERT_TRUE(parse_redis_url("redis://redis.internal:6380/3", t, why)) << why;
  EXPECT_FALSE(t.tls);
}

// --- the configuration: errors name the dotted key ---

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

TEST(RedisStoreConfig, AReachableServerWithItsPasswordLoads) {
  redis_test_server redis("s3cret-pass");
  REQUIRE_REDIS(redis);
  ::setenv("SLUICE_TEST_REDIS_PASSWORD", "s3cret-pass", 1);
  const auto p = parse_section("store: {url: \"" + redis.url(2) +
                               "\", password_env: SLUICE_TEST_REDIS_PASSWORD, key_prefix: \"team-a:\"}");
  ASSERT_TRUE(p.problems.empty()) << p.problems.front().to_string();
  EXPECT_EQ(p.config.store_path, redis.url(2));
  EXPECT_EQ(p.config.store_password.env, "SLUICE_TEST_REDIS_PASSWORD");
  EXPECT_EQ(p.config.store_key_prefix, "team-a:");
  // And the store opens with what the configuration names.
  EXPECT_NO_THROW((void)open_governance_store(p.config.store_path, "s3cret-pass", p.config.store_key_prefix));
}

TEST(RedisStoreConfig, AWrongPasswordIsALoadErrorAtThePasswordKey) {
  redis_test_server redis("s3cret-pass");
  REQUIRE_REDIS(redis);
  ::setenv("SLUICE_TEST_REDIS_WRONG", "not-the-password", 1);
  const auto p = parse_section("store: {url: \"" + redis.url() + "\", password_env: SLUICE_TEST_REDIS_WRONG}");
  const std::string problem = only_problem(p);
  EXPECT_NE(problem.find("governance.store.password_env"), std::string::npos) << problem;
  EXPECT_NE(problem.find("refused"), std::string::npos) << problem;
}

TEST(RedisStoreConfig, AMissingPasswordIsALoadErrorThatSaysSo) {
  redis_test_server redis("s3cret-pass");
  REQUIRE_REDIS(redis);
  const auto p = parse_section("store: " + redis.url());
  const std::string problem = only_problem(p);
  EXPECT_NE(problem.find("governance.store"), std::string::npos) << problem;
  EXPECT_NE(problem.find("password_env or password_file"), std::string::npos) << problem;
}

TEST(RedisStoreConfig, APasswordFileIsRead) {
  redis_test_server redis("file-pass");
  REQUIRE_REDIS(redis);
  testing::temp_dir dir;
  {
    std::ofstream(dir.file("pw")) << "file-pass\n";
  }
  const auto p = parse_section("store: {url: \"" + redis.url() + "\", password_file: \"" + dir.file("pw") + "\"}");
  EXPECT_TRUE(p.problems.empty()) << only_problem(p);
}

TEST(RedisStoreConfig, BadUrlsAreLoadErrorsAtTheStoreKey) {
  const auto tls = parse_section("store: {url: \"redis://127.0.0.1:1/0\", tls: {ca_file: ca.pem}}");
  EXPECT_NE(only_problem(tls).find("governance.store.tls"), std::string::npos) << only_problem(tls);
  EXPECT_NE(only_problem(tls).find("rediss://"), std::string::npos) << only_problem(tls);

  const auto credentials = parse_section("store: {url: \"redis://user:pw@127.0.0.1:6379/0\"}");
  EXPECT_NE(only_problem(credentials).find("governance.store.url"), std::string::npos) << only_problem(credentials);
  EXPECT_NE(only_problem(credentials).find("password_env"), std::string::npos) << only_problem(credentials);

  const auto port = parse_section("store: redis://127.0.0.1:70000/0");
  EXPECT_NE(only_problem(port).find("governance.store"), std::string::npos) << only_problem(port);

  const auto unreachable = parse_section("store: {url: \"redis://127.0.0.1:1/0\"}");
  EXPECT_NE(only_problem(unreachable).find("governance.store.url"), std::string::npos) << only_problem(unreachable);
  EXPECT_NE(only_problem(unreachable).find("cannot connect"), std::string::npos) << only_problem(unreachable);

  const auto unknown = parse_section("store: {url: \"redis://127.0.0.1:1/0\", pasword_env: X}");
  EXPECT_FALSE(unknown.problems.empty());

  const auto map_for_sqlite = parse_section("store: {url: /var/lib/sluice.db}");
  EXPECT_NE(only_problem(map_for_sqlite).find("governance.store.url"), std::string::npos);

  ::unsetenv("SLUICE_TEST_REDIS_UNSET");
  const auto unset = parse_section("store: {url: \"redis://127.0.0.1:1/0\", password_env: SLUICE_TEST_REDIS_UNSET}");
  EXPECT_NE(only_problem(unset).find("governance.store.password_env"), std::string::npos) << only_problem(unset);
}

// Found by the config fuzzer: a map without `url` made the loader throw yaml-cpp's InvalidNode, and
// `sluice config validate` abort, instead of naming the missing key.
TEST(RedisStoreConfig, AMapWithoutAUrlIsALoadErrorNotACrash) {
  for (const std::string store : {"store: {a: 1}", "store: {0,}", "store: {password_env: X}"}) {
    const auto p = parse_section(store);
    ASSERT_FALSE(p.problems.empty()) << store;
    bool names_url = false;
    for (const auto& problem : p.problems) {
      names_url = names_url || problem.key == "governance.store.url";
    }
    EXPECT_TRUE(names_url) << store << ": " << only_problem(p);
  }
}

}  // namespace
}  // namespace sluice::gateway
