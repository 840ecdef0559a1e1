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
