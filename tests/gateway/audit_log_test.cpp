// The audit log as an auditor sees it: a chain that verifies, and each kind of tampering caught.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "crypto_util.h"
#include "governance_test_support.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/audit_verify.h"

namespace sluice::gateway {
namespace {

std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

void write_lines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& line : lines) {
    out << line << '\n';
  }
}

class AuditLog : public ::testing::Test {
 protected:
  AuditLog() : clock_(std::make_shared<testing::manual_clock>(testing::test_start_ms)) {}

  // Writes `count` request records in one day file and returns its path.
  std::string write_records(int count) {
    audit_options options;
    options.directory = dir_.path();
    options.clock = clock_;
    audit_log log(options);
    for (int i = 0; i < count; ++i) {
      json_fields f;
      f.add("request_id", "req-" + std::to_string(i)).add("status", 200).add("tokens", 42);
      log.append("request", f.str());
    }
    log.flush();
    head_ = log.head();
    return dir_.file("audit-20260310.jsonl");
  }

  testing::temp_dir dir_;
  std::shared_ptr<testing::manual_clock> clock_;
  std::string head_;
};

TEST_F(AuditLog, CleanLogVerifies) {
  const std::string file = write_records(5);
  const auto lines = read_lines(file);
  ASSERT_EQ(lines.size(), 6u);  // checkpoint + 5
  EXPECT_NE(lines[0].find("\"type\":\"checkpoint\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"request_id\":\"req-0\""), std::string::npos);
  const auto result = verify_audit_files({file}, head_);
  EXPECT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.records, 6u);
  EXPECT_EQ(result.head, head_);
}

TEST_F(AuditLog, ModifiedRecordIsReported) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  const auto at = lines[2].find("\"status\":200");
  lines[2].replace(at, 12, "\"status\":403");
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::modified) << result.message;
  EXPECT_EQ(result.line, 3u);
  EXPECT_EQ(result.seq, 3u);
}

TEST_F(AuditLog, DeletedRecordIsReported) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  lines.erase(lines.begin() + 3);
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::deleted) << result.message;
  EXPECT_NE(result.message.find("seq 4..4"), std::string::npos) << result.message;
}

TEST_F(AuditLog, InsertedRecordIsReported) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  // A forged copy of record 3 placed after it, as if someone added a request that never happened.
  std::string forged = lines[3];
  forged.replace(forged.find("req-2"), 5, "req-X");
  lines.insert(lines.begin() + 4, forged);
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::inserted) << result.message;
  EXPECT_EQ(result.line, 5u);
}

TEST_F(AuditLog, InsertedRecordWithCorrectPrevAndNextSeqIsReported) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  // The forger computes the right prev hash and seq for its position, but cannot fix what follows.
  const std::string prev = crypto::to_hex(crypto::sha256(lines[2]));
  std::string forged = "{\"seq\":4,\"ts\":\"2026-03-10T12:00:00.000Z\",\"type\":\"request\",\"prev\":\"" + prev +
                       "\",\"request_id\":\"forged\"}";
  lines.insert(lines.begin() + 3, forged);
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::inserted) << result.message;
  EXPECT_EQ(result.line, 4u);
}

TEST_F(AuditLog, ReorderedRecordsAreReported) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  std::swap(lines[2], lines[3]);
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::reordered) << result.message;
  EXPECT_EQ(result.line, 3u);
}

TEST_F(AuditLog, TruncatedTailIsReportedAgainstTheHead) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  lines.pop_back();
  write_lines(file, lines);
  EXPECT_TRUE(verify_audit_files({file}).ok());  // without the head, a clean cut is invisible
  const auto result = verify_audit_files({file}, head_);
  EXPECT_EQ(result.problem, audit_problem::head_mismatch) << result.message;
}

TEST_F(AuditLog, DeletedHeadOfTheChainIsReported) {
  const std::string file = write_records(5);
  auto lines = read_lines(file);
  lines.erase(lines.begin(), lines.begin() + 2);
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::deleted) << result.message;
}

TEST_F(AuditLog, GarbageLineIsReportedAsMalformed) {
  const std::string file = write_records(3);
  auto lines = read_lines(file);
  lines[2] = "not json";
  write_lines(file, lines);
  const auto result = verify_audit_files({file});
  EXPECT_EQ(result.problem, audit_problem::malformed);
  EXPECT_EQ(result.line, 3u);
}

