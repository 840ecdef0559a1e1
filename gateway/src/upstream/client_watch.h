#pragma once
// While the upstream works, a client that closes its connection interrupts the upstream call, so no
// tokens are spent on an answer nobody will read. The watch waits for the client socket to become
// readable: end of stream (or an error) means gone; data means a pipelined request, left for later.
#include <memory>
#include <optional>

#include "http/asio_types.h"
#include "upstream/upstream_client.h"

namespace sluice::gateway {

class client_watch {
 public:
  // Shared with the wait's handler, which may run after the watch has ended. Made once per connection
  // (make_state): a watch per request must not allocate. A handler left over from an earlier request
  // can only see a cancelled wait, or a socket event that is just as true now.
  struct state {
    std::optional<upstream_call>* call = nullptr;
    bool gone = false;
  };
  [[nodiscard]] static std::shared_ptr<state> make_state() { return std::make_shared<state>(); }

  // Watches `client` until destroyed, interrupting `call` (when it holds one) if the client leaves.
  client_watch(beast::tcp_stream& client, std::optional<upstream_call>& call, std::shared_ptr<state> shared);
  ~client_watch();
  client_watch(const client_watch&) = delete;
  client_watch& operator=(const client_watch&) = delete;

  [[nodiscard]] bool client_gone() const noexcept { return state_->gone; }

 private:
  beast::tcp_stream& client_;
  std::shared_ptr<state> state_;
};

}  // namespace sluice::gateway
