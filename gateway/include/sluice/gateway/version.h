#pragma once
#include <string_view>

namespace sluice::gateway {
// The version reported by `sluice --version`, the Server header and /metrics.
[[nodiscard]] std::string_view version() noexcept;
}  // namespace sluice::gateway
