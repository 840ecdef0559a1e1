// The load generator's histogram: every value lands in a bucket within 1/64 of itself, and percentiles
// read back what was recorded.
#include <gtest/gtest.h>

#include "latency_histogram.h"

namespace sluice::bench {
namespace {

TEST(LatencyHistogram, SmallValuesAreExact) {
  latency_histogram h;
  for (std::uint64_t v = 0; v < 128; ++v) {
    EXPECT_EQ(latency_histogram::bucket_upper(latency_histogram::bucket_of(v)), v);
  }
}

TEST(LatencyHistogram, BucketsStayWithinOneSixtyFourthOfTheValue) {
  for (std::uint64_t v : {128ull, 129ull, 1000ull, 4095ull, 4096ull, 123456789ull, 1ull << 40, (1ull << 63) + 12345,
                          ~0ull}) {
    const auto b = latency_histogram::bucket_of(v);
    ASSERT_LT(b, latency_histogram::bucket_count);
    const auto upper = latency_histogram::bucket_upper(b);
    EXPECT_GE(upper, v);
    EXPECT_LE(double(upper - v), double(v) / 64.0) << v;
  }
}

TEST(LatencyHistogram, BucketsAreOrdered) {
  std::size_t last = 0;
  for (std::uint64_t v = 1; v < (1ull << 20); v = v * 3 / 2 + 1) {
    const auto b = latency_histogram::bucket_of(v);
    EXPECT_GE(b, last);
    last = b;
  }
}

TEST(LatencyHistogram, PercentilesOfAUniformSpread) {
  latency_histogram h;
  for (std::uint64_t v = 1; v <= 10000; ++v) {
    h.record(v * 1000);  // 1 µs … 10 ms
  }
  EXPECT_EQ(h.count(), 10000u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_EQ(h.max(), 10'000'000u);
  EXPECT_NEAR(double(h.percentile(0.5)), 5e6, 5e6 / 64);
  EXPECT_NEAR(double(h.percentile(0.99)), 9.9e6, 9.9e6 / 64);
  EXPECT_EQ(h.percentile(1.0), h.max());
  EXPECT_NEAR(h.mean(), 5'000'500.0, 1.0);
}

TEST(LatencyHistogram, OneOutlierShowsAtTheTop) {
  latency_histogram h;
  for (int i = 0; i < 999; ++i) {
    h.record(100);
  }
  h.record(1'000'000);
  EXPECT_EQ(h.percentile(0.99), 100u);
  EXPECT_EQ(h.percentile(0.999), 100u);
  EXPECT_EQ(h.percentile(0.9999), 1'000'000u);
}

TEST(LatencyHistogram, MergeAddsCounts) {
  latency_histogram a;
  latency_histogram b;
  a.record(10);
  b.record(20);
  b.record(30);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.min(), 10u);
  EXPECT_EQ(a.max(), 30u);
  latency_histogram empty;
  EXPECT_EQ(empty.percentile(0.5), 0u);
  EXPECT_EQ(empty.min(), 0u);
}

}  // namespace
}  // namespace sluice::bench
