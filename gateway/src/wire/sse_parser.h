#pragma once
// Server-sent events framing (the WHATWG "event stream" format) for bytes as the network delivers them:
// an event may be split at any byte, several may arrive in one read. Push bytes with feed(), then pull
// complete events with next() until it answers need_more.
//
//   parser.feed(bytes);
//   sse_event ev;
//   while (true) {
//     const sse_status st = parser.next(ev);
//     if (st == sse_status::need_more) break;
//     if (st == sse_status::error) { ... parser.error() ... }
//     use(ev);  // views stay valid until the next feed()
//   }
//   at end of input: parser.finish() says whether the stream stopped mid-event.
//
// Lines end with LF, CRLF or CR (a CR at the end of one read and an LF at the start of the next are one
// line end). `field: value` (one space after the colon dropped), `field` alone (empty value), comments
// (lines starting with ':'), `data` lines joined with '\n', `event`, `id`, `retry` (digits only, else
// ignored); unknown fields ignored; a UTF-8 byte order mark at the very start skipped. An event whose
// raw bytes grow past the size limit is an error rather than unbounded buffering.
//
// Not thread-safe; one per stream. Memory: the largest event plus the largest read.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::gateway {

enum class sse_status : std::uint8_t {
  event,      // `next`'s argument holds a complete event
  need_more,  // every complete event was returned: feed more bytes
  error,      // the stream is unusable (see error()); later calls keep answering error
};

enum class sse_error : std::uint8_t {
  ok = 0,
  event_too_large,  // an event's bytes (comments and field lines included) exceed max_event_bytes
  truncated,        // finish(): the input stopped inside an event
};

[[nodiscard]] std::string_view to_string(sse_error e) noexcept;

struct sse_event {
  std::string_view type;  // the `event:` field; empty when absent (the spec's default is "message")
  std::string_view data;  // `data:` lines joined with '\n' (no trailing '\n')
  std::string_view id;    // the `id:` field of this event, if has_id
  std::string_view raw;   // the event's bytes as received, from the end of the previous event's raw
                          // through its blank line: blank lines between events, a byte order mark and
                          // an LF completing a CR that ended the previous read included, so the raws
                          // of a stream's events add up to the stream, byte for byte
  std::uint32_t data_lines = 0;  // 0: a block with no data (e.g. only comments): the spec dispatches nothing
  std::uint32_t retry_ms = 0;    // valid if has_retry
  bool has_id = false;
  bool has_retry = false;
};

struct sse_limits {
  std::size_t max_event_bytes = 1u << 20;  // raw bytes of one event, line ends included
};

class sse_parser {
 public:
  explicit sse_parser(const sse_limits& limits = {});

  // Appends bytes read from the network. Invalidates the views of the last event returned.
  void feed(std::string_view bytes);
  // The next complete event. Errors: event_too_large.
  [[nodiscard]] sse_status next(sse_event& out) noexcept;
  // End of input. Errors: truncated (bytes of an unfinished event were pending), or the earlier error.
  [[nodiscard]] sse_error finish() noexcept;
  // Forgets everything (a new stream), keeping buffers.
  void reset() noexcept;

  [[nodiscard]] sse_error error() const noexcept { return error_; }
  // Bytes of the unfinished event held now.
  [[nodiscard]] std::size_t pending_bytes() const noexcept { return buffer_.size() - event_start_; }
  // The bytes after the last event's raw (valid until the next feed()): at the end of input, the tail
  // of a cut-off event (or blank lines).
  [[nodiscard]] std::string_view pending_raw() const noexcept {
    return std::string_view(buffer_).substr(raw_start_);
  }

 private:
  struct span {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
  };
  void start_event() noexcept;
  void on_line(std::size_t begin, std::size_t end) noexcept;
  [[nodiscard]] std::size_t find_line_end(std::size_t from) noexcept;

  sse_limits limits_;
  std::string buffer_;         // unconsumed bytes: the next raw from raw_start_ on
  std::size_t event_start_ = 0;
  std::size_t raw_start_ = 0;  // where the next event's raw begins (<= event_start_)
  std::size_t cursor_ = 0;     // next byte to examine
  bool skip_lf_ = false;       // the previous line ended with CR: a leading LF belongs to it
  bool at_stream_start_ = true;
  std::size_t next_lf_ = 0;  // the first LF at or after the cursor (npos: none), valid if lf_known_
  bool lf_known_ = false;
  sse_error error_ = sse_error::ok;

  // Fields of the event being read (offsets into buffer_).
  span type_;
  span id_;
  std::vector<span> data_;
  std::uint32_t retry_ms_ = 0;
  std::uint32_t lines_ = 0;  // field and comment lines seen in this event
  bool has_type_ = false, has_id_ = false, has_retry_ = false;
  std::string joined_;  // multi-line data joined with '\n'
};

}  // namespace sluice::gateway
