// The gateway killed with SIGKILL under load, then started again on the same files: the audit chain
// verifies (a record torn by the kill is set aside, not left to break the chain), and the usage store
// has lost at most the last flush interval's batch and counted nothing twice.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "faults/fault_support.h"
#include "sluice/gateway/audit_verify.h"

namespace sluice::gateway::testing {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// Sends requests one after another (a `pace` apart) until stopped; remembers when each 200 arrived.
class load {
 public:
  load(std::uint16_t port, std::chrono::milliseconds pace, header_list headers = {})
      : thread_([this, port, pace, headers] {
          while (!stop_) {
            try {
              const http_reply r = http_call(port, "POST", "/v1/messages", messages_body("under load"), headers);
              if (r.status == 200) {
                std::lock_guard lock(mutex_);
                answered_.push_back(steady::now());
              }
            } catch (const std::exception&) {
              // the gateway was killed: nothing more will be answered
            }
            std::this_thread::sleep_for(pace);
          }
        }) {}
  ~load() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  [[nodiscard]] std::vector<steady::time_point> answered() {
    std::lock_guard lock(mutex_);
    return answered_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<steady::time_point> answered_;
  std::thread thread_;  // last: starts once the rest exists
};

std::size_t count_lines_with(const std::filesystem::path& dir, const std::string& what) {
  std::size_t n = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path());
    for (std::string line; std::getline(in, line);) {
      n += line.find(what) != std::string::npos ? 1 : 0;
    }
  }
  return n;
}

TEST(Crash, KilledDuringAuditWritesRestartsWithAChainThatVerifies) {
  running_gateway gw("policies:\n  chain: [audit-logger]\n  policy:\n    audit-logger:\n"
                     "      directory: @DIR@/audit\n      flush_interval_ms: 1\n");
  const auto audit_dir = gw.dir() / "audit";
  {
    // Writes every millisecond while requests flow; the kill lands during one of them or between.
    load clients(gw.port(), 0ms);
    std::this_thread::sleep_for(400ms);
    EXPECT_EQ(gw.stop(SIGKILL), -SIGKILL);
    clients.stop();
    EXPECT_GT(clients.answered().size(), 10u);
  }
  // Whether or not this kill tore a record, make sure one is torn: the end of a record the kernel had
  // only partly written when the process died.
  std::string newest;
  for (const auto& f : std::filesystem::directory_iterator(audit_dir)) {
    if (f.path().extension() == ".jsonl" && f.path().string() > newest) {
      newest = f.path().string();
    }
  }
  ASSERT_FALSE(newest.empty());
  std::ofstream(newest, std::ios::app) << "{\"seq\":999999,\"ts\":\"2026-12-07T00:00:00.000Z\",\"type\":\"requ";

  gw.start();  // starts again on the same directory
  expect_still_serving(gw);
  EXPECT_NE(gw.output().find("were moved to"), std::string::npos) << gw.output();
  EXPECT_EQ(gw.stop(SIGTERM), 0);
  const auto verified = verify_audit_files({audit_dir.string()});
  EXPECT_TRUE(verified.ok()) << to_string(verified.problem) << ": " << verified.message << " (" << verified.file
                             << ":" << verified.line << ")";
  EXPECT_TRUE(std::filesystem::exists(newest + ".torn"));
  EXPECT_EQ(count_lines_with(audit_dir, "\"type\":\"audit.tail_repaired\""), 1u);
}

std::uint64_t usage_requests(const running_gateway& gw, const std::string& token) {
  const auto r = http_call(gw.admin_port(), "GET", "/admin/usage?group_by=key", {},
                           {{"authorization", "Bearer " + token}});
  const auto at = r.body.find("\"requests\":");
  return at == std::string::npos ? 0 : std::stoull(r.body.substr(at + 11));
}

TEST(Crash, KilledDuringUsageFlushesLosesAtMostTheLastBatchAndCountsNothingTwice) {
  const std::string token = "crash-test-admin-token-0123456789";
  ::setenv("SLUICE_CRASH_TEST_ADMIN_TOKEN", token.c_str(), 1);
  running_gateway gw("governance:\n  require_keys: true\n  store: @DIR@/governance.db\n  usage_flush_ms: 50\n"
                     "  anomaly_detection: false\n"
                     "  admin:\n    listen: 127.0.0.1:0\n    token_env: SLUICE_CRASH_TEST_ADMIN_TOKEN\n");
  ASSERT_NE(gw.admin_port(), 0) << gw.output();
  const auto created = http_call(gw.admin_port(), "POST", "/admin/keys", R"({"name":"crash"})",
                                 {{"authorization", "Bearer " + token}});
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto at = created.body.find("\"secret\":\"");
  const std::string secret = created.body.substr(at + 10, created.body.find('"', at + 10) - at - 10);

  steady::time_point killed;
  std::vector<steady::time_point> answered;
  {
    load clients(gw.port(), 5ms, {{"x-api-key", secret}});
    std::this_thread::sleep_for(2000ms);
    killed = steady::now();
    EXPECT_EQ(gw.stop(SIGKILL), -SIGKILL);
    clients.stop();
    answered = clients.answered();
  }
  gw.start();
  ASSERT_NE(gw.admin_port(), 0) << gw.output();
  const std::uint64_t stored = usage_requests(gw, token);
  std::printf("[ measure  ] %zu requests answered before SIGKILL, %llu in the usage store after restart\n",
              answered.size(), static_cast<unsigned long long>(stored));
  // Nothing counted twice: the store never has more than the clients were answered.
  EXPECT_LE(stored, answered.size());
  // At most the last batch lost: what was answered well before the kill (twenty flush intervals of
  // 50 ms: slack for a loaded machine, where the writer thread may wait its turn) is in the store.
  std::size_t settled_long_before = 0;
  for (const auto& t : answered) {
    settled_long_before += t < killed - 1000ms ? 1 : 0;
  }
  EXPECT_GE(stored, settled_long_before) << answered.size() << " answered";
  // And the gateway serves the key again, its usage going on from what was stored.
  EXPECT_EQ(gw.normal_request({{"x-api-key", secret}}).status, 200u);
}

}  // namespace
}  // namespace sluice::gateway::testing
