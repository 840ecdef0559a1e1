#pragma once
// What tokens cost, for USD budgets: the built-in list prices and the lookup admit() and settle() use.
// A leaf: every part of governance may include it.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

// Built-in list prices for the Claude families (used when governance_options::prices is empty). The
// last entry is a catch-all "*" at the most expensive family's prices, so a USD budget holds for
// unknown models too.
[[nodiscard]] std::vector<token_price> default_token_prices();

// The price of `input_tokens` and `output_tokens` of `model` in micro-USD (rounded up), from the first
// entry of `prices` whose glob matches; 0 when none does. noexcept, no allocation: request path.
[[nodiscard]] std::uint64_t price_micro_usd(std::span<const token_price> prices, std::string_view model,
                                            std::uint64_t input_tokens, std::uint64_t output_tokens) noexcept;

}  // namespace sluice::gateway
