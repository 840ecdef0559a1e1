// Failover across upstream targets (see failover.h).
#include "upstream/failover.h"

#include <algorithm>
#include <chrono>

namespace sluice::gateway {
namespace {

awaitable<void> sleep_for(std::chrono::milliseconds d) {
  net::steady_timer t(co_await net::this_coro::executor);
  t.expires_after(d);
  error_code ec;
  co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
}

}  // namespace

bool retryable_status(unsigned status) noexcept {
  return status == 429 || status == 529 || status == 500 || status == 502 || status == 503 || status == 504;
}

awaitable<failover_outcome> upstream_failover::run(upstream_pool& pool, upstream_keys& keys,
                                                   const failover_request& request, target_bodies& bodies,
                                                   std::optional<upstream_call>& call, const client_watch& watch) {
  target_ = 0;
  refused_status_ = 0;
  refused_content_type_.clear();
  refused_body_.clear();
  retry_after_ms_ = 0;
  failure_ = upstream_failure::connect;
  failure_message_ = "no upstream target is configured";
  counts_ = {};
  bool got = false;
  for (std::size_t ti = 0; ti < request.targets.size() && !got && !watch.client_gone(); ++ti) {
    const target_config& target = request.targets[ti];
    std::string key_error;
    const std::string* key = keys.key_for(ti, target.secret, key_error);
    if (key == nullptr) {
      failure_message_ = "upstream key for target " + target.id + " unavailable: " + key_error;
      continue;
    }
    const std::string_view body = bodies.body_for(ti);
    std::chrono::milliseconds backoff = target.retry.backoff;
    for (int attempt = 1; attempt <= target.retry.max_attempts && !watch.client_gone(); ++attempt) {
      call.emplace(pool, head_);
      const bool started = co_await call->start(target, request.path, *key, body, request.anthropic_beta);
      std::chrono::milliseconds wait = backoff;
      if (!started && call->interrupted()) {
        break;  // the client left: not an upstream failure
      }
      if (!started) {
        failure_ = call->failure();
        failure_message_ = "upstream " + target.id + ": " + call->failure_message();
        refused_status_ = 0;
        if (failure_ == upstream_failure::timeout) {
          ++counts_.timeouts;
        } else {
          ++counts_.connect_errors;
        }
        call.reset();
      } else if (retryable_status(call->status())) {
        refused_status_ = call->status();
        retry_after_ms_ = call->retry_after_ms();
        refused_content_type_.assign(sv(call->head()[http::field::content_type]));
        if (!co_await call->read_body(refused_body_, 1 << 20)) {
          refused_body_.clear();
        }
        call->finish();
        call.reset();
        ++counts_.retried;
        wait = std::max(wait, std::chrono::milliseconds(retry_after_ms_));
      } else {
        target_ = ti;
        got = true;
        break;
      }
      if (attempt < target.retry.max_attempts) {
        co_await sleep_for(std::min(wait, target.retry.max_backoff));
        backoff *= 2;
      }
    }
  }
  if (watch.client_gone()) {
    co_return failover_outcome::client_gone;
  }
  if (got) {
    co_return failover_outcome::answered;
  }
  co_return refused_status_ != 0 ? failover_outcome::refused : failover_outcome::failed;
}

}  // namespace sluice::gateway
