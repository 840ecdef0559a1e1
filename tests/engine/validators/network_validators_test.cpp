#include <gtest/gtest.h>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool ipv4(std::string_view s) { return testing::accepts(validator_kind::ipv4, s); }
bool ipv6(std::string_view s) { return testing::accepts(validator_kind::ipv6, s); }

TEST(Ipv4Validator, AcceptsDottedQuadsWithOctetsUpTo255) {
  EXPECT_TRUE(ipv4("192.168.1.20"));
  EXPECT_TRUE(ipv4("8.8.8.8"));
  EXPECT_TRUE(ipv4("0.0.0.0"));
  EXPECT_TRUE(ipv4("255.255.255.255"));
  EXPECT_TRUE(ipv4("10.0.0.1"));
}

TEST(Ipv4Validator, RejectsOctetsAbove255) {
  EXPECT_FALSE(ipv4("256.1.1.1"));
  EXPECT_FALSE(ipv4("1.1.1.256"));
  EXPECT_FALSE(ipv4("999.999.999.999"));
  EXPECT_FALSE(ipv4("1.1.1.1000"));
}

TEST(Ipv4Validator, RejectsLeadingZeros) {
  EXPECT_FALSE(ipv4("01.2.3.4"));
  EXPECT_FALSE(ipv4("1.2.3.04"));
  EXPECT_FALSE(ipv4("1.2.00.4"));
}

TEST(Ipv4Validator, RejectsOtherDotCounts) {
  EXPECT_FALSE(ipv4("1.2.3"));
  EXPECT_FALSE(ipv4("1.2.3.4.5"));
  EXPECT_FALSE(ipv4("1..2.3"));
  EXPECT_FALSE(ipv4(".1.2.3.4"));
  EXPECT_FALSE(ipv4("1.2.3.4."));
  EXPECT_FALSE(ipv4("1.2.3.4/24"));
  EXPECT_FALSE(ipv4("1.2.3.x"));
}

TEST(Ipv6Validator, AcceptsFullCompressedAndMappedForms) {
  EXPECT_TRUE(ipv6("2001:0db8:85a3:0000:0000:8a2e:0370:7334"));
  EXPECT_TRUE(ipv6("2001:db8::8a2e:370:7334"));
  EXPECT_TRUE(ipv6("::1"));
  EXPECT_TRUE(ipv6("fe80::1"));
  EXPECT_TRUE(ipv6("::ffff:192.0.2.128"));
  EXPECT_TRUE(ipv6("2001:DB8::1"));
}

TEST(Ipv6Validator, AcceptsBracketsAndZoneIds) {
  EXPECT_TRUE(ipv6("[2001:db8::1]"));
  EXPECT_TRUE(ipv6("fe80::1%eth0"));
}

TEST(Ipv6Validator, RejectsMalformedAddresses) {
  EXPECT_FALSE(ipv6("2001:db8::8a2e::7334"));  // two ::
  EXPECT_FALSE(ipv6("2001:db8:85a3:0:0:8a2e:370:7334:1"));  // nine groups
  EXPECT_FALSE(ipv6("2001:db8:85a3:0:0:8a2e:370"));  // seven groups, no ::
  EXPECT_FALSE(ipv6("12345::1"));  // group of five digits
  EXPECT_FALSE(ipv6("2001:db8::g1"));
  EXPECT_FALSE(ipv6(":::1"));
  EXPECT_FALSE(ipv6("::ffff:256.0.2.128"));
  EXPECT_FALSE(ipv6("fe80::1%"));
  EXPECT_FALSE(ipv6("[::1"));
}

TEST(Ipv6Validator, RejectsCodeScopesThatHappenToParse) {
  EXPECT_FALSE(ipv6("::"));
  EXPECT_FALSE(ipv6("a::b"));
  EXPECT_FALSE(ipv6("cafe::beef"));
}

TEST(Ipv6Validator, RejectsOverlongText) {
  EXPECT_FALSE(ipv6("0000:0000:0000:0000:0000:0000:0000:0000:0000:0000:0001"));
}

}  // namespace
}  // namespace sluice::engine
