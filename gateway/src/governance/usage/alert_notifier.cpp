#include "governance/usage/alert_notifier.h"

#include "sluice/gateway/http_client.h"

namespace sluice::gateway {

alert_notifier::alert_notifier(std::string url) : url_(std::move(url)) {
  if (!url_.empty()) {
    thread_ = std::thread([this] { run(); });
  }
}

alert_notifier::~alert_notifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void alert_notifier::notify(std::string json) {
  if (url_.empty()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= 1000) {
      return;
    }
    queue_.push_back(std::move(json));
  }
  cv_.notify_one();
}

void alert_notifier::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      return;  // stopping with nothing left
    }
    std::string body = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    // Best effort: a failed delivery is not retried (the alert is in the audit log regardless).
    (void)http_request("POST", url_, {{"content-type", "application/json"}}, body, std::chrono::seconds(2));
    lock.lock();
  }
}

}  // namespace sluice::gateway