TEST_F(AuditLog, ChainContinuesAcrossRestartsAndDays) {
  write_records(2);
  write_records(1);                // a restart on the same day continues the file
  clock_->advance_ms(86'400'000);  // the next day starts a new file with a checkpoint
  write_records(2);
  clock_->advance_ms(86'400'000);
  write_records(2);
  const auto result = verify_audit_files({dir_.path()}, head_);
  EXPECT_TRUE(result.ok()) << result.message;
  EXPECT_EQ(result.records, 4u + 3u + 3u);
}

TEST_F(AuditLog, DeletedDayFileIsReported) {
  write_records(2);
  clock_->advance_ms(86'400'000);
  write_records(2);
  clock_->advance_ms(86'400'000);
  write_records(2);
  // A day in the middle: the seq gap shows.
  {
    testing::temp_dir copy;
    for (const char* day : {"audit-20260310.jsonl", "audit-20260312.jsonl"}) {
      std::filesystem::copy_file(dir_.file(day), copy.file(day));
    }
    const auto result = verify_audit_files({copy.path()});
    EXPECT_EQ(result.problem, audit_problem::deleted) << result.message;
  }
  // The oldest day while retention keeps everything: the checkpoint names the missing file.
  std::filesystem::remove(dir_.file("audit-20260310.jsonl"));
  const auto result = verify_audit_files({dir_.path()});
  EXPECT_EQ(result.problem, audit_problem::deleted) << result.message;
  EXPECT_NE(result.message.find("audit-20260310.jsonl"), std::string::npos) << result.message;
}

TEST_F(AuditLog, RetentionPrunesOldFilesAndTheRestStillVerifiesFromItsCheckpoint) {
  audit_options options;
  options.directory = dir_.path();
  options.clock = clock_;
  options.retention_days = 2;
  {
    audit_log log(options);
    for (int day = 0; day < 5; ++day) {
      log.append("request", "\"n\":1");
      log.flush();
      clock_->advance_ms(86'400'000);
    }
    log.append("request", "\"n\":2");
    log.flush();
    head_ = log.head();
  }
  const auto files = std::vector<std::filesystem::path>(std::filesystem::directory_iterator(dir_.path()), {});
  EXPECT_LE(files.size(), 3u);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("audit-20260310.jsonl")));
  const auto result = verify_audit_files({dir_.path()}, head_);
  EXPECT_TRUE(result.ok()) << result.message;
  EXPECT_GT(result.first_seq, 1u);
}

TEST_F(AuditLog, FieldsAreEscapedAndClientAddressesMasked) {
  json_fields f;
  f.add("text", "quote \" backslash \\ newline \n").add("ip", mask_client_ip("203.0.113.77"));
  EXPECT_EQ(f.str(), R"("text":"quote \" backslash \\ newline \n","ip":"203.0.113.0/24")");
  EXPECT_EQ(mask_client_ip("2001:db8:1:2:3::5"), "2001:db8:1::/48");
  EXPECT_EQ(mask_client_ip("nonsense"), "");
}

}  // namespace
}  // namespace sluice::gateway

namespace sluice::gateway {
namespace {

TEST(AuditLogLines, PolicyBatchesBecomeChainedRequestRecords) {
  testing::temp_dir dir;
  audit_options options;
  options.directory = dir.path();
  options.clock = std::make_shared<testing::manual_clock>(testing::test_start_ms);
  std::string head;
  {
    audit_log log(options);
    log.append_lines("{\"request_id\":\"a\",\"status\":200}\n{\"request_id\":\"b\",\"status\":403}\nnot an object\n");
    log.flush();
    head = log.head();
  }
  const auto lines = read_lines(dir.file("audit-20260310.jsonl"));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[1].find("\"type\":\"request\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"request_id\":\"a\",\"status\":200}"), std::string::npos);
  EXPECT_NE(lines[3].find("\"raw\":\"not an object\""), std::string::npos);
  EXPECT_TRUE(verify_audit_files({dir.path()}, head).ok());
}

}  // namespace
}  // namespace sluice::gateway
