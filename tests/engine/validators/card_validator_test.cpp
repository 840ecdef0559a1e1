#include <gtest/gtest.h>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool card(std::string_view s) { return testing::accepts(validator_kind::luhn_card, s); }

TEST(CardValidator, AcceptsTestNumbersOfEveryMajorNetwork) {
  EXPECT_TRUE(card("4111111111111111"));  // Visa
  EXPECT_TRUE(card("4012888888881881"));  // Visa
  EXPECT_TRUE(card("4222222222222"));     // Visa, 13 digits
  EXPECT_TRUE(card("4000000000000000006"));  // Visa, 19 digits
  EXPECT_TRUE(card("5555555555554444"));  // Mastercard 51-55
  EXPECT_TRUE(card("2223003122003222"));  // Mastercard 2-series
  EXPECT_TRUE(card("2720000000000005"));  // top of the 2-series
  EXPECT_TRUE(card("378282246310005"));   // Amex 37
  EXPECT_TRUE(card("371449635398431"));   // Amex 37
  EXPECT_TRUE(card("6011111111111117"));  // Discover
  EXPECT_TRUE(card("6500000000000002"));  // Discover 65
  EXPECT_TRUE(card("3530111333300000"));  // JCB
  EXPECT_TRUE(card("3589000000000003"));  // JCB top
  EXPECT_TRUE(card("36227206271667"));    // Diners, 14 digits
  EXPECT_TRUE(card("30950000000000"));    // Diners 3095
  EXPECT_TRUE(card("6200000000000005"));  // UnionPay
  EXPECT_TRUE(card("6759649826438453"));  // Maestro
  EXPECT_TRUE(card("501800000009"));      // Maestro, 12 digits
  EXPECT_TRUE(card("6304000000000000000"));  // Maestro, 19 digits
}

TEST(CardValidator, AcceptsTheWiderPublishedIssuerRanges) {
  EXPECT_TRUE(card("213161594239298"));   // JCB, 15 digits under 2131
  EXPECT_TRUE(card("180000826105910"));   // JCB, 15 digits under 1800
  EXPECT_TRUE(card("3502162941615515"));  // JCB 35, below today's 3528
  EXPECT_TRUE(card("3598899323053410"));  // JCB 35, above today's 3589
  EXPECT_TRUE(card("38134375577528"));    // Diners 38, 14 digits
  EXPECT_TRUE(card("584528792610"));      // Maestro 58, 12 digits
  EXPECT_TRUE(card("587428561654"));      // Maestro 58, 12 digits
  EXPECT_TRUE(card("060426070011"));      // Maestro 0604, 12 digits
  EXPECT_TRUE(card("630427373398"));      // Maestro 6304, 12 digits
}

TEST(CardValidator, AcceptsDigitsGroupedWithSingleSpacesOrDashes) {
  EXPECT_TRUE(card("4111 1111 1111 1111"));
  EXPECT_TRUE(card("4111-1111-1111-1111"));
  EXPECT_TRUE(card("3782 822463 10005"));  // Amex grouping 4-6-5
}

TEST(CardValidator, RejectsSixteenDigitNumbersFailingLuhn) {
  EXPECT_FALSE(card("4111111111111112"));
  EXPECT_FALSE(card("5555555555554445"));
  EXPECT_FALSE(card("1234567812345678"));
}

TEST(CardValidator, RejectsLuhnValidNumbersNoNetworkIssues) {
  EXPECT_FALSE(card("9000000000000001"));  // no issuer starts with 9
  EXPECT_FALSE(card("1234000000000006"));  // nor with 1
  EXPECT_FALSE(card("2721000000000004"));  // just past Mastercard's 2-series
  EXPECT_FALSE(card("0000000000000000"));
  EXPECT_FALSE(card("2131000000000008"));  // JCB 2131 is 15 digits only
  EXPECT_FALSE(card("352800000000007"));   // a 15-digit IMEI under 35: JCB 35 is 16-19 digits
  EXPECT_FALSE(card("861234567890127"));   // an IMEI under 86: no network
  EXPECT_FALSE(card("590000000000006"));   // 59 belongs to no network (Luhn-valid)
}

TEST(CardValidator, RejectsLengthsTheNetworkDoesNotIssue) {
  EXPECT_FALSE(card("400000000000006"));   // Visa with 15 digits
  EXPECT_FALSE(card("3400000000000000"));  // Amex with 16 digits
  EXPECT_FALSE(card("510000000000003"));   // Mastercard with 15 digits
  EXPECT_FALSE(card("41111111111"));       // too short for any card
  EXPECT_FALSE(card("41111111111111111111"));  // 20 digits
}

TEST(CardValidator, RejectsMalformedSeparators) {
  EXPECT_FALSE(card("4111  1111 1111 1111"));  // double space
  EXPECT_FALSE(card("4111--1111-1111-1111"));
  EXPECT_FALSE(card(" 4111111111111111"));
  EXPECT_FALSE(card("4111111111111111-"));
  EXPECT_FALSE(card("4111.1111.1111.1111"));
  EXPECT_FALSE(card("4111/1111/1111/1111"));
}

}  // namespace
}  // namespace sluice::engine
