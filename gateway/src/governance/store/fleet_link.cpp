// The request path's Redis connection (see fleet_link.h).
#include "governance/store/fleet_link.h"

#include <hiredis.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <charconv>
#include <initializer_list>

#include "governance/store/redis_scripts.h"

namespace sluice::gateway {

namespace asio = boost::asio;
using boost::system::error_code;

void fleet_health::set(bool up, std::string_view why) noexcept {
  (void)why;
  up_.store(up, std::memory_order_release);
}

namespace {

constexpr std::int64_t max_backoff_ms = 2000;

// RESP, written straight into the output buffer: "*<n>\r\n" then "$<len>\r\n<bytes>\r\n" per argument.
void put_count(std::string& out, char kind, std::size_t n) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  out.push_back(kind);
  out.append(digits, end);
  out.append("\r\n");
}

void put_arg(std::string& out, std::string_view arg) {
  put_count(out, '$', arg.size());
  out.append(arg);
  out.append("\r\n");
}

void put_number(std::string& out, std::uint64_t v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  put_arg(out, std::string_view(digits, static_cast<std::size_t>(end - digits)));
}

void put_command(std::string& out, std::initializer_list<std::string_view> args) {
  put_count(out, '*', args.size());
  for (const auto a : args) {
    put_arg(out, a);
  }
}

fleet_verdict verdict_of(const redisReply* r) noexcept {
  fleet_verdict v;
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 2 || r->element[0]->type != REDIS_REPLY_INTEGER) {
    return v;  // unavailable: not the script's answer
  }
  switch (r->element[0]->integer) {
    case 0:
      v.outcome = fleet_outcome::admitted;
      break;
    case 1:
      v.outcome = fleet_outcome::requests_per_minute;
      break;
    case 2:
      v.outcome = fleet_outcome::tokens_per_minute;
      break;
    case 3:
      v.outcome = fleet_outcome::token_budget;
      break;
    case 4:
      v.outcome = fleet_outcome::usd_budget;
      break;
    default:
      return v;
  }
  if (r->element[1]->type == REDIS_REPLY_INTEGER) {
    v.retry_after_us = r->element[1]->integer;
  }
  return v;
}

}  // namespace

fleet_link::fleet_link(asio::io_context& ioc, redis_target target, std::shared_ptr<fleet_health> health)
    : ioc_(ioc),
      target_(std::move(target)),
      health_(std::move(health)),
      resolver_(ioc),
      socket_(ioc),
      reconnect_timer_(ioc) {
  out_.reserve(4096);
  writing_.reserve(4096);
  if (target_.tls) {
    try {
      tls_context_ = make_redis_tls_context(target_.tls_options);
    } catch (const std::exception& e) {
      tls_context_error_ = e.what();  // checked at load: only a file changed since then gets here
    }
  }
  connect();
}

fleet_link::~fleet_link() {
  alive_.reset();
  error_code ec;
  socket_.close(ec);
  tunnel_.reset();  // after the socket: its end closed, the pump ends at once
  if (reader_ != nullptr) {
    redisReaderFree(reader_);
  }
}

void fleet_link::connect() {
  state_ = state::connecting;
  const std::uint64_t epoch = ++epoch_;
  std::weak_ptr<bool> alive = alive_;
  resolver_.async_resolve(
      target_.host, std::to_string(target_.port),
      [this, alive, epoch](const error_code& ec, const asio::ip::tcp::resolver::results_type& results) {
        if (alive.expired() || epoch != epoch_) {
          return;
        }
        if (ec) {
          fail("cannot resolve " + target_.host + ": " + ec.message());
          return;
        }
        if (target_.tls) {
          connect_tls(results.begin()->endpoint());
          return;
        }
        // The socket is generic (TCP here, a local socket for rediss://): its endpoints are too.
        std::vector<asio::generic::stream_protocol::endpoint> endpoints;
        for (const auto& entry : results) {
          endpoints.emplace_back(entry.endpoint());
        }
        asio::async_connect(socket_, endpoints, [this, alive, epoch](const error_code& ec2, const auto&) {
          if (alive.expired() || epoch != epoch_) {
            return;
          }
          if (ec2) {
            fail("cannot connect: " + ec2.message());
            return;
          }
          on_connected();
        });
      });
}

