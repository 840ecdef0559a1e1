// The upstream side: retries before the first byte, fallbacks, pass-through of the upstream's refusals,
// unreachable and dying upstreams.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include <fstream>
#include <thread>

#include "gateway_harness.h"

namespace sluice::gateway {
namespace {

using testing::harness;
using testing::harness_options;
using testing::messages_body;

// A port on which nothing listens (bound, then closed).
std::uint16_t dead_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = a.local_endpoint().port();
  a.close();
  return port;
}

TEST(Upstream, RetriesOverloadedAnswersBeforeTheClientSeesAnything) {
  harness h;
  auto r = h.post_messages(messages_body("SIM_FAIL=529x2#retry-a please"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(h.sim().request_count(), 3u);
}

TEST(Upstream, GivesUpAfterTheRetryBudgetAndPassesTheLastErrorThrough) {
  harness h;
  auto r = h.post_messages(messages_body("SIM_ERROR=529"));
  EXPECT_EQ(r.status, 529u);
  EXPECT_NE(r.body.find("overloaded_error"), std::string::npos) << r.body;
  EXPECT_EQ(h.sim().request_count(), 3u);
}

TEST(Upstream, RateLimitPassesThroughWithRetryAfter) {
  harness h;
  auto r = h.post_messages(messages_body("SIM_ERROR=429"));
  EXPECT_EQ(r.status, 429u);
  EXPECT_NE(r.body.find("rate_limit_error"), std::string::npos);
  EXPECT_FALSE(r.header("retry-after").empty());
}

TEST(Upstream, AuthenticationFailurePassesThroughWithoutRetry) {
  harness_options o;
  o.sim.api_key = "another-key";
  harness h(o);
  auto r = h.post_messages(messages_body("hello"));
  EXPECT_EQ(r.status, 401u);
  EXPECT_NE(r.body.find("authentication_error"), std::string::npos);
  EXPECT_EQ(h.sim().request_count(), 1u);
}

TEST(Upstream, ClientErrorsFromTheUpstreamAreNotRetried) {
  harness h;
  auto r = h.post_messages(messages_body("SIM_ERROR=400"));
  EXPECT_EQ(r.status, 400u);
  EXPECT_EQ(h.sim().request_count(), 1u);
}

TEST(Upstream, UnreachableUpstreamGives502InTheClientsDialect) {
  harness h;
  // Re-point the only target at a dead port.
  std::string cfg = h.config_text();
  const std::string from = "http://127.0.0.1:" + std::to_string(h.sim().port());
  cfg.replace(cfg.find(from), from.size(), "http://127.0.0.1:" + std::to_string(dead_port()));
  h.server().install(parse_config(cfg, "t.yaml"), testing::test_rules());
  auto r = h.post_messages(messages_body("hello"));
  EXPECT_EQ(r.status, 502u);
  EXPECT_NE(r.body.find(R"("type":"error","error":{"type":"api_error")"), std::string::npos) << r.body;
}

TEST(Upstream, FallsBackToTheNextTargetWhenTheFirstIsDown) {
  harness_options o;
  harness h(o);
  std::string cfg = h.config_text();
  const std::string from = "http://127.0.0.1:" + std::to_string(h.sim().port());
  cfg.replace(cfg.find(from), from.size(), "http://127.0.0.1:" + std::to_string(dead_port()));
  cfg.replace(cfg.find("policies:") == std::string::npos ? cfg.size() : cfg.find("policies:"), 0,
              "    - id: backup\n      base_url: " + from +
                  "\n      secret_key_ref: {env: SLUICE_GATEWAY_TEST_KEY}\n");
  h.server().install(parse_config(cfg, "t.yaml"), testing::test_rules());
  auto r = h.post_messages(messages_body("hello"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(h.sim().request_count(), 1u);
}

TEST(Upstream, SecretFileIsReReadWhenItChanges) {
  harness_options o;
  o.sim.api_key = "key-two";
  harness h(o);
  const auto key_file = h.dir() / "upstream.key";
  {
    std::ofstream(key_file) << "key-one\n";
  }
  std::string cfg = h.config_text();
  const std::string env = "env: SLUICE_GATEWAY_TEST_KEY";
  cfg.replace(cfg.find(env), env.size(), "file: " + key_file.string());
  h.server().install(parse_config(cfg, "t.yaml"), testing::test_rules());
  EXPECT_EQ(h.post_messages(messages_body("hello")).status, 401u);
  {
    std::ofstream(key_file) << "key-two\n";
  }
  // The file is checked at most once a second; a later write time makes the change visible.
  std::filesystem::last_write_time(key_file, std::filesystem::file_time_type::clock::now() + std::chrono::seconds(5));
  unsigned status = 0;
  for (int i = 0; i < 40 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    status = h.post_messages(messages_body("hello")).status;
  }
  EXPECT_EQ(status, 200u);
}

}  // namespace
}  // namespace sluice::gateway

namespace sluice::gateway {
namespace {

// The body of GET /metrics on the harness's gateway.
std::string metrics_of(testing::harness& h) { return testing::http_call(h.port(), "GET", "/metrics").body; }

TEST(Upstream, AClientThatLeavesCancelsItsWholeAnswerRequest) {
  testing::harness h;
  const std::string body = testing::messages_body("SIM_DELAY=3000 a slow answer nobody waits for");
  const std::string request = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body;
  // Sends the request and closes the connection after 300 ms, long before the simulated 3 s answer.
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket client(ioc);
    client.connect({boost::asio::ip::make_address("127.0.0.1"), h.port()});
    boost::asio::write(client, boost::asio::buffer(request));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(client.available(), 0u) << "the answer cannot be there yet";
  }
  // The gateway gives up on the upstream at once and records 499 (client closed request); without
  // the cancellation it would still be waiting for the simulator here.
  std::string m;
  for (int i = 0; i < 40 && m.find(R"(code="499")") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
    m = metrics_of(h);
  }
  EXPECT_NE(m.find(R"(sluice_requests_total{endpoint="/v1/messages",code="499"} 1)"), std::string::npos) << m;
  EXPECT_EQ(h.sim().request_count(), 1u);
}

}  // namespace
}  // namespace sluice::gateway
