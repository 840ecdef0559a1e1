// Text extraction from Anthropic Messages requests: which strings a policy sees, their unescaped text,
// and how hostile or malformed bodies are refused.
#include "dialects/anthropic/messages_request.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::gateway {
namespace {

struct read_result {
  dialect_error error;
  std::vector<std::pair<text_source, std::string>> texts;
  messages_request_facts facts;
  std::string model;
};

read_result read(std::string_view body) {
  static simdjson::ondemand::parser parser;
  static std::string buffer;
  static json_string_table table;
  read_result r;
  const std::string_view padded = padded_copy(buffer, body);
  r.error = read_messages_request(parser, padded, table, r.facts);
  for (std::size_t i = 0; i < table.size(); ++i) {
    r.texts.emplace_back(table[i].source, std::string(table.text(i)));
  }
  r.model = std::string(r.facts.model);
  return r;
}

using texts_t = std::vector<std::pair<text_source, std::string>>;

TEST(MessagesRequest, ReadsModelStreamAndMaxTokens) {
  const auto r = read(R"({"model":"claude-sonnet-4-20250514","max_tokens":1024,"stream":true,)"
                      R"("messages":[{"role":"user","content":"hi"}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.model, "claude-sonnet-4-20250514");
  EXPECT_TRUE(r.facts.has_model);
  EXPECT_TRUE(r.facts.stream);
  EXPECT_TRUE(r.facts.has_max_tokens);
  EXPECT_EQ(r.facts.max_tokens, 1024u);
  EXPECT_EQ(r.facts.message_count, 1u);
}

TEST(MessagesRequest, ModelRawRangeCoversTheStringContent) {
  const std::string body = R"({"messages":[],"model" : "claude-x"  })";
  const auto r = read(body);
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(body.substr(r.facts.model_raw.begin, r.facts.model_raw.end - r.facts.model_raw.begin), "claude-x");
  EXPECT_FALSE(r.facts.stream);
  EXPECT_FALSE(r.facts.has_max_tokens);
}

TEST(MessagesRequest, SystemAsStringAndAsBlocks) {
  auto r = read(R"({"system":"be nice","messages":[]})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_EQ(r.texts, (texts_t{{text_source::system, "be nice"}}));
  r = read(R"({"system":[{"type":"text","text":"one","cache_control":{"type":"ephemeral"}},)"
           R"({"text":"two","type":"text"}],"messages":[]})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_EQ(r.texts, (texts_t{{text_source::system, "one"}, {text_source::system, "two"}}));
}

TEST(MessagesRequest, MessageContentStringsAndBlocksWithRoles) {
  const auto r = read(R"({"messages":[{"role":"user","content":"hello"},)"
                      R"({"content":[{"type":"text","text":"sure"}],"role":"assistant"},)"
                      R"({"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}},)"
                      R"({"type":"text","text":"what is this"}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.texts, (texts_t{{text_source::user, "hello"},
                              {text_source::assistant, "sure"},
                              {text_source::user, "what is this"}}));
}

TEST(MessagesRequest, ToolResultContentAsStringAndBlocks) {
  const auto r = read(R"({"messages":[{"role":"user","content":[)"
                      R"({"type":"tool_result","tool_use_id":"t1","content":"42 degrees"},)"
                      R"({"content":[{"type":"text","text":"row 1"},{"type":"text","text":"row 2"}],"type":"tool_result","tool_use_id":"t2"}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.texts, (texts_t{{text_source::tool_result, "42 degrees"},
                              {text_source::tool_result, "row 1"},
                              {text_source::tool_result, "row 2"}}));
}

TEST(MessagesRequest, ToolUseInputStringValuesAtAnyDepth) {
  const auto r = read(R"({"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"send",)"
                      R"("input":{"to":"a@b.example","count":3,"opts":{"cc":["x","y"],"flag":true}}}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.texts, (texts_t{{text_source::tool_input, "a@b.example"},
                              {text_source::tool_input, "x"},
                              {text_source::tool_input, "y"}}));
}

TEST(MessagesRequest, DocumentTextSourceTitleAndContext) {
  const auto r = read(R"({"messages":[{"role":"user","content":[{"type":"document","title":"memo",)"
                      R"("source":{"data":"the body","type":"text","media_type":"text/plain"},"context":"ctx"},)"
                      R"({"type":"document","source":{"type":"content","content":[{"type":"text","text":"chunk"}]}},)"
                      R"({"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.texts, (texts_t{{text_source::document, "memo"},
                              {text_source::document, "the body"},
                              {text_source::document, "ctx"},
                              {text_source::document, "chunk"}}));
}

