#pragma once
// Verification of audit log chains (`sluice audit verify`): reads day files in order and reports the
// first record that was modified, deleted, inserted or reordered.
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::gateway {

enum class audit_problem : std::uint8_t {
  none = 0,
  unreadable,  // a file could not be read
  malformed,   // a line is not a valid audit record (edited by hand, or torn)
  modified,    // a record's content changed: the next record's prev no longer matches its hash
  deleted,     // records are missing (a gap in seq, or a missing head of the chain)
  inserted,    // a record that does not belong (duplicate seq, or extra records after the head)
  reordered,   // records out of order
  head_mismatch,  // the last record differs from the expected head hash given to verify
  signature,      // with a checkpoint key: a checkpoint is unsigned, signed with another key, or forged
};
[[nodiscard]] const char* to_string(audit_problem p) noexcept;

struct audit_verify_result {
  audit_problem problem = audit_problem::none;
  std::string file;      // where the problem was found
  std::uint64_t line = 0;  // 1-based line in that file
  std::uint64_t seq = 0;   // seq of the record concerned (0 if unknown)
  std::string message;   // one sentence for the user
  std::uint64_t records = 0;  // records checked
  std::uint64_t first_seq = 0;  // where verification started (a checkpoint after pruning)
  std::string head;      // hash of the last record (when no problem)
  std::uint64_t signed_checkpoints = 0;  // checkpoints carrying a signature (checked when a key was given)
  [[nodiscard]] bool ok() const noexcept { return problem == audit_problem::none; }
};

// Verifies `files` (day files; directories are expanded to their audit-*.jsonl files) as one chain in
// name order. `expected_head`, if not empty, is the hex hash the last record must have (from
// audit_log::head() or GET /admin/audit/head): it makes truncation and edits of the tail detectable.
// `checkpoint_key`, if not empty, is the HMAC key the log was written with (audit_options): then the
// chain must start at a checkpoint and every checkpoint must carry a valid signature under that key,
// so a chain rewritten up to or across a checkpoint, or forged from scratch, is detected.
[[nodiscard]] audit_verify_result verify_audit_files(const std::vector<std::string>& files,
                                                     const std::string& expected_head = {},
                                                     const std::string& checkpoint_key = {});

}  // namespace sluice::gateway
