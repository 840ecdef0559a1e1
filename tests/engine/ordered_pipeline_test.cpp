// ordered_pipeline.h: every item is consumed once, in production order, whatever the worker count and
// ring depth; an exception from any stage comes back to the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sluice/engine/ordered_pipeline.h"

namespace sluice::engine {
namespace {

struct item {
  int seq = -1;
  int squared = 0;
  std::size_t worker = 0;
};

TEST(OrderedPipeline, ConsumesEveryItemInOrder) {
  for (const std::size_t jobs : {1, 2, 4}) {
    for (const std::size_t depth : {1, 3, 16}) {
      int next = 0;
      std::vector<int> seen;
      run_ordered_pipeline<item>(
          jobs, depth,
          [&](item& it) {
            if (next == 500) {
              return false;
            }
            it.seq = next++;
            return true;
          },
          [&](std::size_t worker, item& it) {
            EXPECT_LT(worker, jobs);
            if (it.seq % 7 == 0) {
              std::this_thread::yield();  // let later items overtake
            }
            it.squared = it.seq * it.seq;
          },
          [&](item& it) {
            EXPECT_EQ(it.squared, it.seq * it.seq);
            seen.push_back(it.seq);
          });
      ASSERT_EQ(seen.size(), 500u) << jobs << " jobs, depth " << depth;
      for (int i = 0; i < 500; ++i) {
        ASSERT_EQ(seen[i], i);
      }
    }
  }
}

TEST(OrderedPipeline, NoInputConsumesNothing) {
  int consumed = 0;
  run_ordered_pipeline<item>(
      2, 4, [](item&) { return false; }, [](std::size_t, item&) {}, [&](item&) { ++consumed; });
  EXPECT_EQ(consumed, 0);
}

TEST(OrderedPipeline, AWorkersExceptionReachesTheCaller) {
  int next = 0;
  EXPECT_THROW(run_ordered_pipeline<item>(
                   2, 4,
                   [&](item& it) {
                     it.seq = next++;
                     return true;  // endless: the failure must stop the reader
                   },
                   [](std::size_t, item& it) {
                     if (it.seq == 50) {
                       throw std::runtime_error("bad item");
                     }
                   },
                   [](item&) {}),
               std::runtime_error);
}

}  // namespace
}  // namespace sluice::engine
