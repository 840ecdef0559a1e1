#include "nginx_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace sluice::bench {

namespace {

// A port no one listens on right now (the kernel's choice), for nginx, whose configuration must name one.
std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  std::uint16_t port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  if (fd >= 0) {
    ::close(fd);
  }
  if (port == 0) {
    throw std::runtime_error("nginx baseline: no free port on 127.0.0.1");
  }
  return port;
}

}  // namespace

bool accepts_connections(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    return false;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}


std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return ::access(name.c_str(), X_OK) == 0 ? name : std::string();
  }
  std::string path = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  path += ":/usr/sbin:/usr/local/sbin";  // nginx lives in sbin, often outside a user's PATH
  std::stringstream dirs(path);
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) {
      continue;
    }
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return {};
}

std::string nginx_config(const nginx_settings& s, std::uint16_t port) {
  const std::string d = s.dir.string();
  std::ostringstream c;
  c << "daemon off;\n"
    << "worker_processes " << s.workers << ";\n"
    << "pid " << d << "/nginx.pid;\n"
    << "error_log stderr warn;\n"
    << "events { worker_connections 4096; }\n"
    << "http {\n"
    << "  access_log off;\n"
    << "  client_body_temp_path " << d << "/client_body;\n"
    << "  proxy_temp_path " << d << "/proxy;\n"
    << "  fastcgi_temp_path " << d << "/fastcgi;\n"
    << "  uwsgi_temp_path " << d << "/uwsgi;\n"
    << "  scgi_temp_path " << d << "/scgi;\n"
    << "  upstream simulator { server 127.0.0.1:" << s.upstream_port << "; keepalive 64; }\n"
    << "  server {\n"
    << "    listen 127.0.0.1:" << port << " reuseport;\n"
    << "    keepalive_requests 1000000;\n"
    << "    client_max_body_size 64m;\n"
    << "    client_body_buffer_size 64m;\n"
    << "    location / {\n"
    << "      proxy_pass http://simulator;\n"
    << "      proxy_http_version 1.1;\n"
    << "      proxy_set_header Connection \"\";\n"
    << "      proxy_buffering off;\n"
    << "      proxy_request_buffering on;\n"
    << "    }\n"
    << "  }\n"
    << "}\n";
  return c.str();
}

nginx_proxy::nginx_proxy(const nginx_settings& settings) {
  const std::string program = find_program(settings.program);
  if (program.empty()) {
    throw std::runtime_error("nginx baseline: '" + settings.program +
                             "' is not installed (Debian: apt-get install nginx-light)");
  }
  std::filesystem::create_directories(settings.dir);
  port_ = free_port();
  const auto conf = settings.dir / "nginx.conf";
  std::ofstream(conf) << nginx_config(settings, port_);
  // -e: the early error log too, which otherwise goes to a system path before the configuration is read.
  process_ = std::make_unique<child_process>(std::vector<std::string>{
      program, "-p", settings.dir.string(), "-c", conf.string(), "-e", "stderr"});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts_connections(port_)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("nginx baseline: not accepting on 127.0.0.1:" + std::to_string(port_) +
                               " after 10 s; its output:\n" + process_->log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace sluice::bench
