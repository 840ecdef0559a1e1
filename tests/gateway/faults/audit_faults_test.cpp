// The audit log's disk failing under a running gateway, as clients see it: with `immutable: true`
// (the default) model requests are refused with a clear 503 until the log can be written again, and
// no record is lost; with `immutable: false` requests go on and the records wait in memory. The write
// failures are injected behind a seam (no full disk or mount privileges needed); an unwritable
// directory at start-up is a real one.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "faults/fault_support.h"
#include "gateway_harness.h"
#include "governance/audit/audit_write_seam.h"
#include "sluice/gateway/audit_verify.h"

namespace sluice::gateway::testing {
namespace {

using namespace std::chrono_literals;

harness_options audited(bool immutable) {
  harness_options o;
  o.policies = std::string("  chain: [audit-logger]\n  policy:\n    audit-logger:\n      directory: @DIR@/audit\n") +
               "      flush_interval_ms: 20\n      immutable: " + (immutable ? "true" : "false") + "\n";
  return o;
}

// Polls /readyz until it answers `status` (bounded: 3 s).
bool readyz_becomes(harness& h, unsigned status) {
  for (int i = 0; i < 150; ++i) {
    if (http_call(h.port(), "GET", "/readyz").status == status) {
      return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

// This process's resident memory in KiB: the gateway runs inside the test here (the seam is in-process).
long self_rss_kib() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with("VmRSS:")) {
      return std::strtol(line.c_str() + 6, nullptr, 10);
    }
  }
  return 0;
}

struct seam_reset {
  ~seam_reset() { testing_seam::audit_write_errno.store(0); }
};

void run_write_failure(int error, const std::string& error_text) {
  seam_reset reset;
  harness h(audited(true));
  const long rss_before = self_rss_kib();
  int sent = 0;
  ASSERT_EQ(h.post_messages(messages_body("before the disk fails")).status, 200u);
  ++sent;
  testing_seam::audit_write_errno.store(error);
  // The next record the writer tries to write fails; from then on the gateway knows.
  EXPECT_EQ(h.post_messages(messages_body("as the disk fails")).status, 200u);
  ++sent;
  ASSERT_TRUE(readyz_becomes(h, 503));
  EXPECT_NE(http_call(h.port(), "GET", "/readyz").body.find("audit_log_unwritable"), std::string::npos);
  const std::size_t upstream_before = h.sim().request_count();
  for (int i = 0; i < 5; ++i) {
    // What the client sees: a 503 in its dialect naming the cause, with retry-after, and nothing
    // went upstream.
    const auto anthropic = h.post_messages(messages_body("while the disk is failing"));
    ++sent;
    EXPECT_EQ(anthropic.status, 503u);
    EXPECT_NE(anthropic.body.find("\"type\":\"api_error\""), std::string::npos) << anthropic.body;
    EXPECT_NE(anthropic.body.find("the audit log cannot be written (" + error_text + ")"), std::string::npos)
        << anthropic.body;
    EXPECT_EQ(anthropic.header("retry-after"), "5");
    const auto openai = http_call(h.port(), "POST", "/v1/chat/completions",
                                  R"({"model":"m","max_tokens":8,"messages":[{"role":"user","content":"hi"}]})");
    ++sent;
    EXPECT_EQ(openai.status, 503u);
    EXPECT_NE(openai.body.find("{\"error\":{\"message\":\"the audit log cannot be written"), std::string::npos)
        << openai.body;
  }
  EXPECT_EQ(h.sim().request_count(), upstream_before);
  // Health, metrics and models are still answered.
  EXPECT_EQ(http_call(h.port(), "GET", "/healthz").status, 200u);

  testing_seam::audit_write_errno.store(0);
  ASSERT_TRUE(readyz_becomes(h, 200));
  EXPECT_EQ(h.post_messages(messages_body("after the disk is back")).status, 200u);
  ++sent;
  EXPECT_LT(self_rss_kib() - rss_before, 32 * 1024);
  h.server().shutdown();
  // Every request has its record (the refused ones too), in one chain that verifies.
  const auto records = audit_requests(h.dir() / "audit");
  EXPECT_EQ(records.size(), static_cast<std::size_t>(sent));
  std::size_t refused = 0;
  for (const auto& r : records) {
    refused += r.find("\"status\":503") != std::string::npos ? 1 : 0;
  }
  EXPECT_EQ(refused, 10u);
  const auto verified = verify_audit_files({(h.dir() / "audit").string()});
  EXPECT_TRUE(verified.ok()) << verified.message;
}

TEST(AuditFaults, DiskFullRefusesRequestsUntilTheLogCanBeWrittenAndLosesNoRecord) {
  run_write_failure(ENOSPC, "No space left on device");
}

TEST(AuditFaults, ReadOnlyFileSystemRefusesRequestsUntilTheLogCanBeWrittenAndLosesNoRecord) {
  run_write_failure(EROFS, "Read-only file system");
}

TEST(AuditFaults, WithoutImmutableRequestsGoOnAndTheRecordsWaitInMemory) {
  seam_reset reset;
  harness h(audited(false));
  testing_seam::audit_write_errno.store(ENOSPC);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(h.post_messages(messages_body("disk full, log not required")).status, 200u);
  }
  std::this_thread::sleep_for(200ms);  // ten flush intervals: the writer has met the full disk
  EXPECT_EQ(http_call(h.port(), "GET", "/readyz").status, 200u);
  EXPECT_EQ(h.post_messages(messages_body("still served")).status, 200u);
  testing_seam::audit_write_errno.store(0);
  h.server().shutdown();
  EXPECT_EQ(audit_requests(h.dir() / "audit").size(), 6u);
  EXPECT_TRUE(verify_audit_files({(h.dir() / "audit").string()}).ok());
}

TEST(AuditFaults, UnwritableAuditDirectoryIsAClearStartupError) {
  // A path under a regular file cannot be a directory, whoever runs the test (root included).
  temp_dir dir;
  std::ofstream(dir.path / "not-a-directory") << "x";
  harness_options o;
  o.policies = "  chain: [audit-logger]\n  policy:\n    audit-logger:\n      directory: " +
               (dir.path / "not-a-directory" / "audit").string() + "\n";
  try {
    harness h(o);
    ADD_FAILURE() << "the gateway started without its audit directory";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("not-a-directory"), std::string::npos) << e.what();
  }
}

TEST(AuditFaults, ReadOnlyAuditDirectoryIsAClearStartupError) {
  if (::geteuid() == 0) {
    GTEST_SKIP() << "running as root: permissions do not stop root (the write-failure tests cover a "
                    "read-only file system through the seam)";
  }
  temp_dir dir;
  std::filesystem::create_directories(dir.path / "audit");
  ::chmod((dir.path / "audit").c_str(), 0555);
  harness_options o;
  o.policies = "  chain: [audit-logger]\n  policy:\n    audit-logger:\n      directory: " + (dir.path / "audit").string() + "\n";
  try {
    harness h(o);
    ADD_FAILURE() << "the gateway started with a read-only audit directory";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("audit"), std::string::npos) << e.what();
  }
  ::chmod((dir.path / "audit").c_str(), 0755);
}

}  // namespace
}  // namespace sluice::gateway::testing
