// Validator names and dispatch: every kind round-trips through the name rule files use.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sluice/engine/validators.h"
#include "validator_test_support.h"

namespace sluice::engine {
namespace {

using testing::accepts;

TEST(Validators, EveryKindRoundTripsThroughItsCatalogName) {
  for (int k = 0; k <= static_cast<int>(validator_kind::phone_layout); ++k) {
    const auto kind = static_cast<validator_kind>(k);
    const std::string_view name = to_string(kind);
    ASSERT_NE(name, "unknown") << "validator kind " << k << " has no name";
    const auto parsed = validator_from_string(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, kind) << name;
  }
}

TEST(Validators, CatalogNamesAreTheDocumentedOnes) {
  EXPECT_EQ(validator_from_string("luhn_card"), validator_kind::luhn_card);
  EXPECT_EQ(validator_from_string("us_ssn"), validator_kind::us_ssn);
  EXPECT_EQ(validator_from_string("iban"), validator_kind::iban);
  EXPECT_EQ(validator_from_string("aba_routing"), validator_kind::aba_routing);
  EXPECT_EQ(validator_from_string("uk_nino"), validator_kind::uk_nino);
  EXPECT_EQ(validator_from_string("ipv4"), validator_kind::ipv4);
  EXPECT_EQ(validator_from_string("ipv6"), validator_kind::ipv6);
  EXPECT_EQ(validator_from_string("phone"), validator_kind::phone);
  EXPECT_EQ(validator_from_string("email"), validator_kind::email);
  EXPECT_EQ(validator_from_string("jwt"), validator_kind::jwt);
  EXPECT_EQ(validator_from_string("entropy"), validator_kind::entropy);
  EXPECT_EQ(validator_from_string("password_assignment"), validator_kind::password_assignment);
  EXPECT_EQ(validator_from_string("us_passport"), validator_kind::us_passport);
  EXPECT_EQ(validator_from_string("date_of_birth"), validator_kind::date_of_birth);
  EXPECT_EQ(validator_from_string("url_credentials"), validator_kind::url_credentials);
  EXPECT_EQ(validator_from_string("password_in_prose"), validator_kind::password_in_prose);
  EXPECT_EQ(validator_from_string("phone_layout"), validator_kind::phone_layout);
  EXPECT_EQ(validator_from_string("none"), validator_kind::none);
}

TEST(Validators, UnknownNamesAreRejected) {
  EXPECT_FALSE(validator_from_string("").has_value());
  EXPECT_FALSE(validator_from_string("luhn").has_value());
  EXPECT_FALSE(validator_from_string("IBAN").has_value());
  EXPECT_FALSE(validator_from_string("email ").has_value());
}

TEST(Validators, NoneAcceptsEverything) {
  EXPECT_TRUE(accepts(validator_kind::none, ""));
  EXPECT_TRUE(accepts(validator_kind::none, "anything at all"));
}

TEST(Validators, AnOutOfRangeKindNeverConfirms) {
  EXPECT_FALSE(accepts(static_cast<validator_kind>(200), "4111111111111111"));
}

TEST(Validators, EveryValidatorRejectsAnEmptySpan) {
  for (int k = 1; k <= static_cast<int>(validator_kind::phone_layout); ++k) {
    EXPECT_FALSE(accepts(static_cast<validator_kind>(k), "")) << to_string(static_cast<validator_kind>(k));
  }
}

TEST(Validators, EveryValidatorSurvivesBinaryGarbage) {
  const std::string_view garbage("\0\xff\xfe:=@.//\x80\x01-- ", 14);
  for (int k = 1; k <= static_cast<int>(validator_kind::phone_layout); ++k) {
    EXPECT_FALSE(accepts(static_cast<validator_kind>(k), garbage)) << to_string(static_cast<validator_kind>(k));
  }
}

// A bounded property test standing in for a fuzzer: random spans built from the characters the
// entities are made of (so the parsers get deep, not just rejected at the first byte) never crash and
// never throw. Run under the ASan build to catch out-of-bounds reads.
TEST(Validators, RandomSpansNeverCrashAnyValidator) {
  using namespace std::string_view_literals;
  constexpr std::string_view alphabet = "0123456789abcdefxyzABCXYZ .-/:=@+()[]{}<>$%*_'\"\x80\xff\0"sv;
  std::mt19937 rng(20261123);
  std::uniform_int_distribution<std::size_t> length(0, 80), pick(0, alphabet.size() - 1);
  std::string span;
  for (int round = 0; round < 3000; ++round) {
    span.clear();
    for (std::size_t i = length(rng); i > 0; --i) {
      span.push_back(alphabet[pick(rng)]);
    }
    for (int k = 0; k <= static_cast<int>(validator_kind::phone_layout); ++k) {
      (void)accepts(static_cast<validator_kind>(k), span);
    }
  }
  SUCCEED();
}

}  // namespace
}  // namespace sluice::engine
