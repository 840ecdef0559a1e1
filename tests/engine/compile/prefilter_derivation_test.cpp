// Signature patterns get a prefilter: a few plain word alternations ("parts") that every match contains,
// rare in ordinary text.
#include <gtest/gtest.h>

#include "compile/prefilter_derivation.h"

namespace sluice::engine::detail {
namespace {

using parts = std::vector<std::string>;

TEST(PrefilterDerivation, RarestRequiredWordsBecomePartsUntilTheEvidenceAddsUp) {
  const auto p = derive_prefilter(R"(\bignore\W+(?:all\W+)?previous\W+instructions)");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->branches.size(), 1u);
  // "previous" and "instructions" (8 each) beat "ignore" (6); "all" is optional and a function word.
  EXPECT_EQ(p->branches[0], (parts{"previous", "instructions"}));
}

TEST(PrefilterDerivation, AGroupGivesOneWordPerAlternative) {
  const auto p = derive_prefilter(
      R"(\b(?:do\W+not|don\W?t|never)\W+(?:\w+\W+)?(?:follow|obey|adhere\W+to)\W+(?:\w+\W+)?(?:instructions|guidelines|programming))");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->branches.size(), 1u);
  EXPECT_EQ(p->branches[0], parts{"(?:guidelines|instructions|programming)"});
  // "adhere to" contributes "adhere"; a group is as rare as its most common word ("obey", 4).
  const auto q = derive_prefilter(R"(\b(?:follow|obey|adhere\W+to)\W+(?:the|your)\W+rules)");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->branches[0], (parts{"(?:adhere|follow|obey)", "rules"}));
}

TEST(PrefilterDerivation, WordsContainingAnotherAreLeftOut) {
  const auto p = derive_prefilter(R"(\b(?:jailbreak|jailbroken|jailbreaking)\b)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->branches[0], (parts{"(?:jailbreak|jailbroken)"}));
}

TEST(PrefilterDerivation, TopLevelAlternationGetsPartsPerBranch) {
  const auto p = derive_prefilter(R"(developer\W+mode\W+on|\bjailbroken\W+mode)");
  ASSERT_TRUE(p.has_value());
  ASSERT_EQ(p->branches.size(), 2u);
  EXPECT_EQ(p->branches[0], parts{"developer"});
  EXPECT_EQ(p->branches[1], parts{"jailbroken"});
  EXPECT_FALSE(derive_prefilter(R"(developer\W+mode|\b\d+)").has_value()) << "a branch without a word";
}

TEST(PrefilterDerivation, FunctionWordsNeverBecomeParts) {
  EXPECT_FALSE(derive_prefilter(R"(\b(?:a|an|the)\W+(?:is|of))").has_value());
  EXPECT_FALSE(derive_prefilter(R"(\b(?:with|from)\W+(?:that|this))").has_value());
  // Common words do, when there is nothing better: a weak prefilter beats scanning the rule whole.
  const auto p = derive_prefilter(R"(\b(?:answer|report)\W+(?:\w+\W+){0,3}(?:the|a)\b)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->branches[0], parts{"(?:answer|report)"});
}

TEST(PrefilterDerivation, ClassesAndEscapesGiveNoWords) {
  const auto p = derive_prefilter(R"([a-z]{30}\s+\x41secretword)");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->branches[0], parts{"secretword"});
}

TEST(PrefilterDerivation, MultibyteWordsCountAndAreNeverSplit) {
  const auto p = derive_prefilter(R"((?:忽略|无视)\s*(?:之前|以前|上面)的?(?:所有)?(?:指令|说明))");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->branches[0], (parts{"(?:忽略|无视)", "(?:上面|之前|以前)", "(?:指令|说明)"}));
  const auto q = derive_prefilter(R"(系统提示词?\W+(?:\w+\W+){0,3}显示)");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->branches[0], parts{"系统提示"}) << "the quantified character is left out whole";
  const auto r = derive_prefilter(R"(\b(?:keine|ohne)\W+(?:einschränkungen|zensur))");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->branches[0], (parts{"(?:keine|ohne)", "(?:einschränkungen|zensur)"})) << "an accented word stays one word; parts in pattern order";
}

TEST(PrefilterDerivation, EvidenceWeighsWordsByLengthAndCommonness) {
  EXPECT_EQ(prefilter_evidence("jailbreak"), 8u);
  EXPECT_EQ(prefilter_evidence("answer"), 2u);
  EXPECT_EQ(prefilter_evidence("the"), 1u);
  EXPECT_EQ(prefilter_evidence("ai"), 1u);
  EXPECT_EQ(prefilter_evidence("do anything"), 2u) << "a literal's rarest word";
}

// Only parts that are plain word lists are split into shared words; anything with a class, an escape,
// a separator or a group inside stays one expression.
TEST(PrefilterDerivation, PlainPartWordsAreTheWordsOfAPlainList) {
  EXPECT_EQ(plain_part_words("(?:ignore|disregard)"), (parts{"ignore", "disregard"}));
  EXPECT_EQ(plain_part_words("instructions"), (parts{"instructions"}));
  EXPECT_EQ(plain_part_words("(?:règles|regles)"), (parts{"règles", "regles"}));
  EXPECT_EQ(plain_part_words("at\\W+all"), parts{});
  EXPECT_EQ(plain_part_words("<\\|"), parts{}) << "an escape";
  EXPECT_EQ(plain_part_words("(?:send|delete)_"), parts{}) << "a group inside";
  EXPECT_EQ(plain_part_words("(?:a||b)"), parts{}) << "an empty alternative matches everywhere";
}

}  // namespace
}  // namespace sluice::engine::detail
