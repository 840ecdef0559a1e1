// Per-shard state management: installing a configuration generation, the call context, audit batches.
#include "server/shard.h"


namespace sluice::gateway {

shard::shard(unsigned index, std::shared_ptr<net::ssl::context> tls, const std::vector<std::unique_ptr<shard>>& all)
    : index_(index),
      pool_(ioc_.get_executor(), std::move(tls)),
      request_ids_(index),
      all_(all),
      context_{state_,          pool_,           keys_,        metrics_,       request_parser_, response_parser_,
               openai_request_, openai_response_, scan_result_, audit_buffer_, request_ids_} {
  audit_timer_.emplace(ioc_);
  audit_buffer_.reserve(64 * 1024);
}

shard::~shard() {
  audit_timer_.reset();
  acceptor_.reset();
  pool_.clear();
  ioc_holder_.reset();
}

void shard::install(std::shared_ptr<const config_generation> rt) {
  flush_audit();
  state_ = std::make_shared<shard_generation>(std::move(rt));
  keys_.reset(state_->rt->config->targets.size());
  pool_.clear();  // targets may have moved
}

void shard::flush_audit() noexcept {
  if (audit_buffer_.empty() || !state_ || !state_->rt->audit) {
    return;
  }
  // One record per line (the fields of a JSON object without braces); the audit log chains them.
  std::string_view lines = audit_buffer_;
  while (!lines.empty()) {
    const auto end = lines.find('\n');
    const std::string_view record = lines.substr(0, end);
    if (!record.empty()) {
      state_->rt->audit->append("request", record);
    }
    if (end == std::string_view::npos) {
      break;
    }
    lines.remove_prefix(end + 1);
  }
  audit_buffer_.clear();
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
