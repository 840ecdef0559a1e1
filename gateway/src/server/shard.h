#pragma once
// One shard: a thread's io_context, acceptor, configuration generation (with its scanner), parsers,
// upstream pool and keys, metrics and audit buffer, lent to model calls through one call_context.
// Everything here is touched only by the shard's own thread, except `metrics` (read by a /metrics
// scrape on any shard) and `install`, which other threads reach by posting to `ioc`.
#include <simdjson.h>

#include <memory>
#include <optional>
#include <vector>

#include "dialects/openai/openai_request.h"
#include "dialects/openai/openai_response.h"
#include "http/asio_types.h"
#include "pipeline/call_context.h"
#include "pipeline/config_generation.h"
#include "pipeline/metrics.h"
#include "sluice/engine/scanner.h"
#include "upstream/upstream_client.h"
#include "upstream/upstream_keys.h"

namespace sluice::gateway {

class shard {
 public:
  shard(unsigned index, std::shared_ptr<net::ssl::context> tls, const std::vector<std::unique_ptr<shard>>& all);
  // Destroys the io_context (and with it the coroutine frames of sessions still open) while every
  // other member is still alive.
  ~shard();

  // Replaces the state (on this shard's thread). Requests in flight keep the state they hold.
  void install(std::shared_ptr<const config_generation> rt);
  // Hands buffered audit lines to the writer thread.
  void flush_audit() noexcept;
  void start_audit_timer();

  unsigned index_;
  std::unique_ptr<net::io_context> ioc_holder_ = std::make_unique<net::io_context>(1);
  net::io_context& ioc_ = *ioc_holder_;
  std::optional<tcp::acceptor> acceptor_;
  std::shared_ptr<shard_generation> state_;
  upstream_pool pool_;
  upstream_keys keys_;
  shard_metrics metrics_;
  simdjson::ondemand::parser request_parser_;
  simdjson::ondemand::parser response_parser_;
  openai_request_translator openai_request_;
  openai_response_translator openai_response_;
  engine::scan_result scan_result_;
  // Request records waiting for flush_audit; handed to the audit log's writer whole, in one swap.
  static constexpr std::size_t audit_buffer_reserve = 64 * 1024;
  std::string audit_buffer_;
  std::optional<net::steady_timer> audit_timer_;
  request_ids request_ids_;
  bool draining_ = false;
  std::uint64_t open_sessions_ = 0;
  std::uint64_t active_requests_ = 0;
  const std::vector<std::unique_ptr<shard>>& all_;
  // The connection to a shared governance store, made when the first generation with one is
  // installed (the governance service, and so its store, is kept across reloads).
  std::unique_ptr<fleet_link> fleet_;
  // What this shard lends every model call (after the members it refers to).
  const call_context context_;
};

// Serves one client connection until it closes (session.cpp).
awaitable<void> run_session(shard& sh, tcp::socket socket);

}  // namespace sluice::gateway
