// The stream filter as a client sees it: upstream SSE in any fragmentation, client SSE out whose texts
// are exactly the block-mode redaction of each block, in well-formed Anthropic events.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sluice/engine/json_escape.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/rule_catalog.h"
#include "sluice/engine/scanner.h"
#include "wire/sse_parser.h"
#include "streaming/stream_filter.h"
#include "engine/block_redaction.h"

namespace sluice::gateway {
namespace {

using engine::ruleset;

constexpr const char* catalog_yaml = R"(rules:
  - id: pii.email
    kind: pii
    entity: EMAIL
    pattern: '\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b'
    prefilter: '[A-Za-z0-9._%+-]@[A-Za-z0-9]'
    stream: {charset: '[A-Za-z0-9._%+@-]', max_width: 254}
  - id: secret.token
    kind: secret
    entity: API_KEY
    pattern: 'tok_[a-z0-9]{8}'
    stream: {charset: '[a-z0-9_]', lead: 'tok_'}
  - id: pii.card
    kind: pii
    entity: CREDIT_CARD
    pattern: '\b[0-9]{4}(?:[ -]?[0-9]{4}){3}\b'
    prefilter: '[0-9]{4}[ -]?[0-9]{4}'
    stream: {charset: '[0-9 -]'}
  - id: secret.pem
    kind: secret
    entity: PRIVATE_KEY
    pattern: '-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----[A-Za-z0-9+/=\s]+-----END [A-Z ]{0,20}PRIVATE KEY-----'
    prefilter: '-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----'
    stream: {charset: '[A-Za-z0-9+/=\s-]', lead: '-----BEGIN', max_width: 4096}
  - id: content.forbidden
    kind: content
    entity: TEST
    pattern: 'forbidden'
)";

const std::shared_ptr<const ruleset>& rules() {
  static const auto compiled = ruleset::compile(engine::parse_rule_file(catalog_yaml, "stream_filter.yaml"));
  return compiled;
}

std::string block_redaction(std::string_view text) { return engine::testing::block_redaction(rules(), text); }

std::string json_string(std::string_view text) {
  std::string out;
  engine::append_json_string(out, text);
  return out;
}

// ---- Upstream streams -------------------------------------------------------------------------------

struct block {
  std::string type = "text";  // text | thinking | tool_use
  std::vector<std::string> deltas;
};

std::string anthropic_stream(const std::vector<block>& blocks, bool end = true) {
  std::string s =
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":"
      "\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude\",\"usage\":{\"input_tokens\":25,"
      "\"output_tokens\":1}}}\n\n";
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const std::string index = std::to_string(i);
    const block& b = blocks[i];
    std::string start = "{\"type\":\"text\",\"text\":\"\"}";
    std::string delta_type = "text_delta", field = "text";
    if (b.type == "thinking") {
      start = "{\"type\":\"thinking\",\"thinking\":\"\"}";
      delta_type = "thinking_delta";
      field = "thinking";
    } else if (b.type == "tool_use") {
      start = "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"send\",\"input\":{}}";
      delta_type = "input_json_delta";
      field = "partial_json";
    }
    s += "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + index +
         ",\"content_block\":" + start + "}\n\n";
    s += "event: ping\ndata: {\"type\": \"ping\"}\n\n";
    for (const std::string& d : b.deltas) {
      s += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index +
           ",\"delta\":{\"type\":\"" + delta_type + "\",\"" + field + "\":" + json_string(d) + "}}\n\n";
    }
    s += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":" + index + "}\n\n";
  }
  s += "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
       "\"stop_sequence\":null},\"usage\":{\"output_tokens\":7}}\n\n";
  s += "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":15}}\n\n";
  if (end) {
    s += "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  }
  return s;
}

// ---- Running the filter -----------------------------------------------------------------------------

struct run_result {
  std::string out;
  stream_error feed_error = stream_error::ok;
  stream_error finish_error = stream_error::ok;
  stream_usage usage;
  std::size_t max_held = 0;
};

