#pragma once
// The reference every streaming test compares with: block-mode redaction of the whole text (entities
// only, default placeholders), as `sluice scan` would give it.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"

namespace sluice::engine::testing {

inline std::string block_redaction(const std::shared_ptr<const ruleset>& rules, std::string_view text) {
  scanner s(rules);
  scan_result r;
  scan_options options;
  options.injection = false;
  options.content = false;
  EXPECT_EQ(s.scan(text, r, options), errc::ok);
  redactor red;
  std::string out;
  red.redact(text, r.entities, *rules, out);
  return out;
}

}  // namespace sluice::engine::testing
