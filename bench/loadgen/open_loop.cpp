#include "open_loop.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <deque>
#include <limits>
#include <memory>
#include <optional>

namespace sluice::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

std::uint64_t ns_between(clock_type::time_point from, clock_type::time_point to) {
  return to <= from ? 0 : static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(to - from).count());
}

class driver;

// One keep-alive connection; carries one request at a time.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(asio::io_context& io, driver& owner) : stream_(io), owner_(owner) {}

  void start(clock_type::time_point intended);
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

 private:
  void send();
  void read_more();
  void finish(bool ok, unsigned status, bool keep_alive);
  void fail() { finish(false, 0, false); }
  void count_events(const char* data, std::size_t n);

  beast::tcp_stream stream_;
  driver& owner_;
  bool connected_ = false;
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::buffer_body>> parser_;
  char body_[16 * 1024];
  clock_type::time_point intended_;
  clock_type::time_point first_byte_;
  clock_type::time_point last_event_;
  std::uint64_t events_ = 0;
  std::uint64_t body_bytes_ = 0;
  char last_char_ = 0;
  bool saw_body_ = false;
};

class driver {
 public:
  driver(const load_target& target, const load_options& options)
      : target_(target), options_(options), timer_(io_), drain_timer_(io_) {
    request_.method(http::verb::post);
    request_.target(target.path);
    request_.version(11);
    request_.set(http::field::host, target.host + ":" + std::to_string(target.port));
    request_.set(http::field::content_type, target.content_type);
    for (const auto& [name, value] : target.headers) {
      request_.set(name, value);
    }
    request_.keep_alive(true);
    request_.body() = target.body;
    request_.prepare_payload();
    endpoint_ = tcp::endpoint(asio::ip::make_address(target.host), target.port);
  }

  load_report run() {
    start_ = clock_type::now();
    const auto total = static_cast<std::uint64_t>(options_.rate * options_.duration_s + 0.5);
    if (options_.closed_loop) {
      window_end_ = start_ + to_duration(options_.duration_s);
      for (std::size_t i = 0; i < options_.concurrency; ++i) {
        dispatch(clock_type::now());
      }
      sending_done_ = true;
      arm_drain(window_end_);
    } else {
      total_ = total;
      period_ = options_.rate > 0 ? 1.0 / options_.rate : 0.0;
      tick();
    }
    io_.run();
    report_.elapsed_s = std::chrono::duration<double>(last_completion_ - start_).count();
    return std::move(report_);
  }

  // Called by a connection when its request is over. Returns the next due time for it, if any.
  std::optional<clock_type::time_point> completed(const std::shared_ptr<connection>& c, bool ok, unsigned status,
                                                  clock_type::time_point intended, clock_type::time_point done,
                                                  clock_type::time_point first_byte, clock_type::time_point last_event,
                                                  std::uint64_t events, std::uint64_t body_bytes, bool reusable) {
    --in_flight_;
    last_completion_ = std::max(last_completion_, done);
    const bool record = intended >= start_ + to_duration(options_.warmup_s);
    if (ok && status >= 200 && status < 300) {
      ++report_.ok;
      if (record) {
        report_.latency.record(ns_between(intended, done));
        if (first_byte.time_since_epoch().count() != 0) {
          report_.ttfb.record(ns_between(intended, first_byte));
        }
        if (events >= 2) {
          report_.per_event.record(ns_between(first_byte, last_event) / (events - 1));
        }
      }
      report_.events += events;
      report_.body_bytes += body_bytes;
    } else if (ok) {
      ++report_.non_2xx;
      report_.last_error_status = status;
    } else {
      ++report_.errors;
    }
    if (!reusable) {
      forget(c);
    }
    if (stopped_) {
      return std::nullopt;
    }
    if (options_.closed_loop) {
      if (reusable && done < window_end_) {
        ++report_.scheduled;
        ++in_flight_;
        return clock_type::now();
      }
      if (!reusable && done < window_end_) {
        dispatch(clock_type::now());
      }
      maybe_finish();
      return std::nullopt;
    }
    if (!pending_.empty() && reusable) {
      const auto next = pending_.front();
      pending_.pop_front();
      ++in_flight_;
      return next;
    }
    if (!pending_.empty()) {
      const auto next = pending_.front();
      pending_.pop_front();
      dispatch_now(next);
    } else if (reusable) {
      idle_.push_back(c);
    }
    maybe_finish();
    return std::nullopt;
  }

  asio::io_context& io() { return io_; }
  const tcp::endpoint& endpoint() const { return endpoint_; }
  const http::request<http::string_body>& request() const { return request_; }
  double request_timeout_s() const { return options_.request_timeout_s; }

