#pragma once
// Writes audit JSON lines to a file from its own thread. Shards collect lines in their own buffers and
// hand a whole batch over with submit() at most every flush interval, so the request path never waits on
// the disk or on a lock. `immutable` opens the file append-only and fsyncs each batch.
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sluice/gateway/config.h"

namespace sluice::gateway {

class audit_writer {
 public:
  // Opens (creates) the file. Throws std::runtime_error when it cannot be opened.
  explicit audit_writer(const audit_logger_options& options);
  ~audit_writer();  // writes what is pending, then closes
  audit_writer(const audit_writer&) = delete;
  audit_writer& operator=(const audit_writer&) = delete;

  // Queues a batch of complete lines ('\n'-terminated). Thread-safe; takes `batch`'s buffer.
  void submit(std::string&& batch);
  // Blocks until everything submitted so far is written.
  void flush();

  [[nodiscard]] const audit_logger_options& options() const noexcept { return options_; }

 private:
  void run();

  audit_logger_options options_;
  int fd_ = -1;
  bool owns_fd_ = true;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable written_;
  std::vector<std::string> queue_;
  std::uint64_t submitted_ = 0;
  std::uint64_t done_ = 0;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace sluice::gateway
