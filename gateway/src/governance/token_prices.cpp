// Anthropic list prices (USD per million tokens) for budget reservations when the config gives none.
#include "sluice/gateway/governance_options.h"

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

}  // namespace sluice::gateway