void fleet_link::connect_tls(const asio::ip::tcp::endpoint& to) {
  if (tls_context_ == nullptr) {
    fail(tls_context_error_);
    return;
  }
  redis_tls_endpoint endpoint;
  endpoint.host = to.address().to_string();  // an address: the tunnel does not resolve again
  endpoint.port = to.port();
  endpoint.server_name = target_.tls_options.server_name.empty() ? target_.host : target_.tls_options.server_name;
  endpoint.verify = target_.tls_options.verify;
  endpoint.timeout_ms = target_.timeout_ms;
  try {
    tunnel_ = std::make_unique<redis_tls_tunnel>(tls_context_, endpoint);
  } catch (const std::exception& e) {
    fail(e.what());
    return;
  }
  error_code ec;
  socket_.assign(asio::generic::stream_protocol(AF_UNIX, 0), tunnel_->take_fd(), ec);
  if (ec) {
    fail("cannot use the TLS tunnel: " + ec.message());
    return;
  }
  // The handshake goes on in the tunnel; the commands written now wait in the socketpair until it is
  // done, and a failed handshake reads as EOF (fail() then says why).
  on_connected();
}

void fleet_link::on_connected() {
  error_code ec;
  if (!target_.tls) {
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  }
  if (reader_ != nullptr) {
    redisReaderFree(reader_);
  }
  reader_ = redisReaderCreate();
  // The handshake, pipelined: AUTH, SELECT, SCRIPT LOAD. Admissions wait for `ready`.
  if (!target_.password.empty()) {
    put_command(out_, {"AUTH", target_.password});
    pending_.push_back({expect::ok, nullptr});
  }
  const std::string db = std::to_string(target_.db);
  put_command(out_, {"SELECT", db});
  pending_.push_back({expect::ok, nullptr});
  put_command(out_, {"SCRIPT", "LOAD", fleet_admit_script()});
  pending_.push_back({expect::script_sha, nullptr});
  flush_writes();
  read_more();
}

void fleet_link::fail(std::string_view why) noexcept {
  ++epoch_;
  error_code ec;
  socket_.close(ec);
  tunnel_.reset();
  state_ = state::idle;
  health_->set(false, why);
  // Every waiter learns now; nobody knows what Redis did with commands in flight (a reservation may
  // stay taken until its bucket refills: the error is on the safe side).
  pending_.for_each([](pending& p) {
    if (p.wait != nullptr) {
      p.wait->done = true;
      p.wait->verdict = {};
      p.wait->timer->cancel();
    }
  });
  pending_.clear();
  out_.clear();
  write_busy_ = false;
  ever_ready_ = true;  // from now on a failure answers at once
  wake_waiting_for_ready();
  schedule_reconnect();
}

void fleet_link::schedule_reconnect() {
  reconnect_timer_.expires_after(std::chrono::milliseconds(backoff_ms_));
  backoff_ms_ = std::min(backoff_ms_ * 2, max_backoff_ms);
  std::weak_ptr<bool> alive = alive_;
  reconnect_timer_.async_wait([this, alive](const error_code& ec) {
    if (alive.expired() || ec) {
      return;
    }
    socket_ = asio::generic::stream_protocol::socket(ioc_);
    connect();
  });
}

void fleet_link::flush_writes() {
  if (write_busy_ || out_.empty()) {
    return;
  }
  write_busy_ = true;
  writing_.swap(out_);
  out_.clear();
  const std::uint64_t epoch = epoch_;
  std::weak_ptr<bool> alive = alive_;
  asio::async_write(socket_, asio::buffer(writing_), [this, alive, epoch](const error_code& ec, std::size_t) {
    if (alive.expired() || epoch != epoch_) {
      return;
    }
    write_busy_ = false;
    writing_.clear();
    if (ec) {
      fail("write failed: " + ec.message());
      return;
    }
    flush_writes();
  });
}

void fleet_link::read_more() {
  const std::uint64_t epoch = epoch_;
  std::weak_ptr<bool> alive = alive_;
  socket_.async_read_some(asio::buffer(in_), [this, alive, epoch](const error_code& ec, std::size_t n) {
    if (alive.expired() || epoch != epoch_) {
      return;
    }
    if (ec) {
      // Through a tunnel, EOF is how a failed handshake or a lost TLS connection shows; it knows why.
      const std::string tunnel_why = tunnel_ != nullptr ? tunnel_->error() : std::string();
      fail(!tunnel_why.empty()         ? tunnel_why
           : ec == asio::error::eof ? std::string("Redis closed the connection")
                                    : "read failed: " + ec.message());
      return;
    }
    if (redisReaderFeed(reader_, in_.data(), n) != REDIS_OK) {
      fail("unreadable reply");
      return;
    }
    for (;;) {
      void* reply = nullptr;
      if (redisReaderGetReply(reader_, &reply) != REDIS_OK) {
        fail("unreadable reply");
        return;
      }
      if (reply == nullptr) {
        break;
      }
      const bool ok = on_reply(reply);
      freeReplyObject(reply);
      if (!ok || epoch != epoch_) {
        return;  // failed (and reconnecting) inside on_reply
      }
    }
    read_more();
  });
}

