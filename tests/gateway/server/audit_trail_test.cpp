// The audit trail as a new operator reads it: which key made a request (by id, since names repeat),
// request ids that never repeat across restarts, and refusals that keep the client's address masked.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "gateway_harness.h"

namespace sluice::gateway {
namespace {

using testing::harness;
using testing::harness_options;
using testing::http_reply;
using testing::messages_body;

constexpr const char* admin_token = "audit-trail-admin-token-0123456789";

harness_options audited_gateway() {
  ::setenv("SLUICE_AUDIT_TRAIL_TEST_ADMIN_TOKEN", admin_token, 1);
  harness_options o;
  o.policies = "  chain: [audit-logger]\n"
               "  policy:\n"
               "    audit-logger:\n"
               "      directory: @DIR@/audit\n"
               "      flush_interval_ms: 20\n";
  o.governance = "  require_keys: true\n"
                 "  admin:\n"
                 "    listen: 127.0.0.1:0\n"
                 "    token_env: SLUICE_AUDIT_TRAIL_TEST_ADMIN_TOKEN\n";
  return o;
}

http_reply admin_call(harness& h, const std::string& method, const std::string& path, const std::string& body = {}) {
  return testing::http_call(h.server().admin_port(), method, path, body, {{"authorization", std::string("Bearer ") + admin_token}});
}

using testing::json_field;

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) {
    ++n;
  }
  return n;
}

// Shards hand their records to the log every flush interval (20 ms here): asks until `requests`
// request records are there (at most 2 s), and returns the last answer.
http_reply audit_query(harness& h, const std::string& path, std::size_t requests) {
  http_reply r;
  for (int attempt = 0; attempt < 100; ++attempt) {
    r = admin_call(h, "GET", path);
    if (count_of(r.body, "\"type\":\"request\"") >= requests) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return r;
}

struct created_key {
  std::string id;
  std::string secret;
};

created_key create_key(harness& h, const std::string& json) {
  const auto r = admin_call(h, "POST", "/admin/keys", json);
  EXPECT_EQ(r.status, 201u) << r.body;
  return {json_field(r.body, "id"), json_field(r.body, "secret")};
}

TEST(AuditTrail, RequestRecordsNameTheKeyIdAndTheAdminApiFindsThemByIt) {
  harness h(audited_gateway());
  ASSERT_NE(h.server().admin_port(), 0) << h.server().admin_status();
  // Two keys with the same name: only the id tells them apart.
  const created_key first = create_key(h, R"({"name":"batch-job"})");
  const created_key second = create_key(h, R"({"name":"batch-job"})");
  ASSERT_NE(first.id, second.id);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(h.post_messages(messages_body("first " + std::to_string(i)), {{"x-api-key", first.secret}}).status, 200u);
  }
  EXPECT_EQ(h.post_messages(messages_body("second"), {{"x-api-key", second.secret}}).status, 200u);

  const http_reply mine = audit_query(h, "/admin/audit?type=request&key_id=" + first.id, 3);
  ASSERT_EQ(mine.status, 200u) << mine.body;
  EXPECT_EQ(count_of(mine.body, "\"type\":\"request\""), 3u) << mine.body;
  EXPECT_EQ(count_of(mine.body, "\"key_id\":\"" + first.id + "\""), 3u) << mine.body;
  EXPECT_EQ(mine.body.find(second.id), std::string::npos) << mine.body;
  // Without a type, the key's whole story: created, then its requests.
  const auto all = audit_query(h, "/admin/audit?key_id=" + second.id, 1);
  EXPECT_EQ(count_of(all.body, "\"type\":\"key.created\""), 1u) << all.body;
  EXPECT_EQ(count_of(all.body, "\"type\":\"request\""), 1u) << all.body;
}

