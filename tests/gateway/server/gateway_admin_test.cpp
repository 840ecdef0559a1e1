// The admin API as `sluice gateway run` serves it: on its own listener next to the shards, over the
// same key table, so what an operator does there applies to the very next request.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <cstdlib>
#include <fstream>

#include "gateway_harness.h"
#include "sluice/gateway/audit_verify.h"

namespace sluice::gateway {
namespace {

using testing::harness;
using testing::harness_options;
using testing::http_reply;
using testing::messages_body;

constexpr const char* admin_token = "gateway-admin-token-0123456789";

std::string governance_yaml(const std::string& extra = {}) {
  return "  require_keys: true\n"
         "  admin:\n"
         "    listen: 127.0.0.1:0\n"
         "    token_env: SLUICE_GATEWAY_TEST_ADMIN_TOKEN\n" +
         extra;
}

harness_options with_governance(const std::string& extra = {}) {
  ::setenv("SLUICE_GATEWAY_TEST_ADMIN_TOKEN", admin_token, 1);
  harness_options o;
  o.threads = 2;  // revocation must reach every shard
  o.governance = governance_yaml(extra);
  return o;
}

http_reply admin_call(harness& h, const std::string& method, const std::string& path, const std::string& body = {},
                      const std::string& token = admin_token) {
  return testing::http_call(h.server().admin_port(), method, path, body, {{"authorization", "Bearer " + token}});
}

using testing::json_field;

TEST(GatewayAdmin, KeyCreatedThroughTheAdminApiWorksAndRevocationIsImmediate) {
  harness h(with_governance());
  ASSERT_NE(h.server().admin_port(), 0) << h.server().admin_status();
  EXPECT_EQ(h.post_messages(messages_body("before any key")).status, 401u);

  const auto created = admin_call(h, "POST", "/admin/keys", R"({"name":"svc","team":"search"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string secret = json_field(created.body, "secret");
  const std::string id = json_field(created.body, "id");
  ASSERT_TRUE(secret.starts_with("sk-sluice-")) << created.body;

  // Each call is a new connection, so the requests spread over both shards.
  for (int i = 0; i < 6; ++i) {
    const auto r = h.post_messages(messages_body("hello " + std::to_string(i)), {{"x-api-key", secret}});
    ASSERT_EQ(r.status, 200u) << r.body;
  }
  EXPECT_EQ(h.post_messages(messages_body("bearer"), {{"authorization", "Bearer " + secret}}).status, 200u);

  const auto revoked = admin_call(h, "POST", "/admin/keys/" + id + "/revoke");
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  const std::size_t upstream_before = h.sim().request_count();
  for (int i = 0; i < 6; ++i) {
    const auto r = h.post_messages(messages_body("after revoke"), {{"x-api-key", secret}});
    EXPECT_EQ(r.status, 401u) << r.body;
    EXPECT_NE(r.body.find("revoked"), std::string::npos) << r.body;
  }
  EXPECT_EQ(h.sim().request_count(), upstream_before);  // nothing reached the upstream
}

TEST(GatewayAdmin, ReloadKeepsTheAdminApiAndTheKeyTable) {
  harness h(with_governance());
  const std::uint16_t admin_port = h.server().admin_port();
  const auto created = admin_call(h, "POST", "/admin/keys", R"({"name":"before-reload"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string secret = json_field(created.body, "secret");
  h.server().install(parse_config(h.config_text(), "reloaded.yaml"), testing::test_rules());
  EXPECT_EQ(h.server().admin_port(), admin_port);
  EXPECT_EQ(h.post_messages(messages_body("after reload"), {{"x-api-key", secret}}).status, 200u);
  const auto revoked = admin_call(h, "POST", "/admin/keys/" + json_field(created.body, "id") + "/revoke");
  ASSERT_EQ(revoked.status, 200u);
  EXPECT_EQ(h.post_messages(messages_body("revoked after reload"), {{"x-api-key", secret}}).status, 401u);
}

TEST(GatewayAdmin, WrongOrMissingAdminTokenIs401Json) {
  harness h(with_governance());
  const auto wrong = admin_call(h, "GET", "/admin/keys", {}, "not-the-admin-token-at-all");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(wrong.header("content-type"), "application/json");
  EXPECT_NE(wrong.body.find(R"("error":{"type":)"), std::string::npos) << wrong.body;
  EXPECT_NE(wrong.body.find("wrong admin token"), std::string::npos) << wrong.body;
  const auto missing = testing::http_call(h.server().admin_port(), "GET", "/admin/keys");
  EXPECT_EQ(missing.status, 401u);
  EXPECT_NE(missing.body.find("missing admin token"), std::string::npos) << missing.body;
  // The gateway's own port does not serve the admin API.
  EXPECT_NE(h.post_messages("{}", {{"authorization", std::string("Bearer ") + admin_token}}).status, 201u);
}

TEST(GatewayAdmin, ConfiguredPricesDecideUsdBudgets) {
  // One USD per token: any request is over a 1 USD hard budget.
  harness h(with_governance(
      "  prices:\n    - {model: \"claude-sim-*\", input_per_mtok: 1000000, output_per_mtok: 1000000}\n"));
  const auto created = admin_call(h, "POST", "/admin/keys", R"({"name":"tiny","limits":{"monthly_usd_budget":1}})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto r = h.post_messages(messages_body("hello"), {{"x-api-key", json_field(created.body, "secret")}});
  EXPECT_EQ(r.status, 429u) << r.body;
  EXPECT_NE(r.body.find("budget_exceeded"), std::string::npos) << r.body;
}

TEST(GatewayAdmin, AdminActionsGoToTheSignedGovernanceAuditLog) {
  ::setenv("SLUICE_GATEWAY_TEST_AUDIT_KEY", "audit-signing-key-0123456789abcdef", 1);
  harness h(with_governance("  audit:\n    directory: @DIR@/audit\n    signing_key_env: SLUICE_GATEWAY_TEST_AUDIT_KEY\n"));
  ASSERT_EQ(admin_call(h, "POST", "/admin/keys", R"({"name":"audited"})").status, 201u);
  EXPECT_EQ(admin_call(h, "GET", "/admin/keys", {}, "wrong-token-wrong-token").status, 401u);
  h.server().shutdown();  // drains and flushes the audit log
  const std::string dir = (h.dir() / "audit").string();
  std::string text;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path());
    text.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_NE(text.find("\"type\":\"key.created\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"type\":\"admin.auth_failed\""), std::string::npos) << text;
  const auto verified = verify_audit_files({dir}, {}, "audit-signing-key-0123456789abcdef");
  EXPECT_TRUE(verified.ok()) << verified.message;
  EXPECT_GE(verified.signed_checkpoints, 1u);
  EXPECT_EQ(verify_audit_files({dir}, {}, "some-other-key-0123456789abcdef").problem, audit_problem::signature);
}

TEST(GatewayAdmin, ShutdownClosesIdleAdminConnectionsAndTheListener) {
  harness h(with_governance());
  const std::uint16_t port = h.server().admin_port();
  ASSERT_NE(port, 0);
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::socket idle(ioc);
  idle.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  ASSERT_EQ(admin_call(h, "GET", "/admin/keys").status, 200u);
  h.server().shutdown();
  char byte = 0;
  boost::system::error_code ec;
  boost::asio::read(idle, boost::asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, boost::asio::error::eof);  // closed by the gateway, not left hanging
  boost::asio::ip::tcp::socket late(ioc);
  late.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_TRUE(ec) << "the admin listener still accepts after shutdown";
}

TEST(GatewayAdmin, RequiredAdminApiWithoutATokenRefusesToStart) {
  ::unsetenv("SLUICE_GATEWAY_TEST_NO_TOKEN");
  harness_options o;
  o.governance = "  admin:\n    enabled: true\n    listen: 127.0.0.1:0\n    token_env: SLUICE_GATEWAY_TEST_NO_TOKEN\n";
  try {
    harness h(o);
    FAIL() << "the gateway started without an admin token";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("SLUICE_GATEWAY_TEST_NO_TOKEN"), std::string::npos) << e.what();
  }
  // Without `enabled: true` the gateway runs and says why the admin API is off.
  o.governance = "  admin:\n    listen: 127.0.0.1:0\n    token_env: SLUICE_GATEWAY_TEST_NO_TOKEN\n";
  harness h(o);
  EXPECT_EQ(h.server().admin_port(), 0);
  EXPECT_NE(h.server().admin_status().find("SLUICE_GATEWAY_TEST_NO_TOKEN"), std::string::npos);
  EXPECT_EQ(h.post_messages(messages_body("open mode")).status, 200u);
}

}  // namespace
}  // namespace sluice::gateway