bool fleet_link::on_reply(void* raw) {
  const auto* r = static_cast<const redisReply*>(raw);
  if (pending_.empty()) {
    fail("a reply nobody asked for");
    return false;
  }
  pending p = pending_.front();
  pending_.pop_front();
  switch (p.kind) {
    case expect::ok:
      if (r->type == REDIS_REPLY_ERROR) {
        fail(std::string_view(r->str, r->len));
        return false;
      }
      return true;
    case expect::script_sha:
      if (r->type != REDIS_REPLY_STRING) {
        fail("SCRIPT LOAD failed");
        return false;
      }
      script_sha_.assign(r->str, r->len);
      state_ = state::ready;
      ever_ready_ = true;
      backoff_ms_ = 50;
      health_->set(true);
      wake_waiting_for_ready();
      return true;
    case expect::verdict: {
      if (r->type == REDIS_REPLY_ERROR) {
        // NOSCRIPT (the script cache was flushed) or a script error: reconnecting loads it again.
        if (p.wait != nullptr) {
          p.wait->done = true;
          p.wait->verdict = {};
          p.wait->timer->cancel();
          p.wait = nullptr;
        }
        fail(std::string_view(r->str, r->len));
        return false;
      }
      if (p.wait != nullptr) {
        p.wait->verdict = verdict_of(r);
        p.wait->done = true;
        p.wait->timer->cancel();
      }
      return true;
    }
  }
  return true;
}

void fleet_link::wake_waiting_for_ready() noexcept {
  for (waiter* w : waiting_for_ready_) {
    w->done = true;
    w->timer->cancel();
  }
  waiting_for_ready_.clear();
}

void fleet_link::abandon(waiter* w) noexcept {
  std::erase(waiting_for_ready_, w);
  pending_.for_each([w](pending& p) {
    if (p.wait == w) {
      p.wait = nullptr;
    }
  });
}

asio::awaitable<fleet_verdict> fleet_link::admit(const fleet_admit_request& request, asio::steady_timer& timer) {
  if (state_ != state::ready && !ever_ready_) {
    // Starting up: wait for the first connection (woken when it is ready or has failed).
    waiter w;
    w.timer = &timer;
    waiting_for_ready_.push_back(&w);
    timer.expires_after(std::chrono::milliseconds(target_.request_timeout_ms));
    error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!w.done) {
      std::erase(waiting_for_ready_, &w);
    }
  }
  if (state_ != state::ready) {
    co_return fleet_verdict{};
  }
  const fleet_admit_request& r = request;
  const std::string_view id = r.key_id.view();
  // EVALSHA <sha> 2 <P fleet:id> <P budget:id:month> rpm tpm tokens micro_usd token_budget usd_budget
  //         known_tokens known_micro_usd
  put_count(out_, '*', 13);
  put_arg(out_, "EVALSHA");
  put_arg(out_, script_sha_);
  put_arg(out_, "2");
  scratch_.assign(target_.key_prefix).append("fleet:").append(id);
  put_arg(out_, scratch_);
  char month[16];
  const auto month_end = std::to_chars(month, month + sizeof month, r.month).ptr;
  scratch_.assign(target_.key_prefix).append("budget:").append(id).append(":").append(month, month_end);
  put_arg(out_, scratch_);
  for (const std::uint64_t v : {std::uint64_t{r.requests_per_minute}, std::uint64_t{r.tokens_per_minute}, r.tokens,
                                r.micro_usd, r.token_budget, r.usd_budget_micro, r.known_tokens, r.known_micro_usd}) {
    put_number(out_, v);
  }
  waiter w;
  w.timer = &timer;
  pending_.push_back({expect::verdict, &w});
  flush_writes();
  timer.expires_after(std::chrono::milliseconds(target_.request_timeout_ms));
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (!w.done) {
    // No answer in time: Redis is stuck or the network is. The connection is dropped so the next
    // admissions do not queue behind it; whatever Redis did with this one stays done (a reservation it
    // made stays taken: on the safe side).
    abandon(&w);
    fail("no reply within " + std::to_string(target_.request_timeout_ms) + " ms");
    co_return fleet_verdict{};
  }
  co_return w.verdict;
}

}  // namespace sluice::gateway
