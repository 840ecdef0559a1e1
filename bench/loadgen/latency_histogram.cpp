#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sluice::bench {

std::size_t latency_histogram::bucket_of(std::uint64_t value) noexcept {
  if (value < (1u << sub_bucket_bits)) {
    return static_cast<std::size_t>(value);
  }
  const unsigned exponent = static_cast<unsigned>(std::bit_width(value)) - 1;  // >= 7
  const unsigned shift = exponent - (sub_bucket_bits - 1);                      // >= 1
  const std::uint64_t top = value >> shift;                                     // in [64, 128)
  return 128 + (shift - 1) * 64 + static_cast<std::size_t>(top - 64);
}

std::uint64_t latency_histogram::bucket_upper(std::size_t bucket) noexcept {
  if (bucket < 128) {
    return bucket;
  }
  const unsigned shift = static_cast<unsigned>((bucket - 128) / 64) + 1;
  const std::uint64_t top = 64 + (bucket - 128) % 64;
  return ((top + 1) << shift) - 1;
}

void latency_histogram::record(std::uint64_t value) noexcept {
  ++counts_[bucket_of(value)];
  ++count_;
  sum_ += value;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void latency_histogram::merge(const latency_histogram& other) noexcept {
  for (std::size_t i = 0; i < bucket_count; ++i) {
    counts_[i] += other.counts_[i];
  }
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void latency_histogram::clear() noexcept {
  *this = latency_histogram{};
}

std::uint64_t latency_histogram::percentile(double p) const noexcept {
  if (count_ == 0) {
    return 0;
  }
  p = std::clamp(p, 0.0, 1.0);
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(p * double(count_))));
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      return std::min(bucket_upper(i), max_);
    }
  }
  return max_;
}

}  // namespace sluice::bench
