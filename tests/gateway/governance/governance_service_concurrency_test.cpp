// Many threads against one key: limits and budgets hold exactly, revocation reaches every thread.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>
#include <vector>

#include "governance_test_support.h"

namespace sluice::gateway {
namespace {

using testing::key_named;
using testing::request_with;

constexpr int thread_count = 8;

struct fixture {
  fixture() : clock(std::make_shared<testing::manual_clock>(testing::test_start_ms)) {
    governance_options options;
    options.clock = clock;
    controller = std::make_unique<governance_service>(options);
  }
  std::string create(const key_record& k) { return controller->keys().create_key(k, "test").secret; }
  std::shared_ptr<testing::manual_clock> clock;
  std::unique_ptr<governance_service> controller;
};

TEST(AccessControlConcurrency, TinyRequestRateIsNeverExceededAcrossThreads) {
  fixture f;
  auto spec = key_named("rpm");
  spec.limits.requests_per_minute = 7;
  const std::string secret = f.create(spec);
  std::atomic<int> admitted{0};
  std::barrier start(thread_count);
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      for (int i = 0; i < 200; ++i) {
        auto a = f.controller->admit(request_with(secret));
        if (a.allowed) {
          admitted.fetch_add(1);
          f.controller->settle(std::move(a.held), testing::used(1, 1));
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(admitted.load(), 7);  // the clock did not move: exactly the bucket
}

TEST(AccessControlConcurrency, TinyTokenRateIsNeverExceededAcrossThreads) {
  fixture f;
  auto spec = key_named("tpm");
  spec.limits.tokens_per_minute = 1000;  // 10 requests of 100 reserved tokens
  const std::string secret = f.create(spec);
  std::atomic<int> admitted{0};
  std::barrier start(thread_count);
  std::vector<std::thread> threads;
  std::vector<std::vector<admission>> held(thread_count);
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 100; ++i) {
        auto a = f.controller->admit(request_with(secret));
        if (a.allowed) {
          admitted.fetch_add(1);
          held[t].push_back(std::move(a));  // keep the reservation: tokens stay taken
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(admitted.load(), 10);
}

TEST(AccessControlConcurrency, TinyHardBudgetIsNeverOverrunAcrossThreads) {
  fixture f;
  auto spec = key_named("budget");
  spec.limits.monthly_token_budget = 1000;
  const std::string secret = f.create(spec);
  std::atomic<std::uint64_t> settled_tokens{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
  std::barrier start(thread_count);
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < 300; ++i) {
        auto a = f.controller->admit(request_with(secret));  // reserves 10 + 90 tokens
        if (!a.allowed) {
          continue;
        }
        const int now = in_flight.fetch_add(1) + 1;
        int seen = max_in_flight.load();
        while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
        }
        // Real usage varies but never exceeds the reservation (input estimate is an upper bound).
        const std::uint32_t out = static_cast<std::uint32_t>((t * 7 + i) % 91);
        in_flight.fetch_sub(1);
        settled_tokens.fetch_add(10 + out);
        f.controller->settle(std::move(a.held), testing::used(10, out));
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_LE(settled_tokens.load(), 1000u);
  EXPECT_GT(settled_tokens.load(), 900u - 100u);  // the budget was actually used, not just refused
  EXPECT_LE(max_in_flight.load(), 10);             // 10 reservations of 100 fill 1000
  const auto used = f.controller->keys().budget_used(f.controller->keys().list_keys().front().id);
  EXPECT_EQ(used.first, settled_tokens.load());
}

TEST(AccessControlConcurrency, TinyUsdBudgetIsNeverOverrunAcrossThreads) {
  fixture f;
  auto spec = key_named("usd");
  spec.limits.monthly_usd_budget = 0.05;
  const std::string secret = f.create(spec);
  std::atomic<std::uint64_t> micro_usd{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        auto r = request_with(secret, "claude-opus-4-1");  // $15 / $75 per Mtok
        r.estimated_input_tokens = 100;                     // $0.0015
        r.max_tokens = 20;                                  // $0.0015
        auto a = f.controller->admit(r);
        if (a.allowed) {
          usage_report u = testing::used(100, 20);
          micro_usd.fetch_add(3000);
          f.controller->settle(std::move(a.held), u);
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_LE(micro_usd.load(), 50'000u);
  EXPECT_GE(micro_usd.load(), 48'000u);
}

TEST(AccessControlConcurrency, RevocationTakesEffectOnEveryThreadAtOnce) {
  fixture f;
  const auto created = f.controller->keys().create_key(key_named("victim"), "test");
  std::atomic<bool> revoked{false};
  std::atomic<int> admitted_after_revoke{0};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&] {
      bool counted_ready = false;
      for (int i = 0; i < 200000; ++i) {
        const bool was_revoked = revoked.load(std::memory_order_acquire);
        const auto a = f.controller->admit(request_with(created.secret));
        if (!counted_ready) {
          ready.fetch_add(1);
          counted_ready = true;
        }
        if (was_revoked) {
          if (a.allowed) {
            admitted_after_revoke.fetch_add(1);
          }
          if (i % 16 == 0) {
            break;  // checked enough after revocation
          }
        }
      }
    });
  }
  while (ready.load() < thread_count) {
    std::this_thread::yield();
  }
  ASSERT_TRUE(f.controller->keys().revoke_key(created.record.id, "test"));
  revoked.store(true, std::memory_order_release);
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(admitted_after_revoke.load(), 0);
  EXPECT_EQ(f.controller->admit(request_with(created.secret)).reason, refusal::revoked_key);
}

}  // namespace
}  // namespace sluice::gateway