run_result run_filter(std::string_view upstream, const std::vector<std::size_t>& reads,
                      stream_output_policy* policy = nullptr,
                      sse_limits limits = {}) {
  engine::scanner scanner(rules());
  engine::redactor placeholders;
  stream_filter_options options;
  options.limits = limits;
  stream_filter filter(rules(), scanner.scratch(), placeholders, options);
  filter.set_policy(policy);
  run_result r;
  std::size_t at = 0, i = 0;
  while (at < upstream.size()) {
    const std::size_t n = reads.empty() ? upstream.size() : reads[i++ % reads.size()];
    r.feed_error = filter.feed(upstream.substr(at, n), r.out);
    r.max_held = std::max(r.max_held, filter.held_bytes());
    at += n;
    if (r.feed_error != stream_error::ok) {
      break;
    }
  }
  r.finish_error = filter.finish(r.out);
  r.usage = filter.usage();
  return r;
}

// ---- What the client sees ---------------------------------------------------------------------------

struct client_view {
  std::vector<std::string> types;        // event types (`type` of each data)
  mutable std::map<std::string, std::string> texts;  // block/field -> concatenated text
  bool error = false;
  std::string error_message;
  bool well_formed = true;
  std::size_t events = 0;
};

client_view read_client(std::string_view bytes) {
  client_view v;
  sse_parser parser;
  parser.feed(bytes);
  sse_event ev;
  simdjson::dom::parser json;
  while (parser.next(ev) == sse_status::event) {
    ++v.events;
    if (ev.data_lines == 0) {
      continue;
    }
    if (ev.data == "[DONE]") {
      v.types.push_back("[DONE]");
      continue;
    }
    simdjson::dom::element doc;
    if (json.parse(std::string(ev.data)).get(doc) != simdjson::SUCCESS) {
      v.well_formed = false;
      continue;
    }
    const std::string type(doc["type"].get_string().value_unsafe());
    v.types.push_back(type);
    if (!ev.type.empty() && ev.type != type) {
      v.well_formed = false;
    }
    if (type == "content_block_delta") {
      const auto index = std::to_string(doc["index"].get_uint64().value_unsafe());
      for (const char* field : {"text", "thinking", "partial_json"}) {
        std::string_view t;
        if (doc["delta"][field].get_string().get(t) == simdjson::SUCCESS) {
          v.texts[index] += t;
        }
      }
    } else if (type == "error") {
      v.error = true;
      v.error_message = std::string(doc["error"]["message"].get_string().value_unsafe());
    }
  }
  return v;
}

std::vector<std::string> split_into(std::string_view text, const std::vector<std::size_t>& cuts) {
  std::vector<std::string> pieces;
  std::size_t at = 0;
  for (std::size_t cut : cuts) {
    pieces.emplace_back(text.substr(at, cut - at));
    at = cut;
  }
  pieces.emplace_back(text.substr(at));
  return pieces;
}

std::vector<std::size_t> random_cuts(std::size_t size, std::mt19937& rng, std::size_t max_piece) {
  std::vector<std::size_t> cuts;
  for (std::size_t at = 1 + rng() % max_piece; at < size; at += 1 + rng() % max_piece) {
    cuts.push_back(at);
  }
  return cuts;
}

// Cuts where a tokenizer would: before spaces and punctuation, and inside long words.
std::vector<std::size_t> token_cuts(std::string_view text, std::mt19937& rng) {
  std::vector<std::size_t> cuts;
  std::size_t last = 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    const bool boundary = c == ' ' || c == '.' || c == '@' || c == ',' || c == '-' || c == '\n';
    if (boundary || i - last >= 3 + rng() % 5) {
      cuts.push_back(i);
      last = i;
    }
  }
  return cuts;
}

