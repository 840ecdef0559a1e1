#pragma once
// Clients that stand beside a load run without asking anything: connections that stay idle, and
// slowloris clients that send a request head one byte per second and never finish it. With them the
// load generator shows what they cost a normal client (`sluice-bench run --idle-connections N
// --slowloris M`). Bounded: a fixed number of sockets, one thread, stopped at destruction. A socket the
// server closes (idle or request deadline) is opened again, so the pressure holds for the whole run.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace sluice::bench {

class bystanders {
 public:
  // Opens `idle` idle connections at once (raising this process's open-file limit as far as allowed),
  // then starts the thread that drips bytes on `slow` slowloris connections and reopens closed ones.
  bystanders(const std::string& host, std::uint16_t port, std::size_t idle, std::size_t slow);
  ~bystanders();
  bystanders(const bystanders&) = delete;
  bystanders& operator=(const bystanders&) = delete;

  [[nodiscard]] std::size_t idle_open() const noexcept { return idle_open_; }  // at start
  [[nodiscard]] std::uint64_t reopened() const noexcept { return reopened_.load(); }  // closed by the server

 private:
  void run();
  int connect_one() const;

  std::string host_;
  std::uint16_t port_;
  std::vector<int> idle_;
  std::vector<int> slow_;
  std::vector<std::size_t> slow_sent_;  // bytes of the head each slow client has sent
  std::size_t idle_open_ = 0;
  std::atomic<std::uint64_t> reopened_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace sluice::bench
