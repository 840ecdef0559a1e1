// Anthropic responses as OpenAI chat completions, whole and streamed.
#include "dialects/openai/openai_response.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialects/anthropic/messages_request.h"

namespace sluice::gateway {
namespace {

std::string translate(std::string_view body, dialect_error* error = nullptr, openai_usage* usage = nullptr) {
  simdjson::ondemand::parser parser;
  openai_response_translator translator;
  std::string buffer;
  std::string out;
  const auto e = translator.translate(parser, padded_copy(buffer, body), {"client-model", 1700000000}, out);
  if (error != nullptr) {
    *error = e;
  } else {
    EXPECT_TRUE(e.ok()) << e.message;
  }
  if (usage != nullptr) {
    *usage = translator.usage();
  }
  return out;
}

TEST(OpenAiResponse, TextMessageBecomesChatCompletion) {
  const std::string out = translate(
      R"({"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",)"
      R"("content":[{"type":"text","text":"Hello there"},{"type":"text","text":", friend \"quoted\"\n"}],)"
      R"("stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5}})");
  EXPECT_EQ(out, R"({"id":"msg_01","object":"chat.completion","created":1700000000,"model":"claude-sonnet-4-20250514",)"
                 R"("choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, friend \"quoted\"\n","refusal":null},)"
                 R"("logprobs":null,"finish_reason":"stop"}],)"
                 R"("usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"prompt_tokens_details":{"cached_tokens":0}}})");
}

TEST(OpenAiResponse, ToolUseBecomesToolCalls) {
  const std::string out = translate(
      R"({"id":"msg_02","model":"m","content":[{"type":"text","text":"Checking."},)"
      R"({"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","units":["c"]}}],)"
      R"("stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}})");
  EXPECT_NE(out.find(R"("message":{"role":"assistant","content":"Checking.","refusal":null,"tool_calls":[)"
                     R"({"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"units\":[\"c\"]}"}}]})"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("finish_reason":"tool_calls")"), std::string::npos);
}

TEST(OpenAiResponse, OnlyToolUseGivesNullContent) {
  const std::string out = translate(R"({"id":"x","model":"m","content":[{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_reason":"tool_use"})");
  EXPECT_NE(out.find(R"("content":null,"refusal":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}])"),
            std::string::npos)
      << out;
}

TEST(OpenAiResponse, FinishReasonMapping) {
  EXPECT_EQ(openai_finish_reason("end_turn"), "stop");
  EXPECT_EQ(openai_finish_reason("stop_sequence"), "stop");
  EXPECT_EQ(openai_finish_reason("max_tokens"), "length");
  EXPECT_EQ(openai_finish_reason("tool_use"), "tool_calls");
  EXPECT_EQ(openai_finish_reason("refusal"), "content_filter");
  EXPECT_EQ(openai_finish_reason("pause_turn"), "stop");
  const std::string out = translate(R"({"id":"x","model":"m","content":[{"type":"text","text":"cut"}],"stop_reason":"max_tokens"})");
  EXPECT_NE(out.find(R"("finish_reason":"length")"), std::string::npos);
}

TEST(OpenAiResponse, CacheTokensCountAsPromptTokens) {
  openai_usage usage;
  const std::string out = translate(
      R"({"id":"x","model":"m","content":[],"stop_reason":"end_turn",)"
      R"("usage":{"input_tokens":10,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":7}})",
      nullptr, &usage);
  EXPECT_EQ(usage.prompt_tokens(), 1110u);
  EXPECT_NE(out.find(R"("usage":{"prompt_tokens":1110,"completion_tokens":7,"total_tokens":1117,"prompt_tokens_details":{"cached_tokens":1000}})"),
            std::string::npos)
      << out;
}

