// The streamed answer's loop (see stream_loop.h).
#include "streaming/stream_loop.h"

namespace sluice::gateway {

awaitable<stream_outcome> run_stream(stream_source& source, stream_transform& transform, response_writer& writer,
                                     stream_buffers& buffers) {
  using clock = std::chrono::steady_clock;
  stream_outcome outcome;
  bool upstream_ok = true;
  bool client_ok = true;
  bool ended = false;
  // Each read takes everything the upstream has sent so far, and what it yields goes to the client in
  // one write. What the last read yields (the end of the body, or an error event) waits in `ready` and
  // goes out with the end of the stream, in one write.
  std::string& out = buffers.out;
  buffers.ready.clear();
  while (!source.done() && !ended) {
    buffers.read.clear();
    if (!co_await source.read_some(buffers.read)) {
      upstream_ok = false;
      break;
    }
    const auto t = clock::now();
    out.clear();
    ended = !transform.feed(buffers.read, out);
    outcome.work += clock::now() - t;
    if (source.done() || ended) {
      buffers.ready.swap(out);
      break;
    }
    if (!out.empty() && !co_await writer.write_chunk(out, {}, false)) {
      client_ok = false;  // the client left: the caller cancels the upstream request
      break;
    }
  }
  out.clear();
  if (!client_ok) {
    outcome.client_gone = true;
  } else if (ended) {
    outcome.ended_early = true;  // blocked or malformed: the error event is already in `ready`
  } else if (!upstream_ok) {
    outcome.upstream_broke = true;
    const std::string message = "upstream connection lost mid-stream: " + std::string(source.failure_message());
    transform.fail(message, out);
  } else {
    outcome.incomplete = !transform.finish(out);
  }
  if (client_ok) {
    transform.close(out);
    outcome.written = co_await writer.write_chunk(buffers.ready, out, true);
  }
  writer.end_stream();
  co_return outcome;
}

}  // namespace sluice::gateway
