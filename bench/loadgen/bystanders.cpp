// Idle and slowloris clients beside a load run (see bystanders.h).
#include "bystanders.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace sluice::bench {
namespace {

constexpr std::string_view slow_head =
    "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Slowloris: "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

void raise_open_files(std::size_t wanted) {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < wanted) {
    r.rlim_cur = std::min<rlim_t>(wanted, r.rlim_max);
    (void)::setrlimit(RLIMIT_NOFILE, &r);
  }
}

// True when the server closed the connection (or sent something: a 408 before its close).
bool closed_by_server(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) <= 0) {
    return false;
  }
  char buf[4096];
  return ::recv(fd, buf, sizeof buf, MSG_DONTWAIT) >= 0;  // 0: closed; > 0: its answer, the close follows
}

}  // namespace

bystanders::bystanders(const std::string& host, std::uint16_t port, std::size_t idle, std::size_t slow)
    : host_(host), port_(port) {
  raise_open_files(idle + slow + 1024);
  for (std::size_t i = 0; i < idle; ++i) {
    const int fd = connect_one();
    if (fd < 0) {
      break;
    }
    idle_.push_back(fd);
  }
  idle_open_ = idle_.size();
  for (std::size_t i = 0; i < slow; ++i) {
    slow_.push_back(connect_one());
    slow_sent_.push_back(0);
  }
  thread_ = std::thread([this] { run(); });
}

bystanders::~bystanders() {
  stop_ = true;
  if (thread_.joinable()) {
    thread_.join();
  }
  for (const int fd : idle_) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
  for (const int fd : slow_) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

int bystanders::connect_one() const {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return -1;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port_);
  if (::inet_pton(AF_INET, host_.c_str(), &addr.sin_addr) != 1 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void bystanders::run() {
  using namespace std::chrono_literals;
  auto next_tick = std::chrono::steady_clock::now();
  while (!stop_) {
    // Once a second: one more byte from every slow client; reopen what the server closed.
    for (std::size_t i = 0; i < slow_.size(); ++i) {
      if (slow_[i] >= 0 && closed_by_server(slow_[i])) {
        ::close(slow_[i]);
        slow_[i] = -1;
      }
      if (slow_[i] < 0) {
        slow_[i] = connect_one();
        slow_sent_[i] = 0;
        reopened_.fetch_add(1);
      }
      if (slow_[i] >= 0 && slow_sent_[i] < slow_head.size()) {
        if (::send(slow_[i], slow_head.data() + slow_sent_[i], 1, MSG_NOSIGNAL) == 1) {
          ++slow_sent_[i];
        }
      }
    }
    for (int& fd : idle_) {
      if (fd >= 0 && closed_by_server(fd)) {
        ::close(fd);
        fd = connect_one();
        reopened_.fetch_add(1);
      }
    }
    next_tick += 1s;
    while (!stop_ && std::chrono::steady_clock::now() < next_tick) {
      std::this_thread::sleep_for(20ms);
    }
  }
}

}  // namespace sluice::bench