TEST(OpenAiResponse, ThinkingBlocksAreLeftOut) {
  const std::string out = translate(R"({"id":"x","model":"m","content":[{"type":"thinking","thinking":"secret plan","signature":"s"},)"
                                    R"({"type":"text","text":"answer"}],"stop_reason":"end_turn"})");
  EXPECT_EQ(out.find("secret plan"), std::string::npos);
  EXPECT_NE(out.find(R"("content":"answer")"), std::string::npos);
}

TEST(OpenAiResponse, MalformedResponsesAreErrors) {
  for (const char* bad : {"", "[]", "{\"content\":5}", "{\"content\":[1]}", "{\"id\":", "{\"usage\":{\"input_tokens\":\"x\"}}"}) {
    dialect_error e;
    translate(bad, &e);
    EXPECT_FALSE(e.ok()) << bad;
  }
}

// Text is passed through as raw JSON string content, so a string with an escape JSON does not allow must
// be refused, not handed to the client as invalid JSON (dialects_fuzz found "\e" passed through).
TEST(OpenAiResponse, StringsWithEscapesJsonDoesNotAllowAreErrors) {
  for (const char* bad : {R"(\e0)", R"(\u12)", R"(\u12g4)", R"(\udc00)", R"(\ud800x)", R"(\ud800\u0041)", R"(a\)"}) {
    for (const std::string& body : {R"({"content":[{"type":"text","text":")" + std::string(bad) + R"("}]})",
                                    R"({"id":")" + std::string(bad) + R"(","content":[]})",
                                    R"({"content":[{"type":"tool_use","id":"t","name":")" + std::string(bad) + R"(","input":{}}]})"}) {
      dialect_error e;
      translate(body, &e);
      EXPECT_FALSE(e.ok()) << body;
    }
  }
  const std::string out = translate(R"({"content":[{"type":"text","text":"\ud83d\ude00 \u00e9\/\b\f\n\r\t\"\\"}]})");
  EXPECT_NE(out.find(R"("content":"\ud83d\ude00 \u00e9\/\b\f\n\r\t\"\\")"), std::string::npos) << out;
}

// Runs Anthropic event data through a stream translator; returns the OpenAI SSE text.
std::string stream(const std::vector<std::string>& events, bool include_usage, openai_stream_translator* keep = nullptr) {
  simdjson::ondemand::parser parser;
  openai_stream_translator local;
  openai_stream_translator& t = keep != nullptr ? *keep : local;
  t.start("client-model", 1700000000, include_usage);
  std::string out;
  for (const std::string& data : events) {
    const auto e = t.on_event(parser, data, out);
    EXPECT_TRUE(e.ok()) << e.message << " in " << data;
  }
  return out;
}

const std::vector<std::string> text_stream = {
    R"({"type":"message_start","message":{"id":"msg_s1","type":"message","role":"assistant","content":[],"model":"claude-x","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"output_tokens":1}}})",
    R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
    R"({"type":"ping"})",
    R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}})",
    R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" w\u00f6rld\n"}})",
    R"({"type":"content_block_stop","index":0})",
    R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}})",
    R"({"type":"message_stop"})",
};

TEST(OpenAiStream, TextStreamBecomesChunksEndingWithDone) {
  const std::string out = stream(text_stream, false);
  const std::string head = R"(data: {"id":"msg_s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[{"index":0,"delta":)";
  EXPECT_EQ(out,
            head + R"({"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]})" "\n\n" +
                head + R"({"content":"Hello"},"logprobs":null,"finish_reason":null}]})" "\n\n" +
                head + R"({"content":" w\u00f6rld\n"},"logprobs":null,"finish_reason":null}]})" "\n\n" +
                head + R"({},"logprobs":null,"finish_reason":"stop"}]})" "\n\n" + "data: [DONE]\n\n");
}

