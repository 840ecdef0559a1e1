// SSE framing: events come out the same whatever the network's read boundaries.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "wire/sse_parser.h"

namespace sluice::gateway {
namespace {

struct parsed {
  std::string type, data, id, raw;
  std::uint32_t data_lines = 0;
  std::uint32_t retry = 0;
  bool has_id = false, has_retry = false;
  // raw is left out: an LF completing a CR line end that arrives in the next read joins the next raw.
  friend bool operator==(const parsed& a, const parsed& b) {
    return a.type == b.type && a.data == b.data && a.id == b.id && a.data_lines == b.data_lines &&
           a.retry == b.retry && a.has_id == b.has_id && a.has_retry == b.has_retry;
  }
};

void PrintTo(const parsed& p, std::ostream* os) {
  *os << "{type=" << p.type << " data=" << p.data << " id=" << p.id << "}";
}

struct outcome {
  std::vector<parsed> events;
  sse_error error = sse_error::ok;
};

outcome parse_in_pieces(std::string_view bytes, const std::vector<std::size_t>& piece_sizes,
                        sse_limits limits = {}) {
  sse_parser parser(limits);
  outcome result;
  std::size_t at = 0;
  std::size_t i = 0;
  auto drain = [&] {
    sse_event ev;
    while (true) {
      const sse_status st = parser.next(ev);
      if (st == sse_status::need_more) {
        return true;
      }
      if (st == sse_status::error) {
        result.error = parser.error();
        return false;
      }
      result.events.push_back({std::string(ev.type), std::string(ev.data), std::string(ev.id),
                               std::string(ev.raw), ev.data_lines, ev.retry_ms, ev.has_id, ev.has_retry});
    }
  };
  while (at < bytes.size()) {
    const std::size_t n = piece_sizes.empty() ? bytes.size() : piece_sizes[i++ % piece_sizes.size()];
    parser.feed(bytes.substr(at, n));
    at += n;
    if (!drain()) {
      return result;
    }
  }
  result.error = parser.finish();
  return result;
}

outcome parse_whole(std::string_view bytes) { return parse_in_pieces(bytes, {}); }

const std::string anthropic_sample =
    "event: message_start\n"
    "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n"
    "event: content_block_start\r\n"
    "data: {\"type\":\"content_block_start\",\"index\":0}\r\n\r\n"
    ": this is a comment\n"
    "event: ping\r"
    "data: {\"type\": \"ping\"}\r\r"
    "id: 42\n"
    "retry: 1500\n"
    "data: first line\n"
    "data:second line\n"
    "data\n"
    "\n"
    "data: [DONE]\n\n"
    "data: 日本語 ✓\n\n";

TEST(SseParser, ReadsFieldsOfEveryLineEnding) {
  const outcome r = parse_whole(anthropic_sample);
  ASSERT_EQ(r.error, sse_error::ok);
  ASSERT_EQ(r.events.size(), 6u);
  EXPECT_EQ(r.events[0].type, "message_start");
  EXPECT_EQ(r.events[1].type, "content_block_start");
  EXPECT_EQ(r.events[1].data, "{\"type\":\"content_block_start\",\"index\":0}");
  EXPECT_EQ(r.events[2].type, "ping");
  EXPECT_EQ(r.events[2].data, "{\"type\": \"ping\"}");
  EXPECT_EQ(r.events[3].data, "first line\nsecond line\n");
  EXPECT_EQ(r.events[3].data_lines, 3u);
  EXPECT_TRUE(r.events[3].has_id);
  EXPECT_EQ(r.events[3].id, "42");
  EXPECT_TRUE(r.events[3].has_retry);
  EXPECT_EQ(r.events[3].retry, 1500u);
  EXPECT_EQ(r.events[4].type, "");
  EXPECT_EQ(r.events[4].data, "[DONE]");
  EXPECT_EQ(r.events[5].data, "日本語 ✓");
}

TEST(SseParser, RawBytesCoverTheWholeStream) {
  const outcome r = parse_whole(anthropic_sample);
  std::string joined;
  for (const parsed& p : r.events) {
    joined += p.raw;
  }
  EXPECT_EQ(joined, anthropic_sample);
}

TEST(SseParser, RawBytesCoverTheWholeStreamInAnyPieces) {
  // CR and CRLF line ends split between reads, blank lines between events: the raws still add up to the
  // stream (a relay passing raws on sends the bytes it got).
  const std::string stream = "\n\nevent: a\r\ndata: 1\r\n\r\n\r\n: c\r\rdata: 2\r\r\ndata: 3\n\n";
  for (const std::size_t piece : {1u, 2u, 3u, 5u}) {
    const outcome r = parse_in_pieces(stream, {piece});
    std::string joined;
    for (const parsed& p : r.events) {
      joined += p.raw;
    }
    EXPECT_EQ(joined, stream) << "pieces of " << piece;
    EXPECT_EQ(r.events.size(), 4u);
  }
}

TEST(SseParser, OneByteAtATimeGivesTheSameEvents) {
  const outcome whole = parse_whole(anthropic_sample);
  const outcome bytewise = parse_in_pieces(anthropic_sample, {1});
  EXPECT_EQ(bytewise.error, sse_error::ok);
  EXPECT_EQ(bytewise.events, whole.events);
}

TEST(SseParser, RandomFragmentsGiveTheSameEvents) {
  const outcome whole = parse_whole(anthropic_sample);
  std::mt19937 rng(5);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::size_t> sizes;
    for (int i = 0; i < 16; ++i) {
      sizes.push_back(1 + rng() % (round % 2 == 0 ? 8 : 64));
    }
    const outcome pieces = parse_in_pieces(anthropic_sample, sizes);
    ASSERT_EQ(pieces.error, sse_error::ok);
    ASSERT_EQ(pieces.events, whole.events) << "round " << round;
  }
}

TEST(SseParser, CrAtTheEndOfAReadAndLfAtTheStartOfTheNextAreOneLineEnd) {
  sse_parser parser;
  sse_event ev;
  parser.feed("data: a\r");
  EXPECT_EQ(parser.next(ev), sse_status::need_more);
  parser.feed("\n\r");
  ASSERT_EQ(parser.next(ev), sse_status::event);
  EXPECT_EQ(ev.data, "a");
  parser.feed("\ndata: b\n\n");
  ASSERT_EQ(parser.next(ev), sse_status::event);
  EXPECT_EQ(ev.data, "b");
  EXPECT_EQ(parser.next(ev), sse_status::need_more);
  EXPECT_EQ(parser.finish(), sse_error::ok);
}

TEST(SseParser, SkipsAByteOrderMarkAtTheStart) {
  const outcome r = parse_in_pieces("\xEF\xBB\xBF" "data: x\n\n", {1});
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "x");
}

