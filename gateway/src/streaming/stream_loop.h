#pragma once
// The loop of a streamed answer: each upstream read goes through the stream's transform (frame once,
// filter, relay, translate) and what it yields reaches the client in one write; retries are over (the
// first byte has gone out), so an upstream failure ends the stream with an error event.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/asio_types.h"
#include "http/response_writer.h"
#include "streaming/stream_transform.h"

namespace sluice::gateway {

// Where the stream's bytes come from (the upstream call, seen through this by the layer above).
class stream_source {
 public:
  // Appends what has arrived (at least one byte) to `out`; false when the read failed.
  virtual awaitable<bool> read_some(std::string& out) = 0;
  // The whole body has been read.
  [[nodiscard]] virtual bool done() const noexcept = 0;
  // Why the last read failed.
  [[nodiscard]] virtual std::string_view failure_message() const = 0;

 protected:
  ~stream_source() = default;
};

struct stream_outcome {
  bool client_gone = false;      // a write failed: the client left (the source must be abandoned)
  bool ended_early = false;      // the filter or the translation ended the stream (abandon the source)
  bool upstream_broke = false;   // a read failed mid-stream (an error event told the client)
  bool incomplete = false;       // the upstream ended cleanly but the filter found the message cut
  bool written = false;          // the end of the stream reached the client
  std::chrono::steady_clock::duration work{};  // time spent transforming (the gateway's overhead)
};

// Buffers reused by every stream of a connection.
struct stream_buffers {
  std::string read;   // upstream bytes of one read
  std::string out;    // what one read yields for the client
  std::string ready;  // what the last read yields, written with the end of the stream
};

// Runs a stream whose head `writer` already holds (response_writer::start_stream) until its end; the
// transform has begun. Ends the writer's stream.
awaitable<stream_outcome> run_stream(stream_source& source, stream_transform& transform, response_writer& writer,
                                     stream_buffers& buffers);

}  // namespace sluice::gateway
