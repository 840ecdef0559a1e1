#pragma once
// Shared helpers for governance tests: a clock the test moves by hand, and a controller with keys.
#include <atomic>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "governance/governance_service.h"
#include "governance/key_registry.h"
#include "governance/usage/usage_ledger.h"
#include "base/clock_source.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway::testing {

class manual_clock final : public clock_source {
 public:
  explicit manual_clock(std::int64_t start_ms) : now_(start_ms) {}
  std::int64_t now_ms() const noexcept override { return now_.load(); }
  void advance_ms(std::int64_t ms) { now_.fetch_add(ms); }
  void set_ms(std::int64_t ms) { now_.store(ms); }

 private:
  std::atomic<std::int64_t> now_;
};

// 2026-03-10T12:00:00Z: mid-month, mid-day.
inline constexpr std::int64_t test_start_ms = 1773144000000;

// A fresh, empty directory under the system temp dir, removed with the object.
class temp_dir {
 public:
  temp_dir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("sluice-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] std::string path() const { return path_.string(); }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline admission_request request_with(const std::string& secret, std::string_view model = "claude-sonnet-4-20250514") {
  admission_request r;
  r.x_api_key = secret;
  r.client_ip = "127.0.0.1";
  r.endpoint = "/v1/messages";
  r.model = model;
  r.estimated_input_tokens = 10;
  r.max_tokens = 90;
  return r;
}

inline usage_report used(std::uint32_t input, std::uint32_t output, std::string_view verdicts = {}) {
  usage_report u;
  u.input_tokens = input;
  u.output_tokens = output;
  u.http_status = 200;
  u.verdicts = verdicts;
  return u;
}

inline key_record key_named(const std::string& name) {
  key_record k;
  k.name = name;
  k.team = "search";
  k.project = "ranker";
  k.environment = "prod";
  return k;
}

}  // namespace sluice::gateway::testing
