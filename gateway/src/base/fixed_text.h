#pragma once
// A short string held inline, so queued usage records carry model names and verdicts without
// allocating on the request path. Longer input is truncated (it is only used for reporting).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace sluice::gateway {

template <std::size_t N>
class fixed_text {
  static_assert(N < 256);

 public:
  fixed_text() noexcept = default;
  explicit fixed_text(std::string_view s) noexcept { assign(s); }
  void assign(std::string_view s) noexcept {
    size_ = static_cast<std::uint8_t>(std::min(s.size(), N));
    if (size_ != 0) {  // an empty view may hold a null pointer, which memcpy may not be given even for 0 bytes
      std::memcpy(data_, s.data(), size_);
    }
  }
  [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }

 private:
  char data_[N]{};
  std::uint8_t size_ = 0;
};

}  // namespace sluice::gateway
