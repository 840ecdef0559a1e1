// OpenAI chat-completions requests as Anthropic Messages requests: every mapping a client relies on, and
// clear refusals for what Anthropic cannot do.
#include "dialects/openai/openai_request.h"

#include <gtest/gtest.h>

#include <string>

#include "dialects/anthropic/messages_request.h"

namespace sluice::gateway {
namespace {

struct translated {
  dialect_error error;
  std::string body;
  openai_request_facts facts;
};

translated translate(std::string_view body, std::uint64_t default_max_tokens = 0) {
  static simdjson::ondemand::parser parser;
  static openai_request_translator translator;
  static std::string buffer;
  translated r;
  openai_request_options options;
  options.default_max_tokens = default_max_tokens;
  r.error = translator.translate(parser, padded_copy(buffer, body), options, r.body, r.facts);
  return r;
}

// The translated body must itself be a valid Messages request the gateway can read and redact.
void expect_readable(const std::string& body) {
  simdjson::ondemand::parser parser;
  std::string buffer;
  json_string_table table;
  messages_request_facts facts;
  const auto e = read_messages_request(parser, padded_copy(buffer, body), table, facts);
  EXPECT_TRUE(e.ok()) << e.message << "\n" << body;
}

TEST(OpenAiRequest, MinimalChatBecomesMessagesRequest) {
  const auto r = translate(R"({"model":"claude-sonnet-4","messages":[{"role":"user","content":"Hello"}],"max_tokens":100})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.body,
            R"({"model":"claude-sonnet-4","max_tokens":100,"messages":[{"role":"user","content":[{"type":"text","text":"Hello"}]}]})");
  EXPECT_EQ(r.facts.model, "claude-sonnet-4");
  EXPECT_FALSE(r.facts.stream);
  expect_readable(r.body);
}

TEST(OpenAiRequest, SystemAndDeveloperMessagesBecomeSystemBlocks) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"system","content":"Be brief."},)"
                           R"({"role":"developer","content":[{"type":"text","text":"Use French."}]},)"
                           R"({"role":"user","content":"Hi"}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.body, R"({"model":"m","max_tokens":5,"system":[{"type":"text","text":"Be brief."},)"
                    R"({"type":"text","text":"Use French."}],"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]})");
  expect_readable(r.body);
}

TEST(OpenAiRequest, MaxCompletionTokensWinsAndDefaultFillsIn) {
  auto r = translate(R"({"model":"m","max_tokens":5,"max_completion_tokens":7,"messages":[]})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_EQ(r.facts.max_tokens, 7u);
  r = translate(R"({"max_completion_tokens":7,"max_tokens":5,"model":"m","messages":[]})");
  EXPECT_EQ(r.facts.max_tokens, 7u);
  r = translate(R"({"model":"m","messages":[]})", 4096);
  ASSERT_TRUE(r.error.ok());
  EXPECT_EQ(r.facts.max_tokens, 4096u);
  EXPECT_NE(r.body.find(R"("max_tokens":4096)"), std::string::npos);
}

TEST(OpenAiRequest, MissingMaxTokensWithoutDefaultSaysAnthropicRequiresIt) {
  const auto r = translate(R"({"model":"m","messages":[{"role":"user","content":"x"}]})");
  EXPECT_EQ(r.error.code, dialect_errc::invalid_value);
  EXPECT_NE(r.error.message.find("max_tokens is required"), std::string_view::npos);
  EXPECT_NE(r.error.message.find("Anthropic"), std::string_view::npos);
  EXPECT_EQ(r.facts.error_param, "max_tokens");
}

TEST(OpenAiRequest, ImagesFromDataUrlsAndHttpUrls) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[)"
                           R"({"type":"text","text":"What is in these?"},)"
                           R"({"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},)"
                           R"({"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.body, R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[)"
                    R"({"type":"text","text":"What is in these?"},)"
                    R"({"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},)"
                    R"({"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}]}]})");
  expect_readable(r.body);
}

TEST(OpenAiRequest, BadImageUrlsAreRefused) {
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]})")
                .error.code,
            dialect_errc::invalid_value);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png,notbase64"}}]}]})")
                .error.code,
            dialect_errc::invalid_value);
}

TEST(OpenAiRequest, PdfFileDataBecomesADocument) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[)"
                           R"({"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_NE(r.body.find(R"({"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}})"),
            std::string::npos)
      << r.body;
}