std::string random_text(std::mt19937& rng) {
  static const std::vector<std::string> pieces = {
      "hello ", "world ", "mail ", "jane.doe@example.com", " ", ", ", ". ", "tok_abcd1234", "tok_",
      "4111 1111 1111 1111", "4111-1111-1111-1111", "1234 5678", "Grüße ", "日本語 ", "é", "@", "-",
      "a.b@c.de", "x@y", "\"quoted\" ", "back\\slash ", "tab\there ", "line\nbreak ",
      "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----", "0", "1"};
  std::string text;
  const int n = 3 + static_cast<int>(rng() % 30);
  for (int i = 0; i < n; ++i) {
    text += pieces[rng() % pieces.size()];
  }
  return text;
}

// ---- Anthropic --------------------------------------------------------------------------------------

TEST(StreamFilter, RedactsEmailSplitAcrossTwoDeltas) {
  const run_result r = run_filter(anthropic_stream({{"text", {"write to jane.", "doe@example.com please"}}}), {});
  EXPECT_EQ(r.feed_error, stream_error::ok);
  EXPECT_EQ(r.finish_error, stream_error::ok);
  const client_view v = read_client(r.out);
  EXPECT_TRUE(v.well_formed);
  EXPECT_EQ(v.texts["0"], "write to [REDACTED:EMAIL] please");
  EXPECT_EQ(r.out.find("jane"), std::string::npos);
  EXPECT_EQ(r.out.find("doe@"), std::string::npos);
}

// The raw bytes of every event that is not a content_block_delta, in order.
std::string non_delta_events(std::string_view bytes) {
  sse_parser parser;
  parser.feed(bytes);
  sse_event ev;
  std::string out;
  while (parser.next(ev) == sse_status::event) {
    if (ev.type != "content_block_delta") {
      out.append(ev.raw);
    }
  }
  return out;
}

TEST(StreamFilter, PassesOtherEventsThroughUnchangedAndInOrder) {
  const std::string upstream = anthropic_stream({{"text", {"Hello ", "there."}}, {"text", {"Bye"}}});
  const run_result r = run_filter(upstream, {});
  EXPECT_EQ(non_delta_events(r.out), non_delta_events(upstream));
  const client_view v = read_client(r.out);
  EXPECT_EQ(v.texts["0"], "Hello there.");
  EXPECT_EQ(v.texts["1"], "Bye");
  // Deltas stay inside their blocks: each block's deltas come between its start and its stop.
  std::vector<std::string> order;
  for (const std::string& t : v.types) {
    if (order.empty() || order.back() != t) {
      order.push_back(t);
    }
  }
  const std::vector<std::string> expected = {"message_start", "content_block_start", "ping",
                                             "content_block_delta", "content_block_stop",
                                             "content_block_start", "ping", "content_block_delta",
                                             "content_block_stop", "message_delta", "message_stop"};
  EXPECT_EQ(order, expected);
}

std::vector<std::size_t> event_sizes(std::string_view bytes) {
  sse_parser parser;
  parser.feed(bytes);
  sse_event ev;
  std::vector<std::size_t> sizes;
  while (parser.next(ev) == sse_status::event) {
    sizes.push_back(ev.raw.size());
  }
  return sizes;
}

TEST(StreamFilter, TextWithoutEntitiesComesBackByteForByteWhenNothingIsHeld) {
  // Every delta ends where no entity of the catalog could continue (after a letter-free, space-free
  // byte), and each event arrives in its own read.
  const std::string upstream = anthropic_stream({{"text", {"Hello!", " Fine?", " (yes)"}}});
  std::string out;
  engine::scanner scanner(rules());
  engine::redactor placeholders;
  stream_filter filter(rules(), scanner.scratch(), placeholders);
  std::size_t at = 0;
  for (const std::size_t n : event_sizes(upstream)) {
    ASSERT_EQ(filter.feed(std::string_view(upstream).substr(at, n), out), stream_error::ok);
    at += n;
  }
  ASSERT_EQ(filter.finish(out), stream_error::ok);
  EXPECT_EQ(out, upstream);
}

