#include <gtest/gtest.h>

#include <string>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool email(std::string_view s) { return testing::accepts(validator_kind::email, s); }

TEST(EmailValidator, AcceptsOrdinaryAddresses) {
  EXPECT_TRUE(email("jane.doe@example.com"));
  EXPECT_TRUE(email("j+tag@mail.example.co.uk"));
  EXPECT_TRUE(email("o'brien@example.ie"));
  EXPECT_TRUE(email("user_1@sub-domain.example.org"));
  EXPECT_TRUE(email("x@a.io"));
  EXPECT_TRUE(email("info@example.photography"));
  EXPECT_TRUE(email("user@example.xn--p1ai"));  // internationalised TLD in punycode
}

TEST(EmailValidator, RejectsBadLocalParts) {
  EXPECT_FALSE(email(".jane@example.com"));
  EXPECT_FALSE(email("jane.@example.com"));
  EXPECT_FALSE(email("ja..ne@example.com"));
  EXPECT_FALSE(email("@example.com"));
  EXPECT_FALSE(email("ja ne@example.com"));
  EXPECT_FALSE(email(std::string(65, 'a') + "@example.com"));
  EXPECT_TRUE(email(std::string(64, 'a') + "@example.com"));
}

TEST(EmailValidator, RejectsBadDomainLabels) {
  EXPECT_FALSE(email("jane@-example.com"));
  EXPECT_FALSE(email("jane@example-.com"));
  EXPECT_FALSE(email("jane@example..com"));
  EXPECT_FALSE(email("jane@.example.com"));
  EXPECT_FALSE(email("jane@exa_mple.com"));
  EXPECT_FALSE(email("jane@" + std::string(64, 'a') + ".com"));
  EXPECT_TRUE(email("jane@" + std::string(63, 'a') + ".com"));
}

TEST(EmailValidator, RejectsTopLevelDomainsThatAreNotAlphabeticOrTooShortOrLong) {
  EXPECT_FALSE(email("jane@localhost"));
  EXPECT_FALSE(email("jane@example.c"));
  EXPECT_FALSE(email("jane@10.0.0.1"));
  EXPECT_FALSE(email("pkg@v1.2"));
  EXPECT_FALSE(email("jane@example.c0m"));
  EXPECT_FALSE(email("jane@example." + std::string(25, 'a')));
  // Long top-level domains of the Public Suffix List, the punycode one 24 letters.
  EXPECT_TRUE(email("jane@example.travelersinsurance"));
  EXPECT_TRUE(email("jane@example.xn--vermgensberatung-pwb"));
}

TEST(EmailValidator, TheTopLevelDomainMustBeAPublicSuffix) {
  EXPECT_TRUE(email("jane@example.com"));
  EXPECT_TRUE(email("jane@beispiel.de"));
  EXPECT_TRUE(email("ops@corp.local"));  // private names mail is addressed to inside organisations
  EXPECT_FALSE(email("banner@2x.jpg"));
  EXPECT_FALSE(email("icon@3x.png"));
  EXPECT_FALSE(email("logo@2x.webp"));
  EXPECT_FALSE(email("jane@example." + std::string(24, 'a')));
}

TEST(EmailValidator, AnSshRemoteIsNotAnAddress) {
  EXPECT_FALSE(email("git@gitlab.com:team/app.git"));
  EXPECT_FALSE(email("deploy@build.example.com:22"));
}

TEST(EmailValidator, RejectsAddressesLongerThan254Bytes) {
  const std::string domain = std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + ".com";
  EXPECT_TRUE(email("jane@" + domain));
  EXPECT_FALSE(email(std::string(60, 'j') + "@" + domain));
}

}  // namespace
}  // namespace sluice::engine
