// The child-process gateway of the fault-injection tests (see running_gateway.h).
#include "faults/running_gateway.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace sluice::gateway::testing {

using clock_type = std::chrono::steady_clock;

running_gateway::running_gateway(std::string sections, std::string target_extra, unsigned threads,
                                 simulator_options sim)
    : threads_(threads) {
  ::setenv("SLUICE_GATEWAY_TEST_KEY", "test-upstream-key", 1);
  sim_ = std::make_unique<upstream_simulator>(std::move(sim));
  sim_->start();
  std::string cfg = "providers:\n  targets:\n";
  cfg += "    - id: sim\n";
  cfg += "      provider: anthropic:chat:claude-sim-1\n";
  cfg += "      base_url: http://127.0.0.1:" + std::to_string(sim_->port()) + "\n";
  cfg += "      secret_key_ref:\n        env: SLUICE_GATEWAY_TEST_KEY\n";
  cfg += "      default_max_tokens: 64\n";
  cfg += "      retry:\n        max_attempts: 2\n        backoff_ms: 1\n        max_backoff_ms: 5\n";
  cfg += target_extra;
  cfg += sections;
  for (std::size_t pos; (pos = cfg.find("@DIR@")) != std::string::npos;) {
    cfg.replace(pos, 5, dir_.path.string());
  }
  config_path_ = dir_.path / "gateway.yaml";
  std::ofstream(config_path_) << cfg;
  log_path_ = dir_.path / "gateway.log";
  start();
}

running_gateway::~running_gateway() {
  if (alive()) {
    stop(SIGTERM);
  }
  if (alive()) {
    stop(SIGKILL);
  }
  sim_->stop();
}

void running_gateway::start() {
  ++starts_;
  const std::string log = log_path_.string() + "." + std::to_string(starts_);
  std::vector<std::string> args = {SLUICE_BINARY_PATH, "gateway", "run", "--listen", "127.0.0.1:0",
                                   "--threads", std::to_string(threads_), "--policy-config", config_path_.string(),
                                   "--admin-listen", "127.0.0.1:0"};
  std::vector<char*> argv;
  for (auto& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  // fork + exec rather than posix_spawn: the child asks to be killed when the test process dies, so
  // an interrupted test never leaves a gateway behind.
  const pid_t parent = ::getpid();
  pid_ = ::fork();
  if (pid_ == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(127);
    }
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid_ < 0) {
    throw std::runtime_error("cannot start " + std::string(SLUICE_BINARY_PATH));
  }
  log_path_current_ = log;
  const std::regex listening(R"(listening on 127\.0\.0\.1:(\d+))");
  const std::regex admin(R"(admin API listening on port (\d+))");
  const auto until = clock_type::now() + std::chrono::seconds(30);
  while (clock_type::now() < until) {
    const std::string text = output();
    std::smatch m;
    if (std::regex_search(text, m, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      std::smatch a;
      // The admin line follows the listening line at once when governance has an admin API.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      const std::string again = output();
      admin_port_ = std::regex_search(again, a, admin) ? static_cast<std::uint16_t>(std::stoi(a[1])) : 0;
      return;
    }
    if (!alive()) {
      throw std::runtime_error("the gateway exited before listening:\n" + text);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop(SIGKILL);
  throw std::runtime_error("the gateway did not listen within 30 s:\n" + output());
}

int running_gateway::stop(int signal) {
  if (pid_ <= 0) {
    return 0;
  }
  ::kill(pid_, signal);
  const auto until = clock_type::now() + std::chrono::seconds(20);
  int status = 0;
  while (clock_type::now() < until) {
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -SIGKILL;
}

bool running_gateway::alive() const {
  if (pid_ <= 0) {
    return false;
  }
  int status = 0;
  return ::waitpid(pid_, &status, WNOHANG) == 0;
}

long running_gateway::rss_kib() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) {
      return std::strtol(line.c_str() + 6, nullptr, 10);
    }
  }
  return 0;
}

std::string running_gateway::output() const {
  std::ifstream in(log_path_current_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

http_reply running_gateway::normal_request(const header_list& headers) const {
  return http_call(port_, "POST", "/v1/messages", messages_body("a normal client asks"), headers);
}

std::string raw_post(const std::string& body, const std::string& path, const std::string& extra_headers) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + extra_headers +
         "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

raw_client::raw_client(std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    return;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

raw_client::~raw_client() { close(); }

void raw_client::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool raw_client::send(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return fd_ >= 0;
}

std::string raw_client::read_until(std::string_view needle, std::chrono::milliseconds wait) {
  std::string out;
  const auto until = clock_type::now() + wait;
  char buf[16384];
  while (fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock_type::now()).count();
    if (left <= 0) {
      break;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) {
      break;
    }
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
    if (!needle.empty() && out.find(needle) != std::string::npos) {
      break;
    }
  }
  return out;
}

std::string raw_client::read_for(std::chrono::milliseconds wait) { return read_until({}, wait); }

bool raw_client::closed_within(std::chrono::milliseconds wait) {
  const auto until = clock_type::now() + wait;
  char buf[4096];
  while (fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - clock_type::now()).count();
    if (left <= 0) {
      return false;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left)) <= 0) {
      return false;
    }
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      return true;
    }
  }
  return true;
}

std::uint64_t raise_open_file_limit(std::uint64_t wanted) {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) != 0) {
    return 0;
  }
  if (r.rlim_cur < wanted) {
    r.rlim_cur = std::min<rlim_t>(wanted, r.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &r);
    ::getrlimit(RLIMIT_NOFILE, &r);
  }
  return r.rlim_cur;
}

}  // namespace sluice::gateway::testing
