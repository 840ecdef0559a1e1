#pragma once
// Filters one streamed Anthropic Messages response: upstream SSE bytes in, client SSE bytes out (in
// Anthropic's events; an OpenAI client gets them translated afterwards). Every text the model streams
// (text_delta / thinking_delta / input_json_delta) goes through a per-block engine::stream_redactor, so what the client receives is byte for byte the block-mode
// redaction of each block's whole text, released as soon as no entity can still reach into it.
//
// Re-emission: a delta event is re-serialized with its text replaced by the text that became safe
// (JSON-escaped, never half a UTF-8 character); every other field of the event is kept as it was. A
// delta whose text is entirely held back is not sent; held text goes out as an extra delta right before
// the block ends (content_block_stop). Other events (message_start,
// ping, message_delta, …, unknown event types) pass through byte for byte and in order.
//
// Failure is clean and closed: an oversized event, broken JSON in data:, an unsupported delta type, a
// stream cut mid-event or an engine failure ends the stream with an Anthropic error event
// (dialects/api_errors.h); held text is dropped, never sent unscanned. An output policy may block: the text that
// triggered it is not sent, and the stream ends with an error event the same way.
//
// Usage in the gateway: the stream's transform frames each read once and hands the filter each event
// (on_event), then end_read(); the filter hands the client's events on to a stream_event_sink (the
// relay). Standalone (tests, benchmarks), feed() takes bytes, frames them with the filter's own parser
// and appends the client's bytes to a string:
//   stream_filter f(rules, scanner.scratch(), placeholders, options);
//   for each read:  if (f.feed(bytes, out) != stream_error::ok) { send(out); stop; }  send(out);
//   at upstream EOF:   (void)f.finish(out); send(out);
//   upstream broke:    f.fail("upstream connection lost", out); send(out);
//   then f.usage() for tokens; f.reset() before the next stream on this connection.
//
// The filter only appends to the caller's buffer or hands events to its sink. One per stream, on the thread that owns
// `scratch`; JSON is parsed with that thread's simdjson On-Demand parser. Not thread-safe.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <hs/hs.h>

#include "sluice/engine/finding.h"
#include "sluice/engine/redactor.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/validators.h"
#include "streaming/stream_event.h"
#include "wire/sse_parser.h"

namespace sluice::gateway {

enum class stream_error : std::uint8_t {
  ok = 0,
  event_too_large,    // an SSE event over sse_limits::max_event_bytes
  truncated,          // finish(): the upstream stopped mid-event or before the message ended
  malformed_event,    // data: is not the JSON the dialect defines (broken JSON, wrong types)
  unsupported_delta,  // a content_block_delta of a type that may carry text we do not know how to scan
  too_many_blocks,    // more content blocks open at once than stream_filter_options::max_open_blocks
  engine_failure,     // the stream redactor failed (Hyperscan error, block over 4 GiB)
  blocked,            // the output policy blocked the stream
  upstream_failed,    // fail() was called: the upstream connection broke
  ended,              // feed() after the stream ended (any of the above, or finish())
};

[[nodiscard]] std::string_view to_string(stream_error e) noexcept;

// What kind of text a block carries.
enum class text_kind : std::uint8_t { text, thinking, tool_input, refusal };

[[nodiscard]] std::string_view to_string(text_kind k) noexcept;

struct stream_usage {
  std::uint64_t input_tokens = 0;   // message_start (or message_delta)
  std::uint64_t output_tokens = 0;  // the LAST cumulative value (message_delta)
  bool has_input = false;
  bool has_output = false;
};

// Text about to be sent to the client, shown to the output policy first.
struct stream_release {
  std::uint64_t block = 0;  // the content block's index
  text_kind kind = text_kind::text;
  std::string_view text;    // redacted, exactly the bytes the client would get
  // Entities redacted in `text` (offsets into the block's original text) and content-filter terms found
  // since the previous release of this block (reported where they end; the term may end in text still
  // held back, so a policy sees it before its last word is sent).
  std::span<const engine::finding> new_findings;
  std::span<const engine::finding> new_content_hits;
  bool block_end = false;   // the block's last release
};

struct stream_verdict {
  bool block = false;
  std::string_view error_type = "permission_error";  // Anthropic error type
  std::string_view message = "the response was blocked by an output policy";
};

// Decides on each release. Called on the filter's thread, before the text is sent; views in the
// release are valid during the call only. Must not throw.
class stream_output_policy {
 public:
  virtual ~stream_output_policy() = default;
  [[nodiscard]] virtual stream_verdict check(const stream_release& release) noexcept = 0;
};

struct stream_filter_options {
  sse_limits limits;                    // max_event_bytes: larger events end the stream
  std::size_t max_open_blocks = 64;     // content blocks open at once
  // Unknown content_block_delta types end the stream (they might carry text). true passes them on.
  bool pass_unknown_deltas = false;
  engine::validator_options validators;
  // pii/secret rules whose findings are replaced, by rule id (see engine::stream_redactor::
  // set_redaction_mask); null: all. Not owned: must outlive the filter.
  const std::vector<bool>* redaction_mask = nullptr;
};

namespace detail {
struct stream_filter_state;
}

class stream_filter {
 public:
  // `scratch` is this thread's (engine::scanner::scratch()); `placeholders` numbers values across the
  // request. Throws std::bad_alloc only.
  stream_filter(std::shared_ptr<const engine::ruleset> rules, hs_scratch_t* scratch,
                engine::redactor& placeholders, const stream_filter_options& options = {});
  ~stream_filter();
  stream_filter(const stream_filter&) = delete;
  stream_filter& operator=(const stream_filter&) = delete;

