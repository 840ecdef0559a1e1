#pragma once
// Wall-clock time in Unix milliseconds. Injectable (governance_options::clock, audit_options::clock) so
// tests can step through rotation grace periods, expiries, minute windows and month boundaries without
// sleeping. In base/ because governance's top level and its audit part both read it.
#include <cstdint>
#include <memory>

namespace sluice::gateway {

class clock_source {
 public:
  virtual ~clock_source() = default;
  [[nodiscard]] virtual std::int64_t now_ms() const noexcept = 0;
};

// The process-wide system clock (std::chrono::system_clock).
[[nodiscard]] std::shared_ptr<const clock_source> system_clock_source();

}  // namespace sluice::gateway
