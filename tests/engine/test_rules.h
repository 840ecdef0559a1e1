#pragma once
// The default catalog, compiled once per test process. ctest runs every test in its own process, so the
// compiled databases are cached under the build tree and later processes load them in milliseconds.
#include <memory>

#include "sluice/engine/ruleset.h"

namespace sluice::engine::testing {

inline const std::shared_ptr<const ruleset>& default_rules() {
  static const std::shared_ptr<const ruleset> rules = [] {
    compile_options options;
    options.cache_dir = SLUICE_TEST_CACHE_DIR;
    return ruleset::load(ruleset::default_rules_dir(), options);
  }();
  return rules;
}

}  // namespace sluice::engine::testing
