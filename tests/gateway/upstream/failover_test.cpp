// Failover on its own, against the upstream simulator: retries of a retryable status with back-off,
// the next target when one is down or has no key, the last refusal kept, each target's own body.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "sluice/sim/upstream_sim.h"
#include "upstream/failover.h"

namespace sluice::gateway {
namespace {

constexpr const char* key_variable = "SLUICE_FAILOVER_TEST_KEY";

std::string messages_body(std::string_view text) {
  return R"({"model":"claude-test","max_tokens":16,"messages":[{"role":"user","content":")" + std::string(text) +
         "\"}]}";
}

// The same body for every target; remembers which targets were asked for.
class recorded_bodies final : public target_bodies {
 public:
  explicit recorded_bodies(std::string body) : body_(std::move(body)) {}
  std::string_view body_for(std::size_t i) override {
    asked.push_back(i);
    return body_;
  }
  std::vector<std::size_t> asked;

 private:
  std::string body_;
};

class Failover : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv(key_variable, "test-key", 1);
    simulator_options o;
    o.api_key = "test-key";
    sim_ = std::make_unique<upstream_simulator>(o);
    sim_->start();
  }

  target_config target(std::string id, std::uint16_t port) const {
    target_config t;
    t.id = std::move(id);
    t.provider = "anthropic";
    t.tls = false;
    t.host = "127.0.0.1";
    t.port = port;
    t.base_url = "http://127.0.0.1:" + std::to_string(port);
    t.secret.env = key_variable;
    t.retry.max_attempts = 3;
    t.retry.backoff = std::chrono::milliseconds(1);
    t.retry.max_backoff = std::chrono::milliseconds(5);
    t.timeouts.connect = std::chrono::milliseconds(500);
    return t;
  }

  // A port on which nothing listens.
  std::uint16_t dead_port() {
    tcp::acceptor a(ioc_, {net::ip::make_address("127.0.0.1"), 0});
    const auto port = a.local_endpoint().port();
    a.close();
    return port;
  }

  // Runs the failover over `targets` with a connected client that stays.
  failover_outcome run(const std::vector<target_config>& targets, target_bodies& bodies, unsigned* status = nullptr) {
    tcp::acceptor acceptor(ioc_, {net::ip::make_address("127.0.0.1"), 0});
    tcp::socket client(ioc_);
    client.connect(acceptor.local_endpoint());
    beast::tcp_stream accepted(acceptor.accept());
    upstream_pool pool(ioc_.get_executor(), nullptr);
    keys_.reset(targets.size());
    failover_outcome outcome = failover_outcome::failed;
    net::co_spawn(
        ioc_,
        [&]() -> awaitable<void> {
          std::optional<upstream_call> call;
          const client_watch watch(accepted, call, client_watch::make_state());
          failover_request request;
          request.targets = targets;
          request.path = "/v1/messages";
          outcome = co_await failover_.run(pool, keys_, request, bodies, call, watch);
          if (outcome == failover_outcome::answered) {
            if (status != nullptr) {
              *status = call->status();
            }
            std::string body;
            (void)co_await call->read_body(body, 1 << 20);
            call->finish();
          }
        },
        net::detached);
    ioc_.run();
    ioc_.restart();
    return outcome;
  }

  net::io_context ioc_;
  std::unique_ptr<upstream_simulator> sim_;
  upstream_keys keys_;
  upstream_failover failover_;
};

TEST_F(Failover, RetriesARetryableStatusUntilTheTargetAnswers) {
  recorded_bodies bodies(messages_body("SIM_FAIL=529x2#failover-retry hello"));
  unsigned status = 0;
  EXPECT_EQ(run({target("main", sim_->port())}, bodies, &status), failover_outcome::answered);
  EXPECT_EQ(status, 200u);
  EXPECT_EQ(failover_.target(), 0u);
  EXPECT_EQ(failover_.counts().retried, 2u);
  EXPECT_EQ(sim_->request_count(), 3u);
}

TEST_F(Failover, KeepsTheLastRefusalWhenTheBudgetRunsOut) {
  recorded_bodies bodies(messages_body("SIM_ERROR=429"));
  EXPECT_EQ(run({target("main", sim_->port())}, bodies), failover_outcome::refused);
  EXPECT_EQ(failover_.refused_status(), 429u);
  EXPECT_NE(failover_.refused_body().find("rate_limit_error"), std::string_view::npos) << failover_.refused_body();
  EXPECT_EQ(failover_.counts().retried, 3u);
  EXPECT_EQ(sim_->request_count(), 3u);
}

TEST_F(Failover, ClientErrorsAreAnswersNotRetried) {
  recorded_bodies bodies(messages_body("SIM_ERROR=400"));
  unsigned status = 0;
  EXPECT_EQ(run({target("main", sim_->port())}, bodies, &status), failover_outcome::answered);
  EXPECT_EQ(status, 400u);
  EXPECT_EQ(sim_->request_count(), 1u);
}

TEST_F(Failover, MovesToTheNextTargetWhenOneIsDownOrHasNoKey) {
  std::vector<target_config> targets{target("down", dead_port()), target("keyless", sim_->port()),
                                     target("backup", sim_->port())};
  targets[1].secret.env = "SLUICE_FAILOVER_TEST_UNSET_KEY";
  ::unsetenv("SLUICE_FAILOVER_TEST_UNSET_KEY");
  recorded_bodies bodies(messages_body("hello"));
  EXPECT_EQ(run(targets, bodies), failover_outcome::answered);
  EXPECT_EQ(failover_.target(), 2u);
  EXPECT_EQ(failover_.counts().connect_errors, 3u);  // each attempt on the dead target
  EXPECT_EQ(bodies.asked, (std::vector<std::size_t>{0, 2}));  // no body is made for a target without a key
  EXPECT_EQ(sim_->request_count(), 1u);
}

TEST_F(Failover, NothingToTryFailsWithAMessage) {
  recorded_bodies bodies(messages_body("hello"));
  EXPECT_EQ(run({}, bodies), failover_outcome::failed);
  EXPECT_EQ(failover_.failure_message(), "no upstream target is configured");
  std::vector<target_config> down{target("down", dead_port())};
  down[0].retry.max_attempts = 1;
  EXPECT_EQ(run(down, bodies), failover_outcome::failed);
  EXPECT_EQ(failover_.failure(), upstream_failure::connect);
  EXPECT_TRUE(failover_.failure_message().starts_with("upstream down: ")) << failover_.failure_message();
}

TEST(RetryableStatus, IsTheOverloadAndServerErrors) {
  for (const unsigned s : {429u, 500u, 502u, 503u, 504u, 529u}) {
    EXPECT_TRUE(retryable_status(s)) << s;
  }
  for (const unsigned s : {200u, 400u, 401u, 403u, 404u, 413u, 501u}) {
    EXPECT_FALSE(retryable_status(s)) << s;
  }
}

}  // namespace
}  // namespace sluice::gateway
