#include <gtest/gtest.h>

#include <string>

#include "validator_test_support.h"

namespace sluice::engine {
namespace {

bool jwt(std::string_view s) { return testing::accepts(validator_kind::jwt, s); }

// The example token from RFC 7519 tooling (header {"alg":"HS256","typ":"JWT"}).
constexpr std::string_view example =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

TEST(JwtValidator, AcceptsASignedToken) { EXPECT_TRUE(jwt(example)); }

TEST(JwtValidator, AcceptsAnUnsignedTokenWithAnEmptySignature) {
  EXPECT_TRUE(jwt("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."));  // {"alg":"none"}
}

TEST(JwtValidator, RejectsAHeaderThatIsNotJson) {
  EXPECT_FALSE(jwt("bm90IGpzb24.eyJzdWIiOiIxIn0.c2ln"));  // "not json"
  EXPECT_FALSE(jwt("eyJhbGciOiJSUzI1NiIs.eyJzdWIiOiIxIn0.c2ln"));  // truncated object
}

TEST(JwtValidator, RejectsAHeaderWithoutAnAlgorithm) {
  EXPECT_FALSE(jwt("WyJhbGciXQ.eyJzdWIiOiIxIn0.c2ln"));      // ["alg"]: not an object
  EXPECT_FALSE(jwt("eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.c2ln"));  // {"typ":"JWT"}
  EXPECT_FALSE(jwt("eyJhbGciOiIifQ.eyJzdWIiOiIxIn0.c2ln"));  // {"alg":""}
  EXPECT_FALSE(jwt("eyJhbGciOjV9.eyJzdWIiOiIxIn0.c2ln"));    // {"alg":5}
}

TEST(JwtValidator, RejectsOtherDottedTriples) {
  EXPECT_FALSE(jwt("archive.tar.gz"));
  EXPECT_FALSE(jwt("api.example.com"));
  EXPECT_FALSE(jwt("1.2.3"));
  EXPECT_FALSE(jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0"));  // two segments
  EXPECT_FALSE(jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.a.b.c"));  // four segments
  EXPECT_FALSE(jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9..c2ln"));  // empty payload
  EXPECT_FALSE(jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2l+"));  // not base64url
  EXPECT_FALSE(jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c"));  // impossible length
}

TEST(JwtValidator, RejectsAnOversizedHeaderWithoutAllocating) {
  std::string token(8000, 'A');
  token += ".eyJzdWIiOiIxIn0.c2ln";
  EXPECT_FALSE(jwt(token));
}

TEST(JwtValidator, WorksFromManyThreadsAtOnce) {
  for (int c : testing::confirmations_from_threads(4, 200, [](int) { return jwt(example); })) {
    EXPECT_EQ(c, 200);
  }
}

}  // namespace
}  // namespace sluice::engine
