#pragma once
// Shorthand for the validator tests: check a span the way the scanner does, with default options.
#include <string_view>

#include "sluice/engine/validators.h"

namespace sluice::engine::testing {

inline bool accepts(validator_kind kind, std::string_view span,
                    const validator_options& options = validator_options{}) {
  return validate(kind, span, options);
}

}  // namespace sluice::engine::testing
