#pragma once
// What a finding policy does with what it found (prompt-injection, pii-detector, content-filter share
// the words), and reading one from the configuration.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "base/config_reader.h"

namespace sluice::gateway {

enum class policy_action : std::uint8_t { block, flag, redact };
[[nodiscard]] std::string_view to_string(policy_action a) noexcept;

// Reads `n` as one of `allowed` into `out`; otherwise records "unknown action 'x' (expected a, b)".
void get_action(config_reader& r, const YAML::Node& n, const std::string& key, policy_action& out,
                std::initializer_list<policy_action> allowed);

}  // namespace sluice::gateway
