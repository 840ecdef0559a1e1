// Per-shard state management: installing a configuration generation, upstream keys, audit batches.
#include "server/shard.h"

#include <fstream>
#include <sstream>

namespace sluice::gateway {

shard::shard(unsigned index, std::shared_ptr<net::ssl::context> tls, const std::vector<std::unique_ptr<shard>>& all)
    : index_(index), pool_(ioc_.get_executor(), std::move(tls)), all_(all) {
  audit_timer_.emplace(ioc_);
  audit_buffer_.reserve(64 * 1024);
}

shard::~shard() {
  audit_timer_.reset();
  acceptor_.reset();
  pool_.clear();
  ioc_holder_.reset();
}

void shard::install(std::shared_ptr<const gateway_runtime> rt) {
  flush_audit();
  state_ = std::make_shared<shard_state>(std::move(rt));
  secrets_.assign(state_->rt->config->targets.size(), cached_secret{});
  pool_.clear();  // targets may have moved
}

const std::string* shard::secret_for(std::size_t i, std::string& error) {
  const auto& targets = state_->rt->config->targets;
  if (i >= targets.size() || i >= secrets_.size()) {
    error = "no such target";
    return nullptr;
  }
  const secret_ref& ref = targets[i].secret;
  cached_secret& c = secrets_[i];
  const auto now = std::chrono::steady_clock::now();
  if (c.loaded && (ref.file.empty() || now - c.checked < std::chrono::seconds(1))) {
    if (c.value.empty()) {
      error = c.error;
      return nullptr;
    }
    return &c.value;
  }
  c.checked = now;
  if (!ref.file.empty()) {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(ref.file, ec);
    if (c.loaded && !ec && mtime == c.mtime && !c.value.empty()) {
      return &c.value;
    }
    c.mtime = mtime;
  }
  c.loaded = true;
  try {
    c.value = read_secret(ref);
    c.error.clear();
  } catch (const std::exception& e) {
    c.value.clear();
    c.error = e.what();
    error = c.error;
    return nullptr;
  }
  return &c.value;
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
