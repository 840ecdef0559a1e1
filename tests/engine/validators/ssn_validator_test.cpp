#include <gtest/gtest.h>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool ssn(std::string_view s) { return testing::accepts(validator_kind::us_ssn, s); }

TEST(SsnValidator, AcceptsIssuableNumbersInAllThreeWritings) {
  EXPECT_TRUE(ssn("536-22-1234"));
  EXPECT_TRUE(ssn("536 22 1234"));
  EXPECT_TRUE(ssn("536221234"));
  EXPECT_TRUE(ssn("001-01-0001"));  // lowest issuable
  EXPECT_TRUE(ssn("899-99-9999"));  // highest issuable area
  EXPECT_TRUE(ssn("665-12-3456"));
  EXPECT_TRUE(ssn("667-12-3456"));
}

TEST(SsnValidator, RejectsAreasNeverIssued) {
  EXPECT_FALSE(ssn("000-12-3456"));
  EXPECT_FALSE(ssn("666-12-3456"));
  EXPECT_FALSE(ssn("900-12-3456"));
  EXPECT_FALSE(ssn("987-65-4321"));  // the 9xx range also holds the SSA's advertising block
  EXPECT_FALSE(ssn("999-12-3456"));
}

TEST(SsnValidator, RejectsZeroGroupOrSerial) {
  EXPECT_FALSE(ssn("536-00-1234"));
  EXPECT_FALSE(ssn("536-22-0000"));
  EXPECT_FALSE(ssn("536000000"));
}

TEST(SsnValidator, RejectsFamousAdvertisingAndPlaceholderNumbers) {
  EXPECT_FALSE(ssn("078-05-1120"));
  EXPECT_FALSE(ssn("219-09-9999"));
  EXPECT_FALSE(ssn("457-55-5462"));
  EXPECT_FALSE(ssn("123-45-6789"));
  EXPECT_FALSE(ssn("111-11-1111"));
  EXPECT_FALSE(ssn("555555555"));
}

TEST(SsnValidator, RejectsMixedOrMisplacedSeparators) {
  EXPECT_FALSE(ssn("536-22 1234"));
  EXPECT_FALSE(ssn("53-622-1234"));
  EXPECT_FALSE(ssn("536.22.1234"));
  EXPECT_FALSE(ssn("536-22-12345"));
  EXPECT_FALSE(ssn("53622123"));
  EXPECT_FALSE(ssn("5362212345"));
  EXPECT_FALSE(ssn("536-2a-1234"));
}

}  // namespace
}  // namespace sluice::engine
