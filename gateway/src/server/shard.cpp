// Per-shard state management: installing a configuration generation, the call context, audit batches.
#include "server/shard.h"

#include "governance/governance_service.h"


namespace sluice::gateway {

shard::shard(unsigned index, std::shared_ptr<net::ssl::context> tls, const std::vector<std::unique_ptr<shard>>& all)
    : index_(index),
      pool_(ioc_.get_executor(), std::move(tls)),
      request_ids_(index),
      all_(all),
      context_{state_,          pool_,           keys_,        metrics_,       request_parser_, response_parser_,
               openai_request_, openai_response_, scan_result_, audit_buffer_, request_ids_, fleet_} {
  audit_timer_.emplace(ioc_);
  audit_buffer_.reserve(audit_buffer_reserve);
}

shard::~shard() {
  audit_timer_.reset();
  acceptor_.reset();
  pool_.clear();
  fleet_.reset();  // its socket and timers belong to the io_context
  ioc_holder_.reset();
}

void shard::install(std::shared_ptr<const config_generation> rt) {
  flush_audit();
  state_ = std::make_shared<shard_generation>(std::move(rt));
  keys_.reset(state_->rt->config->targets.size());
  pool_.clear();  // targets may have moved
  if (!fleet_ && state_->rt->access) {
    fleet_ = state_->rt->access->make_fleet_link(ioc_);
  }
}

void shard::flush_audit() noexcept {
  if (audit_buffer_.empty() || !state_ || !state_->rt->audit) {
    return;
  }
  // One record per line (the fields of a JSON object without braces); the whole buffer goes to the
  // audit log's writer in one swap, which splits and chains the records off this thread. The buffer
  // that comes back is an earlier batch's, emptied, so appending records keeps reusing memory.
  state_->rt->audit->hand_over(audit_buffer_, "request");
  if (audit_buffer_.capacity() < audit_buffer_reserve) {
    audit_buffer_.reserve(audit_buffer_reserve);  // only until the writer has a buffer to give back
  }
}

void shard::start_audit_timer() {
  auto interval = std::chrono::milliseconds(200);
  if (state_) {
    if (const auto& log = state_->rt->config->audit_log) {
      interval = log->flush_interval;
    }
  }
  audit_timer_->expires_after(interval);
  audit_timer_->async_wait([this](const error_code& ec) {
    if (ec) {
      return;
    }
    flush_audit();
    start_audit_timer();
  });
}

}  // namespace sluice::gateway
