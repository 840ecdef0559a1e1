// The operator's console on the admin listener: its page and scripts, the login that trades the admin
// token for a session cookie, the CSRF header, the JSON endpoints it reads, and that no answer repeats a
// key's secret after the one that created it.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <fstream>

#include "governance/admin/console/console_sessions.h"
#include "governance_test_support.h"
#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/audit_log.h"

namespace sluice::gateway {
namespace {

constexpr const char* token = "test-admin-token-0123456789";

class Console : public ::testing::Test {
 protected:
  Console() : clock_(std::make_shared<testing::manual_clock>(testing::test_start_ms)) {
    audit_options ao;
    ao.directory = dir_.path();
    ao.clock = clock_;
    audit_ = std::make_shared<audit_log>(ao);
    governance_options options;
    options.clock = clock_;
    options.audit = audit_;
    service_ = std::make_unique<governance_service>(options);
    api_ = std::make_unique<admin_api>(*service_, audit_, token);
  }

  admin_reply bearer(const std::string& method, const std::string& target, const std::string& body = "",
                     const std::string& presented = token) {
    admin_call c;
    c.method = method;
    c.target = target;
    c.body = body;
    c.client_ip = "127.0.0.1";
    if (!presented.empty()) {
      c.authorization = "Bearer " + presented;
    }
    return api_->handle(c);
  }

  // A request as the console's page sends it: the session cookie, and the header unless told not to.
  admin_reply browser(const std::string& method, const std::string& target, const std::string& cookie,
                      const std::string& body = "", bool with_header = true) {
    admin_call c;
    c.method = method;
    c.target = target;
    c.body = body;
    c.client_ip = "127.0.0.1";
    c.cookie = cookie;
    c.console_header = with_header ? "1" : "";
    return api_->handle(c);
  }

  // Logs in and returns the Cookie header the browser would send back.
  std::string login() {
    const auto r = browser("POST", "/console/login", "", std::string(R"({"token":")") + token + "\"}");
    EXPECT_EQ(r.status, 200u) << r.body;
    const auto end = r.set_cookie.find(';');
    return r.set_cookie.substr(0, end);
  }

