#pragma once
// A monthly budget shared by all threads, as one atomic word: month index (high 16 bits) and amount
// used-or-reserved in that month (low 48 bits, tokens or micro-USD). reserve() is a CAS loop that
// never lets the amount pass the limit, so concurrent requests cannot overrun a hard budget; a new
// month starts from zero in the same CAS.
#include <atomic>
#include <cstdint>

namespace sluice::gateway {

class budget_counter {
 public:
  static constexpr std::uint64_t amount_mask = (std::uint64_t{1} << 48) - 1;

  // Adds `amount` in `month` if the total stays <= limit (limit 0: no check). False when it would not.
  [[nodiscard]] bool reserve(std::uint32_t month, std::uint64_t amount, std::uint64_t limit) noexcept {
    std::uint64_t word = word_.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint64_t used = used_in(word, month);
      if (limit != 0 && (amount > limit || used > limit - amount)) {
        return false;
      }
      if (word_.compare_exchange_weak(word, pack(month, used + amount), std::memory_order_acq_rel,
                                      std::memory_order_relaxed)) {
        return true;
      }
    }
  }

  // Replaces a reservation of `reserved` made in `month` by the `actual` amount. If the month has
  // rolled over since, the reservation is gone with the old month and `actual` counts in the new one.
  void settle(std::uint32_t month, std::uint64_t reserved, std::uint64_t actual, std::uint32_t now_month) noexcept {
    std::uint64_t word = word_.load(std::memory_order_relaxed);
    for (;;) {
      const std::uint32_t word_month = static_cast<std::uint32_t>(word >> 48);
      std::uint64_t next;
      if (word_month == month && month == now_month) {
        const std::uint64_t used = word & amount_mask;
        const std::uint64_t base = used >= reserved ? used - reserved : 0;
        next = pack(month, base + actual);
      } else {
        next = pack(now_month, used_in(word, now_month) + actual);
      }
      if (word_.compare_exchange_weak(word, next, std::memory_order_acq_rel, std::memory_order_relaxed)) {
        return;
      }
    }
  }

  [[nodiscard]] std::uint64_t used(std::uint32_t month) const noexcept {
    return used_in(word_.load(std::memory_order_acquire), month);
  }

  // Start-up: what the store says this month already used.
  void load(std::uint32_t month, std::uint64_t amount) noexcept { word_.store(pack(month, amount)); }

 private:
  static std::uint64_t pack(std::uint32_t month, std::uint64_t amount) noexcept {
    return static_cast<std::uint64_t>(month & 0xFFFF) << 48 | (amount & amount_mask);
  }
  static std::uint64_t used_in(std::uint64_t word, std::uint32_t month) noexcept {
    return static_cast<std::uint32_t>(word >> 48) == (month & 0xFFFF) ? word & amount_mask : 0;
  }

  std::atomic<std::uint64_t> word_{0};
};

}  // namespace sluice::gateway
