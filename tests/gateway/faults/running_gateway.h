#pragma once
// Test support for fault injection: `sluice gateway run` as a child process (so that it can be killed
// with SIGKILL, its memory read from /proc and its file descriptors kept apart from the test's), in
// front of an in-process upstream simulator the tests steer with SIM_* directives.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "gateway_harness.h"

namespace sluice::gateway::testing {

class running_gateway {
 public:
  // `sections`: YAML after the providers section (policies:, server:, governance:), where @DIR@ names
  // the test's temporary directory. `target_extra`: lines added to the simulator target (6 spaces).
  running_gateway(std::string sections, std::string target_extra = {}, unsigned threads = 1,
                  simulator_options sim = {});
  ~running_gateway();
  running_gateway(const running_gateway&) = delete;
  running_gateway& operator=(const running_gateway&) = delete;

  // Starts the process and waits (at most 30 s) until it listens. Throws when it cannot start.
  void start();
  // Sends `signal` and waits (at most 20 s) for the process to end; returns its exit status or -signal.
  int stop(int signal);
  [[nodiscard]] bool alive() const;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::uint16_t admin_port() const noexcept { return admin_port_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_.path; }
  [[nodiscard]] upstream_simulator& sim() { return *sim_; }
  // The process's resident set size in KiB (VmRSS from /proc/<pid>/status); 0 if unreadable.
  [[nodiscard]] long rss_kib() const;
  // What the process printed on stderr so far.
  [[nodiscard]] std::string output() const;

  // A normal client: POST /v1/messages with a small prompt on a new connection.
  [[nodiscard]] http_reply normal_request(const header_list& headers = {}) const;

 private:
  temp_dir dir_;
  std::unique_ptr<upstream_simulator> sim_;
  std::filesystem::path config_path_;
  std::filesystem::path log_path_;
  unsigned threads_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t admin_port_ = 0;
  int starts_ = 0;
  std::string log_path_current_;
};

// A raw HTTP/1.1 POST /v1/messages with `body`, `Connection: close`.
std::string raw_post(const std::string& body, const std::string& path = "/v1/messages",
                     const std::string& extra_headers = {});

// A client socket on loopback that stays open until destroyed (for idle and slow clients).
class raw_client {
 public:
  explicit raw_client(std::uint16_t port);
  ~raw_client();
  raw_client(const raw_client&) = delete;
  raw_client& operator=(const raw_client&) = delete;
  [[nodiscard]] bool connected() const noexcept { return fd_ >= 0; }
  bool send(std::string_view bytes);
  // Reads what arrives within `wait` (until the peer closes or the time passes).
  std::string read_for(std::chrono::milliseconds wait);
  // Reads until `needle` has arrived, the peer closes or `wait` passes.
  std::string read_until(std::string_view needle, std::chrono::milliseconds wait);
  // True when the peer has closed the connection (read returns 0 or an error) within `wait`.
  bool closed_within(std::chrono::milliseconds wait);
  void close();

 private:
  int fd_ = -1;
};

// Raises this process's soft limit of open files towards `wanted` (never above the hard limit);
// returns the soft limit in force afterwards.
std::uint64_t raise_open_file_limit(std::uint64_t wanted);

}  // namespace sluice::gateway::testing
