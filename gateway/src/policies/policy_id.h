#pragma once
// A configured policy's small number: its position in the policy registry (policy_registry.h), which
// orders policies the same way in every process. Verdicts carry it, and the metrics index by it, so
// neither holds a string.
#include <cstddef>
#include <cstdint>

namespace sluice::gateway {

using policy_id = std::uint8_t;

// Most policies a process can register (the metrics keep one row of counters per id).
inline constexpr std::size_t max_policies = 32;

}  // namespace sluice::gateway
