#pragma once
// A log-bucketed latency histogram (in the spirit of HdrHistogram): values below 128 have a bucket each,
// above that every power of two is split into 64 buckets, so any recorded value is reported within
// 1/64 (1.6%) of itself while the whole range up to 2^63 ns fits in under 4,000 counters. Recording is
// a few instructions and never allocates; histograms from several runs merge by adding counters.
#include <array>
#include <cstdint>

namespace sluice::bench {

class latency_histogram {
 public:
  static constexpr unsigned sub_bucket_bits = 7;  // 128 linear buckets, then 64 per power of two
  static constexpr std::size_t bucket_count = 128 + 57 * 64;

  void record(std::uint64_t value) noexcept;
  void merge(const latency_histogram& other) noexcept;
  void clear() noexcept;

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ == 0 ? 0 : min_; }
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  [[nodiscard]] double mean() const noexcept { return count_ == 0 ? 0.0 : double(sum_) / double(count_); }
  // The smallest bucket upper bound at or below which `p` (0..1) of the values lie, clamped to the
  // largest value recorded; 0 when empty. percentile(1.0) == max().
  [[nodiscard]] std::uint64_t percentile(double p) const noexcept;

  // Bucket arithmetic, exposed for tests.
  [[nodiscard]] static std::size_t bucket_of(std::uint64_t value) noexcept;
  [[nodiscard]] static std::uint64_t bucket_upper(std::size_t bucket) noexcept;  // largest value in it

 private:
  std::array<std::uint64_t, bucket_count> counts_{};
  std::uint64_t count_ = 0;
  std::uint64_t min_ = ~std::uint64_t{0};
  std::uint64_t max_ = 0;
  std::uint64_t sum_ = 0;
};

}  // namespace sluice::bench
