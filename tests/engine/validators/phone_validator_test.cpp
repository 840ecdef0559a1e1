#include <gtest/gtest.h>


#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool phone(std::string_view s, const char* region = "US") {
  validator_options o;
  o.default_region[0] = region[0];
  o.default_region[1] = region[0] == '\0' ? '\0' : region[1];
  return testing::accepts(validator_kind::phone, s, o);
}

TEST(PhoneValidator, AcceptsNationalNumbersOfTheDefaultRegion) {
  EXPECT_TRUE(phone("(650) 253-0000"));
  EXPECT_TRUE(phone("650-253-0000"));
  EXPECT_TRUE(phone("650.253.0000"));
  EXPECT_TRUE(phone("6502530000"));
  EXPECT_TRUE(phone("1 650 253 0000"));
}

TEST(PhoneValidator, AcceptsInternationalNumbersWhateverTheDefaultRegion) {
  EXPECT_TRUE(phone("+1 650 253 0000"));
  EXPECT_TRUE(phone("+44 20 7031 3000"));
  EXPECT_TRUE(phone("+442070313000"));
  EXPECT_TRUE(phone("+49 30 303986300"));
  EXPECT_TRUE(phone("+33 1 42 68 53 00"));
  EXPECT_TRUE(phone("+81 3-6384-9000"));
  EXPECT_TRUE(phone("+44 20 7031 3000", "DE"));
}

TEST(PhoneValidator, ReadsNationalNumbersInTheConfiguredRegion) {
  EXPECT_TRUE(phone("020 7031 3000", "GB"));
  EXPECT_FALSE(phone("020 7031 3000", "US"));
  EXPECT_TRUE(phone("030 303986300", "DE"));
}

TEST(PhoneValidator, AcceptsATrailingExtension) {
  EXPECT_TRUE(phone("650-253-0000 x769"));
  EXPECT_TRUE(phone("650-253-0000x769"));
  EXPECT_TRUE(phone("(650) 253-0000 ext. 12"));
  EXPECT_TRUE(phone("+1 650 253 0000 ext 4587"));
  EXPECT_FALSE(phone("650-253-0000 x"));
  EXPECT_FALSE(phone("650-253-0000 x1234567"));
  EXPECT_FALSE(phone("x769"));
}

TEST(PhoneValidator, AcceptsTheBritishStyleTrunkZeroInParentheses) {
  EXPECT_TRUE(phone("+44 (0)20 7031 3000"));
}

TEST(PhoneValidator, RejectsNumbersTooShortOrTooLong) {
  EXPECT_FALSE(phone("253-0000"));
  EXPECT_FALSE(phone("911"));
  EXPECT_FALSE(phone("+1 650"));
  EXPECT_FALSE(phone("+1 650 253 0000 1234 5678"));
}

TEST(PhoneValidator, RejectsNumbersNoCountryAssigns) {
  EXPECT_FALSE(phone("(000) 253-0000"));  // US area codes never start with 0 or 1
  EXPECT_FALSE(phone("123-456-7890"));
  EXPECT_FALSE(phone("+999 1234 5678"));  // no such country code
}

TEST(PhoneValidator, RejectsTextThatIsNotWrittenLikeAPhoneNumber) {
  EXPECT_FALSE(phone("650--253-0000"));
  EXPECT_FALSE(phone("650 253 0000 "));
  EXPECT_FALSE(phone("650-253-0000 ext twelve"));
  EXPECT_FALSE(phone("(650 253-0000"));
  EXPECT_FALSE(phone("650) 253-0000"));
  EXPECT_FALSE(phone("650+253+0000"));
  EXPECT_FALSE(phone("tel:6502530000"));
}

TEST(PhoneValidator, WithoutAUsableRegionOnlyInternationalNumbersCount) {
  EXPECT_TRUE(phone("+1 650 253 0000", ""));
  EXPECT_FALSE(phone("650 253 0000", ""));
}

TEST(PhoneValidator, WorksFromManyThreadsAtOnce) {
  const auto check = [](int t) { return phone(t % 2 ? "+44 20 7031 3000" : "(650) 253-0000"); };
  for (int c : testing::confirmations_from_threads(4, 100, check)) {
    EXPECT_EQ(c, 100);
  }
}

bool layout(std::string_view s) { return testing::accepts(validator_kind::phone_layout, s); }

TEST(PhoneLayoutValidator, AcceptsWhatPeopleWriteWithoutANumberingPlan) {
  EXPECT_TRUE(layout("78 651 450"));        // a national number of some country: no plan checked
  EXPECT_TRUE(layout("21 284 698 2548"));
  EXPECT_TRUE(layout("+46 (0)8 928 571 38"));
  EXPECT_TRUE(layout("345-899-3560x4587"));
}

TEST(PhoneLayoutValidator, RejectsMoreDigitsThanE164Allows) {
  EXPECT_FALSE(layout("4225 1375 8921 6560"));  // 16 digits: card-shaped, never a phone number
  EXPECT_FALSE(layout("12 34"));               // too few digits
  EXPECT_FALSE(layout("12--34 5678"));
}

}  // namespace
}  // namespace sluice::engine