TEST(StreamFilter, DeltasOfOneReadAreScannedTogetherAndSentAsOneEvent) {
  const std::string upstream = anthropic_stream({{"text", {"Hello!", " Fine?", " (yes)"}}});
  const run_result r = run_filter(upstream, {});
  const client_view v = read_client(r.out);
  EXPECT_EQ(v.texts["0"], "Hello! Fine? (yes)");
  EXPECT_EQ(std::count(v.types.begin(), v.types.end(), "content_block_delta"), 1);
}

TEST(StreamFilter, KeepsEveryOtherFieldOfARewrittenDelta) {
  const std::string upstream =
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
      "{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\nid: 7\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"text_delta\",\"text\":\"mail a@b.co now\"},\"extra\":{\"kept\":true}}\n\n";
  engine::scanner scanner(rules());
  engine::redactor placeholders;
  stream_filter filter(rules(), scanner.scratch(), placeholders);
  std::string out;
  ASSERT_EQ(filter.feed(upstream, out), stream_error::ok);
  EXPECT_NE(out.find("id: 7\n"), std::string::npos);
  EXPECT_NE(out.find("\"extra\":{\"kept\":true}"), std::string::npos);
  EXPECT_NE(out.find("\"text\":\"mail [REDACTED:EMAIL] \""), std::string::npos);
}

TEST(StreamFilter, RandomSplitsEverywhereMatchBlockRedaction) {
  std::mt19937 rng(17);
  for (int round = 0; round < 600; ++round) {
    const std::string text = random_text(rng);
    std::vector<std::size_t> cuts;
    switch (round % 3) {
      case 0:
        for (std::size_t i = 1; i < text.size(); ++i) {
          cuts.push_back(i);  // single bytes (may split a UTF-8 character between deltas' bytes)
        }
        break;
      case 1: cuts = random_cuts(text.size(), rng, 8); break;
      default: cuts = token_cuts(text, rng); break;
    }
    // Deltas are JSON strings: a character cannot be split between two of them.
    std::erase_if(cuts, [&](std::size_t c) { return (static_cast<unsigned char>(text[c]) & 0xC0) == 0x80; });
    const std::string upstream = anthropic_stream({{"text", split_into(text, cuts)}});
    std::vector<std::size_t> reads;
    for (int i = 0; i < 8; ++i) {
      reads.push_back(1 + rng() % (round % 2 == 0 ? 7 : 300));
    }
    const run_result r = run_filter(upstream, reads);
    ASSERT_EQ(r.feed_error, stream_error::ok) << text;
    ASSERT_EQ(r.finish_error, stream_error::ok) << text;
    const client_view v = read_client(r.out);
    ASSERT_TRUE(v.well_formed) << r.out;
    ASSERT_EQ(v.texts["0"], block_redaction(text)) << "text: " << text;
  }
}

TEST(StreamFilter, RedactsCardSentOneDigitPerDelta) {
  std::vector<std::string> deltas = {"card "};
  for (const char c : std::string("4111 1111 1111 1111")) {
    deltas.emplace_back(1, c);
  }
  deltas.emplace_back(" ok");
  const run_result r = run_filter(anthropic_stream({{"text", deltas}}), {1});
  const client_view v = read_client(r.out);
  EXPECT_EQ(v.texts["0"], "card [REDACTED:CREDIT_CARD] ok");
  EXPECT_EQ(r.out.find("1111"), std::string::npos);
}

TEST(StreamFilter, RedactsPemKeySpreadOverFiftyDeltas) {
  std::string body;
  for (int i = 0; i < 12; ++i) {
    body += "MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n";
  }
  const std::string text = "key:\n-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----\nthanks";
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < 50; ++i) {
    cuts.push_back(i * text.size() / 50);
  }
  const run_result r = run_filter(anthropic_stream({{"text", split_into(text, cuts)}}), {13});
  const client_view v = read_client(r.out);
  EXPECT_EQ(v.texts["0"], "key:\n[REDACTED:PRIVATE_KEY]\nthanks");
  EXPECT_EQ(r.out.find("MIIBOg"), std::string::npos);
}

