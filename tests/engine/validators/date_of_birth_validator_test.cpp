#include <gtest/gtest.h>

#include <ctime>
#include <string>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool dob(std::string_view s) { return testing::accepts(validator_kind::date_of_birth, s); }

int this_year() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return utc.tm_year + 1900;
}

TEST(DateOfBirthValidator, AcceptsNumericFormats) {
  EXPECT_TRUE(dob("1985-03-12"));
  EXPECT_TRUE(dob("1985/03/12"));
  EXPECT_TRUE(dob("1985-3-2"));
  EXPECT_TRUE(dob("03/12/1985"));  // US order
  EXPECT_TRUE(dob("3/12/1985"));
  EXPECT_TRUE(dob("12.03.1985"));  // European order
  EXPECT_TRUE(dob("31/12/1985"));  // day first: the only real reading
  EXPECT_TRUE(dob("12-31-1985"));
}

TEST(DateOfBirthValidator, AcceptsWrittenFormats) {
  EXPECT_TRUE(dob("12 March 1985"));
  EXPECT_TRUE(dob("12th March 1985"));
  EXPECT_TRUE(dob("1st Jan 1990"));
  EXPECT_TRUE(dob("12 Mar 1985"));
  EXPECT_TRUE(dob("12-Mar-1985"));
  EXPECT_TRUE(dob("12. March 1985"));
  EXPECT_TRUE(dob("March 12, 1985"));
  EXPECT_TRUE(dob("Mar. 12 1985"));
  EXPECT_TRUE(dob("Sept 3, 1971"));
  EXPECT_TRUE(dob("29 february 2000"));
}

TEST(DateOfBirthValidator, AcceptsMonthNamesOfOtherLanguages) {
  EXPECT_TRUE(dob("18. Oktober 2003"));
  EXPECT_TRUE(dob("3. März 1971"));
  EXPECT_TRUE(dob("23 décembre 1965"));
  EXPECT_TRUE(dob("1er janvier 1990"));
  EXPECT_TRUE(dob("31 de agosto de 1949"));
  EXPECT_TRUE(dob("1 de abril de 1938"));
  EXPECT_TRUE(dob("12 de março de 1980"));
  EXPECT_TRUE(dob("5 settembre 1977"));
  EXPECT_TRUE(dob("7 maart 1960"));
  EXPECT_FALSE(dob("2er janvier 1990"));    // "er" only after 1
  EXPECT_FALSE(dob("31 de agostos de 1949"));
  EXPECT_FALSE(dob("de 31 agosto 1949"));   // "de" only between the parts
  EXPECT_FALSE(dob("31 février 1990"));
}

TEST(DateOfBirthValidator, AcceptsChineseAndJapaneseDates) {
  EXPECT_TRUE(dob("1986年6月20日"));
  EXPECT_TRUE(dob("1942年12月3日"));
  EXPECT_TRUE(dob("2000年02月29日"));
  EXPECT_FALSE(dob("1986年13月20日"));
  EXPECT_FALSE(dob("1985年2月29日"));
  EXPECT_FALSE(dob("86年6月20日"));
  EXPECT_FALSE(dob("1986年6月"));
  EXPECT_FALSE(dob("1986年6月20"));
}

TEST(DateOfBirthValidator, RejectsDaysThatDoNotExist) {
  EXPECT_FALSE(dob("1985-02-30"));
  EXPECT_FALSE(dob("1985-04-31"));
  EXPECT_FALSE(dob("1985-13-01"));
  EXPECT_FALSE(dob("1985-00-10"));
  EXPECT_FALSE(dob("1985-01-00"));
  EXPECT_FALSE(dob("31.04.1985"));
  EXPECT_FALSE(dob("13/13/1985"));
  EXPECT_FALSE(dob("30 February 1985"));
  EXPECT_FALSE(dob("32 March 1985"));
}

TEST(DateOfBirthValidator, KnowsLeapYears) {
  EXPECT_TRUE(dob("1996-02-29"));
  EXPECT_TRUE(dob("2000-02-29"));
  EXPECT_FALSE(dob("1900-02-29"));  // divisible by 100, not by 400
  EXPECT_FALSE(dob("1985-02-29"));
}

TEST(DateOfBirthValidator, RejectsYearsBefore1900AndTheFuture) {
  EXPECT_FALSE(dob("1899-12-31"));
  EXPECT_TRUE(dob("1900-01-01"));
  EXPECT_FALSE(dob(std::to_string(this_year() + 1) + "-01-01"));
  EXPECT_FALSE(dob("2999-01-01"));
}

TEST(DateOfBirthValidator, RejectsThingsThatOnlyLookLikeDates) {
  EXPECT_FALSE(dob("1.2.3"));          // version
  EXPECT_FALSE(dob("10.0.0.1"));       // address
  EXPECT_FALSE(dob("1985-03-12T10:00"));
  EXPECT_FALSE(dob("1985-003-12"));
  EXPECT_FALSE(dob("03/12-1985"));     // mixed separators
  EXPECT_FALSE(dob("12 Marching 1985"));
  EXPECT_FALSE(dob("12 March 85"));
  EXPECT_FALSE(dob("March 1985"));
  EXPECT_FALSE(dob("12 March 1985 "));
  EXPECT_FALSE(dob("123 March 1985"));
  EXPECT_FALSE(dob("12nd March 1985x"));
}

}  // namespace
}  // namespace sluice::engine
