// Streaming responses (stream: true) through the gateway.
#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <fstream>

#include "gateway_harness.h"

namespace sluice::gateway {
namespace {

using testing::harness;
using testing::harness_options;
using testing::messages_body;

// The text of every text_delta event of an Anthropic stream, concatenated (the texts here have no
// escapes).
std::string delta_text(const std::string& events, std::size_t* deltas = nullptr) {
  std::string text;
  std::size_t n = 0;
  const std::string key = R"("type":"text_delta","text":")";
  for (std::size_t pos = 0; (pos = events.find(key, pos)) != std::string::npos;) {
    pos += key.size();
    const std::size_t end = events.find('"', pos);
    text += events.substr(pos, end - pos);
    ++n;
  }
  if (deltas != nullptr) {
    *deltas = n;
  }
  return text;
}

// Plain words, long enough for hundreds of deltas, most of which reach the gateway in one read.
std::string long_text() {
  std::string s;
  for (int i = 0; s.size() < 3000; ++i) {
    s += "word" + std::to_string(i) + " ";
  }
  return s;
}

TEST(Streaming, RelaysTheEventStreamInOrder) {
  harness h;
  auto r = h.post_messages(messages_body("stream this", true));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.header("content-type").find("text/event-stream"), std::string::npos);
  const auto start = r.body.find("event: message_start");
  const auto delta = r.body.find("event: content_block_delta");
  const auto stop = r.body.find("event: message_stop");
  ASSERT_NE(start, std::string::npos) << r.body;
  ASSERT_NE(delta, std::string::npos);
  ASSERT_NE(stop, std::string::npos);
  EXPECT_LT(start, delta);
  EXPECT_LT(delta, stop);
}

TEST(Streaming, EveryEventOfALongStreamIsRelayedWholeAndInOrder) {
  // The simulator writes one chunk per event, as fast as it can: the gateway reads many at once.
  harness h;
  const std::string text = long_text();
  auto r = h.post_messages(messages_body(text, true));
  ASSERT_EQ(r.status, 200u) << r.body;
  std::size_t deltas = 0;
  EXPECT_EQ(delta_text(r.body, &deltas), "Echo: " + text);
  EXPECT_EQ(deltas, (("Echo: " + text).size() + 7) / 8);  // the simulator's 8-byte deltas, one event each
  EXPECT_LT(r.body.find("event: message_start"), r.body.find("event: content_block_start"));
  EXPECT_NE(r.body.find("event: message_stop"), std::string::npos);
}

TEST(Streaming, AStreamEndsCleanlyAndTheConnectionServesTheNextRequest) {
  // Two streaming requests on one connection, the second asking to close: each answer is a complete
  // chunked response with its own head, and only the second says Connection: close.
  harness h;
  const std::string text = long_text();
  const std::string body = messages_body(text, true);
  const std::string raw = testing::raw_exchange(h.port(), testing::keep_alive_then_close(body));
  std::size_t pos = 0;
  for (int i = 0; i < 2; ++i) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    ASSERT_TRUE(testing::parse_response(raw, pos, parser)) << "response " << i << " of:\n" << raw;
    const auto& res = parser.get();
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res[boost::beast::http::field::content_type], "text/event-stream");
    EXPECT_FALSE(res["request-id"].empty());
    EXPECT_EQ(res.keep_alive(), i == 0);
    EXPECT_EQ(delta_text(res.body()), "Echo: " + text);
    EXPECT_NE(res.body().find("event: message_stop"), std::string::npos);
  }
  EXPECT_EQ(pos, raw.size());
}

TEST(Streaming, AFilteredLongStreamKeepsItsTextAndRedactsAcrossReads) {
  harness_options o;
  o.policies = "  chain: [pii-detector]\n";
  o.sim.chunk_chars = 3;
  harness h(o);
  const std::string text = long_text() + "write to jane.doe@example.com soon " + long_text();
  auto r = h.post_messages(messages_body("SIM_REPLY64=" + testing::base64(text), true));
  ASSERT_EQ(r.status, 200u);
  const std::string expected = long_text() + "write to [REDACTED:EMAIL] soon " + long_text();
  EXPECT_EQ(delta_text(r.body), expected);
  EXPECT_NE(r.body.find("message_stop"), std::string::npos);
}