TEST(OpenAiRequest, ToolsAndToolChoice) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"weather?"}],)"
                           R"("tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now",)"
                           R"("parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},)"
                           R"({"type":"function","function":{"name":"noop"}}],)"
                           R"("tool_choice":{"type":"function","function":{"name":"get_weather"}}})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_NE(r.body.find(R"("tools":[{"name":"get_weather","description":"Weather now","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},)"
                        R"({"name":"noop","input_schema":{"type":"object","properties":{}}}])"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(R"("tool_choice":{"type":"tool","name":"get_weather"})"), std::string::npos) << r.body;
  expect_readable(r.body);
}

TEST(OpenAiRequest, ToolChoiceStrings) {
  const std::string base = R"({"model":"m","max_tokens":5,"messages":[],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":)";
  EXPECT_NE(translate(base + R"("auto"})").body.find(R"("tool_choice":{"type":"auto"})"), std::string::npos);
  EXPECT_NE(translate(base + R"("required"})").body.find(R"("tool_choice":{"type":"any"})"), std::string::npos);
  EXPECT_NE(translate(base + R"("none"})").body.find(R"("tool_choice":{"type":"none"})"), std::string::npos);
  EXPECT_EQ(translate(base + R"("sometimes"})").error.code, dialect_errc::invalid_value);
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[],"parallel_tool_calls":false,"tools":[{"type":"function","function":{"name":"f"}}]})");
  EXPECT_NE(r.body.find(R"("tool_choice":{"type":"auto","disable_parallel_tool_use":true})"), std::string::npos) << r.body;
}

TEST(OpenAiRequest, LegacyFunctionsAndFunctionCall) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[],"functions":[{"name":"f","parameters":{"type":"object"}}],)"
                           R"("function_call":{"name":"f"}})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_NE(r.body.find(R"("tools":[{"name":"f","input_schema":{"type":"object"}}])"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("tool_choice":{"type":"tool","name":"f"})"), std::string::npos) << r.body;
}

TEST(OpenAiRequest, AssistantToolCallsAndToolResults) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"weather in Paris and Rome?"},)"
                           R"({"role":"assistant","content":null,"tool_calls":[)"
                           R"({"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},)"
                           R"({"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Rome\"} "}}]},)"
                           R"({"role":"tool","tool_call_id":"call_1","content":"18C"},)"
                           R"({"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]},)"
                           R"({"role":"user","content":"thanks"}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.body,
            R"({"model":"m","max_tokens":5,"messages":[)"
            R"({"role":"user","content":[{"type":"text","text":"weather in Paris and Rome?"}]},)"
            R"({"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},)"
            R"({"type":"tool_use","id":"call_2","name":"get_weather","input":{"city": "Rome"}}]},)"
            R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"18C"}]},)"
            R"({"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"21C"}]},)"
            R"({"type":"text","text":"thanks"}]}]})");
  expect_readable(r.body);
}

TEST(OpenAiRequest, AssistantTextBeforeToolCalls) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","tool_calls":[)"
                           R"({"id":"c","type":"function","function":{"name":"f","arguments":""}}],"content":"Let me check."}]})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_NE(r.body.find(R"({"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"c","name":"f","input":{}}]})"),
            std::string::npos)
      << r.body;
}

TEST(OpenAiRequest, ToolArgumentsThatAreNotAnObjectAreRefused) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","tool_calls":[)"
                           R"({"id":"c","type":"function","function":{"name":"f","arguments":"{not json"}}]}]})");
  EXPECT_EQ(r.error.code, dialect_errc::invalid_value);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"assistant","tool_calls":[)"
                      R"({"id":"c","type":"function","function":{"name":"f","arguments":"[1,2]"}}]}]})")
                .error.code,
            dialect_errc::invalid_value);
}

TEST(OpenAiRequest, SamplingStopStreamAndUser) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[],"temperature":0.7,"top_p":0.9,)"
                           R"("stop":["END","\n\n"],"stream":true,"stream_options":{"include_usage":true},"user":"u-1",)"
                           R"("seed":3,"presence_penalty":0.5})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.body, R"({"model":"m","max_tokens":5,"messages":[],"stop_sequences":["END","\n\n"],"temperature":0.7,)"
                    R"("top_p":0.9,"stream":true,"metadata":{"user_id":"u-1"}})");
  EXPECT_TRUE(r.facts.stream);
  EXPECT_TRUE(r.facts.include_usage);
  auto single = translate(R"({"model":"m","max_tokens":5,"messages":[],"stop":"STOP"})");
  EXPECT_NE(single.body.find(R"("stop_sequences":["STOP"])"), std::string::npos);
}

