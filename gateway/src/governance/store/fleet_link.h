#pragma once
// One shard's connection to the Redis store for the request path: admissions of keys with rate limits
// or hard budgets are checked and taken by the admission script (EVALSHA, loaded when the connection
// opens), one round trip per admitted request.
//
// Why this shape: the shard thread must never block, so the link is an Asio socket the shard owns, on
// the shard's own io_context. Commands are written as RESP into one reused buffer and replies parsed by
// hiredis's reader (redisReader), the same protocol code as the blocking store uses; hiredis's own
// sockets and its async adapter (libevent/libev) would need a second event loop. Replies come back in
// the order commands were sent, so a FIFO of waiters is enough; the waiting coroutine sleeps on a timer
// of its own (one per connection, reused) that the reply cancels. Everything here runs on the shard's
// thread; only fleet_health is shared.
//
// rediss://: the link's socket is the local end of a TLS tunnel (redis_tls_tunnel.h) whose own thread
// does the handshake and the encryption; the host is resolved here (Asio) and the tunnel given the
// address, so nothing on the shard's thread waits for DNS, the handshake or the network.
//
// When Redis cannot be reached, an admission answers `unavailable` at once (never queued), and the link
// reconnects with backoff (50 ms doubling to 2 s). A reply slower than the request timeout also counts
// as unavailable and the connection is dropped and reopened.
#include <utility>  // boost 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "governance/store/fleet_limits.h"
#include "governance/store/redis_store.h"
#include "governance/store/redis_tls_tunnel.h"

struct redisReader;

namespace sluice::gateway {

// Whether the shards can reach Redis, as /readyz and admissions see it: the last connection event of
// any link wins (a link that connects says up, one that fails says down).
class fleet_health {
 public:
  void set(bool up, std::string_view why = {}) noexcept;
  [[nodiscard]] bool up() const noexcept { return up_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> up_{true};  // at start-up the configuration loader has just reached Redis
};

// A FIFO that keeps its storage (a std::deque allocates and frees blocks as it moves along): the
// commands a link has in flight, oldest first. Grows by doubling, never shrinks.
template <typename T>
class ring_queue {
 public:
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  void push_back(const T& item) {
    if (size_ == items_.size()) {
      grow();
    }
    items_[(head_ + size_) % items_.size()] = item;
    ++size_;
  }
  [[nodiscard]] T& front() noexcept { return items_[head_]; }
  void pop_front() noexcept {
    head_ = (head_ + 1) % items_.size();
    --size_;
  }
  void clear() noexcept {
    head_ = 0;
    size_ = 0;
  }
  template <typename F>
  void for_each(F&& f) {
    for (std::size_t i = 0; i < size_; ++i) {
      f(items_[(head_ + i) % items_.size()]);
    }
  }

 private:
  void grow() {
    std::vector<T> bigger(std::max<std::size_t>(16, items_.size() * 2));
    for (std::size_t i = 0; i < size_; ++i) {
      bigger[i] = items_[(head_ + i) % items_.size()];
    }
    items_.swap(bigger);
    head_ = 0;
  }

  std::vector<T> items_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

class fleet_link {
 public:
  fleet_link(boost::asio::io_context& ioc, redis_target target, std::shared_ptr<fleet_health> health);
  ~fleet_link();
  fleet_link(const fleet_link&) = delete;
  fleet_link& operator=(const fleet_link&) = delete;

  // Checks and takes `request` in Redis. `timer` belongs to the caller (its executor the shard's) and
  // is used to wait; any previous wait on it is cancelled. Never throws; `unavailable` when Redis cannot
  // answer in time.
  boost::asio::awaitable<fleet_verdict> admit(const fleet_admit_request& request, boost::asio::steady_timer& timer);

  [[nodiscard]] bool ready() const noexcept { return state_ == state::ready; }

 private:
  enum class state : std::uint8_t { idle, connecting, ready };
  struct waiter {
    boost::asio::steady_timer* timer = nullptr;
    fleet_verdict verdict;
    bool done = false;
  };
  enum class expect : std::uint8_t { ok, script_sha, verdict };
  struct pending {
    expect kind = expect::ok;
    waiter* wait = nullptr;  // null: nobody waits any more
  };

  void connect();
  void connect_tls(const boost::asio::ip::tcp::endpoint& to);
  void on_connected();
  void fail(std::string_view why) noexcept;
  void schedule_reconnect();
  void flush_writes();
  void read_more();
  // False when the reply broke the protocol (the connection is dropped).
  bool on_reply(void* reply);
  void abandon(waiter* w) noexcept;
  void wake_waiting_for_ready() noexcept;

  boost::asio::io_context& ioc_;
  const redis_target target_;
  const std::shared_ptr<fleet_health> health_;
  boost::asio::ip::tcp::resolver resolver_;
  // TCP to Redis, or (rediss://) the local end of tunnel_.
  boost::asio::generic::stream_protocol::socket socket_;
  redis_tls_context tls_context_;            // rediss://: made once, shared by every tunnel
  std::string tls_context_error_;            // why it could not be made (every connection fails)
  std::unique_ptr<redis_tls_tunnel> tunnel_;  // rediss://: the current connection's
  boost::asio::steady_timer reconnect_timer_;
  std::int64_t backoff_ms_ = 50;
  state state_ = state::idle;
  std::uint64_t epoch_ = 0;  // bumped on every (re)connection: late handlers of an old one do nothing
  redisReader* reader_ = nullptr;
  std::string script_sha_;
  ring_queue<pending> pending_;
  // Admissions that arrived while the first connection was still being made: they wait for it (up to
  // the request timeout) rather than fail while the replica starts. After a failure nobody waits.
  std::vector<waiter*> waiting_for_ready_;
  bool ever_ready_ = false;
  std::string out_;        // commands not yet handed to a write
  std::string writing_;    // the bytes of the write in progress
  bool write_busy_ = false;
  std::array<char, 16384> in_{};
  std::string scratch_;    // key names, reused
  // Destroyed first: lets handlers still queued see that the link is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sluice::gateway
