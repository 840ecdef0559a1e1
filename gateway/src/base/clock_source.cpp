#include "base/clock_source.h"

#include <chrono>

namespace sluice::gateway {

namespace {
class system_clock_impl final : public clock_source {
 public:
  std::int64_t now_ms() const noexcept override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};
}  // namespace

std::shared_ptr<const clock_source> system_clock_source() {
  static const auto instance = std::make_shared<const system_clock_impl>();
  return instance;
}

}  // namespace sluice::gateway
