// Budget alerts reach the configured webhook (a loopback receiver here).
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "governance_test_support.h"

namespace sluice::gateway {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

TEST(AlertWebhook, BudgetThresholdAlertIsPostedAsJson) {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  std::string got;
  std::thread receiver([&] {
    // One request, answered 204, within a bounded time: io.run_for() returns even if none arrives.
    asio::ip::tcp::socket socket(io);
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::response<http::empty_body> response{http::status::no_content, 11};
    acceptor.async_accept(socket, [&](beast::error_code ec) {
      if (ec) {
        return;
      }
      http::async_read(socket, buffer, request, [&](beast::error_code rec, std::size_t) {
        if (rec) {
          return;
        }
        got = std::string(request.target()) + " " + request.body();
        http::async_write(socket, response, [&](beast::error_code, std::size_t) { io.stop(); });
      });
    });
    io.run_for(std::chrono::seconds(10));
  });

  governance_options options;
  options.clock = std::make_shared<testing::manual_clock>(testing::test_start_ms);
  options.alert_webhook_url = "http://127.0.0.1:" + std::to_string(port) + "/hooks/sluice";
  governance_service controller(options);
  auto spec = testing::key_named("alerting");
  spec.limits.monthly_token_budget = 100;
  spec.limits.hard_budget = false;
  spec.limits.alert_thresholds = {0.5};
  const std::string secret = controller.keys().create_key(spec, "test").secret;
  auto a = controller.admit(testing::request_with(secret));
  controller.settle(std::move(a.held), testing::used(40, 20));
  controller.ledger().flush();

  receiver.join();
  ASSERT_FALSE(got.empty()) << "no webhook call arrived";
  EXPECT_EQ(got.rfind("/hooks/sluice ", 0), 0u) << got;
  EXPECT_NE(got.find("\"type\":\"alert.budget\""), std::string::npos) << got;
  EXPECT_NE(got.find("\"threshold\":0.5"), std::string::npos) << got;
  EXPECT_EQ(got.find(secret), std::string::npos);
}

}  // namespace
}  // namespace sluice::gateway