TEST(OpenAiStream, IncludeUsageAddsNullUsageAndAFinalUsageChunk) {
  openai_stream_translator t;
  const std::string out = stream(text_stream, true, &t);
  EXPECT_NE(out.find(R"("finish_reason":null}],"usage":null})"), std::string::npos) << out;
  EXPECT_NE(out.find(R"(data: {"id":"msg_s1","object":"chat.completion.chunk","created":1700000000,"model":"claude-x","choices":[],)"
                     R"("usage":{"prompt_tokens":25,"completion_tokens":15,"total_tokens":40,"prompt_tokens_details":{"cached_tokens":0}}})" "\n\ndata: [DONE]\n\n"),
            std::string::npos)
      << out;
  EXPECT_TRUE(t.finished());
  EXPECT_EQ(t.usage().output_tokens, 15u);  // cumulative: the last value, not a sum
}

TEST(OpenAiStream, ToolCallDeltas) {
  const std::string out = stream(
      {R"({"type":"message_start","message":{"id":"msg_t","model":"m","usage":{"input_tokens":5,"output_tokens":1}}})",
       R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me look."}})",
       R"({"type":"content_block_stop","index":0})",
       R"({"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_9","name":"get_weather","input":{}}})",
       R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}})",
       R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}})",
       R"({"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}})",
       R"({"type":"content_block_stop","index":1})",
       R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":30}})",
       R"({"type":"message_stop"})"},
      false);
  EXPECT_NE(out.find(R"("delta":{"tool_calls":[{"index":0,"id":"toolu_9","type":"function","function":{"name":"get_weather","arguments":""}}]})"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(R"("delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Pa"}}]})"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("delta":{"tool_calls":[{"index":0,"function":{"arguments":"ris\"}"}}]})"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("finish_reason":"tool_calls")"), std::string::npos);
  EXPECT_EQ(out.find(R"("arguments":""}}]},"logprobs":null,"finish_reason":null}]})" "\n\ndata: {\"id\":\"msg_t\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\"}"),
            std::string::npos);
}

TEST(OpenAiStream, ThinkingDeltasAreDropped) {
  const std::string out = stream(
      {R"({"type":"message_start","message":{"id":"msg_k","model":"m","usage":{"input_tokens":5,"output_tokens":1}}})",
       R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"pondering"}})",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})",
       R"({"type":"content_block_stop","index":0})",
       R"({"type":"message_stop"})"},
      false);
  EXPECT_EQ(out.find("pondering"), std::string::npos);
  EXPECT_NE(out.find("data: [DONE]"), std::string::npos);
}

TEST(OpenAiStream, UpstreamErrorEventBecomesOpenAiErrorAndEndsTheStream) {
  openai_stream_translator t;
  const std::string out = stream(
      {R"({"type":"message_start","message":{"id":"msg_e","model":"m","usage":{"input_tokens":5,"output_tokens":1}}})",
       R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
       R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"late"}})"},
      false, &t);
  EXPECT_NE(out.find("data: {\"error\":{\"message\":\"Overloaded\",\"type\":\"server_error\",\"param\":null,\"code\":\"overloaded\"}}\n\n"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("late"), std::string::npos);
  EXPECT_TRUE(t.finished());
}

TEST(OpenAiStream, FirstChunkComesEvenWithoutMessageStart) {
  const std::string out = stream({R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}})"}, false);
  EXPECT_NE(out.find(R"({"role":"assistant","content":"","refusal":null})"), std::string::npos);
  EXPECT_NE(out.find(R"("model":"client-model")"), std::string::npos);
}

TEST(OpenAiStream, MalformedEventsAreErrorsNotCrashes) {
  simdjson::ondemand::parser parser;
  openai_stream_translator t;
  t.start("m", 0, true);
  std::string out;
  for (const char* bad : {"", "{", "[1]", R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}})",
                          R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}})",
                          R"({"type":"message_start","message":7})",
                          R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\e0u09"}})",
                          R"({"type":"message_start","message":{"model":"\udc00"}})",
                          R"({"type":"content_block_start","index":99999999,"content_block":{"type":"tool_use","id":"a","name":"b"}})"}) {
    EXPECT_FALSE(t.on_event(parser, bad, out).ok()) << bad;
  }
}

}  // namespace
}  // namespace sluice::gateway