 private:
  static clock_type::duration to_duration(double seconds) {
    return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>(seconds));
  }

  void tick() {
    const auto now = clock_type::now();
    while (next_ < total_) {
      const auto due = start_ + to_duration(period_ * double(next_));
      if (due > now) {
        timer_.expires_at(due);
        timer_.async_wait([this](beast::error_code ec) {
          if (!ec) {
            tick();
          }
        });
        return;
      }
      ++next_;
      dispatch(due);
    }
    sending_done_ = true;
    arm_drain(clock_type::now());
    maybe_finish();
  }

  void dispatch(clock_type::time_point due) {
    ++report_.scheduled;
    if (!idle_.empty()) {
      auto c = idle_.back();
      idle_.pop_back();
      ++in_flight_;
      c->start(due);
      return;
    }
    if (open_.size() < (options_.closed_loop ? options_.concurrency : options_.max_connections)) {
      dispatch_now(due);
      return;
    }
    if (pending_.size() < options_.max_pending) {
      pending_.push_back(due);
    } else {
      ++report_.dropped;
    }
  }

  void dispatch_now(clock_type::time_point due) {
    auto c = std::make_shared<connection>(io_, *this);
    open_.push_back(c);
    ++report_.connections_opened;
    ++in_flight_;
    c->start(due);
  }

  void forget(const std::shared_ptr<connection>& c) {
    std::erase(open_, c);
    std::erase(idle_, c);
  }

  void arm_drain(clock_type::time_point from) {
    drain_timer_.expires_at(from + to_duration(options_.drain_s));
    drain_timer_.async_wait([this](beast::error_code ec) {
      if (ec) {
        return;
      }
      // Out of time: whatever is still queued or in flight did not finish.
      stopped_ = true;
      report_.unfinished += pending_.size() + in_flight_;
      pending_.clear();
      timer_.cancel();
      for (auto& c : open_) {
        c->close();
      }
      io_.stop();
    });
  }

  void maybe_finish() {
    if (sending_done_ && in_flight_ == 0 && pending_.empty()) {
      stopped_ = true;
      drain_timer_.cancel();
      for (auto& c : open_) {
        c->close();
      }
      open_.clear();
      idle_.clear();
    }
  }

  load_target target_;
  load_options options_;
  asio::io_context io_;
  asio::steady_timer timer_;
  asio::steady_timer drain_timer_;
  tcp::endpoint endpoint_;
  http::request<http::string_body> request_;
  load_report report_;
  clock_type::time_point start_;
  clock_type::time_point window_end_;
  clock_type::time_point last_completion_;
  std::uint64_t total_ = 0;
  std::uint64_t next_ = 0;
  double period_ = 0;
  std::uint64_t in_flight_ = 0;
  bool sending_done_ = false;
  bool stopped_ = false;
  std::deque<clock_type::time_point> pending_;
  std::vector<std::shared_ptr<connection>> open_;
  std::vector<std::shared_ptr<connection>> idle_;
};

void connection::start(clock_type::time_point intended) {
  intended_ = intended;
  first_byte_ = {};
  last_event_ = {};
  events_ = 0;
  body_bytes_ = 0;
  last_char_ = 0;
  saw_body_ = false;
  stream_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(owner_.request_timeout_s())));
  if (connected_) {
    send();
    return;
  }
  stream_.async_connect(owner_.endpoint(), [self = shared_from_this()](beast::error_code ec) {
    if (ec) {
      self->fail();
      return;
    }
    self->connected_ = true;
    self->stream_.socket().set_option(tcp::no_delay(true));
    self->send();
  });
}

void connection::send() {
  http::async_write(stream_, owner_.request(), [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) {
      self->fail();
      return;
    }
    self->parser_.emplace();
    self->parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    self->read_more();
  });
}

void connection::read_more() {
  parser_->get().body().data = body_;
  parser_->get().body().size = sizeof body_;
  http::async_read_some(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec == http::error::need_buffer) {
      ec = {};
    }
    if (ec) {
      self->fail();
      return;
    }
    const std::size_t got = sizeof self->body_ - self->parser_->get().body().size;
    if (got > 0) {
      const auto now = clock_type::now();
      if (!self->saw_body_) {
        self->saw_body_ = true;
        self->first_byte_ = now;
      }
      self->body_bytes_ += got;
      self->count_events(self->body_, got);
    }
    if (self->parser_->is_done()) {
      const auto& response = self->parser_->get();
      self->finish(true, response.result_int(), response.keep_alive());
      return;
    }
    self->read_more();
  });
}

void connection::count_events(const char* data, std::size_t n) {
  // SSE events end with a blank line; the Messages API frames them with "\n\n", which is all this counts.
  bool ended = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (data[i] == '\n' && last_char_ == '\n') {
      ++events_;
      ended = true;
    }
    last_char_ = data[i];
  }
  if (ended) {
    last_event_ = clock_type::now();
  }
}

void connection::finish(bool ok, unsigned status, bool keep_alive) {
  const auto done = clock_type::now();
  const bool reusable = ok && keep_alive;
  if (!reusable) {
    connected_ = false;
    close();
  }
  auto self = shared_from_this();
  auto next = owner_.completed(self, ok, status, intended_, done, first_byte_, last_event_, events_, body_bytes_,
                               reusable);
  if (next) {
    start(*next);
  }
}

}  // namespace

load_report run_load(const load_target& target, const load_options& options) {
  driver d(target, options);
  return d.run();
}

}  // namespace sluice::bench