TEST(StreamFilter, MultibyteCharactersSplitByTheNetworkComeOutWhole) {
  const std::string text = "Grüße aus 日本 — ✓ mail jürgen@example.com 🎉 done";
  std::vector<std::string> deltas;
  for (std::size_t i = 0; i < text.size();) {  // one character per delta
    std::size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) {
      ++n;
    }
    deltas.push_back(text.substr(i, n));
    i += n;
  }
  const run_result r = run_filter(anthropic_stream({{"text", deltas}}), {1});  // one byte per read
  const client_view v = read_client(r.out);
  EXPECT_TRUE(v.well_formed);
  EXPECT_EQ(v.texts["0"], block_redaction(text));
  EXPECT_TRUE(simdjson::validate_utf8(r.out.data(), r.out.size()));
}

TEST(StreamFilter, ScansThinkingAndToolInputBlocks) {
  const run_result r = run_filter(
      anthropic_stream({{"thinking", {"The user is jane", ".doe@example.com, so"}},
                        {"tool_use", {"{\"to\": \"jane.doe@", "example.com\", \"key\": \"tok_abcd", "1234\"}"}},
                        {"text", {"Done."}}}),
      {7});
  EXPECT_EQ(r.finish_error, stream_error::ok);
  const client_view v = read_client(r.out);
  EXPECT_EQ(v.texts["0"], "The user is [REDACTED:EMAIL], so");
  EXPECT_EQ(v.texts["1"], "{\"to\": \"[REDACTED:EMAIL]\", \"key\": \"[REDACTED:API_KEY]\"}");
  EXPECT_EQ(v.texts["2"], "Done.");
  // The tool input the client assembles is still JSON.
  simdjson::dom::parser json;
  EXPECT_EQ(json.parse(v.texts["1"]).error(), simdjson::SUCCESS);
}

TEST(StreamFilter, ReportsUsageWithTheLastCumulativeOutputCount) {
  const run_result r = run_filter(anthropic_stream({{"text", {"hi"}}}), {5});
  EXPECT_TRUE(r.usage.has_input);
  EXPECT_EQ(r.usage.input_tokens, 25u);
  EXPECT_TRUE(r.usage.has_output);
  EXPECT_EQ(r.usage.output_tokens, 15u);  // the last message_delta, not 1 + 7 + 15
}