TEST(MessagesRequest, UnknownBlockTypesStillHaveTheirTextScanned) {
  const auto r = read(R"({"messages":[{"role":"user","content":[{"type":"future_block","text":"hidden?"}]}]})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_EQ(r.texts, (texts_t{{text_source::user, "hidden?"}}));
}

TEST(MessagesRequest, ThinkingBlocksAreLeftAloneBecauseTheyAreSigned) {
  const auto r = read(R"({"messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},)"
                      R"({"type":"text","text":"answer"}]}]})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_EQ(r.texts, (texts_t{{text_source::assistant, "answer"}}));
}

TEST(MessagesRequest, EscapedKeysAreRecognised) {
  const auto r = read(R"({"m\u0065ssages":[{"role":"user","content":[{"typ\u0065":"text","t\u0065xt":"sneaky"}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.texts, (texts_t{{text_source::user, "sneaky"}}));
}

TEST(MessagesRequest, UnescapesStringsAndKeepsRawPositions) {
  const std::string body = R"({"messages":[{"role":"user","content":"line\nquote\" tab\t \u00e9 \ud83d\ude00 end"}]})";
  simdjson::ondemand::parser parser;
  std::string buffer;
  json_string_table table;
  messages_request_facts facts;
  ASSERT_TRUE(read_messages_request(parser, padded_copy(buffer, body), table, facts).ok());
  ASSERT_EQ(table.size(), 1u);
  EXPECT_EQ(table.text(0), "line\nquote\" tab\t \xC3\xA9 \xF0\x9F\x98\x80 end");
  const json_text& t = table[0];
  EXPECT_EQ(body.substr(t.raw_begin, t.raw_end - t.raw_begin),
            R"(line\nquote\" tab\t \u00e9 \ud83d\ude00 end)");
  EXPECT_EQ(t.escapes_end - t.escapes_begin, 5u);
}

TEST(MessagesRequest, WhitespaceAroundTheBodyIsFine) {
  EXPECT_TRUE(read(" \n{\"messages\":[]}\r\n\t ").error.ok());
}

TEST(MessagesRequest, MissingMessagesIsAnError) {
  const auto r = read(R"({"model":"m","max_tokens":5})");
  EXPECT_EQ(r.error.code, dialect_errc::missing_field);
}

TEST(MessagesRequest, WrongTypesAreErrorsNotCrashes) {
  EXPECT_EQ(read(R"({"messages":{}})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[1]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[{"role":"user","content":5}]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[{"role":"user","content":["x"]}]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[{"role":"user","content":[{"type":"text","text":7}]}]})").error.code,
            dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[{"role":5,"content":"x"}]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[],"max_tokens":"many"})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[],"max_tokens":-1})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[],"stream":"yes"})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[],"model":42})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"({"messages":[],"system":7})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"([1,2,3])").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(read(R"("just a string")").error.code, dialect_errc::wrong_type);
}

TEST(MessagesRequest, MalformedJsonIsAnError) {
  for (const char* body : {"", "{", "{\"messages\":[", "{\"messages\":[{\"role\":\"user\",\"content\":\"unterminated}]}",
                           "not json", "{\"messages\":[]}}", "{\"messages\":[]} {\"x\":1}",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"bad \\q escape\"}]}",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"lone \\ud800 surrogate\"}]}",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"lone \\udc00 low\"}]}",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"short \\u12\"}]}",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"raw\ncontrol\"}]}",
                           "{\"messages\":[{\"role\":\"user\",\"content\":\"\xff\xfe invalid utf8\"}]}"}) {
    const auto r = read(body);
    EXPECT_FALSE(r.error.ok()) << body;
    EXPECT_FALSE(r.error.message.empty()) << body;
  }
}

TEST(MessagesRequest, DuplicateFieldsThatDecideScanningAreRefused) {
  EXPECT_EQ(read(R"({"messages":[],"messages":[{"role":"user","content":"x"}]})").error.code,
            dialect_errc::duplicate_field);
  EXPECT_EQ(read(R"({"messages":[],"model":"a","model":"b"})").error.code, dialect_errc::duplicate_field);
  EXPECT_EQ(read(R"({"messages":[{"role":"user","content":[{"type":"text","type":"image","text":"x"}]}]})")
                .error.code,
            dialect_errc::duplicate_field);
}

