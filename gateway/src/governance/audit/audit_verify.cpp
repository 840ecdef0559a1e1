// Chain verification: every record must carry the hash of the one before it and the next seq.
// When that fails, the seqs around the break tell which kind of tampering it was.
#include "sluice/gateway/audit_verify.h"

#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "governance/audit/audit_files.h"
#include "sluice/gateway/audit_log.h"
#include "base/crypto_util.h"
#include "base/time_util.h"

namespace sluice::gateway {

const char* to_string(audit_problem p) noexcept {
  switch (p) {
    case audit_problem::none: return "ok";
    case audit_problem::unreadable: return "unreadable";
    case audit_problem::malformed: return "malformed";
    case audit_problem::modified: return "modified";
    case audit_problem::deleted: return "deleted";
    case audit_problem::inserted: return "inserted";
    case audit_problem::reordered: return "reordered";
    case audit_problem::head_mismatch: return "head_mismatch";
    case audit_problem::signature: return "signature";
  }
  return "unknown";
}

namespace {

struct record {
  std::size_t file = 0;
  std::uint64_t line = 0;
  std::uint64_t seq = 0;
  std::string prev;
  std::string type;
  std::string hash;
  std::string prev_file;        // checkpoints: the day file before this one
  std::int64_t retention_days = 0;  // checkpoints: the retention in force when it was written
  std::string sig_problem;      // checkpoints, with a key: why the signature does not hold (empty: it does)
  bool is_signed = false;       // checkpoints: carries a sig member
  bool opens_file = false;      // checkpoints: the one starting a day file (no "reason" member)
};

// Checks a checkpoint's signature (see audit_log.h for the layout). Returns why it fails, or "".
std::string check_signature(std::string_view line, simdjson::dom::element doc, const std::string& key,
                            const std::string& key_id) {
  std::string_view sig, sig_key, alg;
  if (doc["sig"].get_string().get(sig) != simdjson::SUCCESS) {
    return "is not signed";
  }
  if (doc["sig_alg"].get_string().get(alg) != simdjson::SUCCESS || alg != "hmac-sha256") {
    return "names an unknown signature algorithm";
  }
  if (doc["sig_key"].get_string().get(sig_key) == simdjson::SUCCESS && sig_key != key_id) {
    return "was signed with another key (sig_key " + std::string(sig_key) + ", the given key is " + key_id + ")";
  }
  // The signed text is the line without its final `,"sig":"<64 hex>"` member.
  constexpr std::string_view head = ",\"sig\":\"";
  constexpr std::size_t suffix = head.size() + 64 + 2;
  crypto::digest given{};
  if (line.size() < suffix || line.substr(line.size() - suffix, head.size()) != head ||
      line.substr(line.size() - 2) != "\"}" || !crypto::from_hex(line.substr(line.size() - 66, 64), given)) {
    return "has a malformed signature";
  }
  std::string message(line.substr(0, line.size() - suffix));
  message += '}';
  crypto::digest expected{};
  if (!crypto::hmac_sha256(key, message, expected) || !crypto::equal_constant_time(given, expected)) {
    return "has a signature that does not match its content (forged or modified)";
  }
  return {};
}

std::string where(const std::vector<std::string>& files, const record& r) {
  return files[r.file] + ":" + std::to_string(r.line);
}

}  // namespace

audit_verify_result verify_audit_files(const std::vector<std::string>& inputs, const std::string& expected_head,
                                       const std::string& checkpoint_key) {
  audit_verify_result result;
  const std::string key_id = checkpoint_key.empty() ? std::string() : checkpoint_key_id(checkpoint_key);
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      for (auto& f : audit_files_in(input)) {
        files.push_back(std::move(f));
      }
    } else {
      files.push_back(input);
    }
  }
  std::stable_sort(files.begin(), files.end(), [](const std::string& a, const std::string& b) {
    return std::filesystem::path(a).filename() < std::filesystem::path(b).filename();
  });
  auto fail = [&](audit_problem p, std::size_t file, std::uint64_t line, std::uint64_t seq, std::string message) {
    result.problem = p;
    result.file = file < files.size() ? files[file] : std::string();
    result.line = line;
    result.seq = seq;
    result.message = std::move(message);
    return result;
  };
  if (files.empty()) {
    return fail(audit_problem::unreadable, 0, 0, 0, "no audit files given");
  }

  // Read and parse every record; the first unparsable line is itself the answer.
  std::vector<record> records;
  simdjson::dom::parser parser;
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::ifstream in(files[f], std::ios::binary);
    if (!in) {
      return fail(audit_problem::unreadable, f, 0, 0, "cannot open " + files[f]);
    }
    std::string line;
    std::uint64_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (in.eof()) {
        return fail(audit_problem::malformed, f, number, 0,
                    "the last line has no newline: a torn write or an edit at the end of the file");
      }
      record r;
      r.file = f;
      r.line = number;
      simdjson::dom::element doc;
      std::string_view prev, type, prev_file;
      if (parser.parse(line).get(doc) != simdjson::SUCCESS || doc["seq"].get_uint64().get(r.seq) != simdjson::SUCCESS ||
          doc["prev"].get_string().get(prev) != simdjson::SUCCESS ||
          doc["type"].get_string().get(type) != simdjson::SUCCESS || prev.size() != 64) {
        return fail(audit_problem::malformed, f, number, 0,
                    "line " + std::to_string(number) + " is not a valid audit record (modified or corrupted)");
      }
      r.prev = prev;
      r.type = type;
      if (type == "checkpoint") {
        std::int64_t retention = 0;
        if (doc["prev_file"].get_string().get(prev_file) == simdjson::SUCCESS) {
          r.prev_file = prev_file;
        }
        if (doc["retention_days"].get_int64().get(retention) == simdjson::SUCCESS) {
          r.retention_days = retention;
        }
        r.is_signed = doc["sig"].error() == simdjson::SUCCESS;
        r.opens_file = doc["reason"].error() != simdjson::SUCCESS;
        if (!checkpoint_key.empty()) {
          r.sig_problem = check_signature(line, doc, checkpoint_key, key_id);
        }
      }
      r.hash = crypto::to_hex(crypto::sha256(line));
      records.push_back(std::move(r));
    }
  }
  if (records.empty()) {
    return fail(audit_problem::deleted, 0, 0, 0, "the audit files hold no records");
  }

  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_seq;
  for (std::size_t i = 0; i < records.size(); ++i) {
    by_seq[records[i].seq].push_back(i);
  }

  const record& first = records.front();
  const bool genesis = first.seq == 1 && first.prev == std::string(64, '0');
  if (!genesis && first.type != "checkpoint") {
    return fail(audit_problem::deleted, first.file, first.line, first.seq,
                "the chain starts at seq " + std::to_string(first.seq) +
                    ", which is neither the first record nor a checkpoint: earlier records were deleted");
  }
  if (!genesis && (first.line != 1 || !first.opens_file)) {
    // Only the checkpoint opening a day file can start a pruned chain; one written later in the file
    // (with a "reason": interval, shutdown) starting it means the lines before it were cut.
    return fail(audit_problem::deleted, first.file, first.line, first.seq,
                "the chain starts at a checkpoint that does not open its file (seq " + std::to_string(first.seq) +
                    " at " + where(files, first) + "): the records before it were deleted");
  }
  result.first_seq = first.seq;
  if (!genesis && !first.prev_file.empty()) {
    // The chain starts after a file that is gone: fine if retention pruned it, not otherwise.
    const record* latest = &first;
    for (const auto& r : records) {
      if (r.type == "checkpoint") {
        latest = &r;
      }
    }
    const int newest_day = audit_file_day(files[latest->file]);
    const int missing_day = audit_file_day(first.prev_file);
    bool should_exist = latest->retention_days <= 0;
    if (!should_exist && newest_day != 0 && missing_day != 0) {
      const int y = newest_day / 10000, m = newest_day / 100 % 100, d = newest_day % 100;
      const std::int64_t kept_from_ms =
          timeutil::from_civil(y, m, d) - latest->retention_days * 86'400'000LL;
      should_exist = missing_day >= timeutil::yyyymmdd(kept_from_ms);
    }
    if (should_exist) {
      return fail(audit_problem::deleted, first.file, first.line, first.seq,
                  first.prev_file + ", which precedes " + files[first.file] +
                      ", is missing but is within the retention period: deleted");
    }
  }

  for (std::size_t i = 1; i < records.size(); ++i) {
    const record& before = records[i - 1];
    const record& r = records[i];
    const std::uint64_t expected = before.seq + 1;
    if (r.seq == expected) {
      if (r.prev != before.hash) {
        return fail(audit_problem::modified, before.file, before.line, before.seq,
                    "record seq " + std::to_string(before.seq) + " at " + where(files, before) +
                        " was modified: its hash does not match the prev of the record after it");
      }
      continue;
    }
    // A record that belongs to the chain (moved, not forged) still links to its own predecessor.
    auto genuine = [&](const record& x) {
      const auto it = by_seq.find(x.seq - 1);
      return x.seq > 1 && it != by_seq.end() && records[it->second.front()].hash == x.prev;
    };
    if (r.seq > expected) {
      const auto later = by_seq.find(expected);
      if (later != by_seq.end() && !genuine(r)) {
        return fail(audit_problem::inserted, r.file, r.line, r.seq,
                    "the record at " + where(files, r) + " (seq " + std::to_string(r.seq) +
                        ") does not belong to the chain: inserted");
      }
      if (later != by_seq.end()) {
        const record& moved = records[later->second.front()];
        return fail(audit_problem::reordered, r.file, r.line, r.seq,
                    "records are out of order: seq " + std::to_string(r.seq) + " at " + where(files, r) +
                        " comes before seq " + std::to_string(expected) + " at " + where(files, moved));
      }
      return fail(audit_problem::deleted, r.file, r.line, r.seq,
                  "records seq " + std::to_string(expected) + ".." + std::to_string(r.seq - 1) +
                      " are missing before " + where(files, r) + ": deleted");
    }
    // The seq went backwards or repeated.
    const auto& same = by_seq[r.seq];
    if (same.size() > 1) {
      // Of two records with one seq, the inserted one is the one the chain does not continue from.
      // The genuine one is the record the next seq links to.
      std::size_t suspect = i;
      const auto next = by_seq.find(r.seq + 1);
      for (const std::size_t j : same) {
        const bool linked = next != by_seq.end() && records[next->second.front()].prev == records[j].hash;
        if (!linked) {
          suspect = j;
          break;
        }
      }
      const record& s = records[suspect];
      return fail(audit_problem::inserted, s.file, s.line, s.seq,
                  "seq " + std::to_string(s.seq) + " appears more than once; the record at " + where(files, s) +
                      " does not belong to the chain: inserted");
    }
    if (!genuine(r)) {
      return fail(audit_problem::inserted, r.file, r.line, r.seq,
                  "the record at " + where(files, r) + " (seq " + std::to_string(r.seq) +
                      ") does not belong to the chain: inserted");
    }
    return fail(audit_problem::reordered, r.file, r.line, r.seq,
                "records are out of order: seq " + std::to_string(r.seq) + " at " + where(files, r) +
                    " comes after seq " + std::to_string(before.seq));
  }

  // Signatures last: a chain that does not link is reported as such first. A checkpoint that links
  // but whose signature fails was rewritten by someone without the key.
  for (const auto& r : records) {
    if (r.type != "checkpoint") {
      continue;
    }
    result.signed_checkpoints += r.is_signed ? 1 : 0;
    if (!r.sig_problem.empty()) {
      return fail(audit_problem::signature, r.file, r.line, r.seq,
                  "the checkpoint at " + where(files, r) + " (seq " + std::to_string(r.seq) + ") " + r.sig_problem);
    }
  }
  if (!checkpoint_key.empty() && first.type != "checkpoint") {
    return fail(audit_problem::signature, first.file, first.line, first.seq,
                "the chain does not start at a signed checkpoint");
  }

  const record& last = records.back();
  if (!expected_head.empty() && last.hash != expected_head) {
    for (std::size_t i = 0; i < records.size(); ++i) {
      if (records[i].hash != expected_head) {
        continue;
      }
      // Checkpoints the writer adds after the head was read (interval, shutdown, a new day) carry no
      // events; anything else after it was appended.
      for (std::size_t j = i + 1; j < records.size(); ++j) {
        if (records[j].type != "checkpoint") {
          return fail(audit_problem::inserted, records[j].file, records[j].line, records[j].seq,
                      "records after the expected head (seq " + std::to_string(records[i].seq) + ") were appended");
        }
      }
      result.records = records.size();
      result.head = last.hash;
      return result;
    }
    return fail(audit_problem::head_mismatch, last.file, last.line, last.seq,
                "the last record (seq " + std::to_string(last.seq) +
                    ") is not the expected head: the tail was modified or records were deleted from the end");
  }
  result.records = records.size();
  result.head = last.hash;
  return result;
}

}  // namespace sluice::gateway
