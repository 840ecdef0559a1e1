#pragma once
// The shard's client for upstream APIs: a keep-alive pool of plain or TLS connections per target
// (certificates verified against the system store, SNI set), and one upstream_call per attempt that
// sends a request, reads the response head, then the body whole or piece by piece. Every step has its
// own deadline (connect, header, idle between reads, total).
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/asio_types.h"
#include "sluice/gateway/config.h"

namespace sluice::gateway {

class upstream_connection {
 public:
  upstream_connection(net::any_io_executor executor, net::ssl::context* tls);
  [[nodiscard]] beast::tcp_stream& tcp() noexcept { return secure_ ? secure_->next_layer() : *plain_; }
  [[nodiscard]] bool is_tls() const noexcept { return secure_.has_value(); }
  std::optional<beast::tcp_stream> plain_;
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
  beast::flat_buffer buffer_;
  std::string pool_key_;
  bool reused_ = false;
};

class upstream_pool {
 public:
  upstream_pool(net::any_io_executor executor, std::shared_ptr<net::ssl::context> tls);
  // An idle connection to the target, or null. Not a coroutine: the common case (a pooled connection)
  // costs no coroutine frame.
  std::unique_ptr<upstream_connection> take_idle(const target_config& target);
  // A new connection to the target (resolve, connect, TLS handshake) within the connect timeout.
  awaitable<std::unique_ptr<upstream_connection>> connect(const target_config& target, error_code& ec);
  // Keeps a connection whose last response was read completely, for the next request.
  void release(std::unique_ptr<upstream_connection> c);
  void clear() noexcept { idle_.clear(); }

 private:
  net::any_io_executor executor_;
  std::shared_ptr<net::ssl::context> tls_;
  std::unordered_map<std::string, std::vector<std::unique_ptr<upstream_connection>>> idle_;
  std::unordered_map<std::string, tcp::resolver::results_type> resolved_;
  // The target's pool key ("https://host:port"), built in key_ and valid until the next call: a buffer
  // reused from request to request instead of a string made for each.
  const std::string& pool_key(const target_config& target);
  std::string key_;
};

// Makes the client TLS context: peer verification against the system's CA store.
[[nodiscard]] std::shared_ptr<net::ssl::context> make_client_tls_context();

enum class upstream_failure : std::uint8_t { none, connect, timeout, broken };

class upstream_call {
 public:
  // `head` holds the request head while the call lasts: a buffer its owner reuses from call to call.
  upstream_call(upstream_pool& pool, std::string& head) : pool_(pool), head_(head) {}
  ~upstream_call() { abort(); }

  // Sends POST base_path + path with the key and the Anthropic version, then reads the response head.
  // On failure returns false and failure() says why.
  awaitable<bool> start(const target_config& target, std::string_view path, std::string_view api_key,
                        std::string_view body, std::string_view anthropic_beta);
  [[nodiscard]] upstream_failure failure() const noexcept { return failure_; }
  [[nodiscard]] const std::string& failure_message() const noexcept { return failure_message_; }
  [[nodiscard]] unsigned status() const noexcept { return status_; }
  [[nodiscard]] const upstream_answer_head& head() const noexcept { return parser_->get().base(); }
  // `retry-after` in milliseconds (seconds or HTTP-date not supported: 0), or 0.
  [[nodiscard]] std::uint64_t retry_after_ms() const noexcept;

  // Reads the whole body into `out` (at most `limit` bytes).
  awaitable<bool> read_body(std::string& out, std::uint64_t limit);
  // Appends the next bytes of the body to `out` (everything already received, at least one read's
  // worth); false on failure. done() once the body has ended.
  awaitable<bool> read_some(std::string& out);
  [[nodiscard]] bool done() const noexcept { return parser_ && parser_->is_done(); }

  // Returns the connection to the pool when the exchange ended cleanly, else closes it.
  void finish() noexcept;
  void abort() noexcept;
  // For another handler on the same thread (the client went away): closes the connection's socket so
  // the operation in progress fails, and makes the call fail without retrying. The coroutine awaiting
  // the call still owns it and cleans up as after any failure.
  void interrupt() noexcept;
  [[nodiscard]] bool interrupted() const noexcept { return interrupted_; }

 private:
  void arm(std::chrono::milliseconds limit) noexcept;
  // Appends the body bytes already in the connection's buffer (no socket read); false on a parse error.
  bool take_buffered(std::string& out);
  bool interrupted_ = false;
  bool fail(upstream_failure f, const error_code& ec);

  upstream_pool& pool_;
  const target_config* target_ = nullptr;
  std::unique_ptr<upstream_connection> conn_;
  std::optional<upstream_answer_parser> parser_;
  std::string& head_;
  std::chrono::steady_clock::time_point deadline_;
  upstream_failure failure_ = upstream_failure::none;
  std::string failure_message_;
  unsigned status_ = 0;
  char chunk_[16 * 1024];
};

}  // namespace sluice::gateway
