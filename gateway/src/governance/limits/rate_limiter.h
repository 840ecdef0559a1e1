#pragma once
// A per-minute limit shared by all threads, as one atomic: the generic cell rate algorithm (GCRA), a
// token bucket that holds one minute of the limit and refills continuously. Each acquire is one CAS
// loop on the "theoretical arrival time", so N threads never admit more than the bucket allows: the
// overshoot is zero. What "per minute" means: after an idle minute up to `limit` units pass at once,
// then `limit` per minute sustained (so a 60 s window can see at most 2 x limit, the bucket plus one
// minute of refill) — the same semantics as Anthropic's own rate limits.
//
// Precision: time is kept in nanoseconds and each unit costs floor(60e9 / limit) ns, so a full bucket
// can hold at most limit^2 / 6e10 units more than `limit` (rounding): none for any limit below
// 244,948 (every requests-per-minute limit in practice), 17 tokens on a 1,000,000 tokens/min limit.
#include <algorithm>
#include <atomic>
#include <cstdint>

namespace sluice::gateway {

class minute_limiter {
 public:
  static constexpr std::int64_t window_ns = 60'000'000'000;

  // Takes `cost` units at `now_ns` under `limit` per minute. Returns 0 when admitted, else how many
  // nanoseconds until it would be (a request larger than the whole bucket returns window_ns: it
  // can never pass, the caller says so). limit 0 means unlimited.
  [[nodiscard]] std::int64_t try_acquire(std::int64_t now_ns, std::uint32_t limit, std::uint64_t cost) noexcept {
    if (limit == 0 || cost == 0) {
      return 0;
    }
    const std::int64_t increment = interval(limit, cost);
    if (increment > window_ns) {
      return window_ns;
    }
    std::int64_t tat = tat_.load(std::memory_order_relaxed);
    for (;;) {
      const std::int64_t next = std::max(tat, now_ns) + increment;
      if (next - now_ns > window_ns) {
        return next - now_ns - window_ns;
      }
      if (tat_.compare_exchange_weak(tat, next, std::memory_order_acq_rel, std::memory_order_relaxed)) {
        return 0;
      }
    }
  }

  // Gives back (`delta` < 0) or charges more (`delta` > 0) units after the fact, e.g. when a request
  // used fewer tokens than it reserved. Charging more never refuses: the work already happened.
  void adjust(std::uint32_t limit, std::int64_t delta) noexcept {
    if (limit == 0 || delta == 0) {
      return;
    }
    const std::int64_t magnitude = interval(limit, static_cast<std::uint64_t>(delta < 0 ? -delta : delta));
    tat_.fetch_add(delta < 0 ? -magnitude : magnitude, std::memory_order_acq_rel);
  }

 private:
  static std::int64_t interval(std::uint32_t limit, std::uint64_t cost) noexcept {
    // cost * 60e9 / limit, rounded down, without overflow for any 64-bit cost.
    const unsigned __int128 num = static_cast<unsigned __int128>(cost) * window_ns;
    const unsigned __int128 q = num / limit;
    return q > static_cast<unsigned __int128>(window_ns) * 4 ? window_ns * 4 : static_cast<std::int64_t>(q);
  }

  std::atomic<std::int64_t> tat_{0};  // theoretical arrival time, Unix nanoseconds
};

}  // namespace sluice::gateway
