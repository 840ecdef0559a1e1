// Signature patterns get a prefilter: a required, literal-rich piece that every match contains.
#include <gtest/gtest.h>

#include "prefilter_derivation.h"

namespace sluice::engine::detail {
namespace {

TEST(PrefilterDerivation, PicksTheRequiredGroupWithTheLongestShortestWord) {
  const auto p = derive_prefilter(
      R"(\b(?:do\W+not|don\W?t|never)\W+(?:\w+\W+)?(?:follow|obey|adhere\W+to)\W+(?:your|the)\W+(?:instructions|guidelines|programming))");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "(?:instructions|guidelines|programming)");
}

TEST(PrefilterDerivation, SkipsOptionalPieces) {
  const auto p = derive_prefilter(R"(ignore\W+(?:all\W+previously\W+)?instructions)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "instructions");
}

TEST(PrefilterDerivation, ALiteralRunLosesItsQuantifiedLastLetter) {
  const auto p = derive_prefilter(R"(\bprompts?\W+leak)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "prompt");
}

TEST(PrefilterDerivation, TopLevelAlternationGetsOnePrefilterPerBranch) {
  const auto p = derive_prefilter(R"(developer\W+mode\W+on|\bjailbroken\W+mode)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "developer|jailbroken");
  EXPECT_FALSE(derive_prefilter(R"(developer\W+mode|\b\d+)").has_value()) << "a branch without a piece";
}

TEST(PrefilterDerivation, ShortOrCommonPiecesDoNotQualify) {
  EXPECT_FALSE(derive_prefilter(R"(\b(?:a|an|the)\W+(?:is|of))").has_value());
  EXPECT_FALSE(derive_prefilter(R"(\b(?:with|from)\W+(?:that|this))").has_value());
}

TEST(PrefilterDerivation, ClassesAndEscapesAreNotLiterals) {
  const auto p = derive_prefilter(R"([a-z]{30}\s+\x41secretword)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "secretword");
}

TEST(PrefilterDerivation, MultibyteLiteralsCount) {
  const auto p = derive_prefilter(R"((?:忽略|无视)\s*(?:之前|以前|上面)的?(?:所有)?(?:指令|说明))");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, "(?:忽略|无视)");
}

}  // namespace
}  // namespace sluice::engine::detail
