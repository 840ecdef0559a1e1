// The client-gone watch (see client_watch.h).
#include "upstream/client_watch.h"

#include <sys/socket.h>

#include <cerrno>

namespace sluice::gateway {

client_watch::client_watch(beast::tcp_stream& client, std::optional<upstream_call>& call,
                           std::shared_ptr<state> shared)
    : client_(client), state_(std::move(shared)) {
  state_->call = &call;
  state_->gone = false;
  auto& socket = client_.socket();
  socket.async_wait(tcp::socket::wait_read, [st = state_, fd = socket.native_handle()](const error_code& ec) {
    if (ec || st->call == nullptr) {
      return;
    }
    char byte = 0;
    const auto n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      st->gone = true;
      if (st->call->has_value()) {
        (*st->call)->interrupt();
      }
    }
  });
}

client_watch::~client_watch() {
  state_->call = nullptr;
  error_code ignored;
  client_.socket().cancel(ignored);  // nothing else waits on the socket between requests
}

}  // namespace sluice::gateway