TEST(Streaming, DisclaimerArrivesAsAFinalTextBlock) {
  harness_options o;
  o.policies = "  chain: [disclaimer]\n  policy:\n    disclaimer:\n      text: \"-- AI generated\"\n";
  harness h(o);
  auto r = h.post_messages(messages_body("hi", true));
  ASSERT_EQ(r.status, 200u);
  const auto disclaimer = r.body.find(R"("text":"-- AI generated")");
  const auto message_delta = r.body.find("event: message_delta");
  ASSERT_NE(disclaimer, std::string::npos) << r.body;
  EXPECT_LT(disclaimer, message_delta);
}

TEST(Streaming, AnUpstreamDyingMidStreamEndsWithAnErrorEvent) {
  harness h;
  auto r = h.post_messages(messages_body("SIM_CUT=2 and then some more text to stream along", true));
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("event: content_block_delta"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("event: error"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"("type":"api_error")"), std::string::npos);
  EXPECT_EQ(r.body.find("message_stop"), std::string::npos);
}

TEST(Streaming, RetriesBeforeTheFirstByteWorkForStreamsToo) {
  harness h;
  auto r = h.post_messages(messages_body("SIM_FAIL=529x1#stream-retry go", true));
  ASSERT_EQ(r.status, 200u);
  EXPECT_NE(r.body.find("message_stop"), std::string::npos);
  EXPECT_EQ(h.sim().request_count(), 2u);
}

TEST(Streaming, PiiSplitAcrossDeltasIsRedacted) {
  harness_options o;
  o.policies = "  chain: [pii-detector]\n";
  o.sim.chunk_chars = 3;  // the address arrives in many pieces
  harness h(o);
  auto r = h.post_messages(messages_body("SIM_REPLY64=" + testing::base64("write to jane.doe@example.com soon"), true));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body.find("jane"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("example.com"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("[REDACTED:EMAIL]"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("message_stop"), std::string::npos);
}

TEST(Streaming, AFlaggingPiiPolicyCountsButDoesNotRedactStreams) {
  // Streams replace exactly what a whole response would: with action flag, nothing.
  harness_options o;
  o.policies = "  chain: [pii-detector]\n  policy:\n    pii-detector:\n      action: flag\n";
  o.sim.chunk_chars = 3;
  harness h(o);
  const std::string reply = "SIM_REPLY64=" + testing::base64("write to jane.doe@example.com soon");
  auto streamed = h.post_messages(messages_body(reply, true));
  ASSERT_EQ(streamed.status, 200u);
  EXPECT_EQ(streamed.body.find("[REDACTED:EMAIL]"), std::string::npos) << streamed.body;
  EXPECT_NE(streamed.body.find("message_stop"), std::string::npos);
  auto whole = h.post_messages(messages_body(reply));
  ASSERT_EQ(whole.status, 200u);
  EXPECT_EQ(whole.body.find("[REDACTED:EMAIL]"), std::string::npos) << whole.body;
}

TEST(Streaming, ContentFilterEndsTheStreamWithAnErrorEvent) {
  harness_options o;
  o.policies = "  chain: [content-filter]\n";
  o.sim.chunk_chars = 4;
  harness h(o);
  auto r = h.post_messages(messages_body("SIM_REPLY64=" + testing::base64("fine text then forbidden-widget and more"), true));
  ASSERT_EQ(r.status, 200u);
  EXPECT_EQ(r.body.find("forbidden-widget"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("event: error"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("content-filter"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("message_stop"), std::string::npos);
}

TEST(Streaming, UsageIsRecordedFromTheStream) {
  harness_options o;
  o.policies = "  chain: [audit-logger]\n  policy:\n    audit-logger:\n      directory: @DIR@/audit\n";
  harness h(o);
  ASSERT_EQ(h.post_messages(messages_body("count my tokens please", true)).status, 200u);
  h.server().shutdown();
  const auto records = testing::audit_requests(h.dir() / "audit");
  ASSERT_EQ(records.size(), 1u);
  const std::string& line = records[0];
  EXPECT_NE(line.find("\"stream\":true"), std::string::npos) << line;
  EXPECT_EQ(line.find("\"tokens\":{\"input\":0"), std::string::npos) << line;
  EXPECT_EQ(line.find("\"output\":0}"), std::string::npos) << line;
}

}  // namespace
}  // namespace sluice::gateway
