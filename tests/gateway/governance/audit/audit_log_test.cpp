// The audit log as an auditor sees it: a chain that verifies, and each kind of tampering caught.
#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/crypto_util.h"
#include "governance/audit/client_ip_mask.h"
#include "governance_test_support.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/audit_verify.h"
#include "governance/audit/json_fields.h"
#include "governance/audit/audit_write_seam.h"

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
    options.checkpoint_key = key_;
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
  std::string key_;  // checkpoint signing key for write_records; empty: unsigned
};

// What someone with write access but without the signing key can do: after editing, recompute every
// prev from the first line of `files` on, so the hash chain is whole again.
void rechain(const std::vector<std::string>& files) {
  std::string prev_line;
  for (const auto& file : files) {
    auto lines = read_lines(file);
    for (auto& line : lines) {
      if (!prev_line.empty()) {
        const auto at = line.find("\"prev\":\"") + 8;
        line.replace(at, 64, crypto::to_hex(crypto::sha256(prev_line)));
      }
      prev_line = line;
    }
    write_lines(file, lines);
  }
}

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
  std::size_t day_files = 0;  // the directory also holds the writer's lock file
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    day_files += entry.path().filename().string().starts_with("audit-") ? 1 : 0;
  }
  EXPECT_LE(day_files, 3u);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("audit-20260310.jsonl")));
  const auto result = verify_audit_files({dir_.path()}, head_);
  EXPECT_TRUE(result.ok()) << result.message;
  EXPECT_GT(result.first_seq, 1u);
}

TEST_F(AuditLog, SignedCheckpointsVerifyWithTheKey) {
  key_ = "checkpoint-key-0123456789abcdef";
  write_records(2);
  clock_->advance_ms(86'400'000);
  write_records(2);
  const auto lines = read_lines(dir_.file("audit-20260311.jsonl"));
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].find("\"sig_alg\":\"hmac-sha256\",\"sig_key\":\"" + checkpoint_key_id(key_) + "\",\"sig\":\""),
            std::string::npos)
      << lines[0];
  // Each run signs off its records at shutdown too.
  EXPECT_NE(lines.back().find("\"type\":\"checkpoint\""), std::string::npos) << lines.back();
  EXPECT_NE(lines.back().find("\"reason\":\"shutdown\""), std::string::npos) << lines.back();
  const auto with_key = verify_audit_files({dir_.path()}, {}, key_);
  EXPECT_TRUE(with_key.ok()) << with_key.message;
  EXPECT_EQ(with_key.signed_checkpoints, 4u);
  const auto without_key = verify_audit_files({dir_.path()});
  EXPECT_TRUE(without_key.ok()) << without_key.message;
  EXPECT_EQ(without_key.signed_checkpoints, 4u);  // present, not checked
  // The head read while the log ran is still the head: only the shutdown checkpoint follows it.
  EXPECT_TRUE(verify_audit_files({dir_.path()}, head_, key_).ok());
}

TEST_F(AuditLog, RewrittenChainIsCaughtByTheCheckpointSignature) {
  key_ = "checkpoint-key-0123456789abcdef";
  write_records(3);
  clock_->advance_ms(86'400'000);
  write_records(2);
  const std::string day1 = dir_.file("audit-20260310.jsonl");
  const std::string day2 = dir_.file("audit-20260311.jsonl");
  auto lines = read_lines(day1);
  const auto at = lines[2].find("\"status\":200");
  ASSERT_NE(at, std::string::npos);
  lines[2].replace(at, 12, "\"status\":403");
  write_lines(day1, lines);
  rechain({day1, day2});
  // The hash chain alone no longer sees the edit; the next day's signed checkpoint does.
  EXPECT_TRUE(verify_audit_files({dir_.path()}).ok());
  const auto result = verify_audit_files({dir_.path()}, {}, key_);
  EXPECT_EQ(result.problem, audit_problem::signature) << result.message;
  EXPECT_EQ(result.file, day1);
  EXPECT_EQ(result.line, 5u);  // the checkpoint that signed off the run: checkpoint, 3 records, it
  EXPECT_NE(result.message.find("does not match its content"), std::string::npos) << result.message;
}