TEST(AuditTrail, RequestIdsDoNotRepeatAcrossRestarts) {
  // The same gateway started twice (each start counts its requests from 1 again): no id repeats.
  std::set<std::string> ids;
  std::set<std::string> boots;
  for (int run = 0; run < 2; ++run) {
    harness_options o;
    o.threads = 2;
    harness h(o);
    for (int i = 0; i < 4; ++i) {
      const auto r = h.post_messages(messages_body("hello"));
      ASSERT_EQ(r.status, 200u) << r.body;
      const std::string id = r.header("request-id");
      EXPECT_EQ(r.header("x-request-id"), id);
      EXPECT_TRUE(ids.insert(id).second) << "repeated request id " << id;
      // req_sluice_<16 hex digits>_<shard>_<n>
      ASSERT_TRUE(id.starts_with("req_sluice_")) << id;
      const std::string boot = id.substr(11, 16);
      EXPECT_EQ(boot.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
      EXPECT_EQ(id[27], '_') << id;
      boots.insert(boot);
    }
  }
  EXPECT_EQ(ids.size(), 8u);
  EXPECT_GE(boots.size(), 2u);  // at least one per start
}

TEST(AuditTrail, AllowlistRefusalKeepsTheClientAddressOutOfTheLog) {
  harness h(audited_gateway());
  const created_key key = create_key(h, R"({"name":"office-only","ip_allowlist":["10.0.0.0/8"]})");
  const auto refused = h.post_messages(messages_body("from loopback"), {{"x-api-key", key.secret}});
  // The client is told its own address, so it can fix the allowlist.
  EXPECT_EQ(refused.status, 403u);
  EXPECT_NE(refused.body.find("permission_error"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("client address 127.0.0.1 is not in this key's IP allowlist"), std::string::npos)
      << refused.body;
  h.server().shutdown();
  const auto records = testing::audit_requests(h.dir() / "audit");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].find("127.0.0.1"), std::string::npos) << records[0];
  EXPECT_NE(records[0].find("\"refusal\":\"client address in 127.0.0.0/24 is not in this key's IP allowlist"),
            std::string::npos) << records[0];
  EXPECT_NE(records[0].find("\"refusal_reason\":\"ip_not_allowed\""), std::string::npos) << records[0];
  EXPECT_NE(records[0].find("\"key_id\":\"" + key.id + "\""), std::string::npos) << records[0];
}

TEST(AuditTrail, OldSecretAfterRotationIsItsOwnReasonForTheClientTheLogAndTheMetrics) {
  harness h(audited_gateway());
  const created_key key = create_key(h, R"({"name":"rotating"})");
  const auto rotated = admin_call(h, "POST", "/admin/keys/" + key.id + "/rotate", R"({"grace_seconds":0})");
  ASSERT_EQ(rotated.status, 200u) << rotated.body;

  // Anthropic and OpenAI clients each get a 401 in their own dialect that says what happened.
  const auto anthropic = h.post_messages(messages_body("old secret"), {{"x-api-key", key.secret}});
  EXPECT_EQ(anthropic.status, 401u);
  EXPECT_NE(anthropic.body.find("\"type\":\"authentication_error\""), std::string::npos) << anthropic.body;
  EXPECT_NE(anthropic.body.find("replaced by a rotation"), std::string::npos) << anthropic.body;
  const auto openai = testing::http_call(h.port(), "POST", "/v1/chat/completions",
                                         R"({"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})",
                                         {{"authorization", "Bearer " + key.secret}});
  EXPECT_EQ(openai.status, 401u);
  EXPECT_NE(openai.body.find("\"code\":\"invalid_api_key\""), std::string::npos) << openai.body;
  EXPECT_NE(openai.body.find("replaced by a rotation"), std::string::npos) << openai.body;

  const auto metrics = testing::http_call(h.port(), "GET", "/metrics");
  EXPECT_NE(metrics.body.find("sluice_refusals_total{key=\"" + key.id + "\",reason=\"rotated_secret\"} 2"),
            std::string::npos) << metrics.body;
  EXPECT_EQ(metrics.body.find("reason=\"unknown_key\""), std::string::npos);

  h.server().shutdown();
  const auto records = testing::audit_requests(h.dir() / "audit");
  ASSERT_EQ(records.size(), 2u);
  for (const auto& r : records) {
    EXPECT_NE(r.find("\"refusal_reason\":\"rotated_secret\""), std::string::npos) << r;
  }
}

}  // namespace
}  // namespace sluice::gateway
