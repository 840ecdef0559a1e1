// The gateway's HTTP surface: endpoints, limits, deadlines and errors in each client's dialect.
#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "gateway_harness.h"

namespace sluice::gateway {
namespace {

using testing::harness;
using testing::harness_options;
using testing::http_call;
using testing::messages_body;

TEST(GatewayServer, ForwardsAMessageToTheUpstreamAndReturnsItsAnswer) {
  harness h;
  auto r = h.post_messages(messages_body("hello there"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.body.find("Echo: hello there"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("\"usage\""), std::string::npos);
  EXPECT_FALSE(r.header("request-id").empty());
  EXPECT_EQ(h.sim().request_count(), 1u);
  EXPECT_EQ(h.sim().last_request_header("x-api-key"), "test-upstream-key");
  EXPECT_EQ(h.sim().last_request_header("anthropic-version"), "2023-06-01");
}

TEST(GatewayServer, ServesSeveralRequestsOnOneKeepAliveConnection) {
  harness h;
  const std::string out = testing::raw_exchange(h.port(), testing::keep_alive_then_close(messages_body("one")));
  std::size_t answers = 0;
  for (std::size_t pos = 0; (pos = out.find("HTTP/1.1 200", pos)) != std::string::npos; ++pos) {
    ++answers;
  }
  EXPECT_EQ(answers, 2u) << out;
}

TEST(GatewayServer, AnAnswerSaysWhetherTheConnectionStaysOpenAndHowLongItsBodyIs) {
  harness h;
  const std::string out = testing::raw_exchange(h.port(), testing::keep_alive_then_close(messages_body("one")));
  std::size_t pos = 0;
  for (int i = 0; i < 2; ++i) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    ASSERT_TRUE(testing::parse_response(out, pos, parser)) << "response " << i << " of:\n" << out;
    const auto& res = parser.get();
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.keep_alive(), i == 0);
    EXPECT_EQ(res[boost::beast::http::field::content_length], std::to_string(res.body().size()));
    EXPECT_EQ(res[boost::beast::http::field::server], "sluice");
    EXPECT_FALSE(res["request-id"].empty());
    EXPECT_NE(res.body().find("\"type\":\"message\""), std::string::npos) << res.body();
  }
  EXPECT_EQ(pos, out.size());
}

TEST(GatewayServer, AddsTheTargetsDefaultMaxTokensWhenTheRequestHasNone) {
  harness_options o;
  o.target_extra = "      default_max_tokens: 321\n";
  harness h(o);
  auto r = h.post_messages(R"({"model":"claude-sim-1","messages":[{"role":"user","content":"hi"}]})");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(h.sim().last_request_body().find("\"max_tokens\":321"), std::string::npos);
}

TEST(GatewayServer, HealthReadinessModelsAndMetricsAnswer) {
  harness h;
  auto health = http_call(h.port(), "GET", "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_NE(health.body.find("\"ok\""), std::string::npos);
  EXPECT_EQ(http_call(h.port(), "GET", "/readyz").status, 200u);
  auto models = http_call(h.port(), "GET", "/v1/models");
  EXPECT_EQ(models.status, 200u);
  EXPECT_NE(models.body.find("\"id\":\"claude-sim-1\""), std::string::npos) << models.body;
  ASSERT_EQ(h.post_messages(messages_body("count me")).status, 200u);
  auto metrics = http_call(h.port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200u);
  EXPECT_NE(metrics.header("content-type").find("text/plain"), std::string::npos);
  EXPECT_NE(metrics.body.find("sluice_requests_total{endpoint=\"/v1/messages\",code=\"200\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("sluice_gateway_overhead_milliseconds_count 1"), std::string::npos);
}

TEST(GatewayServer, UnknownRouteIs404InAnthropicShape) {
  harness h;
  auto r = http_call(h.port(), "GET", "/v2/whatever");
  EXPECT_EQ(r.status, 404u);
  EXPECT_NE(r.body.find(R"("type":"error","error":{"type":"not_found_error")"), std::string::npos) << r.body;
}

TEST(GatewayServer, WrongMethodIs405WithAllow) {
  harness h;
  auto r = http_call(h.port(), "GET", "/v1/messages");
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.header("allow"), "POST");
  EXPECT_NE(r.body.find("invalid_request_error"), std::string::npos);
  EXPECT_EQ(http_call(h.port(), "POST", "/healthz", "{}").status, 405u);
}

TEST(GatewayServer, WrongContentTypeIs415InTheClientsDialect) {
  harness h;
  auto anthropic = http_call(h.port(), "POST", "/v1/messages", "hi", {}, "text/plain");
  EXPECT_EQ(anthropic.status, 415u);
  EXPECT_NE(anthropic.body.find(R"("type":"error")"), std::string::npos);
  auto openai = http_call(h.port(), "POST", "/v1/chat/completions", "hi", {}, "text/plain");
  EXPECT_EQ(openai.status, 415u);
  EXPECT_NE(openai.body.find(R"({"error":{"message":)"), std::string::npos) << openai.body;
  EXPECT_NE(openai.body.find(R"("code":)"), std::string::npos);
  EXPECT_EQ(h.sim().request_count(), 0u);
}

TEST(GatewayServer, MalformedJsonIs400AndNothingGoesUpstream) {
  harness h;
  auto r = h.post_messages(R"({"model": "x", "messages": [ {"role": "user", "content": "unterminated }]})");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.body.find("invalid_request_error"), std::string::npos);
  auto not_object = h.post_messages("[1,2,3]");
  EXPECT_EQ(not_object.status, 400u);
  auto no_messages = h.post_messages(R"({"model":"x"})");
  EXPECT_EQ(no_messages.status, 400u);
  EXPECT_NE(no_messages.body.find("messages"), std::string::npos);
  EXPECT_EQ(h.sim().request_count(), 0u);
}

