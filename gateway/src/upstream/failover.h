#pragma once
// Failover across upstream targets: targets in order, each with its retry budget (exponential back-off,
// `retry-after` honoured, capped by max_backoff), for as long as the client is there. It knows targets,
// keys and HTTP statuses, not the exchange or its policies: the caller gives it the body for each
// target and reads the outcome. Retries happen only before the first byte of an answer is read.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "http/asio_types.h"
#include "sluice/gateway/config.h"
#include "upstream/client_watch.h"
#include "upstream/upstream_client.h"
#include "upstream/upstream_keys.h"

namespace sluice::gateway {

// The request body for each target (a target may add max_tokens or force its model).
class target_bodies {
 public:
  virtual ~target_bodies() = default;
  // The body for target `i`; valid until the next call.
  [[nodiscard]] virtual std::string_view body_for(std::size_t i) = 0;
};

struct failover_request {
  std::span<const target_config> targets;
  std::string_view path;            // "/v1/messages"
  std::string_view anthropic_beta;  // the client's anthropic-beta header; empty: none
};

enum class failover_outcome : std::uint8_t {
  answered,     // the call holds a response to pass on (2xx, or a status not worth retrying)
  client_gone,  // the client left while the upstream worked
  refused,      // the last attempt ended with a retryable status (429, 5xx): refused_*() hold it
  failed,       // no attempt got a response: failure() and failure_message() say why
};

// How attempts ended, for the caller's metrics.
struct failover_counts {
  std::uint32_t retried = 0;         // a retryable status
  std::uint32_t connect_errors = 0;  // no response: connection or protocol failure
  std::uint32_t timeouts = 0;        // no response in time
};

// Statuses worth another attempt: 429, 500, 502, 503, 504, 529.
[[nodiscard]] bool retryable_status(unsigned status) noexcept;

// One per connection; its buffers are reused by every request on it.
class upstream_failover {
 public:
  // Tries the targets until one answers, the client leaves (`watch`) or every attempt failed. `call`
  // holds the answering call afterwards (answered), and is what `watch` interrupts.
  awaitable<failover_outcome> run(upstream_pool& pool, upstream_keys& keys, const failover_request& request,
                                  target_bodies& bodies, std::optional<upstream_call>& call,
                                  const client_watch& watch);

  // answered: the index of the target that answered.
  [[nodiscard]] std::size_t target() const noexcept { return target_; }
  // refused: the last retryable answer (its body empty when it could not be read).
  [[nodiscard]] unsigned refused_status() const noexcept { return refused_status_; }
  [[nodiscard]] std::string_view refused_content_type() const noexcept { return refused_content_type_; }
  [[nodiscard]] std::string_view refused_body() const noexcept { return refused_body_; }
  [[nodiscard]] std::uint64_t retry_after_ms() const noexcept { return retry_after_ms_; }
  // failed: timeout, or connect (any other failure); the message names the target and the cause.
  [[nodiscard]] upstream_failure failure() const noexcept { return failure_; }
  [[nodiscard]] const std::string& failure_message() const noexcept { return failure_message_; }
  [[nodiscard]] const failover_counts& counts() const noexcept { return counts_; }

 private:
  std::string head_;  // the upstream request's head (upstream_call), reused
  std::size_t target_ = 0;
  unsigned refused_status_ = 0;
  std::string refused_content_type_;
  std::string refused_body_;
  std::uint64_t retry_after_ms_ = 0;
  upstream_failure failure_ = upstream_failure::connect;
  std::string failure_message_;
  failover_counts counts_;
};

}  // namespace sluice::gateway