  // Consults `policy` (may be null; not owned) on every release from now on.
  void set_policy(stream_output_policy* policy) noexcept;

  // One event, framed by the caller; the client's events go to `out` (several when held text is
  // released first; none while a delta is held). Errors as feed(), but event_too_large.
  [[nodiscard]] stream_error on_event(const sse_event& ev, stream_event_sink& out) noexcept;
  // The end of one upstream read: deltas held to be coalesced with the read's next ones go out.
  // Errors: engine_failure, blocked.
  [[nodiscard]] stream_error end_read(stream_event_sink& out) noexcept;
  // The caller's framer met an event over limits().max_event_bytes: ends the stream (event_too_large).
  stream_error event_too_large(stream_event_sink& out) noexcept;
  // The upstream ended cleanly; `whole_events`: the framer held no unfinished event. As finish(out).
  [[nodiscard]] stream_error finish(bool whole_events, stream_event_sink& out) noexcept;
  // As fail(message, out).
  void fail(std::string_view message, stream_event_sink& out) noexcept;
  // The framing limits the filter was made with (the caller's framer must apply them).
  [[nodiscard]] const sse_limits& limits() const noexcept;

  // Standalone: upstream bytes in; appends what the client may receive now to `out`. On an error, `out` ends with
  // the error event and the stream is over. Errors: event_too_large, malformed_event, unsupported_delta,
  // too_many_blocks, engine_failure, blocked, ended.
  [[nodiscard]] stream_error feed(std::string_view bytes, std::string& out) noexcept;
  // The upstream ended cleanly. Flushes nothing held if the message did not end (no message_stop, or
  // half an event): that is `truncated`, with an error event.
  // Errors: truncated, engine_failure, blocked, ended.
  [[nodiscard]] stream_error finish(std::string& out) noexcept;
  // The upstream broke: held text is dropped and `out` gets an error event (unless the stream already
  // ended).
  void fail(std::string_view message, std::string& out) noexcept;
  // Ready for a new stream with the same rules, options and policy; buffers are kept.
  void reset() noexcept;

  [[nodiscard]] bool ended() const noexcept;
  [[nodiscard]] stream_error error() const noexcept;  // ok while running or after a clean finish
  [[nodiscard]] const stream_usage& usage() const noexcept;
  // Text received but not yet sent, over all open blocks.
  [[nodiscard]] std::size_t held_bytes() const noexcept;
  // Entities redacted so far in this stream.
  [[nodiscard]] std::uint64_t redactions() const noexcept;

 private:
  std::unique_ptr<detail::stream_filter_state> state_;
};

}  // namespace sluice::gateway
