#pragma once
// Private: the windows a text is scored in, and the running best of them.
//
// A text of at most `window` bytes is one window. A longer one is cut into blocks of `stride` bytes; a
// feature belongs to the block holding its last byte (a feature that ends at the final virtual space
// belongs to the last block), and window k is blocks k .. k + window/stride - 1. A window's score is
// S / sqrt(N): the sum of its features' weights over the square root of how many there are (the dot
// product with a length-normalized count vector), so short and long windows score on one scale.
#include <cmath>
#include <cstdint>

namespace sluice::engine::detail {

constexpr std::uint32_t max_blocks_per_window = 16;

struct window_layout {
  std::uint32_t size = 0;
  std::uint32_t window = 512;
  std::uint32_t stride = 256;

  [[nodiscard]] bool single() const noexcept { return size <= window; }
  [[nodiscard]] std::uint32_t blocks_per_window() const noexcept { return window / stride; }
  [[nodiscard]] std::uint32_t block_count() const noexcept {
    return single() ? 1 : (size + stride - 1) / stride;
  }
  [[nodiscard]] std::uint32_t window_count() const noexcept {
    return single() ? 1 : block_count() - blocks_per_window() + 1;
  }
  // The block of a feature ending at `end` (0 <= end <= size).
  [[nodiscard]] std::uint32_t block_of(std::uint32_t end) const noexcept {
    if (single()) {
      return 0;
    }
    return (end < size ? end : size - 1) / stride;
  }
  [[nodiscard]] std::uint32_t window_start(std::uint32_t k) const noexcept { return single() ? 0 : k * stride; }
  [[nodiscard]] std::uint32_t window_end(std::uint32_t k) const noexcept {
    if (single()) {
      return size;
    }
    const std::uint32_t end = k * stride + window;
    return end < size ? end : size;
  }
};

[[nodiscard]] inline double window_value(double sum, std::uint32_t count) noexcept {
  return count == 0 ? 0.0 : sum / std::sqrt(static_cast<double>(count));
}

// Receives per-block sums in block order (blocks may be skipped: they are empty) and keeps the best
// window. Sum is an integer sum of int8 weights.
class window_tracker {
 public:
  explicit window_tracker(const window_layout& layout) noexcept
      : layout_(layout), per_window_(layout.blocks_per_window()) {}

  void add(std::uint32_t block, std::int64_t sum, std::uint32_t count) noexcept {
    while (block > current_) {
      close_block();
    }
    sum_ += sum;
    count_ += count;
  }

  // Closes the remaining blocks; returns the best window's index and value.
  void finish() noexcept {
    const std::uint32_t blocks = layout_.block_count();
    while (current_ < blocks) {
      close_block();
    }
  }

  [[nodiscard]] const window_layout& layout() const noexcept { return layout_; }
  [[nodiscard]] double best_value() const noexcept { return best_value_; }
  [[nodiscard]] std::uint32_t best_window() const noexcept { return best_window_; }

 private:
  void close_block() noexcept {
    const std::uint32_t slot = current_ % per_window_;
    ring_sum_[slot] = sum_;
    ring_count_[slot] = count_;
    sum_ = 0;
    count_ = 0;
    ++current_;
    if (layout_.single() || current_ >= per_window_) {
      std::int64_t s = 0;
      std::uint32_t c = 0;
      const std::uint32_t in_ring = layout_.single() ? 1 : per_window_;
      for (std::uint32_t k = 0; k < in_ring; ++k) {
        s += ring_sum_[k];
        c += ring_count_[k];
      }
      const double value = window_value(static_cast<double>(s), c);
      const std::uint32_t index = layout_.single() ? 0 : current_ - per_window_;
      if (!have_best_ || value > best_value_) {
        best_value_ = value;
        best_window_ = index;
        have_best_ = true;
      }
    }
  }

  window_layout layout_;
  std::uint32_t per_window_;
  std::uint32_t current_ = 0;
  std::int64_t sum_ = 0;
  std::uint32_t count_ = 0;
  std::int64_t ring_sum_[max_blocks_per_window] = {};
  std::uint32_t ring_count_[max_blocks_per_window] = {};
  double best_value_ = 0;
  std::uint32_t best_window_ = 0;
  bool have_best_ = false;
};

}  // namespace sluice::engine::detail