TEST(OpenAiRequest, IncludeUsageOnlyCountsWhenStreaming) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[],"stream_options":{"include_usage":true}})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_FALSE(r.facts.include_usage);
}

TEST(OpenAiRequest, ConsecutiveSameRoleMessagesMerge) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]})");
  EXPECT_EQ(r.body, R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}]})");
}

TEST(OpenAiRequest, EscapesAndUnicodePassThroughUnchanged) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"caf\u00e9 \ud83d\ude00 \"q\"\n"}]})");
  ASSERT_TRUE(r.error.ok());
  EXPECT_NE(r.body.find(R"("text":"caf\u00e9 \ud83d\ude00 \"q\"\n")"), std::string::npos) << r.body;
  expect_readable(r.body);
}

TEST(OpenAiRequest, UnsupportedFeaturesAreRefusedClearly) {
  const std::string base = R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":"x"}],)";
  const std::pair<const char*, const char*> cases[] = {
      {R"("n":2})", "n"},
      {R"("logprobs":true})", "logprobs"},
      {R"("top_logprobs":3})", "top_logprobs"},
      {R"("response_format":{"type":"json_object"}})", "response_format"},
      {R"("audio":{"voice":"alloy","format":"mp3"}})", "audio"},
      {R"("modalities":["text","audio"]})", "modalities"},
      {R"("tools":[{"type":"custom","custom":{"name":"x"}}]})", "tools"},
  };
  for (const auto& [tail, param] : cases) {
    const auto r = translate(base + tail);
    EXPECT_EQ(r.error.code, dialect_errc::unsupported) << tail;
    EXPECT_EQ(r.facts.error_param, param) << tail;
    EXPECT_FALSE(r.error.message.empty());
  }
  const auto audio = translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"wav"}}]}]})");
  EXPECT_EQ(audio.error.code, dialect_errc::unsupported);
  const auto n1 = translate(base + R"("n":1,"response_format":{"type":"text"},"logprobs":false})");
  EXPECT_TRUE(n1.error.ok()) << n1.error.message;
}

TEST(OpenAiRequest, TemperatureAboveOneIsRefused) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[],"temperature":1.5})");
  EXPECT_EQ(r.error.code, dialect_errc::invalid_value);
  EXPECT_EQ(r.facts.error_param, "temperature");
}

TEST(OpenAiRequest, WrongTypesAndMalformedJson) {
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":"hi"})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":"5","messages":[]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":0,"messages":[]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(translate(R"({"model":7,"max_tokens":5,"messages":[]})").error.code, dialect_errc::wrong_type);
  EXPECT_EQ(translate(R"({"max_tokens":5,"messages":[]})").error.code, dialect_errc::missing_field);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5})").error.code, dialect_errc::missing_field);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"wizard","content":"x"}]})").error.code,
            dialect_errc::invalid_value);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"tool","content":"x"}]})").error.code,
            dialect_errc::missing_field);
  EXPECT_EQ(translate(R"({"model":"m","max_tokens":5,"messages":[{"role":"user","content":{"a":1}}]})").error.code,
            dialect_errc::wrong_type);
  for (const char* bad : {"", "{", "[]", "{\"model\":\"m\",\"messages\":[}", "{\"model\":\"m\"} x"}) {
    EXPECT_FALSE(translate(bad, 100).error.ok()) << bad;
  }
}

TEST(OpenAiRequest, NullOptionalFieldsAreIgnored) {
  const auto r = translate(R"({"model":"m","max_tokens":5,"messages":[],"temperature":null,"top_p":null,"stop":null,)"
                           R"("tools":null,"tool_choice":null,"stream":null,"stream_options":null,"n":null,"response_format":null})");
  ASSERT_TRUE(r.error.ok()) << r.error.message;
  EXPECT_EQ(r.body, R"({"model":"m","max_tokens":5,"messages":[]})");
}

}  // namespace
}  // namespace sluice::gateway
