#include <gtest/gtest.h>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool passport(std::string_view s) { return testing::accepts(validator_kind::us_passport, s); }

TEST(UsPassportValidator, AcceptsNineDigitsAndNextGenerationLetterForm) {
  EXPECT_TRUE(passport("488839667"));
  EXPECT_TRUE(passport("A12345670"));
  EXPECT_TRUE(passport("C03005988"));
}

TEST(UsPassportValidator, RejectsRepeatedDigitsAndRuns) {
  EXPECT_FALSE(passport("000000000"));
  EXPECT_FALSE(passport("999999999"));
  EXPECT_FALSE(passport("123456789"));
  EXPECT_FALSE(passport("987654321"));
  EXPECT_FALSE(passport("A11111111"));
  EXPECT_FALSE(passport("A12345678"));
}

TEST(UsPassportValidator, RejectsOtherShapes) {
  EXPECT_FALSE(passport("48883966"));
  EXPECT_FALSE(passport("4888396670"));
  EXPECT_FALSE(passport("a12345670"));  // the series letter is printed upper case
  EXPECT_FALSE(passport("AB1234567"));
  EXPECT_FALSE(passport("488-83-9667"));
}

}  // namespace
}  // namespace sluice::engine
