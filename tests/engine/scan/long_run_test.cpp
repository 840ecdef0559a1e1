// Long runs of one character class (digit strings, hex dumps, base64 blobs pasted into prompts) on the
// default catalog: entities next to them are still found exactly, streamed text still redacts as the
// whole text does (also with the key words and prefixes that streams hold back from), and a keyed
// secret is found wherever its context word may stand.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"
#include "sluice/engine/stream_redactor.h"
#include "block_redaction.h"
#include "test_rules.h"

namespace sluice::engine {
namespace {

constexpr std::string_view azure_key =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
constexpr std::string_view aws_secret = "C3J27XDCG2LmlZGEONYl/gCtjfIZ4SO+cMz9CPVN";

std::string run_of(std::string_view alphabet, std::size_t n, std::mt19937& rng) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(alphabet[rng() % alphabet.size()]);
  }
  return s;
}

struct typed_span {
  std::string type;
  std::string text;
};

std::vector<typed_span> findings_of(std::string_view text) {
  const auto& rules = testing::default_rules();
  scanner s(rules);
  scan_result r;
  EXPECT_EQ(s.scan(text, r), errc::ok);
  std::vector<typed_span> out;
  for (const finding& f : r.entities) {
    out.push_back({rules->at(f.rule).entity, std::string(text.substr(f.start, f.end - f.start))});
  }
  return out;
}

std::string streamed_redaction(std::string_view text, std::size_t piece) {
  const auto& rules = testing::default_rules();
  scanner owner(rules);
  redactor placeholders;
  stream_redactor sr(rules, owner.scratch(), placeholders);
  std::string out;
  for (std::size_t at = 0; at < text.size(); at += piece) {
    EXPECT_EQ(sr.write(text.substr(at, piece), out), errc::ok);
  }
  EXPECT_EQ(sr.finish(out), errc::ok);
  return out;
}

TEST(LongRuns, RunsAloneHoldNoEntity) {
  std::mt19937 rng(3);
  EXPECT_TRUE(findings_of(std::string(4096, '0')).empty());
  EXPECT_TRUE(findings_of(run_of("0123456789abcdef", 4096, rng)).empty());
}

TEST(LongRuns, EntitiesBesideRunsAreFoundExactly) {
  std::mt19937 rng(5);
  const std::string digits = run_of("0123456789", 3000, rng);
  const std::string text = digits + " SSN 536-22-1876, card 4111 1111 1111 1111 " + digits;
  const auto found = findings_of(text);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].type, "SSN");
  EXPECT_EQ(found[0].text, "536-22-1876");
  EXPECT_EQ(found[1].type, "CREDIT_CARD");
  EXPECT_EQ(found[1].text, "4111 1111 1111 1111");
}

TEST(LongRuns, KeyedSecretsAreFoundAnywhereTheirContextWindowAllows) {
  std::mt19937 rng(7);
  const std::string hex = run_of("0123456789abcdef", 2000, rng);
  // Separators the context window allows but that are not "=" and a space: a tab, a line break, words.
  for (const std::string& text : {hex + " AccessKey=\t" + std::string(azure_key) + "; " + hex,
                                  hex + " AccountKey=\n" + std::string(azure_key) + "\n" + hex,
                                  "aws_secret_access_key is now " + std::string(aws_secret) + " " + hex}) {
    const auto found = findings_of(text);
    ASSERT_EQ(found.size(), 1u) << text.substr(0, 80);
    EXPECT_EQ(found[0].type, "API_KEY");
    EXPECT_TRUE(found[0].text == azure_key || found[0].text == aws_secret) << found[0].text;
  }
}

TEST(LongRuns, StreamsRedactAsTheWholeTextDoes) {
  const auto& rules = testing::default_rules();
  std::mt19937 rng(11);
  const std::vector<std::string_view> alphabets = {
      "0", "0123456789", "0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"};
  const std::vector<std::string_view> pieces = {
      " SSN ", "536-22-1876", "routing ", "021000021", "passport ", "C12345678", "phone ", "415 555 0132",
      "AccountKey=", azure_key, "aws_secret_access_key = ", aws_secret, "DE89370400440532013000",
      "\t", "\n", " ", "=", ":", "4111111111111111", "my password is ", "Passwort: ", "pwd=", "Tr0ub4dor&3x!",
      "mot de passe ", "пароль ", "パスワード：", "pass", "PASSWORD=", "sk-ant-api03-", "eyJhbGciOiJIUzI1NiJ9.",
      "born ", "DOB: ", "5 March 1980", "September 21st, 1975", "18. Oktober 2003", "1986年6月20日"};
  for (int i = 0; i < 60; ++i) {
    std::string text;
    const int parts = 2 + static_cast<int>(rng() % 8);
    for (int p = 0; p < parts; ++p) {
      if (rng() % 2 == 0) {
        text += run_of(alphabets[rng() % alphabets.size()], 1 + rng() % 300, rng);
      } else {
        text += pieces[rng() % pieces.size()];
      }
    }
    const std::string expected = testing::block_redaction(rules, text);
    for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
      ASSERT_EQ(streamed_redaction(text, piece), expected) << "pieces of " << piece << ": " << text;
    }
  }
}

}  // namespace
}  // namespace sluice::engine