TEST(StreamFilter, HundredThousandEventsRunInBoundedMemory) {
  engine::scanner scanner(rules());
  engine::redactor placeholders;
  stream_filter filter(rules(), scanner.scratch(), placeholders);
  std::string out;
  ASSERT_EQ(filter.feed(anthropic_stream({}, false).substr(0, 0), out), stream_error::ok);
  ASSERT_EQ(filter.feed("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                        "{\"input_tokens\":1}}}\n\nevent: content_block_start\ndata: {\"type\":"
                        "\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
                        out),
            stream_error::ok);
  std::size_t max_held = 0, max_out = 0, total_out = 0;
  std::uint64_t redactions = 0;
  for (int i = 0; i < 100000; ++i) {
    out.clear();
    const char* text = i % 97 == 0 ? "mail a@b.co now. " : "some ordinary words here. ";
    const std::string ev = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                           "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + std::string(text) + "\"}}\n\n";
    ASSERT_EQ(filter.feed(ev, out), stream_error::ok);
    max_held = std::max(max_held, filter.held_bytes());
    max_out = std::max(max_out, out.size());
    total_out += out.size();
    redactions = filter.redactions();
  }
  EXPECT_LE(max_held, rules()->max_redaction_width());
  EXPECT_LT(max_out, 256u);  // nothing accumulates: each event's output is about one event
  EXPECT_GT(total_out, 100000u * 60);
  EXPECT_EQ(redactions, 100000u / 97 + 1);
}

// ---- Failing closed ---------------------------------------------------------------------------------

TEST(StreamFilter, OversizedEventEndsTheStreamWithAnErrorEvent) {
  sse_limits limits;
  limits.max_event_bytes = 512;
  const std::string upstream = anthropic_stream({{"text", {"short ", std::string(2000, 'x'), " after"}}});
  const run_result r = run_filter(upstream, {64}, nullptr, limits);
  EXPECT_EQ(r.feed_error, stream_error::event_too_large);
  const client_view v = read_client(r.out);
  EXPECT_TRUE(v.error);
  EXPECT_EQ(v.types.back(), "error");
  EXPECT_EQ(r.out.find("xxxx"), std::string::npos);
  EXPECT_EQ(r.out.find("after"), std::string::npos);
}

TEST(StreamFilter, BrokenJsonEndsTheStreamWithAnErrorEventAndDropsHeldText) {
  const std::string upstream =
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
      "{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"text_delta\",\"text\":\"write to jane.doe@exa\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"text_delta\",\"text\":\"mple.com\"\n\n";
  for (const std::size_t read : {std::size_t{1}, std::size_t{1000}}) {
    const run_result r = run_filter(upstream, {read});
    EXPECT_EQ(r.feed_error, stream_error::malformed_event);
    const client_view v = read_client(r.out);
    EXPECT_TRUE(v.error);
    // Byte by byte, the safe prefix went out before the broken event; in one read, nothing had.
    EXPECT_EQ(v.texts["0"], read == 1 ? "write to " : "");
    EXPECT_EQ(r.out.find("jane"), std::string::npos);
    EXPECT_EQ(r.out.find("mple.com"), std::string::npos);
  }
}

TEST(StreamFilter, WrongTypesAndTrailingGarbageAreMalformed) {
  const std::string start = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                            "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
  for (const char* bad : {
           R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":42}})",
           R"({"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"a"}})",
           R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}} trailing)",
           R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}})",
           R"(["not an object"])",
           R"(not json at all)",
       }) {
    const run_result r = run_filter(start + "event: content_block_delta\ndata: " + bad + "\n\n", {});
    EXPECT_EQ(r.feed_error, stream_error::malformed_event) << bad;
    EXPECT_TRUE(read_client(r.out).error) << bad;
  }
}

TEST(StreamFilter, StreamCutMidEventIsAnErrorAndHeldTextIsNeverSent) {
  std::string upstream = anthropic_stream({{"text", {"reach me at jane.doe@exam", "ple.com today"}}});
  upstream = upstream.substr(0, upstream.find("ple.com") + 3);  // cut inside the second delta
  const run_result r = run_filter(upstream, {11});
  EXPECT_EQ(r.feed_error, stream_error::ok);
  EXPECT_EQ(r.finish_error, stream_error::truncated);
  const client_view v = read_client(r.out);
  EXPECT_TRUE(v.error);
  EXPECT_EQ(v.texts["0"], "reach me at ");
  EXPECT_EQ(r.out.find("jane"), std::string::npos);
}

TEST(StreamFilter, StreamEndingBeforeMessageStopIsTruncated) {
  const run_result r = run_filter(anthropic_stream({{"text", {"hello"}}}, false), {});
  EXPECT_EQ(r.finish_error, stream_error::truncated);
  EXPECT_TRUE(read_client(r.out).error);
}

TEST(StreamFilter, UnknownDeltaTypesFailClosedUnlessAllowed) {
  const std::string upstream =
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
      "{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"future_delta\",\"words\":\"jane.doe@example.com\"}}\n\n";
  const run_result r = run_filter(upstream, {});
  EXPECT_EQ(r.feed_error, stream_error::unsupported_delta);
  EXPECT_EQ(r.out.find("jane"), std::string::npos);
  // signature_delta carries no text of the model's: it passes.
  const std::string signature =
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
      "{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"signature_delta\",\"signature\":\"EqQBCgIYAhIM\"}}\n\n";
  const run_result s = run_filter(signature, {});
  EXPECT_EQ(s.feed_error, stream_error::ok);
  EXPECT_NE(s.out.find("EqQBCgIYAhIM"), std::string::npos);
}

