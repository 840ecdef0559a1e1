// The audit log's writer thread: batches arrive from the shards, are written in order with write(2)
// (the file is opened O_APPEND, so concurrent writers never interleave inside a line) and fsynced when
// the log is immutable.
#include "sluice/gateway/audit_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace sluice::gateway {

audit_writer::audit_writer(const audit_logger_options& options) : options_(options) {
  if (options_.path == "-") {
    fd_ = STDOUT_FILENO;
    owns_fd_ = false;
  } else {
    fd_ = ::open(options_.path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd_ < 0) {
      throw std::runtime_error("cannot open audit log " + options_.path.string() + ": " + std::strerror(errno));
    }
  }
  thread_ = std::thread([this] { run(); });
}

audit_writer::~audit_writer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  if (owns_fd_) {
    ::close(fd_);
  }
}

void audit_writer::submit(std::string&& batch) {
  if (batch.empty()) {
    return;
  }
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(batch));
    ++submitted_;
  }
  wake_.notify_one();
}

void audit_writer::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  written_.wait(lock, [&] { return done_ >= target; });
}

void audit_writer::run() {
  std::vector<std::string> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) {
        return;
      }
      batch.swap(queue_);
    }
    for (const std::string& lines : batch) {
      const char* p = lines.data();
      std::size_t left = lines.size();
      while (left > 0) {
        const ssize_t n = ::write(fd_, p, left);
        if (n < 0) {
          if (errno == EINTR) {
            continue;
          }
          break;  // a full disk loses this batch; the gateway keeps serving
        }
        p += n;
        left -= static_cast<std::size_t>(n);
      }
    }
    if (options_.immutable && owns_fd_) {
      ::fdatasync(fd_);
    }
    {
      std::lock_guard lock(mutex_);
      done_ += batch.size();
    }
    batch.clear();
    written_.notify_all();
  }
}

}  // namespace sluice::gateway
