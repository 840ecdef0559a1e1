#pragma once
// A private redis-server for tests: started on a free loopback port with its own temp directory (no
// persistence unless asked, nothing shared with other tests or a system Redis) and stopped with the
// object. available() is false, with why(), when redis-server is not installed (scripts/install-deps.sh
// installs Debian's redis-server; tests skip with that message).
//
// With `tls`, the server listens for TLS only (rediss://): a throwaway CA and a server certificate for
// 127.0.0.1 and localhost are made with the openssl command in the server's directory (ca_file()), and
// a second, unrelated CA (other_ca_file()) for tests of a certificate that must not be trusted.
// available() is false when openssl is missing or redis-server was built without TLS.
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "governance/store/redis_store.h"

namespace sluice::gateway::testing {

class redis_test_server {
 public:
  // `password`: started with --requirepass when not empty. `persist`: an append-only file synced on
  // every write, so a killed and restarted server keeps what it acknowledged.
  explicit redis_test_server(std::string password = {}, bool persist = false, bool tls = false)
      : password_(std::move(password)), persist_(persist), tls_(tls) {
    const std::string binary = find_binary();
    if (binary.empty()) {
      why_ = "redis-server is not installed (scripts/install-deps.sh installs Debian's redis-server)";
      return;
    }
    if (tls_ && !make_certificates()) {
      why_ = "cannot make test certificates with the openssl command (is it installed?): " + read(file("openssl.log"));
      return;
    }
    for (int attempt = 0; attempt < 3 && pid_ <= 0; ++attempt) {
      port_ = free_port();
      start(binary);
      if (!wait_ready()) {
        stop();
      }
    }
    if (pid_ <= 0) {
      why_ = std::string(tls_ ? "redis-server did not start with TLS (built without it?)" : "redis-server did not start") +
             "; its log: " + log();
    }
  }
  ~redis_test_server() {
    stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  redis_test_server(const redis_test_server&) = delete;
  redis_test_server& operator=(const redis_test_server&) = delete;

  [[nodiscard]] bool available() const noexcept { return pid_ > 0; }
  [[nodiscard]] const std::string& why() const noexcept { return why_; }
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string url(int db = 0) const {
    return (tls_ ? "rediss://127.0.0.1:" : "redis://127.0.0.1:") + std::to_string(port_) + "/" + std::to_string(db);
  }
  // TLS servers: the CA that signed the server's certificate, and one that did not.
  [[nodiscard]] std::string ca_file() const { return file("ca.crt"); }
  [[nodiscard]] std::string other_ca_file() const { return file("other-ca.crt"); }
  // Kills the server (SIGKILL: no save, connections reset), as a crash or a failover would.
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  // Stops the server without closing anything (SIGSTOP: connections stay open, nothing answers), as a
  // hung or swapping Redis would; resume() lets it go on.
  void pause() {
    if (pid_ > 0) {
      ::kill(pid_, SIGSTOP);
    }
  }
  void resume() {
    if (pid_ > 0) {
      ::kill(pid_, SIGCONT);
    }
  }
  // Starts it again on the same port and directory (empty: nothing was persisted). False if it did not
  // come up.
  bool restart() {
    kill();
    const std::string binary = find_binary();
    start(binary);
    if (!wait_ready()) {
      stop();
      return false;
    }
    return true;
  }
  // Runs redis-cli with `args` against this server and returns its output (trailing newline removed).
  [[nodiscard]] std::string cli(const std::string& args) const {
    const std::string cmd = "redis-cli -p " + std::to_string(port_) + tls_cli() +
                            (password_.empty() ? "" : " --no-auth-warning -a " + password_) + " " + args + " 2>&1";
    std::string out;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
      char buf[4096];
      std::size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        out.append(buf, n);
      }
      ::pclose(f);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
      out.pop_back();
    }
    return out;
  }

