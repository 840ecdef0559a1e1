// The admin API over loopback HTTP, as `sluice keys` and operators use it.
#include <gtest/gtest.h>

#include <fstream>

#include "governance_test_support.h"
#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/http_client.h"

namespace sluice::gateway {
namespace {

constexpr const char* token = "test-admin-token-0123456789";

class AdminServer : public ::testing::Test {
 protected:
  AdminServer() : clock_(std::make_shared<testing::manual_clock>(testing::test_start_ms)) {
    audit_options ao;
    ao.directory = dir_.path();
    ao.clock = clock_;
    audit_ = std::make_shared<audit_log>(ao);
    governance_options options;
    options.clock = clock_;
    options.audit = audit_;
    controller_ = std::make_unique<governance_service>(options);
    admin_options admin;
    admin.listen = "127.0.0.1:0";
    admin.token = token;
    server_ = std::make_unique<admin_server>(*controller_, audit_, admin);
  }

  http_result call(const std::string& method, const std::string& path, const std::string& body = "",
                   const std::string& bearer = token) {
    std::vector<std::pair<std::string, std::string>> headers{{"content-type", "application/json"}};
    if (!bearer.empty()) {
      headers.emplace_back("authorization", "Bearer " + bearer);
    }
    return http_request(method, "http://127.0.0.1:" + std::to_string(server_->port()) + path, headers, body,
                        std::chrono::seconds(5));
  }

  std::string audit_text() {
    audit_->flush();
    std::string text;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
      std::ifstream in(entry.path());
      text.append(std::istreambuf_iterator<char>(in), {});
    }
    return text;
  }

  static std::string field(const std::string& json, const std::string& name) {
    const auto at = json.find("\"" + name + "\":\"");
    if (at == std::string::npos) {
      return {};
    }
    const auto start = at + name.size() + 4;
    return json.substr(start, json.find('"', start) - start);
  }

  testing::temp_dir dir_;
  std::shared_ptr<testing::manual_clock> clock_;
  std::shared_ptr<audit_log> audit_;
  std::unique_ptr<governance_service> controller_;
  std::unique_ptr<admin_server> server_;
};

TEST_F(AdminServer, WrongOrMissingTokenIs401AndAudited) {
  const auto wrong = call("GET", "/admin/keys", "", "not-the-token-at-all");
  EXPECT_EQ(wrong.status, 401) << wrong.error;
  EXPECT_NE(wrong.body.find("wrong admin token"), std::string::npos);
  const auto missing = call("GET", "/admin/keys", "", "");
  EXPECT_EQ(missing.status, 401);
  EXPECT_NE(missing.body.find("missing admin token"), std::string::npos);
  const std::string text = audit_text();
  EXPECT_NE(text.find("\"type\":\"admin.auth_failed\""), std::string::npos);
  EXPECT_EQ(text.find("not-the-token-at-all"), std::string::npos);  // never the presented secret
}

TEST_F(AdminServer, MalformedJsonIs400WithTheReasonAndAudited) {
  const auto r = call("POST", "/admin/keys", "{\"name\": \"x\",");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("not valid JSON"), std::string::npos) << r.body;
  const auto not_object = call("POST", "/admin/keys", "[1,2]");
  EXPECT_EQ(not_object.status, 400);
  EXPECT_NE(not_object.body.find("must be a JSON object"), std::string::npos);
  EXPECT_NE(audit_text().find("\"type\":\"admin.bad_request\""), std::string::npos);
}

TEST_F(AdminServer, WrongFieldsAreNamedInTheError) {
  const auto typo = call("POST", "/admin/keys", R"({"name":"a","limits":{"requests_per_minit":5}})");
  EXPECT_EQ(typo.status, 400);
  EXPECT_NE(typo.body.find("unknown field 'limits.requests_per_minit'"), std::string::npos) << typo.body;
  const auto type = call("POST", "/admin/keys", R"({"name":"a","limits":{"requests_per_minute":"five"}})");
  EXPECT_EQ(type.status, 400);
  EXPECT_NE(type.body.find("non-negative integer"), std::string::npos);
  const auto cidr = call("POST", "/admin/keys", R"({"name":"a","ip_allowlist":["10.0.0.0/99"]})");
  EXPECT_EQ(cidr.status, 400);
  EXPECT_NE(cidr.body.find("10.0.0.0/99"), std::string::npos);
  const auto unnamed = call("POST", "/admin/keys", R"({"team":"x"})");
  EXPECT_EQ(unnamed.status, 400);
  EXPECT_NE(unnamed.body.find("name is required"), std::string::npos);
}

