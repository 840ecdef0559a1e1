#pragma once
// What `sluice scan` reads and how it shows how far it got: a file (or stdin) read in large blocks
// straight from its descriptor, never held whole, and a progress line on stderr.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace sluice::cli {

class block_input {
 public:
  // Opens `path` ("-": stdin). ok() says whether it could be opened.
  explicit block_input(const std::string& path);
  ~block_input();
  block_input(const block_input&) = delete;
  block_input& operator=(const block_input&) = delete;

  [[nodiscard]] bool ok() const noexcept { return fd_ >= 0; }
  // The size of a regular file, 0 when unknown (a pipe, a terminal).
  [[nodiscard]] std::uint64_t size() const noexcept { return size_; }
  // The first byte without consuming it (-1 at the end of the input or on error).
  [[nodiscard]] int peek();
  // Up to `max` bytes: the count read, 0 at the end of the input, -1 on error (errno kept).
  [[nodiscard]] std::ptrdiff_t read(char* dst, std::size_t max);

 private:
  int fd_ = -1;
  bool owned_ = false;
  std::uint64_t size_ = 0;
  std::string peeked_;  // bytes read by peek() and not yet returned
};

// "\rname: 120.0 / 300.0 MB (40%), 0.35 GB/s" on stderr, at most ten times a second; finish() ends the line.
class progress_meter {
 public:
  progress_meter(bool enabled, std::string name, std::uint64_t total) noexcept;
  void update(std::uint64_t done);
  void finish();

 private:
  bool enabled_;
  std::string name_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool shown_ = false;
};

}  // namespace sluice::cli
