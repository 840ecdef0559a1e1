// Every rule's own examples: positives give a finding of that rule (exactly the [[marked]] span when
// marked), negatives give none, and every byte of a positive match lies in the rule's stream charset.
#include <gtest/gtest.h>

#include <algorithm>

#include <string>

#include "sluice/engine/scanner.h"
#include "test_rules.h"
#include "text/ascii_text.h"

namespace sluice::engine {
namespace {

struct marked_text {
  std::string text;
  bool marked = false;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
};

marked_text unmark(const std::string& example) {
  marked_text m;
  const auto open = example.find("[[");
  const auto close = example.find("]]", open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) {
    m.text = example;
    return m;
  }
  m.marked = true;
  m.text = example.substr(0, open) + example.substr(open + 2, close - open - 2) + example.substr(close + 2);
  m.start = static_cast<std::uint32_t>(open);
  m.end = static_cast<std::uint32_t>(close - 2);
  return m;
}

// The findings of `rule_id` in `result`, across entity, injection and content lists.
std::vector<finding> findings_of(const scan_result& result, std::uint32_t rule_id) {
  std::vector<finding> out;
  for (const auto* list : {&result.entities, &result.injection, &result.content}) {
    for (const auto& f : *list) {
      if (f.rule == rule_id) {
        out.push_back(f);
      }
    }
  }
  return out;
}

TEST(RuleExamples, EveryRuleHasAtLeastOnePositiveExample) {
  const auto& rules = testing::default_rules();
  for (std::size_t i = 0; i < rules->stats().rule_count; ++i) {
    const rule& r = rules->at(static_cast<std::uint32_t>(i));
    EXPECT_FALSE(r.positives.empty()) << r.id << " (" << r.source_file << ":" << r.source_line << ")";
  }
}

TEST(RuleExamples, PositivesAreFoundAndNegativesAreNot) {
  const auto& rules = testing::default_rules();
  scanner s(rules);
  scan_result result;
  for (std::size_t i = 0; i < rules->stats().rule_count; ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    const rule& r = rules->at(id);
    if (r.kind == rule_kind::encoded) {
      continue;  // encoded runs are not findings; their decoded payloads are tested as injection
    }
    for (const auto& example : r.positives) {
      const marked_text m = unmark(example.text);
      ASSERT_EQ(s.scan(m.text, result), errc::ok) << r.id;
      const auto found = findings_of(result, id);
      bool ok = !found.empty();
      if (m.marked && (r.kind == rule_kind::pii || r.kind == rule_kind::secret)) {
        // The marked span must be a finding of this rule exactly.
        ok = false;
        for (const auto& f : found) {
          ok = ok || (f.start == m.start && f.end == m.end);
        }
      }
      EXPECT_TRUE(ok) << r.id << " (" << r.source_file << ":" << r.source_line
                      << ") misses positive example: " << example.text;
    }
    for (const auto& example : r.negatives) {
      ASSERT_EQ(s.scan(example.text, result), errc::ok) << r.id;
      EXPECT_TRUE(findings_of(result, id).empty())
          << r.id << " (" << r.source_file << ":" << r.source_line
          << ") matches negative example: " << example.text;
    }
  }
}

TEST(RuleExamples, PositiveMatchesStayInsideTheStreamCharset) {
  const auto& rules = testing::default_rules();
  scanner s(rules);
  scan_result result;
  for (std::size_t i = 0; i < rules->stats().rule_count; ++i) {
    const auto id = static_cast<std::uint32_t>(i);
    const rule& r = rules->at(id);
    if (r.kind != rule_kind::pii && r.kind != rule_kind::secret) {
      continue;
    }
    for (const auto& example : r.positives) {
      const marked_text m = unmark(example.text);
      ASSERT_EQ(s.scan(m.text, result), errc::ok);
      for (const auto& f : result.entities) {
        if (f.rule != id) {
          continue;
        }
        for (std::uint32_t k = f.start; k < f.end; ++k) {
          EXPECT_TRUE(rules->bound(id).charset[static_cast<unsigned char>(m.text[k])])
              << r.id << ": byte '" << m.text[k] << "' of a match is outside stream.charset "
              << r.stream_charset_spec;
        }
        const stream_bound& bound = rules->bound(id);
        if (bound.digit_within != 0) {
          const std::string head = m.text.substr(f.start, std::min<std::size_t>(bound.digit_within, f.end - f.start));
          EXPECT_TRUE(std::any_of(head.begin(), head.end(), detail::is_digit))
              << r.id << ": no digit among the first stream.digit_within bytes of a match";
        }
        if (!bound.leads.empty()) {
          std::string head = m.text.substr(f.start, f.end - f.start);
          if (bound.caseless) {
            std::transform(head.begin(), head.end(), head.begin(), detail::to_lower);
          }
          EXPECT_TRUE(std::any_of(bound.leads.begin(), bound.leads.end(),
                                  [&](const std::string& lead) { return head.starts_with(lead); }))
              << r.id << ": match does not start with a lead";
        }
      }
    }
  }
}

}  // namespace
}  // namespace sluice::engine