TEST(StreamFilter, UpstreamErrorEventPassesAndHeldTextIsDropped) {
  const std::string upstream =
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
      "{\"type\":\"text\",\"text\":\"\"}}\n\n"
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
      "{\"type\":\"text_delta\",\"text\":\"see jane.doe@exam\"}}\n\n"
      "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
  const run_result r = run_filter(upstream, {});
  EXPECT_EQ(r.feed_error, stream_error::ok);
  EXPECT_EQ(r.finish_error, stream_error::ok);
  const client_view v = read_client(r.out);
  EXPECT_TRUE(v.error);
  EXPECT_EQ(v.error_message, "Overloaded");
  EXPECT_EQ(r.out.find("jane"), std::string::npos);
}

TEST(StreamFilter, FailAddsAnErrorEventOnce) {
  engine::scanner scanner(rules());
  engine::redactor placeholders;
  stream_filter filter(rules(), scanner.scratch(), placeholders);
  std::string out;
  ASSERT_EQ(filter.feed(anthropic_stream({{"text", {"abc"}}}).substr(0, 300), out), stream_error::ok);
  filter.fail("upstream connection lost", out);
  filter.fail("again", out);
  const client_view v = read_client(out);
  EXPECT_TRUE(v.error);
  EXPECT_EQ(v.error_message, "upstream connection lost");
  EXPECT_EQ(filter.feed("data: x\n\n", out), stream_error::ended);
  EXPECT_EQ(filter.error(), stream_error::upstream_failed);
}

// ---- Output policy ----------------------------------------------------------------------------------

class block_on_content : public stream_output_policy {
 public:
  stream_verdict check(const stream_release& release) noexcept override {
    ++calls_;
    stream_verdict v;
    v.block = !release.new_content_hits.empty();
    v.message = "blocked by test policy";
    return v;
  }
  int calls_ = 0;
};

TEST(StreamFilter, OutputPolicyBlockEndsTheStreamBeforeTheOffendingTextIsSent) {
  block_on_content policy;
  const run_result r =
      run_filter(anthropic_stream({{"text", {"This is fine. ", "This is forbid", "den text."}}}), {9},
                 &policy);
  EXPECT_EQ(r.feed_error, stream_error::blocked);
  const client_view v = read_client(r.out);
  EXPECT_TRUE(v.error);
  EXPECT_EQ(v.error_message, "blocked by test policy");
  EXPECT_EQ(r.out.find("forbid"), std::string::npos);
  EXPECT_NE(r.out.find("This is fine."), std::string::npos);
  EXPECT_GT(policy.calls_, 0);
}

class count_findings : public stream_output_policy {
 public:
  stream_verdict check(const stream_release& release) noexcept override {
    findings_ += release.new_findings.size();
    return {};
  }
  std::size_t findings_ = 0;
};

TEST(StreamFilter, OutputPolicySeesEveryRedactedEntity) {
  count_findings policy;
  const run_result r = run_filter(anthropic_stream({{"text", {"a@b.co and c", "@d.org, tok_abcd1234"}}}), {3},
                                  &policy);
  EXPECT_EQ(r.finish_error, stream_error::ok);
  EXPECT_EQ(policy.findings_, 3u);
}

TEST(StreamFilter, ResetServesTheNextStream) {
  engine::scanner scanner(rules());
  engine::redactor placeholders;
  stream_filter filter(rules(), scanner.scratch(), placeholders);
  for (int i = 0; i < 3; ++i) {
    std::string out;
    ASSERT_EQ(filter.feed(anthropic_stream({{"text", {"x@y.io and ", "more"}}}), out), stream_error::ok);
    ASSERT_EQ(filter.finish(out), stream_error::ok);
    EXPECT_EQ(read_client(out).texts["0"], "[REDACTED:EMAIL] and more");
    filter.reset();
  }
}

}  // namespace
}  // namespace sluice::gateway
