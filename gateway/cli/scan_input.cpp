#include "scan_input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace sluice::cli {

block_input::block_input(const std::string& path) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    owned_ = fd_ >= 0;
  }
  struct stat st {};
  if (fd_ >= 0 && ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode)) {
    size_ = static_cast<std::uint64_t>(st.st_size);
#ifdef POSIX_FADV_SEQUENTIAL
    (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  }
}

block_input::~block_input() {
  if (owned_) {
    ::close(fd_);
  }
}

int block_input::peek() {
  if (peeked_.empty()) {
    char c = 0;
    const std::ptrdiff_t n = read(&c, 1);
    if (n <= 0) {
      return -1;
    }
    peeked_.assign(1, c);
  }
  return static_cast<unsigned char>(peeked_[0]);
}

std::ptrdiff_t block_input::read(char* dst, std::size_t max) {
  if (max == 0) {
    return 0;
  }
  if (!peeked_.empty()) {
    const std::size_t n = std::min(max, peeked_.size());
    std::memcpy(dst, peeked_.data(), n);
    peeked_.erase(0, n);
    return static_cast<std::ptrdiff_t>(n);
  }
  // Fill as much of `dst` as the input gives: fewer, larger chunks for the scanners.
  std::size_t got = 0;
  while (got < max) {
    const ssize_t n = ::read(fd_, dst + got, max - got);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return got > 0 ? static_cast<std::ptrdiff_t>(got) : -1;
    }
    if (n == 0) {
      break;
    }
    got += static_cast<std::size_t>(n);
  }
  return static_cast<std::ptrdiff_t>(got);
}

progress_meter::progress_meter(bool enabled, std::string name, std::uint64_t total) noexcept
    : enabled_(enabled), name_(std::move(name)), total_(total), start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void progress_meter::update(std::uint64_t done) {
  done_ = done;
  if (!enabled_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(100)) {
    return;
  }
  last_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double gbps = seconds > 0 ? static_cast<double>(done) / seconds / 1e9 : 0;
  if (total_ > 0) {
    std::fprintf(stderr, "\r%s: %.1f / %.1f MB (%d%%), %.2f GB/s   ", name_.c_str(), static_cast<double>(done) / 1e6,
                 static_cast<double>(total_) / 1e6,
                 static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total_)), gbps);
  } else {
    std::fprintf(stderr, "\r%s: %.1f MB, %.2f GB/s   ", name_.c_str(), static_cast<double>(done) / 1e6, gbps);
  }
  shown_ = true;
}

void progress_meter::finish() {
  if (shown_) {
    last_ = {};
    update(done_);
    std::fputc('\n', stderr);
  }
}

}  // namespace sluice::cli
