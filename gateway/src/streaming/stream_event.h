#pragma once
// One SSE event on its way to the client, framed once (by the sse_parser of the stream's transform)
// and handed from stage to stage (filter -> relay -> translation) without being framed again: each
// stage gets the event's bytes for the client and, for the next stage, its type and data.
#include <string_view>

namespace sluice::gateway {

struct stream_event {
  std::string_view type;  // the `event:` field; empty when absent
  std::string_view data;  // `data:` lines joined with '\n'
  std::string_view raw;   // the bytes the client gets for it, blank line included
  bool has_data = false;  // false: no data line (a comment such as a keep-alive, or a cut-off tail)
};

// The next stage of a stream. The views of an event are valid during the call only.
class stream_event_sink {
 public:
  virtual void on_event(const stream_event& event) = 0;

 protected:
  ~stream_event_sink() = default;
};

}  // namespace sluice::gateway
