#include <gtest/gtest.h>

#include "validators/validator_checks.h"
#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool iban(std::string_view s) { return testing::accepts(validator_kind::iban, s); }

TEST(IbanValidator, AcceptsValidIbansFromManyCountries) {
  EXPECT_TRUE(iban("DE89370400440532013000"));
  EXPECT_TRUE(iban("GB82WEST12345698765432"));
  EXPECT_TRUE(iban("FR1420041010050500013M02606"));
  EXPECT_TRUE(iban("NL91ABNA0417164300"));
  EXPECT_TRUE(iban("BE68539007547034"));
  EXPECT_TRUE(iban("NO9386011117947"));  // shortest: 15
  EXPECT_TRUE(iban("CH9300762011623852957"));
  EXPECT_TRUE(iban("MT84MALT011000012345MTLCAST001S"));
  EXPECT_TRUE(iban("LC55HEMM000100010012001200023015"));  // longest in use: 32
}

TEST(IbanValidator, AcceptsPrintFormWithSpacesAndLowerCase) {
  EXPECT_TRUE(iban("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(iban("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(iban("gb82west12345698765432"));
}

TEST(IbanValidator, RejectsAWrongCheckDigit) {
  EXPECT_FALSE(iban("DE88370400440532013000"));
  EXPECT_FALSE(iban("GB82WEST12345698765433"));
}

TEST(IbanValidator, RejectsTheWrongLengthForItsCountry) {
  EXPECT_FALSE(iban("DE8937040044053201300"));    // one short
  EXPECT_FALSE(iban("DE893704004405320130000"));  // one long
  EXPECT_FALSE(iban("NL91ABNA04171643000"));
}

TEST(IbanValidator, RejectsCountriesWithoutIbans) {
  EXPECT_FALSE(iban("US89370400440532013000"));
  EXPECT_FALSE(iban("XX89370400440532013000"));
  EXPECT_FALSE(iban("1289370400440532013000"));
}

TEST(IbanValidator, RejectsMalformedText) {
  EXPECT_FALSE(iban("GB82  WEST 1234 5698 7654 32"));
  EXPECT_FALSE(iban(" GB82WEST12345698765432"));
  EXPECT_FALSE(iban("GB82-WEST-1234-5698-7654-32"));
  EXPECT_FALSE(iban("GBAB WEST 1234 5698 7654 32"));  // check digits must be digits
  EXPECT_FALSE(iban("GB82WEST1234569876543200000000000000"));  // beyond 34 characters
}

TEST(IbanValidator, KnowsEveryCountryInTheSwiftRegistry) {
  EXPECT_EQ(detail::iban_country_count(), 89u);
}

}  // namespace
}  // namespace sluice::engine
