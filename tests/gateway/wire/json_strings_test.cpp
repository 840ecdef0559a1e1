// Splicing redactions back into the original JSON: the new body differs from the old one only where a
// replacement was made, whatever escapes the strings use.
#include "wire/json_strings.h"

#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>

#include "dialects/anthropic/messages_request.h"

namespace sluice::gateway {
namespace {

struct fixture {
  simdjson::ondemand::parser parser;
  std::string buffer;
  json_string_table table;
  messages_request_facts facts;
  json_splicer splicer;
  std::string_view body;

  void read(std::string_view text) {
    body = padded_copy(buffer, text);
    ASSERT_TRUE(read_messages_request(parser, body, table, facts).ok());
    splicer.reset(body, table);
  }

  // Replaces the first occurrence of `needle` in text `i` with `replacement`.
  void replace(std::uint32_t i, std::string_view needle, std::string_view replacement) {
    const auto at = table.text(i).find(needle);
    ASSERT_NE(at, std::string_view::npos) << needle;
    ASSERT_TRUE(splicer.replace(i, static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size()),
                                replacement)
                    .ok());
  }

  std::string finish() {
    std::string out;
    EXPECT_TRUE(splicer.finish(out).ok());
    return out;
  }
};

TEST(JsonStrings, EscapesAndMultibyteTextAreReadAtEveryOffset) {
  // The reader skips plain bytes sixteen, then eight at a time; put an escape, a quote, a multibyte
  // character and the end of the string at every position relative to those steps.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    const std::string lead(pad, 'a');
    fixture f;
    f.read(R"({"messages":[{"role":"user","content":")" + lead + R"(\"q\" caf\u00e9 \u00fc\u00df \\ é )" + lead +
           R"("}]})");
    EXPECT_EQ(f.table.text(0), lead + "\"q\" caf\u00e9 \u00fc\u00df \\ \u00e9 " + lead) << pad;
    EXPECT_EQ(f.finish(), std::string(f.body)) << pad;
  }
  // A raw control byte anywhere in a string is refused, wherever it falls in those steps.
  for (std::size_t pad = 0; pad < 40; ++pad) {
    fixture bad;
    const std::string with_control =
        std::string(R"({"messages":[{"role":"user","content":")") + std::string(pad, 'b') + '\x01' + R"(tail"}]})";
    const std::string_view body = padded_copy(bad.buffer, with_control);
    EXPECT_FALSE(read_messages_request(bad.parser, body, bad.table, bad.facts).ok()) << pad;
  }
}

TEST(JsonSplice, NoEditsGivesTheSameBytes) {
  fixture f;
  const std::string body = R"({ "messages" : [ {"role":"user","content":"a\u00e9\n"} ] , "x": 1 })";
  f.read(body);
  EXPECT_EQ(f.finish(), body);
}

TEST(JsonSplice, ReplacesOnlyTheFindingAndLeavesEveryOtherByte) {
  fixture f;
  f.read(R"({"model":"m",  "messages":[{"role":"user","content":"mail jane@example.com now"}],"max_tokens":5})");
  f.replace(0, "jane@example.com", "[REDACTED:EMAIL]");
  EXPECT_EQ(f.finish(),
            R"({"model":"m",  "messages":[{"role":"user","content":"mail [REDACTED:EMAIL] now"}],"max_tokens":5})");
}

TEST(JsonSplice, KeepsEscapesOutsideTheFindingAsWritten) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"caf\u00e9 \"quoted\"\nmail jane@example.com \ud83d\ude00\tend"}]})");
  f.replace(0, "jane@example.com", "<EMAIL_1>");
  EXPECT_EQ(f.finish(),
            R"({"messages":[{"role":"user","content":"caf\u00e9 \"quoted\"\nmail <EMAIL_1> \ud83d\ude00\tend"}]})");
}

TEST(JsonSplice, FindingMadeOfEscapesIsReplacedWhole) {
  fixture f;
  // The e-mail address itself is written with escapes: \u0040 is '@', \u002e is '.'.
  f.read(R"({"messages":[{"role":"user","content":"x jane\u0040example\u002ecom y"}]})");
  EXPECT_EQ(f.table.text(0), "x jane@example.com y");
  f.replace(0, "jane@example.com", "[REDACTED:EMAIL]");
  EXPECT_EQ(f.finish(), R"({"messages":[{"role":"user","content":"x [REDACTED:EMAIL] y"}]})");
}