  static std::string field(const std::string& json, const std::string& name) {
    const auto at = json.find("\"" + name + "\":\"");
    if (at == std::string::npos) {
      return {};
    }
    const auto start = at + name.size() + 4;
    return json.substr(start, json.find('"', start) - start);
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

  testing::temp_dir dir_;
  std::shared_ptr<testing::manual_clock> clock_;
  std::shared_ptr<audit_log> audit_;
  std::unique_ptr<governance_service> service_;
  std::unique_ptr<admin_api> api_;
};

TEST_F(Console, PageAndScriptsAreServedWithoutATokenAndRunNoInlineScript) {
  const auto page = bearer("GET", "/", "", "");
  ASSERT_EQ(page.status, 200u);
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("<script type=\"module\" src=\"/console/console.js\"></script>"), std::string::npos);
  EXPECT_EQ(page.body.find("<script>"), std::string::npos);
  EXPECT_EQ(page.body.find("style="), std::string::npos);
  EXPECT_EQ(page.body.find("http"), std::string::npos);  // nothing loaded from elsewhere
  EXPECT_EQ(bearer("GET", "/console/favicon.svg", "", "").content_type, "image/svg+xml");
  for (const char* asset : {"/console/console.js", "/console/dom.js", "/console/keys.js", "/console/usage.js",
                            "/console/alerts.js", "/console/audit.js", "/console/live.js", "/console/chart.js"}) {
    const auto js = bearer("GET", asset, "", "");
    EXPECT_EQ(js.status, 200u) << asset;
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8") << asset;
    EXPECT_EQ(js.body.find("innerHTML"), std::string::npos) << asset;  // text nodes only
    EXPECT_EQ(js.body.find("localStorage"), std::string::npos) << asset;
  }
  EXPECT_EQ(bearer("GET", "/console/console.css", "", "").content_type, "text/css; charset=utf-8");
  EXPECT_EQ(bearer("GET", "/console/nothing.js", "", "").status, 404u);
  EXPECT_EQ(bearer("GET", "/console/../admin/keys", "", "").status, 404u);
}

TEST_F(Console, ItsEndpointsRefuseAMissingOrWrongToken) {
  for (const char* target : {"/admin/usage/daily?group_by=team", "/admin/metrics", "/admin/audit/verify",
                             "/admin/keys?usage=1", "/admin/audit?type=alert.*"}) {
    const auto missing = bearer("GET", target, "", "");
    EXPECT_EQ(missing.status, 401u) << target;
    const auto wrong = bearer("GET", target, "", "not-the-admin-token-at-all");
    EXPECT_EQ(wrong.status, 401u) << target;
    EXPECT_EQ(wrong.body.find("\"records\""), std::string::npos);
    const auto forged = browser("GET", target, "sluice_console=" + std::string(64, 'a'));
    EXPECT_EQ(forged.status, 401u) << target;
    EXPECT_EQ(bearer("GET", target).status, 200u) << target;
  }
}

TEST_F(Console, LoginTradesTheTokenForAnHttpOnlyStrictCookie) {
  EXPECT_EQ(browser("POST", "/console/login", "", R"({"token":"wrong-token-wrong-token"})").status, 401u);
  EXPECT_EQ(browser("POST", "/console/login", "", R"({"token":""})").status, 401u);
  EXPECT_EQ(browser("POST", "/console/login", "", "{}").status, 400u);
  // A cross-site form can post to the login route but cannot add the header.
  EXPECT_EQ(browser("POST", "/console/login", "", std::string(R"({"token":")") + token + "\"}", false).status, 403u);
  EXPECT_EQ(browser("GET", "/console/login", "").status, 404u);  // not an asset, not a form page

  const auto r = browser("POST", "/console/login", "", std::string(R"({"token":")") + token + "\"}");
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.set_cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(r.set_cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(r.set_cookie.find("; Path=/"), std::string::npos);
  EXPECT_EQ(r.body.find(token), std::string::npos);
  const std::string cookie = r.set_cookie.substr(0, r.set_cookie.find(';'));
  EXPECT_EQ(cookie.find(token), std::string::npos);  // a random id, not the token

  EXPECT_EQ(browser("GET", "/admin/keys", "other=1; " + cookie).status, 200u);
  // Without the console header the cookie is worth nothing (CSRF).
  const auto no_header = browser("POST", "/admin/keys", cookie, R"({"name":"csrf"})", false);
  EXPECT_EQ(no_header.status, 403u);
  EXPECT_EQ(bearer("GET", "/admin/keys").body.find("csrf"), std::string::npos);

  // Sessions expire, and logging out ends them.
  const std::string second = login();
  clock_->advance_ms(9LL * 3600 * 1000);
  EXPECT_EQ(browser("GET", "/admin/keys", cookie).status, 401u);
  const std::string third = login();
  EXPECT_EQ(browser("GET", "/admin/keys", third).status, 200u);
  const auto out = browser("POST", "/console/logout", third);
  EXPECT_NE(out.set_cookie.find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(browser("GET", "/admin/keys", third).status, 401u);

  const std::string text = audit_text();
  EXPECT_NE(text.find("admin.console_login"), std::string::npos);
  EXPECT_EQ(text.find(token), std::string::npos);
  EXPECT_EQ(text.find("wrong-token-wrong-token"), std::string::npos);
  EXPECT_EQ(text.find(cookie.substr(cookie.find('=') + 1)), std::string::npos);
}

TEST_F(Console, NoAnswerRepeatsASecretAfterTheOneThatCreatedIt) {
  const std::string cookie = login();
  const auto created = browser("POST", "/admin/keys", cookie, R"({"name":"a","team":"search"})");
  ASSERT_EQ(created.status, 201u) << created.body;
  const std::string id = field(created.body, "id");
  const std::string secret = field(created.body, "secret");
  ASSERT_EQ(secret.rfind("sk-sluice-", 0), 0u);
  auto a = service_->admit(testing::request_with(secret));
  service_->settle(std::move(a.held), testing::used(100, 50));
  const auto rotated = browser("POST", "/admin/keys/" + id + "/rotate", cookie, R"({"grace_seconds":60})");
  const std::string second = field(rotated.body, "secret");
  ASSERT_FALSE(second.empty());
  (void)browser("PATCH", "/admin/keys/" + id, cookie, R"({"project":"ranker"})");
  std::vector<std::string> answers;
  for (const auto& target : {std::string("/"), std::string("/console/console.js"), std::string("/console/keys.js"),
                             std::string("/admin/keys"), std::string("/admin/keys?usage=1"), "/admin/keys/" + id,
                             std::string("/admin/usage?group_by=key"), std::string("/admin/usage/daily?group_by=key"),
                             std::string("/admin/metrics"), std::string("/admin/audit?limit=1000"),
                             std::string("/admin/audit/head"), std::string("/admin/audit/verify")}) {
    const auto r = browser("GET", target, cookie);
    EXPECT_EQ(r.status, 200u) << target << r.body;
    answers.push_back(r.body);
  }
  answers.push_back(audit_text());
  for (const auto& body : answers) {
    EXPECT_EQ(body.find(secret), std::string::npos) << body;
    EXPECT_EQ(body.find(second), std::string::npos) << body;
    EXPECT_EQ(body.find(secret.substr(10, 20)), std::string::npos);  // not even the middle of it
  }
}

TEST_F(Console, DailyUsageMetricsAlertsAndVerify) {
  const auto created = bearer("POST", "/admin/keys",
                              R"({"name":"a","team":"search","limits":{"monthly_token_budget":400,"hard_budget":false}})");
  const std::string secret = field(created.body, "secret");
  auto first = service_->admit(testing::request_with(secret));
  service_->settle(std::move(first.held), testing::used(100, 50));
  clock_->advance_ms(86'400'000);
  for (int i = 0; i < 2; ++i) {
    auto a = service_->admit(testing::request_with(secret));
    service_->settle(std::move(a.held), testing::used(100, 50));
  }
  const auto daily = bearer("GET", "/admin/usage/daily?group_by=team&from=2026-03-10&to=2026-03-12");
  ASSERT_EQ(daily.status, 200u) << daily.body;
  EXPECT_NE(daily.body.find(R"("days":["2026-03-10","2026-03-11"])"), std::string::npos) << daily.body;
  EXPECT_NE(daily.body.find(R"({"day":"2026-03-10","group":"search","requests":1,"input_tokens":100)"), std::string::npos)
      << daily.body;
  EXPECT_NE(daily.body.find(R"({"day":"2026-03-11","group":"search","requests":2,"input_tokens":200)"), std::string::npos)
      << daily.body;
  EXPECT_EQ(bearer("GET", "/admin/usage/daily?from=2020-01-01&to=2026-01-01").status, 400u);
  EXPECT_EQ(bearer("GET", "/admin/usage/daily?group_by=color").status, 400u);

  const auto list = bearer("GET", "/admin/keys?usage=1");
  EXPECT_NE(list.body.find(R"("budget_used_this_month":{"tokens":450)"), std::string::npos) << list.body;
  EXPECT_EQ(bearer("GET", "/admin/keys").body.find("budget_used_this_month"), std::string::npos);

  const auto metrics = bearer("GET", "/admin/metrics");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.body.find(R"("requests_total":3)"), std::string::npos) << metrics.body;
  EXPECT_NE(metrics.body.find(R"("p99_ms":)"), std::string::npos);

  // 450 of 400 tokens: the soft budget's 80% and 100% alerts, found by the type prefix.
  audit_->flush();
  const auto alerts = bearer("GET", "/admin/audit?type=alert.*&from=2026-03-10");
  EXPECT_NE(alerts.body.find("\"kind\":\"budget_threshold\""), std::string::npos) << alerts.body;
  EXPECT_EQ(alerts.body.find("key.created"), std::string::npos);

  const auto verified = bearer("GET", "/admin/audit/verify");
  EXPECT_NE(verified.body.find(R"("ok":true)"), std::string::npos) << verified.body;
}

TEST(ConsoleSessions, AreBoundedExpireAndReadTheirCookie) {
  console_sessions sessions;
  std::vector<std::string> ids;
  for (std::size_t i = 0; i <= console_sessions::max_sessions; ++i) {
    ids.push_back(sessions.open(1000 + static_cast<std::int64_t>(i)));
  }
  EXPECT_FALSE(sessions.valid(ids.front(), 2000));  // the oldest made room
  EXPECT_TRUE(sessions.valid(ids.back(), 2000));
  EXPECT_FALSE(sessions.valid(ids.back(), 2000 + console_sessions::lifetime_ms));
  EXPECT_FALSE(sessions.valid("short", 2000));
  EXPECT_EQ(cookie_value("a=1; sluice_console=abc; b=2", "sluice_console"), "abc");
  EXPECT_EQ(cookie_value("xsluice_console=abc", "sluice_console"), "");
  EXPECT_EQ(cookie_value("", "sluice_console"), "");
}

// Over the network: every answer carries the strict CSP and the Set-Cookie reaches the browser.
TEST(ConsoleOverHttp, AnswersCarryAStrictContentSecurityPolicy) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  governance_service service;
  admin_options options;
  options.listen = "127.0.0.1:0";
  options.token = token;
  admin_server server(service, nullptr, options);
  auto fetch = [&](http::verb verb, const std::string& target, const std::string& body) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, "127.0.0.1");
    request.set("x-sluice-console", "1");
    request.body() = body;
    request.prepare_payload();
    http::write(socket, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    return response;
  };
  const auto page = fetch(http::verb::get, "/", "");
  const std::string csp(page["content-security-policy"]);
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(page["x-content-type-options"], "nosniff");
  const auto refused = fetch(http::verb::get, "/admin/keys", "");
  EXPECT_EQ(refused.result_int(), 401u);
  EXPECT_FALSE(refused["content-security-policy"].empty());
  const auto logged_in = fetch(http::verb::post, "/console/login", std::string(R"({"token":")") + token + "\"}");
  EXPECT_EQ(logged_in.result_int(), 200u);
  EXPECT_NE(std::string(logged_in[http::field::set_cookie]).find("HttpOnly; SameSite=Strict"), std::string::npos);
}

}  // namespace
}  // namespace sluice::gateway
