// The stream's one pass per read: framed once, then filter -> relay -> OpenAI translation. Whatever the
// read boundaries, events reach the next stage whole; unfiltered events pass byte for byte; the
// disclaimer goes before message_delta; OpenAI clients get chunks and the same error events.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "gateway_harness.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/scanner.h"
#include "streaming/stream_transform.h"

namespace sluice::gateway {
namespace {

std::string event(std::string_view type, std::string_view data) {
  return "event: " + std::string(type) + "\ndata: " + std::string(data) + "\n\n";
}

// An Anthropic stream of one text block made of `deltas` (JSON-safe texts).
std::string anthropic_stream(const std::vector<std::string>& deltas, bool end = true) {
  std::string s = event("message_start",
                        R"({"type":"message_start","message":{"id":"msg_1","content":[],"usage":{"input_tokens":12,"output_tokens":1}}})");
  s += event("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})");
  s += ": keep-alive\n\n";
  for (const std::string& d : deltas) {
    s += event("content_block_delta",
               R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":")" + d + "\"}}");
  }
  s += event("content_block_stop", R"({"type":"content_block_stop","index":0})");
  s += event("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}})");
  if (end) {
    s += event("message_stop", R"({"type":"message_stop"})");
  }
  return s;
}

struct run_options {
  bool filter = false;
  bool openai = false;
  std::string disclaimer;
  std::size_t read = 0;  // bytes per read; 0: all at once
  bool cut = false;      // the upstream breaks after the last read
};

struct run_result {
  std::string out;
  bool fed = true;       // no feed() ended the stream
  bool finished = true;  // finish() found the stream whole
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
};

run_result run(std::string_view upstream, const run_options& o) {
  static const auto rules = testing::test_rules();
  engine::scanner scanner(rules);
  engine::redactor placeholders;
  stream_filter filter(rules, scanner.scratch(), placeholders);
  openai_stream_translator translator;
  translator.start("gpt-test", 1700000000, false);
  simdjson::ondemand::parser parser;
  exchange ex;
  ex.append_text = o.disclaimer;
  stream_transform t;
  t.begin(ex, o.filter ? &filter : nullptr, o.openai ? &translator : nullptr, parser, sse_limits{});
  run_result r;
  const std::size_t step = o.read == 0 ? upstream.size() : o.read;
  for (std::size_t at = 0; at < upstream.size() && r.fed; at += step) {
    r.fed = t.feed(upstream.substr(at, step), r.out);
  }
  if (r.fed) {
    if (o.cut) {
      t.fail("upstream connection lost mid-stream: test", r.out);
    } else {
      r.finished = t.finish(r.out);
    }
  }
  t.close(r.out);
  r.input_tokens = t.input_tokens();
  r.output_tokens = t.output_tokens();
  return r;
}

TEST(StreamTransform, UnfilteredEventsPassByteForByteWhateverTheReads) {
  std::string upstream = anthropic_stream({"Hello", " world"});
  // CRLF line ends and a comment pass as they came, too.
  upstream += "event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n";
  for (const std::size_t read : {0u, 1u, 2u, 7u, 64u}) {
    const run_result r = run(upstream, {.read = read});
    EXPECT_TRUE(r.fed);
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.out, upstream) << "read " << read;
    EXPECT_EQ(r.input_tokens, 12u);
    EXPECT_EQ(r.output_tokens, 7u);
  }
}

TEST(StreamTransform, ACutOffEventIsNotPassedOnAndAnAnthropicClientIsToldTheAnswerIsIncomplete) {
  const std::string whole = anthropic_stream({"Hello"}, false);
  const std::string upstream = whole + "event: message_stop\ndata: {\"type\"";
  const run_result r = run(upstream, {.read = 5});
  EXPECT_FALSE(r.finished);
  EXPECT_EQ(r.out.substr(0, whole.size()), whole);  // every whole event, byte for byte
  EXPECT_EQ(r.out.find("event: message_stop"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                       "\"message\":\"the upstream stream ended before the message was complete\"}}"),
            std::string::npos) << r.out;
}

TEST(StreamTransform, AStreamEndingBeforeMessageStopEndsWithAnErrorEventUnfilteredToo) {
  const std::string upstream = anthropic_stream({"Hello"}, false);
  const run_result r = run(upstream, {.read = 3});
  EXPECT_FALSE(r.finished);
  EXPECT_NE(r.out.find("event: error"), std::string::npos) << r.out;
}

