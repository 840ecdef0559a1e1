#pragma once
// Posts alert JSON to the configured webhook from its own thread, so a slow receiver never delays
// the usage writer. Bounded queue: beyond 1000 waiting alerts new ones are dropped (and counted).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>

namespace sluice::gateway {

class alert_notifier {
 public:
  explicit alert_notifier(std::string url);  // empty url: notify() does nothing
  ~alert_notifier();
  void notify(std::string json);

 private:
  void run();
  std::string url_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sluice::gateway
