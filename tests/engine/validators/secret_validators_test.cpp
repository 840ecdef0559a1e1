// Validators for secrets: entropy, password assignments and credentials inside URLs.
#include <gtest/gtest.h>

#include <cmath>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

using testing::accepts;

bool high_entropy(std::string_view s) { return accepts(validator_kind::entropy, s); }
bool password(std::string_view s) { return accepts(validator_kind::password_assignment, s); }
bool url(std::string_view s) { return accepts(validator_kind::url_credentials, s); }
bool prose(std::string_view s) { return accepts(validator_kind::password_in_prose, s); }

TEST(ShannonEntropy, MeasuresBitsPerByte) {
  EXPECT_DOUBLE_EQ(shannon_entropy(""), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("aaaaaaaa"), 0.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abababab"), 1.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("abcdefgh"), 3.0);
  EXPECT_DOUBLE_EQ(shannon_entropy("0123456789abcdef"), 4.0);
}

TEST(EntropyValidator, AcceptsRandomLookingKeys) {
  EXPECT_TRUE(high_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Ks9Lm2x"));
  EXPECT_TRUE(high_entropy("ghp_16C7e42F292c6912E7710c838347Ae178B4a"));
  EXPECT_TRUE(high_entropy("9f86d081884c7d659a2feaa0c55ad015"));
}

TEST(EntropyValidator, RejectsRepetitiveOrShortStrings) {
  EXPECT_FALSE(high_entropy("aaaaaaaaaaaaaaaaaaaa"));
  EXPECT_FALSE(high_entropy("abababababababababab"));
  EXPECT_FALSE(high_entropy("deadbeefdeadbeef"));
  EXPECT_FALSE(high_entropy("aB3$xY9"));  // 7 bytes
}

TEST(EntropyValidator, RejectsDocumentationKeysAndMasks) {
  EXPECT_FALSE(high_entropy("AKIAIOSFODNN7EXAMPLE"));
  EXPECT_FALSE(high_entropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
  EXPECT_FALSE(high_entropy("****************"));
  EXPECT_FALSE(high_entropy("sk-xxxxxxxxxxxxxxxxxxxxxxxx"));
}

TEST(EntropyValidator, HonoursTheConfiguredThreshold) {
  validator_options strict;
  strict.min_entropy_bits_per_char = 5.5;
  EXPECT_FALSE(accepts(validator_kind::entropy, "9f86d081884c7d659a2feaa0c55ad015", strict));
  validator_options lax;
  lax.min_entropy_bits_per_char = 1.0;
  EXPECT_TRUE(accepts(validator_kind::entropy, "deadbeefdeadbeef", lax));
}

TEST(PasswordAssignmentValidator, AcceptsRealLookingPasswordsInManySyntaxes) {
  EXPECT_TRUE(password("password=S3cr3tP@ssw0rd!"));
  EXPECT_TRUE(password("PASSWORD: Summer2024!"));
  EXPECT_TRUE(password("\"password\": \"t7#Qm!9zLp\""));
  EXPECT_TRUE(password("db_pass = 'Kx9!mR2$vQ'"));
  EXPECT_TRUE(password("pwd := \"n0t-s0-s3cret\""));
  EXPECT_TRUE(password(":password => 'Tr0ub4dor&3'"));
  EXPECT_TRUE(password("password=correcthorsebatterystaple;"));
}

TEST(PasswordAssignmentValidator, RejectsShortValues) {
  EXPECT_FALSE(password("password=abc123"));
  EXPECT_FALSE(password("password=\"Ab1!xyz\""));
  EXPECT_FALSE(password("password="));
  EXPECT_FALSE(password("password"));
}

TEST(PasswordAssignmentValidator, RejectsPlaceholders) {
  EXPECT_FALSE(password("password=********"));
  EXPECT_FALSE(password("password: <password>"));
  EXPECT_FALSE(password("password=${DB_PASSWORD}"));
  EXPECT_FALSE(password("password={{ vault_db_password }}"));
  EXPECT_FALSE(password("password=$DB_PASSWORD"));
  EXPECT_FALSE(password("password: changeme"));
  EXPECT_FALSE(password("password: \"changeme123\""));
  EXPECT_FALSE(password("password=xxxxxxxxxx"));
  EXPECT_FALSE(password("password=your_password"));
  EXPECT_FALSE(password("password=[REDACTED]"));
  EXPECT_FALSE(password("password: %DB_PASSWORD%"));
}

TEST(PasswordAssignmentValidator, RejectsValuesThatAreCode) {
  EXPECT_FALSE(password("password = os.getenv(\"DB_PASSWORD\")"));
  EXPECT_FALSE(password("password = get_password()"));
  EXPECT_FALSE(password("password: config.database.password"));
  EXPECT_FALSE(password("password = DB_PASSWORD"));
  EXPECT_FALSE(password("password = os.environ['DB_PASSWORD']"));
}

TEST(PasswordAssignmentValidator, RejectsLowEntropyValues) {
  EXPECT_FALSE(password("password=aaaaaaab"));
  EXPECT_FALSE(password("password=abababababab"));
}

TEST(PasswordAssignmentValidator, RejectsQuotedValuesThatAreStillCode) {
  EXPECT_FALSE(password("\"passwd\":\"process.env.DB_PASSWORD\""));
  EXPECT_FALSE(password("password = 'getpass()'"));
  EXPECT_FALSE(password("\"password\":\"os.environ['DB_PASS']\""));
  EXPECT_TRUE(password("password = 'Tr0ub4dor.x&3'"));  // a dot alone does not make code
}

TEST(PasswordInProseValidator, TakesTheLastWordAfterThePasswordWord) {
  EXPECT_TRUE(prose("password is Quartz-saffron-661hSf"));
  EXPECT_TRUE(prose("pwd we have for her is Quartz#1364velvet"));
  EXPECT_TRUE(prose("密码是 Juniper*6970cobalt"));
  EXPECT_TRUE(prose("パスワード=Nimbus-saffron-336sYQ"));
  EXPECT_TRUE(prose("senha» para \"Orbit-winter-816g5Q"));
}

TEST(PasswordInProseValidator, WantsMixedCaseAndADigitOrSymbol) {
  EXPECT_FALSE(prose("password is quartz-saffron-661"));  // no upper case
  EXPECT_FALSE(prose("password is QUARTZ-SAFFRON-661"));  // no lower case
  EXPECT_FALSE(prose("password is QuartzSaffronBlue"));   // letters only
  EXPECT_FALSE(prose("password is Ab1"));                 // too short
}

TEST(PasswordInProseValidator, RejectsAddressesPathsAndCode) {
  EXPECT_FALSE(prose("password at https://example.com/Reset?t=Ab12"));
  EXPECT_FALSE(prose("password for jane.Doe1@example.com"));
  EXPECT_FALSE(prose("password in /etc/Secrets/db1.txt"));
  EXPECT_FALSE(prose("password in process.env.DB_PASSWORD"));
  EXPECT_FALSE(prose("PASSWORD=process.env.DB_PASSWORD"));
  EXPECT_FALSE(prose("password is <Your-Password1>"));
  EXPECT_FALSE(prose("password and monitor your account for any suspicious activity.\\n\\nPlease"));
}

TEST(UrlCredentialsValidator, AcceptsUrlsWithAPassword) {
  EXPECT_TRUE(url("postgres://app:Kx9mR2vQ@db.internal:5432/prod"));
  EXPECT_TRUE(url("mongodb+srv://admin:hunter2@cluster0.example.net"));
  EXPECT_TRUE(url("redis://:s3cr3t@cache:6379"));
  EXPECT_TRUE(url("https://user:p@ss@example.com/path"));  // unescaped '@' in the password
  EXPECT_TRUE(url("amqp://guest:Zq8pL1@[2001:db8::1]:5672"));
}

TEST(UrlCredentialsValidator, RejectsUrlsWithoutAPassword) {
  EXPECT_FALSE(url("https://user@example.com"));
  EXPECT_FALSE(url("https://example.com/a:b@c"));  // the '@' is in the path
  EXPECT_FALSE(url("https://user:@example.com"));
  EXPECT_FALSE(url("https://example.com"));
}

TEST(UrlCredentialsValidator, RejectsPlaceholderPasswords) {
  EXPECT_FALSE(url("postgres://user:password@localhost/db"));
  EXPECT_FALSE(url("postgres://user:<password>@localhost/db"));
  EXPECT_FALSE(url("postgres://user:${PGPASSWORD}@localhost/db"));
  EXPECT_FALSE(url("postgres://user:****@localhost/db"));
  EXPECT_FALSE(url("mysql://root:changeme@db"));
  EXPECT_FALSE(url("mysql://root:pass@db"));
}

TEST(UrlCredentialsValidator, RejectsMalformedUrls) {
  EXPECT_FALSE(url("://user:Kx9mR2vQ@host"));
  EXPECT_FALSE(url("user:Kx9mR2vQ@host"));
  EXPECT_FALSE(url("1http://user:Kx9mR2vQ@host"));
  EXPECT_FALSE(url("http://user:Kx9mR2vQ@"));
  EXPECT_FALSE(url("http://user:Kx9mR2vQ@/path"));
  EXPECT_FALSE(url("http://user:Kx9 mR2vQ@host"));
}

}  // namespace
}  // namespace sluice::engine
