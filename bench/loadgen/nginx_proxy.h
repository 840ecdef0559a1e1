#pragma once
// nginx as a bare reverse proxy in a process of its own, the baseline `sluice-bench overhead --baseline
// nginx` measures the gateway against: the same two hops (client -> proxy -> simulator) with no policy
// work, so "gateway added / nginx added" is the price of Sluice itself, measured in one run.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "child_process.h"

namespace sluice::bench {

struct nginx_settings {
  std::string program = "nginx";  // a name looked up in PATH (and /usr/sbin), or a path
  unsigned workers = 1;           // as many as the gateway has shards, for a like-for-like comparison
  std::uint16_t upstream_port = 0;
  std::filesystem::path dir;      // its configuration, pid file and temporary files go here
};

// The nginx.conf for `s` listening on 127.0.0.1:`port`: keep-alive to the upstream, no buffering of
// responses (streams pass event by event), bodies up to 64 MiB held in memory, no access log.
[[nodiscard]] std::string nginx_config(const nginx_settings& s, std::uint16_t port);

// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
[[nodiscard]] bool accepts_connections(std::uint16_t port);

// The program's full path, or empty when it is not installed.
[[nodiscard]] std::string find_program(const std::string& name);

class nginx_proxy {
 public:
  // Starts nginx and waits until it accepts connections. Throws std::runtime_error (with nginx's own
  // messages) when it is not installed or does not come up within 10 s.
  explicit nginx_proxy(const nginx_settings& settings);
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

 private:
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

}  // namespace sluice::bench