TEST(GatewayServer, OversizedBodyAndHeadersAre413) {
  harness_options o;
  o.server = "  max_body_bytes: 2048\n  max_header_bytes: 2048\n";
  harness h(o);
  auto big = h.post_messages(messages_body(std::string(4096, 'a')));
  EXPECT_EQ(big.status, 413u);
  EXPECT_NE(big.body.find("request_too_large"), std::string::npos) << big.body;
  auto headers = http_call(h.port(), "GET", "/healthz", "", {{"x-padding", std::string(4096, 'b')}});
  EXPECT_EQ(headers.status, 413u);
  EXPECT_EQ(h.sim().request_count(), 0u);
}

TEST(GatewayServer, ASlowClientGets408AndIsDisconnected) {
  harness_options o;
  o.server = "  request_timeout_ms: 200\n";
  harness h(o);
  // Headers promise a body that never comes.
  const std::string out = testing::raw_exchange(
      h.port(), "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
      5000);
  // The deadline answers 408 in the client's dialect and closes; the upstream never hears of it.
  EXPECT_NE(out.find("HTTP/1.1 408"), std::string::npos) << out;
  EXPECT_NE(out.find("not received in time"), std::string::npos) << out;
  EXPECT_EQ(h.sim().request_count(), 0u);
  EXPECT_EQ(testing::http_call(h.port(), "GET", "/healthz").status, 200u);
}

TEST(GatewayServer, GarbageIs400) {
  harness h;
  const std::string out = testing::raw_exchange(h.port(), "THIS IS NOT HTTP\r\n\r\n", 3000);
  EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << out;
}

TEST(GatewayServer, RequiredKeysAreEnforcedInTheClientsDialect) {
  harness_options o;
  harness h(o);
  // Same gateway, now with governance requiring keys (in-memory store, no keys issued).
  h.server().install(parse_config(h.config_text() + "governance:\n  require_keys: true\n", "t.yaml"),
                     testing::test_rules());
  auto missing = h.post_messages(messages_body("hello"));
  EXPECT_EQ(missing.status, 401u);
  EXPECT_NE(missing.body.find("authentication_error"), std::string::npos) << missing.body;
  auto unknown = h.post_messages(messages_body("hello"), {{"x-api-key", "sk-sluice-not-a-real-key"}});
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(h.sim().request_count(), 0u);
}

TEST(GatewayServer, WorksWithSeveralShards) {
  harness_options o;
  o.threads = 2;
  harness h(o);
  for (int i = 0; i < 8; ++i) {
    auto r = h.post_messages(messages_body("request " + std::to_string(i)));
    ASSERT_EQ(r.status, 200u);
    EXPECT_NE(r.body.find("Echo: request " + std::to_string(i)), std::string::npos);
  }
}

}  // namespace
}  // namespace sluice::gateway
