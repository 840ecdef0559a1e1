// The TLS tunnel to Redis (see redis_tls_tunnel.h).
#include "governance/store/redis_tls_tunnel.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace sluice::gateway {

namespace {

using clock = std::chrono::steady_clock;

// OpenSSL's queued errors as one line (and the queue emptied), or `fallback` when there is none.
std::string openssl_errors(const char* fallback) {
  std::string out;
  while (const unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) {
      out += "; ";
    }
    out += buf;
  }
  return out.empty() ? std::string(fallback) : out;
}

bool is_address(const std::string& host) {
  in6_addr a6{};
  in_addr a4{};
  return ::inet_pton(AF_INET, host.c_str(), &a4) == 1 || ::inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK); }

int remaining_ms(clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

struct ssl_deleter {
  void operator()(SSL* s) const noexcept { SSL_free(s); }
};

}  // namespace

struct redis_tls_tunnel::address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

redis_tls_context make_redis_tls_context(const store_tls_options& options) {
  ERR_clear_error();
  redis_tls_context ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  if (!ctx) {
    throw std::runtime_error("cannot create a TLS context: " + openssl_errors("out of memory"));
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  if (!options.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr) != 1) {
      throw redis_tls_setting_error("ca_file", "cannot load CA certificates from " + options.ca_file + ": " +
                                                   openssl_errors("no PEM certificate in it"));
    }
  } else if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    throw redis_tls_setting_error("ca_file", "cannot load the system CA store: " + openssl_errors("unknown error"));
  }
  if (options.cert_file.empty() != options.key_file.empty()) {
    throw redis_tls_setting_error(options.cert_file.empty() ? "cert_file" : "key_file",
                                  "a client certificate needs both cert_file and key_file");
  }
  if (!options.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(ctx.get(), options.cert_file.c_str()) != 1) {
      throw redis_tls_setting_error("cert_file", "cannot load the client certificate from " + options.cert_file +
                                                     ": " + openssl_errors("unknown error"));
    }
    if (SSL_CTX_use_PrivateKey_file(ctx.get(), options.key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
      throw redis_tls_setting_error("key_file", "cannot load the private key from " + options.key_file + ": " +
                                                    openssl_errors("unknown error"));
    }
    if (SSL_CTX_check_private_key(ctx.get()) != 1) {
      throw redis_tls_setting_error("key_file", options.key_file + " is not the key of " + options.cert_file);
    }
  }
  SSL_CTX_set_verify(ctx.get(), options.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return ctx;
}

redis_tls_tunnel::redis_tls_tunnel(redis_tls_context context, const redis_tls_endpoint& to)
    : context_(std::move(context)), to_(to) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(to_.port);
  if (const int rc = ::getaddrinfo(to_.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    throw std::runtime_error("cannot resolve " + to_.host + ": " + ::gai_strerror(rc));
  }
  std::vector<address> addresses;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    address one;
    std::memcpy(&one.storage, a->ai_addr, a->ai_addrlen);
    one.length = a->ai_addrlen;
    addresses.push_back(one);
  }
  ::freeaddrinfo(found);
  int pair[2] = {-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    throw std::runtime_error(std::string("cannot make a socketpair: ") + std::strerror(errno));
  }
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (stop_fd_ < 0) {
    ::close(pair[0]);
    ::close(pair[1]);
    throw std::runtime_error(std::string("cannot make an eventfd: ") + std::strerror(errno));
  }
  caller_fd_ = pair[0];
  pump_fd_ = pair[1];
  thread_ = std::thread([this, addresses = std::move(addresses)]() mutable { run(std::move(addresses)); });
}

redis_tls_tunnel::~redis_tls_tunnel() {
  const std::uint64_t one = 1;
  (void)!::write(stop_fd_, &one, sizeof one);
  thread_.join();
  ::close(stop_fd_);
  ::close(pump_fd_);
  if (caller_fd_ >= 0) {
    ::close(caller_fd_);
  }
}

int redis_tls_tunnel::take_fd() noexcept {
  std::lock_guard lock(mutex_);
  const int fd = caller_fd_;
  caller_fd_ = -1;
  return fd;
}

std::string redis_tls_tunnel::wait_established() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return phase_ != phase::connecting; });
  return phase_ == phase::up ? std::string() : error_;
}

std::string redis_tls_tunnel::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void redis_tls_tunnel::finish(phase p, std::string why) {
  {
    std::lock_guard lock(mutex_);
    if (phase_ == phase::ended) {
      return;
    }
    phase_ = p;
    if (p == phase::ended && error_.empty()) {
      error_ = std::move(why);
    }
  }
  changed_.notify_all();
}

