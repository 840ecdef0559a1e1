// libFuzzer target for every parser of untrusted JSON in the dialect code: both dialects' readers (the
// Messages request and response readers and the splicer; the OpenAI request translator, which is the
// OpenAI reader), the Anthropic -> OpenAI response and stream translators (one event, and the input's
// lines as one stream's events in order), and the upstream error reader. Beyond "no crash", it checks:
//   - splicing a replacement into every extracted string gives a body that reads back with the same
//     number of strings (the splicer never breaks the JSON);
//   - a request the OpenAI translator accepts is a Messages request the reader accepts, or refuses only
//     as malformed JSON (strings are copied as raw tokens; their escapes are checked by the reader);
//   - what the response translator produces from a response it accepts is one valid JSON document, and
//     every `data:` line the stream translator writes is valid JSON or [DONE], for events it accepts;
//     the OpenAI error body made from any upstream error body is valid JSON.
// ctest replays tests/fuzz/corpus/dialects; a libFuzzer build: -DSLUICE_FUZZ=ON with clang.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dialects/api_errors.h"
#include "wire/json_strings.h"
#include "dialects/anthropic/messages_request.h"
#include "dialects/openai/openai_request.h"
#include "dialects/openai/openai_response.h"

using namespace sluice::gateway;

namespace {

bool valid_json(std::string_view text) {
  static simdjson::dom::parser dom;
  return dom.parse(simdjson::padded_string(text)).error() == simdjson::SUCCESS;
}

// `out` holds whole SSE events: each data line is JSON or the [DONE] marker.
void check_events(std::string_view out) {
  for (std::size_t begin = 0; begin < out.size();) {
    const std::size_t end = std::min(out.find('\n', begin), out.size());
    const std::string_view line = out.substr(begin, end - begin);
    if (line.starts_with("data: ") && line != "data: [DONE]" && !valid_json(line.substr(6))) {
      std::abort();
    }
    begin = end + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static simdjson::ondemand::parser parser;
  static std::string buffer, again, out;
  static json_string_table table, table2;
  static json_splicer splicer;
  static openai_request_translator openai_in;
  static openai_response_translator openai_out;
  static openai_stream_translator stream;

  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string_view body = padded_copy(buffer, input);

  messages_request_facts facts;
  if (read_messages_request(parser, body, table, facts).ok()) {
    splicer.reset(body, table);
    for (std::uint32_t i = 0; i < table.size(); ++i) {
      const auto n = static_cast<std::uint32_t>(table.text(i).size());
      if (!splicer.replace(i, n / 3, n / 2, "[R\"\\\n]").ok()) {
        std::abort();
      }
    }
    if (!splicer.finish(out).ok()) {
      std::abort();
    }
    messages_request_facts facts2;
    if (!read_messages_request(parser, padded_copy(again, out), table2, facts2).ok() || table2.size() != table.size()) {
      std::abort();
    }
  }

  openai_request_facts ofacts;
  if (openai_in.translate(parser, body, {256}, out, ofacts).ok()) {
    const dialect_error e = read_messages_request(parser, padded_copy(again, out), table2, facts);
    if (!e.ok() && e.code != dialect_errc::malformed_json) {
      std::abort();
    }
  }

  if (openai_out.translate(parser, body, {"m", 0}, out).ok() && !valid_json(out)) {
    std::abort();
  }
  messages_response_facts rfacts;
  (void)read_messages_response(parser, body, table, rfacts);

  stream.start("m", 0, true);
  out.clear();
  if (stream.on_event(parser, input, out).ok()) {
    check_events(out);
  }
  // The stream translator keeps state across events (open blocks, tool call indexes, usage): the
  // input's lines are one stream's event data, in order, until one is refused.
  stream.start("m", 0, (size & 1) != 0);
  out.clear();
  for (std::size_t begin = 0; begin < input.size();) {
    const std::size_t end = std::min(input.find('\n', begin), input.size());
    if (stream.on_event(parser, input.substr(begin, end - begin), out)) {
      break;
    }
    check_events(out);
    out.clear();
    begin = end + 1;
  }
  out.clear();
  (void)append_openai_error_from_anthropic(parser, body, 500, out);
  if (!valid_json(out)) {
    std::abort();
  }
  return 0;
}
