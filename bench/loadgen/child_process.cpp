#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstring>
#include <stdexcept>

extern char** environ;

namespace sluice::bench {

namespace {

constexpr std::size_t tail_limit = 8 * 1024;

}  // namespace

child_process::child_process(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  if (argv.empty()) {
    throw std::runtime_error("child_process: empty command");
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("child_process: pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 2);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    env_strings.emplace_back(*e);
  }
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& s : args) {
    argp.push_back(s.data());
  }
  argp.push_back(nullptr);

  // Its own process group, so that stopping it also stops anything it started (a shell's children).
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  const int rc = ::posix_spawn(&pid_, argp[0], &actions, &attributes, argp.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
  }
  stderr_fd_ = fds[0];
  drainer_ = std::thread([this] { drain(); });
}

child_process::~child_process() {
  if (pid_ > 0) {
    ::kill(-pid_, SIGTERM);
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 100 && !exited; ++i) {  // up to 5 s
      exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
      if (!exited) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    if (!exited) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    ::kill(-pid_, SIGKILL);  // anything of the group still holding the pipe open
  }
  if (drainer_.joinable()) {
    drainer_.join();  // the pipe reaches end of file once the child is gone
  }
  if (stderr_fd_ >= 0) {
    ::close(stderr_fd_);
  }
}

void child_process::drain() {
  char buf[4096];
  std::string partial;
  for (;;) {
    const ssize_t n = ::read(stderr_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    std::lock_guard lock(mutex_);
    tail_.append(buf, static_cast<std::size_t>(n));
    if (tail_.size() > tail_limit) {
      tail_.erase(0, tail_.size() - tail_limit);
    }
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t nl;
    while ((nl = partial.find('\n')) != std::string::npos) {
      if (lines_.size() < 64) {  // only the first lines matter (the announcement)
        lines_.push_back(partial.substr(0, nl));
      }
      partial.erase(0, nl + 1);
    }
    if (partial.size() > tail_limit) {
      partial.clear();
    }
  }
  eof_ = true;
}

std::optional<std::uint16_t> child_process::port_in_line(const std::string& line) {
  const auto at = line.find("listening on");
  if (at == std::string::npos) {
    return std::nullopt;
  }
  // The address is the next word ("http://127.0.0.1:8080/…" or "127.0.0.1:8080"); the port follows its
  // last ':'.
  const auto begin = line.find_first_not_of(' ', at + std::strlen("listening on"));
  if (begin == std::string::npos) {
    return std::nullopt;
  }
  std::string address = line.substr(begin, line.find_first_of(" \t,", begin) - begin);
  if (const auto scheme = address.find("://"); scheme != std::string::npos) {
    address.erase(0, scheme + 3);
  }
  if (const auto slash = address.find('/'); slash != std::string::npos) {
    address.resize(slash);
  }
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  unsigned port = 0;
  std::size_t digits = 0;
  for (std::size_t i = colon + 1; i < address.size() && std::isdigit(static_cast<unsigned char>(address[i])); ++i) {
    port = port * 10 + static_cast<unsigned>(address[i] - '0');
    ++digits;
    if (port > 65535) {
      return std::nullopt;
    }
  }
  if (digits == 0 || port == 0) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(port);
}

std::optional<std::uint16_t> child_process::wait_for_port(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t checked = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mutex_);
      for (; checked < lines_.size(); ++checked) {
        if (auto port = port_in_line(lines_[checked])) {
          return port;
        }
      }
    }
    if (eof_) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return std::nullopt;
}

std::string child_process::log_tail() const {
  std::lock_guard lock(mutex_);
  return tail_;
}

}  // namespace sluice::bench
