#include <gtest/gtest.h>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool aba(std::string_view s) { return testing::accepts(validator_kind::aba_routing, s); }

TEST(AbaRoutingValidator, AcceptsRealRoutingNumbers) {
  EXPECT_TRUE(aba("011000015"));  // Federal Reserve Bank of Boston
  EXPECT_TRUE(aba("021000021"));  // JPMorgan Chase, New York
  EXPECT_TRUE(aba("121000358"));  // Bank of America, California
  EXPECT_TRUE(aba("322271627"));  // Chase, thrift range 21-32
  EXPECT_TRUE(aba("256074974"));
}

TEST(AbaRoutingValidator, RejectsAFailedChecksum) {
  EXPECT_FALSE(aba("021000022"));
  EXPECT_FALSE(aba("011000016"));
}

TEST(AbaRoutingValidator, RejectsUnassignedFederalReservePrefixes) {
  // Each passes the 3-7-1 checksum.
  EXPECT_FALSE(aba("131000005"));
  EXPECT_FALSE(aba("201000003"));
  EXPECT_FALSE(aba("331000009"));
  EXPECT_FALSE(aba("811000008"));
  EXPECT_FALSE(aba("991000009"));
}

TEST(AbaRoutingValidator, RejectsFillerAndWrongShapes) {
  EXPECT_FALSE(aba("000000000"));  // checksum 0 but filler
  EXPECT_FALSE(aba("02100002"));
  EXPECT_FALSE(aba("0210000210"));
  EXPECT_FALSE(aba("021-000-021"));
  EXPECT_FALSE(aba("02100002a"));
}

}  // namespace
}  // namespace sluice::engine
