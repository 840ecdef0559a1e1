// The arithmetic behind `sluice replay`: what counts as found, missed, spurious and exact.
#include <gtest/gtest.h>

#include "sluice/replay/metrics.h"

namespace sluice::replay {
namespace {

const std::set<std::string> all_types{"EMAIL", "PHONE", "SSN"};

TEST(ReplayMetrics, ExactMatchIsTruePositiveAndExact) {
  std::map<std::string, entity_counts> counts;
  std::vector<entity_error> errors;
  score_entities("r1", {{"EMAIL", 5, 20}}, {{"EMAIL", 5, 20}}, all_types, counts, errors);
  const auto& c = counts["EMAIL"];
  EXPECT_EQ(c.gold, 1u);
  EXPECT_EQ(c.tp, 1u);
  EXPECT_EQ(c.exact, 1u);
  EXPECT_EQ(c.fp, 0u);
  EXPECT_EQ(c.fn, 0u);
  EXPECT_TRUE(errors.empty());
  EXPECT_DOUBLE_EQ(c.precision(), 1.0);
  EXPECT_DOUBLE_EQ(c.recall(), 1.0);
}

TEST(ReplayMetrics, OverlapOfSameTypeCountsButIsNotExact) {
  std::map<std::string, entity_counts> counts;
  std::vector<entity_error> errors;
  score_entities("r1", {{"PHONE", 10, 24}}, {{"PHONE", 12, 24}}, all_types, counts, errors);
  EXPECT_EQ(counts["PHONE"].tp, 1u);
  EXPECT_EQ(counts["PHONE"].exact, 0u);
  EXPECT_DOUBLE_EQ(counts["PHONE"].exact_rate(), 0.0);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].what, entity_error::kind::boundary);
  EXPECT_EQ(errors[0].other_start, 12u);
}

TEST(ReplayMetrics, WrongTypeCountsAgainstBothTypes) {
  std::map<std::string, entity_counts> counts;
  std::vector<entity_error> errors;
  score_entities("r1", {{"SSN", 0, 11}}, {{"PHONE", 0, 11}}, all_types, counts, errors);
  EXPECT_EQ(counts["SSN"].fn, 1u);
  EXPECT_EQ(counts["PHONE"].fp, 1u);
  EXPECT_DOUBLE_EQ(counts["SSN"].recall(), 0.0);
  EXPECT_DOUBLE_EQ(counts["PHONE"].precision(), 0.0);
}

TEST(ReplayMetrics, TouchingSpansDoNotOverlap) {
  std::map<std::string, entity_counts> counts;
  std::vector<entity_error> errors;
  score_entities("r1", {{"EMAIL", 0, 10}}, {{"EMAIL", 10, 20}}, all_types, counts, errors);
  EXPECT_EQ(counts["EMAIL"].fn, 1u);
  EXPECT_EQ(counts["EMAIL"].fp, 1u);
}

TEST(ReplayMetrics, OnePredictionCoveringTwoGoldSpansFindsBoth) {
  std::map<std::string, entity_counts> counts;
  std::vector<entity_error> errors;
  score_entities("r1", {{"EMAIL", 0, 10}, {"EMAIL", 11, 20}}, {{"EMAIL", 0, 20}}, all_types, counts, errors);
  EXPECT_EQ(counts["EMAIL"].tp, 2u);
  EXPECT_EQ(counts["EMAIL"].fp, 0u);
  EXPECT_EQ(counts["EMAIL"].predicted, 1u);
}

TEST(ReplayMetrics, TypesOutsideTheScoredSetAreIgnored) {
  std::map<std::string, entity_counts> counts;
  std::vector<entity_error> errors;
  score_entities("r1", {{"PERSON", 0, 5}}, {{"API_KEY", 7, 20}}, all_types, counts, errors);
  EXPECT_TRUE(counts.empty());
  EXPECT_TRUE(errors.empty());
}

TEST(ReplayMetrics, RatiosWithNothingToCountAreOne) {
  entity_counts c;
  EXPECT_DOUBLE_EQ(c.precision(), 1.0);
  EXPECT_DOUBLE_EQ(c.recall(), 1.0);
  EXPECT_DOUBLE_EQ(c.f1(), 1.0);
  c.tp = 3;
  c.fp = 1;
  c.fn = 3;
  EXPECT_DOUBLE_EQ(c.precision(), 0.75);
  EXPECT_DOUBLE_EQ(c.recall(), 0.5);
  EXPECT_DOUBLE_EQ(c.f1(), 0.6);
}

TEST(ReplayMetrics, InjectionRatesPerCategoryAndSweep) {
  const std::vector<scored_line> lines = {
      {"a1", "instruction_override", "en", true, 0.9, ""},
      {"a2", "instruction_override", "de", true, 0.3, ""},
      {"a3", "persona_jailbreak", "en", true, 0.6, ""},
      {"b1", "benign_git", "en", false, 0.0, ""},
      {"b2", "benign_git", "en", false, 0.55, ""},
      {"b3", "benign_roleplay", "en", false, 0.1, ""},
      {"b4", "benign_roleplay", "en", false, 0.0, ""},
  };
  const auto s = summarize_injection(lines, 0.5, 0.0);
  EXPECT_EQ(s.attacks.lines, 3u);
  EXPECT_EQ(s.attacks.flagged, 2u);
  EXPECT_EQ(s.benign.flagged, 1u);
  EXPECT_DOUBLE_EQ(s.attack_categories.at("instruction_override").rate(), 0.5);
  EXPECT_DOUBLE_EQ(s.attack_categories.at("persona_jailbreak").rate(), 1.0);
  EXPECT_DOUBLE_EQ(s.benign_categories.at("benign_git").rate(), 0.5);
  EXPECT_DOUBLE_EQ(s.attack_languages.at("de").rate(), 0.0);
  ASSERT_EQ(s.roc.size(), 20u);
  EXPECT_NEAR(s.roc[9].threshold, 0.5, 1e-9);
  EXPECT_NEAR(s.roc[9].tpr, 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(s.roc[9].fpr, 0.25, 1e-9);
  // With no false positives allowed, the lowest clean threshold is above the benign 0.55.
  EXPECT_NEAR(s.best_at_budget.threshold, 0.6, 1e-9);
  EXPECT_NEAR(s.best_at_budget.tpr, 2.0 / 3.0, 1e-9);
}

TEST(ReplayMetrics, ScoreEqualToThresholdIsFlagged) {
  const auto s = summarize_injection({{"a", "x", "", true, 0.85, ""}}, 0.85);
  EXPECT_EQ(s.attacks.flagged, 1u);
}

}  // namespace
}  // namespace sluice::replay
