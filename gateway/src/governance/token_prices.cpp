// Anthropic list prices (USD per million tokens) for budget reservations when the config gives none,
// and the first-matching-glob lookup over a price list.
#include "governance/token_prices.h"

#include <cmath>

#include "governance/keys/glob_match.h"

namespace sluice::gateway {

std::vector<token_price> default_token_prices() {
  return {
      {"claude-opus-4-5*", 5.0, 25.0},
      {"claude-opus-4*", 15.0, 75.0},
      {"claude-3-opus*", 15.0, 75.0},
      {"claude-sonnet-4*", 3.0, 15.0},
      {"claude-3-7-sonnet*", 3.0, 15.0},
      {"claude-3-5-sonnet*", 3.0, 15.0},
      {"claude-haiku-4*", 1.0, 5.0},
      {"claude-3-5-haiku*", 0.8, 4.0},
      {"claude-3-haiku*", 0.25, 1.25},
      // Unknown models are priced like the most expensive one, so a USD budget still holds.
      {"*", 15.0, 75.0},
  };
}

std::uint64_t price_micro_usd(std::span<const token_price> prices, std::string_view model,
                              std::uint64_t input_tokens, std::uint64_t output_tokens) noexcept {
  for (const auto& price : prices) {
    if (glob_match(price.model_glob, model)) {
      const double usd = (static_cast<double>(input_tokens) * price.input_usd_per_mtok +
                          static_cast<double>(output_tokens) * price.output_usd_per_mtok);
      return static_cast<std::uint64_t>(std::ceil(usd));  // USD per Mtok x tokens = micro-USD
    }
  }
  return 0;
}

}  // namespace sluice::gateway