  // Everything the server holds, as bytes: SAVE to an uncompressed dump.rdb and read it back.
  [[nodiscard]] std::string dump() const {
    const std::string cmd = "redis-cli -p " + std::to_string(port_) + tls_cli() +
                            (password_.empty() ? "" : " --no-auth-warning -a " + password_) + " SAVE >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) {
      return {};
    }
    std::ifstream in(file("dump.rdb"), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string tls_cli() const { return tls_ ? " --tls --cacert " + ca_file() : std::string(); }

  // A CA, a server certificate it signed (CN and SAN 127.0.0.1, SAN localhost) and an unrelated CA.
  // P-256 keys: quick to make. Output goes to openssl.log.
  bool make_certificates() const {
    {
      std::ofstream(file("server.ext")) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n";
    }
    const std::string d = dir_;
    const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    const std::string cmd =
        "cd '" + d + "' && (openssl req -x509" + key + " -keyout ca.key -out ca.crt -days 2 -subj /CN=sluice-test-ca" +
        " && openssl req -x509" + key + " -keyout other-ca.key -out other-ca.crt -days 2 -subj /CN=sluice-other-ca" +
        " && openssl req" + key + " -keyout server.key -out server.csr -subj /CN=127.0.0.1" +
        " && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2" +
        " -extfile server.ext) >openssl.log 2>&1";
    return std::system(cmd.c_str()) == 0;
  }

  static std::string read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  static std::string find_binary() {
    std::vector<std::string> dirs{"/usr/bin", "/usr/sbin", "/usr/local/bin"};
    if (const char* path = std::getenv("PATH")) {
      std::stringstream ss(path);
      for (std::string d; std::getline(ss, d, ':');) {
        dirs.insert(dirs.begin(), d);
      }
    }
    for (const auto& d : dirs) {
      const std::string candidate = d + "/redis-server";
      if (::access(candidate.c_str(), X_OK) == 0) {
        return candidate;
      }
    }
    return {};
  }

  static std::uint16_t free_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

  void start(const std::string& binary) {
    std::vector<std::string> args{binary, "--port", tls_ ? "0" : std::to_string(port_), "--bind", "127.0.0.1", "--dir", dir_,
                                  "--save", "", "--appendonly", persist_ ? "yes" : "no", "--appendfsync", "always",
                                  "--rdbcompression", "no",
                                  "--logfile", file("redis.log"), "--daemonize", "no"};
    if (!password_.empty()) {
      args.insert(args.end(), {"--requirepass", password_});
    }
    if (tls_) {
      args.insert(args.end(), {"--tls-port", std::to_string(port_), "--tls-cert-file", file("server.crt"),
                               "--tls-key-file", file("server.key"), "--tls-ca-cert-file", ca_file(),
                               "--tls-auth-clients", "no"});
    }
    const pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      // A test process that dies without its destructors (a sanitizer's halt, a crash) must not leave
      // this server behind: it would hold ctest's output pipe open, and ctest would wait for it until its
      // timeout instead of reporting the failure. So the server dies with the test and writes only to
      // its log file.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) {
        ::_exit(127);
      }
      const int devnull = ::open("/dev/null", O_RDWR);
      if (devnull >= 0) {
        ::dup2(devnull, STDOUT_FILENO);
        ::dup2(devnull, STDERR_FILENO);
      }
      std::vector<char*> argv;
      for (auto& a : args) {
        argv.push_back(a.data());
      }
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }

  bool wait_ready() {
    redis_target target;
    target.host = "127.0.0.1";
    target.port = port_;
    target.password = password_;
    target.timeout_ms = 200;
    target.tls = tls_;
    target.tls_options.ca_file = tls_ ? ca_file() : std::string();
    for (int i = 0; i < 100; ++i) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      bool auth_refused = false;
      if (check_redis(target, auth_refused).empty()) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGCONT);  // a paused server cannot act on SIGTERM
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }

  std::string log() const { return read(file("redis.log")); }

  // Its own directory (not the governance or harness temp_dir helpers: both are called temp_dir and
  // a test may include either).
  static std::string make_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sluice-redis-XXXXXX").string();
    return ::mkdtemp(pattern.data()) != nullptr ? pattern : std::string();
  }
  std::string file(const std::string& name) const { return dir_ + "/" + name; }

  std::string dir_ = make_dir();
  std::string password_;
  bool persist_ = false;
  bool tls_ = false;
  std::string why_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace sluice::gateway::testing
