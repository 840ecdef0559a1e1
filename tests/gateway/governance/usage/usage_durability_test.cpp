// A gateway killed with SIGKILL loses no more usage than one batch interval.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "governance_test_support.h"

namespace sluice::gateway {
namespace {

TEST(UsageDurability, UsageSettledBeforeTheLastBatchSurvivesSigkill) {
  testing::temp_dir dir;
  const std::string db = dir.file("sluice.db");
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The "gateway": settle 500 requests, wait two batch intervals, signal, keep settling until killed.
    ::close(ready[0]);
    governance_options options;
    options.store_path = db;
    options.usage_flush_interval_ms = 50;
    governance_service controller(options);
    const std::string secret = controller.keys().create_key(testing::key_named("k"), "test").secret;
    for (int i = 0; i < 500; ++i) {
      auto a = controller.admit(testing::request_with(secret));
      controller.settle(std::move(a.held), testing::used(1, 2));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    const char byte = 'k';
    (void)!::write(ready[1], &byte, 1);
    for (int i = 0; i < 2'000'000; ++i) {  // bounded: the parent kills us long before
      auto a = controller.admit(testing::request_with(secret));
      controller.settle(std::move(a.held), testing::used(1, 2));
    }
    ::_exit(3);
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  ::close(ready[0]);

  auto store = open_sqlite_store(db);
  const auto keys = store->load_keys();
  ASSERT_EQ(keys.size(), 1u);
  const auto total = store->usage_of_key(keys[0].id, 0, INT64_MAX);
  EXPECT_GE(total.requests, 500u);
  EXPECT_EQ(total.output_tokens, total.requests * 2);  // whole batches only: no torn records
}

}  // namespace
}  // namespace sluice::gateway
