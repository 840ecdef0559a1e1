#include <gtest/gtest.h>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool nino(std::string_view s) { return testing::accepts(validator_kind::uk_nino, s); }

TEST(UkNinoValidator, AcceptsCompactAndSpacedForms) {
  EXPECT_TRUE(nino("AB123456C"));
  EXPECT_TRUE(nino("AB 12 34 56 C"));
  EXPECT_TRUE(nino("JG103759A"));
  EXPECT_TRUE(nino("ZY 00 00 00 D"));
  EXPECT_TRUE(nino("ab123456c"));
}

TEST(UkNinoValidator, RejectsLettersNeverUsedInThePrefix) {
  for (char first : std::string_view("DFIQUV")) {
    std::string s = "AB123456C";
    s[0] = first;
    EXPECT_FALSE(nino(s)) << s;
  }
  for (char second : std::string_view("DFIOQUV")) {
    std::string s = "AB123456C";
    s[1] = second;
    EXPECT_FALSE(nino(s)) << s;
  }
  EXPECT_TRUE(nino("OA123456C"));  // O is allowed first, only not second
}

TEST(UkNinoValidator, RejectsUnallocatedPrefixPairs) {
  for (std::string_view p : {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}) {
    std::string s(p);
    s += "123456A";
    EXPECT_FALSE(nino(s)) << s;
  }
}

TEST(UkNinoValidator, RejectsSuffixesOtherThanAToD) {
  EXPECT_FALSE(nino("AB123456E"));
  EXPECT_FALSE(nino("AB123456Z"));
  EXPECT_FALSE(nino("AB1234567"));
  EXPECT_FALSE(nino("AB123456"));  // no suffix
}

TEST(UkNinoValidator, RejectsWrongShapes) {
  EXPECT_FALSE(nino("A1123456C"));
  EXPECT_FALSE(nino("AB12345CC"));
  EXPECT_FALSE(nino("AB  123456C"));
  EXPECT_FALSE(nino(" AB123456C"));
  EXPECT_FALSE(nino("AB123456C "));
  EXPECT_FALSE(nino("AB-12-34-56-C"));
  EXPECT_FALSE(nino("AB1234567C"));
}

}  // namespace
}  // namespace sluice::engine
