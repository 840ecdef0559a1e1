#pragma once
// The private state of a stream_filter, shared by the event handlers (anthropic_stream_events.cpp) and
// the common machinery (stream_filter.cpp).
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wire/json_walk.h"
#include "sluice/engine/stream_redactor.h"
#include "streaming/stream_filter.h"

namespace sluice::gateway::detail {

// One streamed text (an Anthropic content block).
struct text_slot {
  std::uint64_t key = 0;
  text_kind kind = text_kind::text;
  bool open = false;
  std::unique_ptr<engine::stream_redactor> redactor;  // kept across blocks and streams, reset() to reuse
  std::size_t findings_seen = 0;                      // findings already shown to the policy
  std::size_t content_seen = 0;
};

// A string token of the event's JSON to replace with a new JSON string literal.
struct json_splice {
  std::uint32_t begin = 0;  // the token, quotes included, in the event's data
  std::uint32_t end = 0;
  std::uint32_t replacement_begin = 0;  // in stream_filter_state::replacements
  std::uint32_t replacement_end = 0;
};

// A string value found in the event's JSON, with where it sits.
struct json_text {
  std::uint32_t begin = 0;  // raw token, quotes included
  std::uint32_t end = 0;
  std::string_view text;    // unescaped (in the parser's buffer, valid for this event)
};

// An event the filter produced for the client, in stream_filter_state::events (its bytes) and
// emitted_data (its type, then its data).
struct emitted_event {
  std::uint32_t raw_begin = 0;
  std::uint32_t raw_end = 0;
  std::uint32_t type_begin = 0;
  std::uint32_t type_end = 0;  // the data follows the type in emitted_data, up to data_end
  std::uint32_t data_end = 0;
  bool has_data = false;
};

struct stream_filter_state {
  std::shared_ptr<const engine::ruleset> rules;
  hs_scratch_t* scratch = nullptr;
  engine::redactor* placeholders = nullptr;
  stream_filter_options options;
  stream_output_policy* policy = nullptr;
  sse_parser parser;

  std::vector<text_slot> slots;
  stream_usage usage;
  stream_error error = stream_error::ok;
  bool ended = false;
  bool message_done = false;  // message_stop seen
  std::uint64_t redactions = 0;
  std::string block_type;     // the policy's verdict, kept for the error event
  std::string block_message;

  // Per-event buffers, reused.
  std::string json;          // the event's data plus simdjson padding
  std::string released;      // text a redactor released
  std::string replacements;  // JSON string literals to splice in
  std::vector<json_splice> splices;
  std::string rewritten;     // the event's data after splicing
  std::string events;        // client bytes of the event being handled (sent only if it all succeeds)
  std::vector<emitted_event> emitted;  // the events in `events`
  std::string emitted_data;            // their types and data
  // Consecutive text deltas of one block that arrived in the same read are scanned as one piece (one Hyperscan call instead of one per event) and sent as one delta event, built on the
  // first one. Flushed before any other event and at the end of every feed().
  bool pending = false;
  std::uint64_t pending_block = 0;
  std::string pending_delta_type;
  std::string pending_text;
  std::string pending_data;  // the first delta's data: the template
  json_text pending_where;   // its text token in pending_data
  std::string pending_type;  // its SSE fields
  std::string pending_id;
  bool pending_has_id = false;
  std::uint32_t pending_retry_ms = 0;
  bool pending_has_retry = false;

  stream_filter_state(std::shared_ptr<const engine::ruleset> r, hs_scratch_t* s, engine::redactor& p,
                      const stream_filter_options& o)
      : rules(std::move(r)), scratch(s), placeholders(&p), options(o), parser(o.limits) {}

  [[nodiscard]] text_slot* find(std::uint64_t key) noexcept;
  // Opens a slot for `key` (an already open one is returned as is). Errors: too_many_blocks, engine_failure.
  [[nodiscard]] stream_error open(std::uint64_t key, text_kind kind, text_slot*& slot) noexcept;
  // Writes `piece` (and ends the slot's text if `last`); appends what became final to `released` after
  // the policy accepted it. Errors: engine_failure, blocked.
  [[nodiscard]] stream_error write(text_slot& slot, std::string_view piece, bool last) noexcept;
  // Drops every open slot without sending what it holds.
  void drop_all() noexcept;

  // Copies `data` into `json` with padding and starts parsing it with this thread's parser.
  [[nodiscard]] simdjson::error_code parse(std::string_view data, simdjson::ondemand::document& doc) noexcept;
  // The token of a string value `v` and its unescaped text. Errors: INCORRECT_TYPE and parse errors.
  [[nodiscard]] simdjson::error_code string_value(simdjson::ondemand::value v, json_text& out) noexcept;
  // Queues replacing `where` by the JSON string for `text`.
  void splice(const json_text& where, std::string_view text);
  // Queues replacing the raw bytes [begin, end) of the data by `json` verbatim.
  void splice_raw(std::uint32_t begin, std::uint32_t end, std::string_view json);
  // `data` with the queued splices applied (in `rewritten`).
  [[nodiscard]] std::string_view apply_splices(std::string_view data);
  void clear_event() noexcept;
  // Adds an event for the client: `ev` as received, `data` in an event like `like` (its event type, id
  // and retry kept), `data` in an event of type `type`, or a comment line (a keep-alive).
  void pass(const sse_event& ev);
  void emit(const sse_event& like, std::string_view data);
  void emit(std::string_view type, std::string_view data);
  void emit_comment();
  // Hands the events added since clear_event() to `out`, in order.
  void send(stream_event_sink& out) const;
  // Starts holding a delta event (slot `key`, its text token `where`) for coalescing.
  void hold_delta(std::uint64_t key, const sse_event& ev, const json_text& where);
};

// The stream readers' not_container for the shared walks (json_walk.h): a value of the wrong type is
// reported as its simdjson error (INCORRECT_TYPE), like broken JSON.
inline constexpr auto as_error_code = [](simdjson::error_code code) noexcept { return code; };

// Parses `data` (one event's JSON) with s.parse() and calls on_field(key, value) -> simdjson::error_code
// for each field of its top-level object. Errors: parse errors, INCORRECT_TYPE (not an object), what
// on_field returns, TRAILING_CONTENT (anything after the object is broken JSON too).
template <class OnField>
[[nodiscard]] simdjson::error_code for_each_event_field(stream_filter_state& s, std::string_view data,
                                                        OnField&& on_field) noexcept {
  simdjson::ondemand::document doc;
  if (auto e = s.parse(data, doc)) {
    return e;
  }
  simdjson::ondemand::object object;
  if (auto e = doc.get_object().get(object)) {
    return e;
  }
  if (auto e = for_each_field(object, on_field)) {
    return e;
  }
  const char* rest = nullptr;
  return doc.current_location().get(rest) == simdjson::SUCCESS ? simdjson::TRAILING_CONTENT : simdjson::SUCCESS;
}

// Handles one SSE event, adding the client's events to `s` (pass, emit).
[[nodiscard]] stream_error on_anthropic_event(stream_filter_state& s, const sse_event& ev) noexcept;
// Sends the deltas held for coalescing as one event built on the first (emit).
[[nodiscard]] stream_error flush_pending_deltas(stream_filter_state& s) noexcept;
// End of the upstream: is the message complete (nothing can be lost by ending here)?
[[nodiscard]] bool anthropic_complete(const stream_filter_state& s) noexcept;

}  // namespace sluice::gateway::detail
