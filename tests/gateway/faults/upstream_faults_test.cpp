// Faults of the upstream, each as a client of the gateway sees it: the gateway is a child process
// (running_gateway.h), the upstream the simulator told what to break by SIM_* directives. After each
// fault the gateway must answer a normal client and its memory must stay bounded.
#include <gtest/gtest.h>

#include "faults/fault_support.h"

namespace sluice::gateway::testing {
namespace {

using namespace std::chrono_literals;

// Short upstream deadlines so that stalls and silences are seen within a second.
const char* const timeouts = "      timeouts:\n        header_ms: 600\n        idle_ms: 300\n        total_ms: 10000\n";

// No policy: streams are relayed event by event, byte for byte.
running_gateway& gateway() {
  static running_gateway gw("server:\n  request_timeout_ms: 2000\n", timeouts);
  return gw;
}

// A streaming policy: every event is parsed (the PII detector redacts streamed text).
running_gateway& filtered_gateway() {
  static running_gateway gw("policies:\n  chain: [pii-detector]\n  policy:\n    pii-detector: {action: redact}\n"
                            "server:\n  request_timeout_ms: 2000\n",
                            timeouts);
  return gw;
}

TEST(UpstreamFaults, ResetMidStreamEndsTheStreamWithAnErrorEvent) {
  auto& gw = gateway();
  const long before = gw.rss_kib();
  for (int i = 0; i < 20; ++i) {
    raw_client c(gw.port());
    c.send(raw_post(streamed("SIM_REPLY=one two three four five six seven eight nine ten SIM_RESET=3")));
    const std::string got = c.read_until("0\r\n\r\n", 5s);
    // The client has its 200 and the deltas already sent, then an error event in its dialect, then
    // a properly ended chunked body: it can tell a cut answer from a finished one.
    ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
    EXPECT_NE(got.find("event: error"), std::string::npos) << got;
    EXPECT_NE(got.find("upstream connection lost mid-stream"), std::string::npos) << got;
    EXPECT_EQ(got.find("message_stop"), std::string::npos) << got;
    EXPECT_NE(got.find("0\r\n\r\n"), std::string::npos) << got;
  }
  expect_still_serving(gw);
  expect_memory_bounded(gw, before, 32);
}

TEST(UpstreamFaults, TruncatedEventEndsTheStreamWithAnErrorEvent) {
  for (running_gateway* gw : {&gateway(), &filtered_gateway()}) {
    const long before = gw->rss_kib();
    raw_client c(gw->port());
    c.send(raw_post(streamed("SIM_REPLY=alpha beta gamma delta epsilon zeta SIM_TRUNCATE=2")));
    const std::string got = c.read_until("0\r\n\r\n", 5s);
    ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
    // Half an event is never passed on; the client is told the answer is incomplete.
    EXPECT_EQ(got.find("\"ind\r\n"), std::string::npos) << got;
    EXPECT_EQ(got.find("\"ind\n"), std::string::npos) << got;
    EXPECT_NE(got.find("event: error"), std::string::npos) << got;
    EXPECT_NE(got.find("ended before the message was complete"), std::string::npos) << got;
    EXPECT_EQ(got.find("message_stop"), std::string::npos) << got;
    expect_still_serving(*gw);
    expect_memory_bounded(*gw, before, 32);
  }
}

TEST(UpstreamFaults, MalformedEventEndsAFilteredStreamAndPassesAnUnfilteredOne) {
  const std::string request = raw_post(streamed("SIM_REPLY=alpha beta gamma delta epsilon zeta SIM_MALFORMED=2"));
  {
    // A streaming policy parses every event: the broken one ends the stream with an error event.
    raw_client c(filtered_gateway().port());
    c.send(request);
    const std::string got = c.read_until("0\r\n\r\n", 5s);
    ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
    EXPECT_EQ(got.find("{\"type\n"), std::string::npos) << got;
    EXPECT_NE(got.find("event: error"), std::string::npos) << got;
    EXPECT_NE(got.find("malformed stream event"), std::string::npos) << got;
    expect_still_serving(filtered_gateway());
  }
  {
    // Without one the relay does not parse events (that is its speed): the client gets the event as
    // the upstream sent it, then the rest of the answer.
    raw_client c(gateway().port());
    c.send(request);
    const std::string got = c.read_until("0\r\n\r\n", 5s);
    ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
    EXPECT_NE(got.find("{\"type\n"), std::string::npos) << got;
    EXPECT_NE(got.find("message_stop"), std::string::npos) << got;
    expect_still_serving(gateway());
  }
}

TEST(UpstreamFaults, StallPastTheIdleTimeoutEndsTheStreamWithAnErrorEvent) {
  auto& gw = gateway();
  const long before = gw.rss_kib();
  raw_client c(gw.port());
  // idle_ms is 300: a 3 s silence after the first delta is a dead upstream.
  c.send(raw_post(streamed("SIM_REPLY=alpha beta gamma delta epsilon SIM_STALL=3000")));
  const auto started = std::chrono::steady_clock::now();
  const std::string got = c.read_until("0\r\n\r\n", 5s);
  ASSERT_NE(got.find("HTTP/1.1 200"), std::string::npos) << got;
  EXPECT_NE(got.find("event: error"), std::string::npos) << got;
  EXPECT_EQ(got.find("message_stop"), std::string::npos) << got;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2900ms);  // the gateway gave up, not the upstream
  expect_still_serving(gw);
  expect_memory_bounded(gw, before, 32);
}

TEST(UpstreamFaults, NeverSendingHeadersIsA504AfterTheHeaderTimeout) {
  auto& gw = gateway();
  const long before = gw.rss_kib();
  const std::size_t sent_before = gw.sim().request_count();
  raw_client c(gw.port());
  c.send(raw_post(messages_body("SIM_SILENT=5000")));
  const std::string got = c.read_for(4s);
  // header_ms is 600, two attempts: the client gets a 504 in its dialect well before the upstream
  // would have closed.
  EXPECT_NE(got.find("HTTP/1.1 504"), std::string::npos) << got;
  EXPECT_NE(got.find("\"type\":\"api_error\""), std::string::npos) << got;
  EXPECT_GE(gw.sim().request_count() - sent_before, 1u);
  expect_still_serving(gw);
  expect_memory_bounded(gw, before, 32);
}

struct status_case {
  unsigned status;
  const char* retry_after;  // SIM_RETRY_AFTER value
  unsigned anthropic_status;
};

TEST(UpstreamFaults, ErrorStatusesWithAndWithoutRetryAfterReachTheClientInItsDialect) {
  auto& gw = gateway();
  const long rss_before = gw.rss_kib();
  const status_case cases[] = {{429, "7", 429}, {429, "none", 429}, {500, "none", 500}, {529, "3", 529}, {529, "none", 529}};
  for (const auto& c : cases) {
    const std::size_t before = gw.sim().request_count();
    const std::string directive = "SIM_ERROR=" + std::to_string(c.status) + " SIM_RETRY_AFTER=" + c.retry_after;
    const auto anthropic = http_call(gw.port(), "POST", "/v1/messages", messages_body(directive));
    EXPECT_EQ(anthropic.status, c.anthropic_status) << directive << "\n" << anthropic.body;
    EXPECT_NE(anthropic.body.find("\"type\":\"error\""), std::string::npos) << anthropic.body;
    if (std::string(c.retry_after) != "none") {
      EXPECT_EQ(anthropic.header("retry-after"), c.retry_after) << directive;
    }
    const auto openai = http_call(gw.port(), "POST", "/v1/chat/completions",
                                  R"({"model":"claude-sim-1","max_tokens":16,"messages":[{"role":"user","content":")" +
                                      directive + R"("}]})");
    EXPECT_GE(openai.status, 400u) << openai.body;
    EXPECT_NE(openai.body.find("{\"error\":{"), std::string::npos) << openai.body;
    EXPECT_GE(gw.sim().request_count() - before, 2u);
  }
  expect_still_serving(gw);
  expect_memory_bounded(gw, rss_before, 32);
}

TEST(UpstreamFaults, HundredMegabyteAnswerIsRefusedWithoutHoldingIt) {
  auto& gw = gateway();
  const long before = gw.rss_kib();
  const auto r = http_call(gw.port(), "POST", "/v1/messages", messages_body("SIM_BIG=104857600"));
  // Over server.max_response_bytes (32 MiB): a 502 saying so, not a 100 MB buffer.
  EXPECT_EQ(r.status, 502u) << r.body.substr(0, 400);
  EXPECT_NE(r.body.find("\"type\":\"api_error\""), std::string::npos) << r.body.substr(0, 400);
  expect_still_serving(gw);
  expect_memory_bounded(gw, before, 48);
}

}  // namespace
}  // namespace sluice::gateway::testing