TEST(SseParser, CommentOnlyBlocksAreReportedWithoutData) {
  const outcome r = parse_whole(": keep-alive\n\ndata: x\n\n\n\n");
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].data_lines, 0u);
  EXPECT_EQ(r.events[1].data, "x");
}

TEST(SseParser, IgnoresUnknownFieldsAndBadRetry) {
  const outcome r = parse_whole("foo: bar\nretry: 12a\ndata: y\n\n");
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].data, "y");
  EXPECT_FALSE(r.events[0].has_retry);
}

TEST(SseParser, EventOverTheLimitIsAnErrorNotUnboundedGrowth) {
  sse_limits limits;
  limits.max_event_bytes = 64;
  const std::string big = "data: " + std::string(100, 'x') + "\n\n";
  const outcome whole = parse_in_pieces(big, {}, limits);
  EXPECT_EQ(whole.error, sse_error::event_too_large);
  // Fed in small reads it fails as soon as the pending bytes pass the limit.
  sse_parser parser(limits);
  sse_event ev;
  std::size_t fed = 0;
  sse_status st = sse_status::need_more;
  for (std::size_t i = 0; i < big.size() && st == sse_status::need_more; ++i) {
    parser.feed(big.substr(i, 1));
    ++fed;
    st = parser.next(ev);
  }
  EXPECT_EQ(st, sse_status::error);
  EXPECT_LE(fed, 66u);
  EXPECT_LE(parser.pending_bytes(), 66u);
  parser.feed("data: more\n\n");
  EXPECT_EQ(parser.next(ev), sse_status::error);
}

TEST(SseParser, ManySmallEventsWithinTheLimitAreFine) {
  sse_limits limits;
  limits.max_event_bytes = 64;
  std::string bytes;
  for (int i = 0; i < 1000; ++i) {
    bytes += "data: event number " + std::to_string(i) + "\n\n";
  }
  const outcome r = parse_in_pieces(bytes, {4096}, limits);
  EXPECT_EQ(r.error, sse_error::ok);
  EXPECT_EQ(r.events.size(), 1000u);
}

TEST(SseParser, StreamCutMidEventIsTruncated) {
  EXPECT_EQ(parse_whole("data: {\"a\":1}\n\ndata: {\"b\"").error, sse_error::truncated);
  EXPECT_EQ(parse_whole("data: {\"a\":1}\n\nevent: ping\n").error, sse_error::truncated);
  EXPECT_EQ(parse_whole("data: {\"a\":1}\n\n: trailing keep-alive\n").error, sse_error::ok);
}

TEST(SseParser, ResetStartsAFreshStream) {
  sse_parser parser;
  sse_event ev;
  parser.feed("data: half");
  EXPECT_EQ(parser.next(ev), sse_status::need_more);
  parser.reset();
  parser.feed("data: whole\n\n");
  ASSERT_EQ(parser.next(ev), sse_status::event);
  EXPECT_EQ(ev.data, "whole");
}

}  // namespace
}  // namespace sluice::gateway