TEST(MessagesRequest, DeepNestingIsRefusedWithoutRecursingWithoutBound) {
  std::string input;
  for (int i = 0; i < 5000; ++i) {
    input += "[";
  }
  input += "\"x\"";
  for (int i = 0; i < 5000; ++i) {
    input += "]";
  }
  const auto r = read(R"({"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":)" +
                      input + "}]}]}");
  EXPECT_FALSE(r.error.ok());
  // Deep nesting in a field the reader skips is not walked at all.
  std::string skipped = R"({"messages":[],"metadata":)" + input + "}";
  EXPECT_TRUE(read(skipped).error.ok() || read(skipped).error.code == dialect_errc::malformed_json);
}

TEST(MessagesRequest, HugeStringIsReadWhole) {
  const std::string big(4 << 20, 'a');
  const auto r = read(R"({"messages":[{"role":"user","content":")" + big + "\"}]}");
  ASSERT_TRUE(r.error.ok());
  ASSERT_EQ(r.texts.size(), 1u);
  EXPECT_EQ(r.texts[0].second.size(), big.size());
}

TEST(MessagesRequest, ReusedTableAndParserGiveTheSameAnswer) {
  for (int i = 0; i < 3; ++i) {
    const auto r = read(R"({"system":"s","messages":[{"role":"user","content":"u"}]})");
    ASSERT_TRUE(r.error.ok());
    EXPECT_EQ(r.texts, (texts_t{{text_source::system, "s"}, {text_source::user, "u"}}));
  }
}

}  // namespace
}  // namespace sluice::gateway

namespace sluice::gateway {
namespace {

TEST(MessagesResponse, ReadsTextThinkingToolInputUsageAndStopReason) {
  simdjson::ondemand::parser parser;
  std::string buffer;
  json_string_table table;
  messages_response_facts facts;
  const std::string body =
      R"({"id":"msg_1","type":"message","role":"assistant","model":"m","content":[)"
      R"({"type":"thinking","thinking":"let me think","signature":"sig"},)"
      R"({"type":"text","text":"Mail bob@example.org"},)"
      R"({"type":"tool_use","id":"t","name":"send","input":{"to":"x@y.example","n":1}}],)"
      R"("stop_reason":"tool_use","stop_sequence":null,)"
      R"("usage":{"input_tokens":12,"output_tokens":34,"cache_read_input_tokens":5,"cache_creation_input_tokens":null}})";
  ASSERT_TRUE(read_messages_response(parser, padded_copy(buffer, body), table, facts).ok());
  ASSERT_EQ(table.size(), 3u);
  EXPECT_EQ(table[0].source, text_source::thinking);
  EXPECT_EQ(table.text(0), "let me think");
  EXPECT_EQ(table[1].source, text_source::response);
  EXPECT_EQ(table.text(1), "Mail bob@example.org");
  EXPECT_EQ(table[2].source, text_source::tool_input);
  EXPECT_EQ(table.text(2), "x@y.example");
  EXPECT_EQ(facts.stop_reason, "tool_use");
  EXPECT_EQ(facts.input_tokens, 12u);
  EXPECT_EQ(facts.output_tokens, 34u);
  EXPECT_EQ(facts.cache_read_input_tokens, 5u);

  // The response splices like a request.
  json_splicer splicer;
  const std::string_view padded = padded_copy(buffer, body);
  ASSERT_TRUE(read_messages_response(parser, padded, table, facts).ok());
  splicer.reset(padded, table);
  ASSERT_TRUE(splicer.replace(1, 5, 20, "[REDACTED:EMAIL]").ok());
  std::string out;
  ASSERT_TRUE(splicer.finish(out).ok());
  EXPECT_NE(out.find(R"("text":"Mail [REDACTED:EMAIL]")"), std::string::npos) << out;
}

TEST(MessagesResponse, MalformedResponsesAreErrors) {
  simdjson::ondemand::parser parser;
  std::string buffer;
  json_string_table table;
  messages_response_facts facts;
  for (const char* bad : {"", "{", "[]", R"({"content":"x"})", R"({"content":[3]})",
                          R"({"usage":{"output_tokens":-4}})", R"({"content":[]}} )"}) {
    EXPECT_FALSE(read_messages_response(parser, padded_copy(buffer, bad), table, facts).ok()) << bad;
  }
}

}  // namespace
}  // namespace sluice::gateway