void redis_tls_tunnel::run(std::vector<address> addresses) noexcept {
  // A write to a socket the peer closed raises SIGPIPE; blocked here it stays an EPIPE error.
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, nullptr);

  const std::string where = to_.host + ":" + std::to_string(to_.port);
  const auto deadline = clock::now() + std::chrono::milliseconds(to_.timeout_ms);
  int tcp = -1;
  std::unique_ptr<SSL, ssl_deleter> ssl;
  bool stopped = false;
  // Waits for `events` on `fd` (or the stop signal) until the deadline. 1: ready, 0: timed out, -1: stop.
  const auto wait_for = [&](int fd, short events) {
    std::array<pollfd, 2> p{pollfd{.fd = fd, .events = events, .revents = 0},
                            pollfd{.fd = stop_fd_, .events = POLLIN, .revents = 0}};
    for (;;) {
      const int n = ::poll(p.data(), p.size(), remaining_ms(deadline));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (p[1].revents != 0) {
        stopped = true;
        return -1;
      }
      return n > 0 ? 1 : 0;
    }
  };

  std::string why;
  // TCP: each address in turn until one accepts.
  for (const address& a : addresses) {
    tcp = ::socket(a.storage.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (tcp < 0) {
      why = std::string("cannot connect to ") + where + ": " + std::strerror(errno);
      continue;
    }
    int err = 0;
    if (::connect(tcp, reinterpret_cast<const sockaddr*>(&a.storage), a.length) != 0) {
      err = errno;
      if (err == EINPROGRESS) {
        const int w = wait_for(tcp, POLLOUT);
        socklen_t len = sizeof err;
        err = w == 1 ? (::getsockopt(tcp, SOL_SOCKET, SO_ERROR, &err, &len) == 0 ? err : errno)
                     : (w == 0 ? ETIMEDOUT : ECANCELED);
      }
    }
    if (err == 0) {
      break;
    }
    why = std::string("cannot connect to ") + where + ": " + std::strerror(err);
    ::close(tcp);
    tcp = -1;
    if (stopped) {
      break;
    }
  }
  if (tcp >= 0) {
    const int on = 1;
    ::setsockopt(tcp, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    // The handshake: SNI and the name (or address) the certificate must carry, then SSL_connect.
    ERR_clear_error();
    ssl.reset(SSL_new(context_.get()));
    bool ok = ssl != nullptr && SSL_set_fd(ssl.get(), tcp) == 1;
    if (ok && !is_address(to_.server_name)) {
      ok = SSL_set_tlsext_host_name(ssl.get(), to_.server_name.c_str()) == 1;
    }
    if (ok && to_.verify) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl.get());
      ok = is_address(to_.server_name) ? X509_VERIFY_PARAM_set1_ip_asc(param, to_.server_name.c_str()) == 1
                                       : X509_VERIFY_PARAM_set1_host(param, to_.server_name.c_str(), 0) == 1;
    }
    if (!ok) {
      why = "cannot set up TLS for " + where + ": " + openssl_errors("unknown error");
    }
    while (ok) {
      const int rc = SSL_connect(ssl.get());
      if (rc == 1) {
        break;
      }
      const int e = SSL_get_error(ssl.get(), rc);
      if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        const int w = wait_for(tcp, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT);
        if (w != 1) {
          why = "TLS handshake with " + where +
                (w == 0 ? " timed out after " + std::to_string(to_.timeout_ms) + " ms (is it a TLS port?)" : " stopped");
          ok = false;
        }
        continue;
      }
      const long verify = SSL_get_verify_result(ssl.get());
      if (to_.verify && verify != X509_V_OK) {
        why = "TLS handshake with " + where + " failed: certificate verification failed: " +
              X509_verify_cert_error_string(verify) + " (server name " + to_.server_name + ")";
      } else {
        const int saved = errno;
        why = "TLS handshake with " + where + " failed: " +
              openssl_errors(e == SSL_ERROR_SYSCALL
                                 ? (saved != 0 ? std::strerror(saved) : "the server closed the connection (is it a TLS port?)")
                                 : "protocol error");
      }
      ok = false;
    }
    if (!ok) {
      ssl.reset();
      ::close(tcp);
      tcp = -1;
    }
  }
  if (tcp < 0) {
    ::shutdown(pump_fd_, SHUT_WR);
    finish(phase::ended, why.empty() ? "cannot connect to " + where : why);
    return;
  }
  finish(phase::up, {});

  // The pump. Each side has one buffer; a read is attempted only when its buffer is empty, so SSL_read
  // is called until it wants more from the network, which drains what OpenSSL holds (SSL_pending).
  set_nonblocking(pump_fd_);
  std::array<char, 16384> to_tls{};
  std::array<char, 16384> to_local{};
  std::size_t to_tls_len = 0;
  std::size_t to_local_off = 0;
  std::size_t to_local_len = 0;
  std::string end_why;
  for (;;) {
    bool progress = false;
    bool tls_read = false;   // OpenSSL waits for the socket to be readable
    bool tls_write = false;  // or writable
    if (to_tls_len == 0) {
      const ssize_t n = ::recv(pump_fd_, to_tls.data(), to_tls.size(), 0);
      if (n == 0) {
        break;  // the owner closed its end: done
      }
      if (n < 0 && errno != EAGAIN && errno != EINTR) {
        break;
      }
      if (n > 0) {
        to_tls_len = static_cast<std::size_t>(n);
        progress = true;
      }
    }
    if (to_tls_len > 0) {
      const int rc = SSL_write(ssl.get(), to_tls.data(), static_cast<int>(to_tls_len));
      if (rc > 0) {
        to_tls_len = 0;  // without SSL_MODE_ENABLE_PARTIAL_WRITE a write is all or nothing
        progress = true;
      } else {
        const int e = SSL_get_error(ssl.get(), rc);
        if (e == SSL_ERROR_WANT_READ) {
          tls_read = true;
        } else if (e == SSL_ERROR_WANT_WRITE) {
          tls_write = true;
        } else {
          end_why = "TLS write to " + where + " failed: " + openssl_errors("connection lost");
          break;
        }
      }
    }
    if (to_local_len == 0) {
      const int rc = SSL_read(ssl.get(), to_local.data(), static_cast<int>(to_local.size()));
      if (rc > 0) {
        to_local_off = 0;
        to_local_len = static_cast<std::size_t>(rc);
        progress = true;
      } else {
        const int e = SSL_get_error(ssl.get(), rc);
        if (e == SSL_ERROR_WANT_READ) {
          tls_read = true;
        } else if (e == SSL_ERROR_WANT_WRITE) {
          tls_write = true;
        } else {
          end_why = e == SSL_ERROR_ZERO_RETURN ? "Redis closed the TLS connection"
                                               : "TLS read from " + where + " failed: " +
                                                     openssl_errors("connection lost");
          break;
        }
      }
    }
    if (to_local_len > 0) {
      const ssize_t n = ::send(pump_fd_, to_local.data() + to_local_off, to_local_len, MSG_NOSIGNAL);
      if (n > 0) {
        to_local_off += static_cast<std::size_t>(n);
        to_local_len -= static_cast<std::size_t>(n);
        progress = true;
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        break;  // the owner closed its end
      }
    }
    if (progress) {
      continue;
    }
    std::array<pollfd, 3> p{
        pollfd{.fd = pump_fd_,
               .events = static_cast<short>((to_tls_len == 0 ? POLLIN : 0) | (to_local_len > 0 ? POLLOUT : 0)),
               .revents = 0},
        pollfd{.fd = tcp, .events = static_cast<short>((tls_read ? POLLIN : 0) | (tls_write ? POLLOUT : 0)),
               .revents = 0},
        pollfd{.fd = stop_fd_, .events = POLLIN, .revents = 0}};
    if (::poll(p.data(), p.size(), -1) < 0 && errno != EINTR) {
      end_why = std::string("poll failed: ") + std::strerror(errno);
      break;
    }
    if (p[2].revents != 0) {
      break;  // the owner is being destroyed
    }
    // A hang-up on a side nothing was asked of would wake every poll at once: end instead. (When an
    // event was asked for, the next read or write reports the failure itself.)
    if ((p[0].revents & (POLLHUP | POLLERR)) != 0 && p[0].events == 0) {
      break;
    }
    if ((p[1].revents & (POLLHUP | POLLERR)) != 0 && p[1].events == 0) {
      end_why = "the connection to " + where + " was lost";
      break;
    }
  }
  (void)SSL_shutdown(ssl.get());  // best effort: a close_notify if the socket takes it now
  ssl.reset();
  ::close(tcp);
  // The caller reads EOF, as from a closed TCP connection. The end stays open (the destructor closes
  // it): a caller's write to a closed socketpair raises SIGPIPE, which hiredis's write() does not
  // suppress and which would end the process; into an open one it just fills the buffer.
  ::shutdown(pump_fd_, SHUT_WR);
  finish(phase::ended, end_why.empty() ? "the TLS tunnel to " + where + " closed" : end_why);
}

}  // namespace sluice::gateway
