#pragma once
// The tamper-evident audit log: append-only JSON lines, one file per UTC day, where every record
// carries the SHA-256 of the record before it ("prev"), so the files form one chain that
// `sluice audit verify` checks. The gateway's audit-logger policy writes one "request" record per
// request; governance writes key/admin/alert records.
//
// Record layout (one line, no spaces added):
//   {"seq":N,"ts":"2026-11-23T19:50:01.123Z","type":"request","prev":"<64 hex>",<caller fields>}
// Each file starts with a "checkpoint" record whose prev is the hash of the previous file's last
// record, so a file whose predecessors were pruned (retention_days) still verifies from there on.
// With a checkpoint key, checkpoints are signed, and written also every checkpoint_interval_ms while
// records flow (with "reason":"interval") and at shutdown ("reason":"shutdown"). They end with
//   ,"sig_alg":"hmac-sha256","sig_key":"<16 hex>","sig":"<64 hex>"}
// where sig is HMAC-SHA256(key, the line without its `,"sig":"…"` member) and sig_key names the key
// (the first 16 hex digits of its SHA-256), so whoever rewrites the chain cannot forge them.
//
// Never pass raw prompt text, secrets or other PII in fields: pass ids, counts, verdicts, the
// redacted text at most. Client addresses are written masked to their /24 or /48 network.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sluice::gateway {

class clock_source;  // base/clock_source.h, private: the seam tests set a clock through

struct audit_options {
  std::string directory;            // where audit-YYYYMMDD.jsonl files live (created if missing)
  bool immutable = true;            // open O_APPEND and fsync in batches; false: write, no fsync
  std::int64_t retention_days = 0;  // delete day files older than this many days; 0 = keep forever
  // The writer wakes this often and writes (and, immutable, fsyncs) what was queued since. A record
  // waits at most this long in the queue; the gateway's shards hand theirs over at the same interval,
  // so a request's record reaches the disk within about twice this (see docs/keys-and-audit.md).
  std::int64_t flush_interval_ms = 200;
  std::shared_ptr<const clock_source> clock;  // null: system clock
  std::string checkpoint_key;       // HMAC key for checkpoint signatures; empty: unsigned checkpoints
  // With a key: records are also signed off by a checkpoint once they are this old (and at shutdown),
  // not only at the start of the next day file. 0: day starts and shutdown only.
  std::int64_t checkpoint_interval_ms = 300'000;
};

// The "sig_key" value naming `key` in signed checkpoints: the first 16 hex digits of its SHA-256.
[[nodiscard]] std::string checkpoint_key_id(std::string_view key);

class audit_log {
 public:
  // Opens (or resumes) the chain in options.directory: reads the newest file's last record to continue
  // seq and prev. Throws std::runtime_error naming the file when it cannot be opened or its tail is
  // not a valid record. Starts the background writer.
  explicit audit_log(audit_options options);
  ~audit_log();  // writes and fsyncs everything appended so far
  audit_log(const audit_log&) = delete;
  audit_log& operator=(const audit_log&) = delete;

  // Queue one record of `type` ("request", "key.created", "admin.auth_failed", …) with `fields`, the
  // members of a JSON object without braces (`"name":"value","n":1`), or empty. Thread-safe, noexcept; the
  // file write happens on the background writer within flush_interval_ms. Records are chained in the
  // order append() is called.
  void append(std::string_view type, std::string_view fields) noexcept;

  // For the gateway's audit-logger policy, which builds lines in per-shard buffers: `lines` holds
  // complete JSON objects, one per line, each '\n'-terminated. Each becomes one record of `type`
  // whose members follow the chain fields, so the objects must not use the names seq, ts, type or
  // prev themselves. A line that is not a {...} object is kept as {"raw": "<the line>"}.
  // Thread-safe, noexcept; takes the buffer (hand over a batch at a time, not a line at a time).
  void append_lines(std::string&& lines, std::string_view type = "request") noexcept;

  // For the gateway's shards, which build request records in a per-shard buffer: `lines` holds one
  // record per '\n'-terminated line, each the members of a JSON object without braces (as append()'s
  // `fields`); empty lines are skipped. Takes the whole batch in one swap under one lock, with no
  // allocation per record, and leaves `lines` empty, holding the buffer of an earlier batch the writer
  // is done with (its capacity kept) when there is one, so a shard's buffer stops allocating. The
  // records are stamped with the time of the hand-over and split, chained and written on the writer.
  // Thread-safe, noexcept.
  void hand_over(std::string& lines, std::string_view type = "request") noexcept;

  // Blocks until everything appended before the call is written (and fsynced when immutable).
  void flush();

  // SHA-256 (hex) of the last record written: keep it elsewhere to detect truncation of the tail.
  [[nodiscard]] std::string head() const;
  [[nodiscard]] const std::string& directory() const noexcept;

  // False while the log cannot be written (disk full, read-only, I/O error): its records wait in
  // memory (up to 32 MiB, then the oldest are counted as lost and an `audit.records_lost` record says
  // so) and are written when it can be again. A gateway whose log is `immutable` refuses model
  // requests meanwhile. write_error() is the errno of the last failure, 0 when writable.
  [[nodiscard]] bool writable() const noexcept;
  [[nodiscard]] int write_error() const noexcept;
  [[nodiscard]] bool immutable() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sluice::gateway