TEST_F(AuditLog, IntervalCheckpointsSignOffRecordsWithinTheDay) {
  key_ = "checkpoint-key-0123456789abcdef";
  audit_options options;
  options.directory = dir_.path();
  options.clock = clock_;
  options.checkpoint_key = key_;
  options.checkpoint_interval_ms = 60'000;
  const std::string file = dir_.file("audit-20260310.jsonl");
  {
    audit_log log(options);
    log.append("request", "\"n\":1");
    log.append("request", "\"n\":2");
    log.flush();
    clock_->advance_ms(61'000);
    log.append("request", "\"n\":3");
    log.flush();
    // The log is still open: the records written more than a minute ago are signed off already.
    const auto lines = read_lines(file);
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_NE(lines[4].find("\"reason\":\"interval\""), std::string::npos) << lines[4];
  }
  auto lines = read_lines(file);
  lines[1].replace(lines[1].find("\"n\":1"), 5, "\"n\":7");
  write_lines(file, lines);
  rechain({file});
  const auto result = verify_audit_files({file}, {}, key_);
  EXPECT_EQ(result.problem, audit_problem::signature) << result.message;
  EXPECT_EQ(result.line, 5u);
  // Cutting the file's head up to a checkpoint written later in the file is a deletion.
  lines = read_lines(file);
  write_lines(file, std::vector<std::string>(lines.begin() + 4, lines.end()));
  EXPECT_EQ(verify_audit_files({file}).problem, audit_problem::deleted);
}

TEST_F(AuditLog, WrongKeyUnsignedAndStrippedCheckpointsAreReported) {
  key_ = "checkpoint-key-0123456789abcdef";
  write_records(2);
  const auto wrong = verify_audit_files({dir_.path()}, {}, "another-key-0123456789abcdef");
  EXPECT_EQ(wrong.problem, audit_problem::signature);
  EXPECT_NE(wrong.message.find("another key"), std::string::npos) << wrong.message;

  // A forger removes the signature and re-chains: unsigned checkpoints fail when a key is given.
  const std::string file = dir_.file("audit-20260310.jsonl");
  auto lines = read_lines(file);
  const auto sig = lines[0].find(",\"sig_alg\"");
  ASSERT_NE(sig, std::string::npos);
  lines[0] = lines[0].substr(0, sig) + "}";
  write_lines(file, lines);
  rechain({file});
  EXPECT_TRUE(verify_audit_files({file}).ok());
  const auto stripped = verify_audit_files({file}, {}, key_);
  EXPECT_EQ(stripped.problem, audit_problem::signature);
  EXPECT_NE(stripped.message.find("is not signed"), std::string::npos) << stripped.message;

  // A signature copied from elsewhere onto edited content does not match it.
  testing::temp_dir other;
  audit_options options;
  options.directory = other.path();
  options.clock = clock_;
  options.checkpoint_key = key_;
  { audit_log log(options); log.append("request", "\"n\":1"); log.flush(); }
  auto genuine = read_lines(other.file("audit-20260310.jsonl"));
  std::string forged = genuine[0];
  forged.replace(forged.find("\"retention_days\":0"), 18, "\"retention_days\":9");
  genuine[0] = forged;
  write_lines(other.file("audit-20260310.jsonl"), genuine);
  rechain({other.file("audit-20260310.jsonl")});
  const auto edited = verify_audit_files({other.path()}, {}, key_);
  EXPECT_EQ(edited.problem, audit_problem::signature) << edited.message;
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

namespace sluice::gateway {
namespace {

// Shards hand over their buffers whole (hand_over): several threads, many batches of varied sizes,
// flushes in between; every record arrives once, each thread's in its order, and the chain verifies.
TEST(AuditLogHandOver, RecordsArriveInOrderAndNoneIsLostAcrossSwaps) {
  testing::temp_dir dir;
  audit_options options;
  options.directory = dir.path();
  options.clock = std::make_shared<testing::manual_clock>(testing::test_start_ms);
  options.flush_interval_ms = 1;  // the writer swaps the queue while the threads hand over
  constexpr int threads = 4;
  constexpr int batches = 150;
  std::string head;
  int total = 0;
  {
    audit_log log(options);
    std::vector<std::thread> shards;
    std::vector<int> counts(threads, 0);
    for (int t = 0; t < threads; ++t) {
      shards.emplace_back([&log, &counts, t] {
        std::string buffer;
        int n = 0;
        for (int b = 0; b < batches; ++b) {
          const int lines = 1 + (b * 7 + t) % 23;
          for (int i = 0; i < lines; ++i) {
            buffer += "\"shard\":" + std::to_string(t) + ",\"n\":" + std::to_string(n++) + "\n";
            if (i == 3) {
              buffer += "\n";  // an empty line is no record
            }
          }
          log.hand_over(buffer);
          EXPECT_TRUE(buffer.empty());
          if (b % 50 == 49) {
            log.flush();
          }
        }
        counts[t] = n;
      });
    }
    for (auto& s : shards) {
      s.join();
    }
    log.flush();
    head = log.head();
    for (const int c : counts) {
      total += c;
    }
  }
  const auto lines = read_lines(dir.file("audit-20260310.jsonl"));
  std::vector<int> next(threads, 0);
  int requests = 0;
  for (const auto& line : lines) {
    if (line.find("\"type\":\"request\"") == std::string::npos) {
      continue;
    }
    ++requests;
    const auto s = line.find("\"shard\":");
    const auto n = line.find(",\"n\":");
    ASSERT_NE(s, std::string::npos) << line;
    const int t = std::stoi(line.substr(s + 8));
    const int value = std::stoi(line.substr(n + 5));
    ASSERT_EQ(value, next[t]) << "shard " << t << " out of order or a record lost: " << line;
    ++next[t];
  }
  EXPECT_EQ(requests, total);
  EXPECT_TRUE(verify_audit_files({dir.path()}, head).ok());
}

TEST(AuditLogHandOver, RecordsReadAsTheyDidWhenAppendedOneByOne) {
  testing::temp_dir one_by_one_dir;
  testing::temp_dir handed_over_dir;
  const std::string batch = "\"request_id\":\"a\",\"status\":200\n\n\"request_id\":\"b\",\"client\":\"10.0.0.0/24\"\n";
  for (const bool hand_over : {false, true}) {
    audit_options options;
    options.directory = hand_over ? handed_over_dir.path() : one_by_one_dir.path();
    options.clock = std::make_shared<testing::manual_clock>(testing::test_start_ms);
    audit_log log(options);
    if (hand_over) {
      std::string buffer = batch;
      log.hand_over(buffer);
    } else {
      log.append("request", "\"request_id\":\"a\",\"status\":200");
      log.append("request", "\"request_id\":\"b\",\"client\":\"10.0.0.0/24\"");
    }
    log.flush();
  }
  EXPECT_EQ(read_lines(handed_over_dir.file("audit-20260310.jsonl")),
            read_lines(one_by_one_dir.file("audit-20260310.jsonl")));
}

TEST(AuditLogHandOver, TheBufferComesBackForReuse) {
  testing::temp_dir dir;
  audit_options options;
  options.directory = dir.path();
  options.clock = std::make_shared<testing::manual_clock>(testing::test_start_ms);
  audit_log log(options);
  std::string buffer;
  buffer.reserve(100000);
  buffer += "\"request_id\":\"a\"\n";
  log.hand_over(buffer);
  EXPECT_TRUE(buffer.empty());
  log.flush();  // the writer is done with the first batch: its buffer is a spare now
  buffer += "\"request_id\":\"b\"\n";
  log.hand_over(buffer);
  EXPECT_TRUE(buffer.empty());
  EXPECT_GE(buffer.capacity(), 100000u);
  std::string nothing;
  log.hand_over(nothing);  // an empty buffer is no batch
  log.flush();
  EXPECT_EQ(read_lines(dir.file("audit-20260310.jsonl")).size(), 3u);
}

}  // namespace
}  // namespace sluice::gateway

namespace sluice::gateway {
namespace {

// The audit log's writes fail (disk full) for as long as the test says, then work again.
struct failing_disk {
  explicit failing_disk(int error) { testing_seam::audit_write_errno.store(error); }
  ~failing_disk() { heal(); }
  void heal() { testing_seam::audit_write_errno.store(0); }
};

TEST(AuditLogWriteFailures, RecordsWaitWhileTheDiskRefusesAndAreWrittenInOrderAfter) {
  testing::temp_dir dir;
  audit_options options;
  options.directory = dir.path();
  options.flush_interval_ms = 5;
  audit_log log(options);
  EXPECT_TRUE(log.writable());
  failing_disk disk(ENOSPC);
  for (int i = 0; i < 50; ++i) {
    log.append("request", "\"n\":" + std::to_string(i));
  }
  log.flush();
  EXPECT_FALSE(log.writable());
  EXPECT_EQ(log.write_error(), ENOSPC);
  disk.heal();
  for (int i = 0; i < 200 && !log.writable(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // retried every flush interval
  }
  EXPECT_TRUE(log.writable());
  log.append("request", "\"n\":50");
  log.flush();
  const auto verified = verify_audit_files({dir.path()}, log.head());
  EXPECT_TRUE(verified.ok()) << verified.message;
  EXPECT_EQ(verified.records, 52u);  // the file's checkpoint and the 51 records
}

TEST(AuditLogWriteFailures, BeyondTheMemoryBoundTheOldestAreCountedAsLostNeverSilently) {
  testing::temp_dir dir;
  audit_options options;
  options.directory = dir.path();
  options.flush_interval_ms = 5;
  options.immutable = false;  // no fsync: the test writes 40 MiB
  audit_log log(options);
  failing_disk disk(EIO);
  const std::string filler(1000, 'x');
  // About 40 MiB of records while nothing can be written: over the 32 MiB kept in memory.
  for (int i = 0; i < 40'000; ++i) {
    log.append("request", "\"n\":" + std::to_string(i) + ",\"pad\":\"" + filler + "\"");
  }
  log.flush();
  disk.heal();
  log.append("request", "\"n\":\"after\"");
  log.flush();
  for (int i = 0; i < 200 && !log.writable(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  log.flush();
  std::uint64_t lost = 0;
  std::size_t kept = 0;
  std::vector<std::string> lines;
  for (const auto& f : std::filesystem::directory_iterator(dir.path())) {
    if (f.path().extension() == ".jsonl") {
      const auto more = read_lines(f.path().string());
      lines.insert(lines.end(), more.begin(), more.end());
    }
  }
  for (const auto& line : lines) {
    if (line.find("\"type\":\"audit.records_lost\"") != std::string::npos) {
      lost = std::stoull(line.substr(line.find("\"count\":") + 8));
    } else if (line.find("\"type\":\"request\"") != std::string::npos) {
      ++kept;
    }
  }
  EXPECT_GT(lost, 0u);
  // Every record is on disk or counted: the 40,001 requests and the checkpoint that opened the file
  // (the oldest of all, given up first).
  EXPECT_EQ(kept + lost, 40'002u);
}

}  // namespace
}  // namespace sluice::gateway