TEST(JsonSplice, FindingEndingInsideAnEscapeCoversTheWholeEscape) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"a\ud83d\ude00b"}]})");
  // Bytes 1..3 are the first three of the emoji's four: the replacement takes the whole pair.
  ASSERT_TRUE(f.splicer.replace(0, 1, 3, "X").ok());
  EXPECT_EQ(f.finish(), R"({"messages":[{"role":"user","content":"aXb"}]})");
}

TEST(JsonSplice, EditSplittingAUtf8CharacterCoversTheWholeCharacter) {
  fixture f;
  // "hi" + U+0621 (two bytes, 2..3) + "ty" + U+00E9 (two bytes, 6..7), written as UTF-8, not escaped.
  f.read("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\xd8\xa1ty\xc3\xa9\"}]}");
  ASSERT_TRUE(f.splicer.replace(0, 3, 7, "X").ok());
  EXPECT_EQ(f.finish(), R"({"messages":[{"role":"user","content":"hiX"}]})");
}

TEST(JsonSplice, ReplacementIsEscaped) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"secret here"}]})");
  f.replace(0, "secret", "a\"b\\c\nd");
  EXPECT_EQ(f.finish(), R"({"messages":[{"role":"user","content":"a\"b\\c\nd here"}]})");
}

TEST(JsonSplice, SeveralTextsEditedInAnyOrder) {
  fixture f;
  f.read(R"({"system":"sys 555-0100","messages":[{"role":"user","content":[{"type":"text","text":"one a@b.co"},)"
         R"({"type":"tool_result","tool_use_id":"t","content":"two c@d.co"}]}]})");
  ASSERT_EQ(f.table.size(), 3u);
  f.replace(2, "c@d.co", "[E2]");
  f.replace(0, "555-0100", "[P]");
  f.replace(1, "a@b.co", "[E1]");
  EXPECT_EQ(f.finish(), R"({"system":"sys [P]","messages":[{"role":"user","content":[{"type":"text","text":"one [E1]"},)"
                        R"({"type":"tool_result","tool_use_id":"t","content":"two [E2]"}]}]})");
}

TEST(JsonSplice, OverlappingEditsAreRefused) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"abcdef"}]})");
  ASSERT_TRUE(f.splicer.replace(0, 0, 4, "X").ok());
  ASSERT_TRUE(f.splicer.replace(0, 2, 6, "Y").ok());
  std::string out;
  EXPECT_EQ(f.splicer.finish(out).code, dialect_errc::bad_edit);
}

TEST(JsonSplice, EditsOutsideTheTextAreRefused) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"abc"}]})");
  EXPECT_EQ(f.splicer.replace(0, 2, 9, "X").code, dialect_errc::bad_edit);
  EXPECT_EQ(f.splicer.replace(5, 0, 1, "X").code, dialect_errc::bad_edit);
  EXPECT_EQ(f.splicer.replace(0, 2, 1, "X").code, dialect_errc::bad_edit);
}

TEST(JsonSplice, SplicedBodyParsesAndReadsBackRedacted) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"\u00e9t\u00e9 jane@example.com \u2028 fin"}]})");
  f.replace(0, "jane@example.com", "[REDACTED:EMAIL]");
  const std::string out = f.finish();
  fixture g;
  g.read(out);
  EXPECT_EQ(g.table.text(0), "\xC3\xA9t\xC3\xA9 [REDACTED:EMAIL] \xE2\x80\xA8 fin");
}

TEST(JsonEscapeMap, MapsOffsetsAroundEscapes) {
  fixture f;
  f.read(R"({"messages":[{"role":"user","content":"ab\ncd"}]})");
  const json_text& t = f.table[0];
  // Text "ab\ncd": offset 3 ('c') is raw offset 4 (after the two-byte escape).
  EXPECT_EQ(f.table.to_raw(0, 3, 5).begin, t.raw_begin + 4);
  EXPECT_EQ(f.table.to_raw(0, 3, 5).end, t.raw_begin + 6);
  EXPECT_EQ(f.table.to_raw(0, 2, 3).begin, t.raw_begin + 2);
  EXPECT_EQ(f.table.to_raw(0, 2, 3).end, t.raw_begin + 4);
}

}  // namespace
}  // namespace sluice::gateway