TEST_F(AdminServer, KeyLifecycleCreateShowUpdateRotateRevoke) {
  const auto created = call("POST", "/admin/keys",
                            R"({"name":"ranker","team":"search","allowed_models":["claude-haiku-*"],
                                "limits":{"requests_per_minute":60,"monthly_usd_budget":25.5,"alert_thresholds":[0.5,0.9]},
                                "expires_at":"2026-12-31"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string secret = field(created.body, "secret");
  const std::string id = field(created.body, "id");
  ASSERT_TRUE(secret.starts_with("sk-sluice-"));
  EXPECT_NE(created.body.find("\"expires_at\":\"2026-12-31T00:00:00.000Z\""), std::string::npos);
  EXPECT_TRUE(controller_->admit(testing::request_with(secret, "claude-haiku-4-5")).allowed);

  const auto listed = call("GET", "/admin/keys");
  EXPECT_EQ(listed.status, 200);
  EXPECT_NE(listed.body.find(id), std::string::npos);
  EXPECT_EQ(listed.body.find(secret), std::string::npos);  // shown once only

  const auto shown = call("GET", "/admin/keys/" + id);
  EXPECT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("\"monthly_usd_budget\":25.5"), std::string::npos) << shown.body;
  EXPECT_NE(shown.body.find("\"alert_thresholds\":[0.5,0.9]"), std::string::npos) << shown.body;

  const auto updated = call("PATCH", "/admin/keys/" + id, R"({"limits":{"requests_per_minute":1}})");
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_NE(updated.body.find("\"requests_per_minute\":1,"), std::string::npos);
  EXPECT_NE(updated.body.find("\"monthly_usd_budget\":25.5"), std::string::npos);  // untouched fields kept

  const auto rotated = call("POST", "/admin/keys/" + id + "/rotate", R"({"grace_seconds":60})");
  EXPECT_EQ(rotated.status, 200) << rotated.body;
  const std::string new_secret = field(rotated.body, "secret");
  EXPECT_NE(new_secret, secret);
  EXPECT_NE(rotated.body.find("\"previous_secret_valid_until\":\"2026-03-10T12:01:00.000Z\""), std::string::npos)
      << rotated.body;

  const auto revoked = call("POST", "/admin/keys/" + id + "/revoke");
  EXPECT_EQ(revoked.status, 200);
  EXPECT_NE(revoked.body.find("\"status\":\"revoked\""), std::string::npos);
  EXPECT_EQ(controller_->admit(testing::request_with(new_secret, "claude-haiku-4-5")).reason, refusal::revoked_key);

  const std::string text = audit_text();
  for (const char* type : {"key.created", "key.updated", "key.rotated", "key.revoked"}) {
    EXPECT_NE(text.find(std::string("\"type\":\"") + type + "\""), std::string::npos) << type;
  }
  EXPECT_EQ(text.find(secret), std::string::npos);
  EXPECT_EQ(text.find(new_secret), std::string::npos);
}

TEST_F(AdminServer, UnknownKeyRouteAndMethodAreClear) {
  EXPECT_EQ(call("GET", "/admin/keys/key_nope").status, 404);
  EXPECT_EQ(call("GET", "/admin/nothing").status, 404);
  const auto r = call("DELETE", "/admin/keys");
  EXPECT_EQ(r.status, 405);
  EXPECT_NE(r.body.find("allowed: GET, POST"), std::string::npos);
}

TEST_F(AdminServer, UsageIsGroupedOverATimeRange) {
  const auto created = call("POST", "/admin/keys", R"({"name":"a","team":"search","project":"ranker"})");
  const std::string secret = field(created.body, "secret");
  for (int i = 0; i < 2; ++i) {
    auto a = controller_->admit(testing::request_with(secret));
    controller_->settle(std::move(a.held), testing::used(100, 50));
  }
  const auto r = call("GET", "/admin/usage?group_by=team&from=2026-03-01&to=2026-04-01");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("\"group\":\"search\",\"requests\":2,\"input_tokens\":200,\"output_tokens\":100"),
            std::string::npos)
      << r.body;
  const auto empty = call("GET", "/admin/usage?group_by=model&from=2026-01-01&to=2026-02-01");
  EXPECT_NE(empty.body.find("\"rows\":[]"), std::string::npos);
  EXPECT_EQ(call("GET", "/admin/usage?group_by=color").status, 400);
  EXPECT_EQ(call("GET", "/admin/usage?from=yesterday").status, 400);
}

TEST_F(AdminServer, AuditQueryFiltersByTypeAndKey) {
  const auto created = call("POST", "/admin/keys", R"({"name":"a"})");
  const std::string id = field(created.body, "id");
  (void)call("POST", "/admin/keys/" + id + "/revoke");
  (void)call("GET", "/admin/keys", "", "wrong-token-xxxxxxxxxxxxxx");
  const auto r = call("GET", "/admin/audit?type=key.revoked&from=2026-03-10");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("key.revoked"), std::string::npos);
  EXPECT_EQ(r.body.find("admin.auth_failed"), std::string::npos);
  const auto by_key = call("GET", "/admin/audit?key_id=" + id + "&from=2026-03-10");
  EXPECT_NE(by_key.body.find("key.created"), std::string::npos);
  const auto head = call("GET", "/admin/audit/head");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(field(head.body, "head").size(), 64u);
}

}  // namespace
}  // namespace sluice::gateway
