#pragma once
// A server started as a child process for a benchmark: its standard error is read until it announces
// the port it listens on ("... listening on http://127.0.0.1:PORT" or "... listening on HOST:PORT ..."),
// then drained in the background (last few KiB kept for diagnostics). The child runs in its own process
// group; the destructor stops that group: SIGTERM, then SIGKILL if it has not exited within 5 s.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sluice::bench {

class child_process {
 public:
  // Starts `argv` (argv[0] is a path) with `extra_env` ("NAME=value") added to this environment.
  // Throws std::runtime_error when it cannot be started.
  child_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // Waits until the child prints a line containing "listening on" and returns the port at the end of
  // its address; nullopt if the child exits or the time runs out first.
  [[nodiscard]] std::optional<std::uint16_t> wait_for_port(std::chrono::milliseconds timeout);
  // The tail of what the child wrote to standard error.
  [[nodiscard]] std::string log_tail() const;
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }

  // Parses the port out of an announcement line; exposed for tests.
  [[nodiscard]] static std::optional<std::uint16_t> port_in_line(const std::string& line);

 private:
  void drain();

  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::thread drainer_;
  mutable std::mutex mutex_;
  std::string tail_;
  std::vector<std::string> lines_;
  std::atomic<bool> eof_{false};
};

}  // namespace sluice::bench