TEST(StreamTransform, DisclaimerGoesRightBeforeMessageDeltaWhateverTheReads) {
  const std::string upstream = anthropic_stream({"Hello"});
  const std::string disclaimer =
      event("content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})") +
      event("content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"AI \"generated\""}})") +
      event("content_block_stop", R"({"type":"content_block_stop","index":1})");
  std::string expected = upstream;
  expected.insert(expected.find("event: message_delta"), disclaimer);
  for (const std::size_t read : {0u, 1u, 3u}) {
    for (const bool filter : {false, true}) {
      const run_result r = run(upstream, {.filter = filter, .disclaimer = "AI \"generated\"", .read = read});
      if (filter) {
        // The filter drops comments to a bare ":" and may coalesce deltas; the disclaimer's place holds.
        EXPECT_NE(r.out.find(disclaimer + "event: message_delta"), std::string::npos) << r.out;
      } else {
        EXPECT_EQ(r.out, expected) << "read " << read;
      }
    }
  }
}

TEST(StreamTransform, FilteredTextIsRedactedAcrossReadsAndDeltas) {
  const std::string upstream = anthropic_stream({"mail jane.", "doe@example.com", " now"});
  for (const std::size_t read : {0u, 1u, 9u}) {
    const run_result r = run(upstream, {.filter = true, .read = read});
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.out.find("jane"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("[REDACTED:EMAIL]"), std::string::npos) << r.out;
    EXPECT_EQ(r.output_tokens, 7u);
  }
}

TEST(StreamTransform, OpenAiClientsGetChunksEndingWithDone) {
  const std::string upstream = anthropic_stream({"Hel", "lo"});
  const run_result whole = run(upstream, {.openai = true});
  EXPECT_NE(whole.out.find(R"("content":"Hel")"), std::string::npos) << whole.out;
  EXPECT_NE(whole.out.find(R"("finish_reason":"stop")"), std::string::npos) << whole.out;
  EXPECT_TRUE(whole.out.ends_with("data: [DONE]\n\n")) << whole.out;
  EXPECT_EQ(whole.out.find("event:"), std::string::npos);
  // One byte per read: the same chunks.
  EXPECT_EQ(run(upstream, {.openai = true, .read = 1}).out, whole.out);
  EXPECT_EQ(run(upstream, {.filter = true, .openai = true, .read = 1}).out.find("jane"), std::string::npos);
}

TEST(StreamTransform, ABrokenUpstreamEndsWithTheSameErrorInBothDialects) {
  const std::string upstream = anthropic_stream({"Hello"}, false);
  const run_result anthropic = run(upstream, {.cut = true});
  EXPECT_TRUE(anthropic.out.ends_with(
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"upstream connection "
      "lost mid-stream: test\"}}\n\n"))
      << anthropic.out;
  const run_result openai = run(upstream, {.filter = true, .openai = true, .cut = true});
  EXPECT_TRUE(openai.out.ends_with(
      "data: {\"error\":{\"message\":\"upstream connection lost mid-stream: test\",\"type\":\"server_error\","
      "\"param\":null,\"code\":null}}\n\n"))
      << openai.out;
}

TEST(StreamTransform, AStreamWithoutMessageStopIsIncomplete) {
  const std::string upstream = anthropic_stream({"Hello"}, false);
  const run_result filtered = run(upstream, {.filter = true});
  EXPECT_FALSE(filtered.finished);
  EXPECT_NE(filtered.out.find("event: error"), std::string::npos);
  // Unfiltered, an OpenAI client still learns that the message was cut.
  const run_result openai = run(upstream, {.openai = true});
  EXPECT_NE(openai.out.find("the upstream stream ended before the message was complete"), std::string::npos)
      << openai.out;
}

TEST(StreamTransform, AnOversizedEventEndsTheStreamWithAnError) {
  static const auto rules = testing::test_rules();
  engine::scanner scanner(rules);
  engine::redactor placeholders;
  simdjson::ondemand::parser parser;
  exchange ex;
  stream_transform t;
  openai_stream_translator unused;
  t.begin(ex, nullptr, nullptr, parser, sse_limits{64});
  std::string out;
  EXPECT_FALSE(t.feed(event("content_block_delta", std::string(200, 'x')), out));
  EXPECT_NE(out.find("over the size limit"), std::string::npos) << out;
}

}  // namespace
}  // namespace sluice::gateway
