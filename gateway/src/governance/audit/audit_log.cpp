// The audit log writer: records are queued by any thread and written, chained and fsynced by one
// background thread, so the request path only pays for a short queue push. Shards hand over a whole
// batch of lines in one swap (hand_over): one lock per batch, no allocation per record; the lines are
// split, chained and hashed on the writer, which runs at a lower priority than the shards and writes in
// small pieces, so its work never stands in a request's way.
#include "sluice/gateway/audit_log.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "base/crypto_util.h"
#include "base/file_lock.h"
#include "base/time_util.h"
#include "governance/audit/audit_files.h"
#include "governance/audit/audit_write_seam.h"
#include "base/clock_source.h"
#include "governance/audit/json_fields.h"

namespace sluice::gateway {

namespace fs = std::filesystem;

struct audit_log::impl {
  audit_options options;
  std::shared_ptr<const clock_source> clock;

  // What appenders queue, in append order: one record, or a batch of lines to split on the writer.
  enum class body_kind : std::uint8_t {
    fields,         // body: one record's members (append)
    member_lines,   // body: one record per line, each its members (hand_over)
    object_lines,   // body: one record per line, each a {...} object (append_lines)
  };
  struct queued {
    std::int64_t ts_ms = 0;
    std::string type;  // short: kept in the string itself, no allocation
    std::string body;
    body_kind kind = body_kind::fields;
  };
  // Queue shared with appenders.
  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::condition_variable flushed_cv;
  std::vector<queued> queue;
  std::vector<std::string> spare_buffers;  // emptied batch buffers, handed back by hand_over
  std::uint64_t appended = 0;  // entries queued so far (guarded by queue_mutex)
  std::uint64_t written = 0;   // entries durable so far (guarded by queue_mutex)
  bool stopping = false;
  bool flush_requested = false;

  // Writer-thread state.
  std::uint64_t next_seq = 1;
  std::string prev_hash = std::string(64, '0');
  int open_day = 0;
  int fd = -1;
  std::string head_copy;  // guarded by queue_mutex (read by head())
  std::string key_id;     // checkpoint_key_id(options.checkpoint_key) when signing
  std::thread writer;
  std::unique_ptr<file_lock> writer_lock;  // held while this object writes the directory

  std::int64_t last_prune_day = 0;
  // Signed checkpoints between day starts (options.checkpoint_interval_ms), writer thread only.
  std::int64_t last_checkpoint_ms = 0;
  bool records_since_checkpoint = false;
  std::string last_file;  // name of the newest day file before the open one (for checkpoints)

  ~impl() {
    if (fd >= 0) {
      ::close(fd);
    }
  }

  void resume() {
    fs::create_directories(options.directory);
    // One writer per chain: a second one (another gateway, `sluice admin serve`) would fork it.
    writer_lock = std::make_unique<file_lock>(options.directory + "/.sluice-audit.lock",
                                              "the audit log " + options.directory);
    const auto files = audit_files_in(options.directory);
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
      std::string last;
      if (!read_last_line(*it, last)) {
        // The process died inside a write (SIGKILL, power loss): the file ends in part of a record
        // that was never complete, so never acknowledged as durable. Its bytes are moved aside (kept,
        // not destroyed), the chain goes on from the last whole record, and a record says so.
        set_aside_torn_tail(*it);
        if (!read_last_line(*it, last)) {
          throw std::runtime_error("audit log " + *it +
                                   " ends with an incomplete record; run `sluice audit verify` on it");
        }
      }
      if (last.empty()) {
        continue;  // an empty file (created just before a crash): look at the one before
      }
      std::uint64_t seq = 0;
      if (!read_seq(last, seq)) {
        throw std::runtime_error("audit log " + *it + ": the last record is not a valid audit record");
      }
      next_seq = seq + 1;
      prev_hash = crypto::to_hex(crypto::sha256(last));
      // The previous run's tail is not signed off yet unless it ended with a checkpoint.
      records_since_checkpoint = last.find("\"type\":\"checkpoint\"") == std::string::npos;
      last_file = std::filesystem::path(*it).filename().string();
      break;
    }
    head_copy = prev_hash;
  }

  // Moves the bytes after the file's last newline to `<file>.torn` (or .torn.2, …), which the chain
  // and the verifier ignore, and notes it for an `audit.tail_repaired` record. Throws when it cannot.
  void set_aside_torn_tail(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::size_t nl = bytes.rfind('\n');
    const std::size_t keep = nl == std::string::npos ? 0 : nl + 1;
    std::string aside = path + ".torn";
    for (int n = 2; fs::exists(aside); ++n) {
      aside = path + ".torn." + std::to_string(n);
    }
    {
      std::ofstream out(aside, std::ios::binary);
      out.write(bytes.data() + keep, static_cast<std::streamsize>(bytes.size() - keep));
      if (!out) {
        throw std::runtime_error("audit log " + path + " ends with an incomplete record and " + aside +
                                 " cannot be written to keep it");
      }
    }
    std::error_code ec;
    fs::resize_file(path, keep, ec);
    if (ec) {
      throw std::runtime_error("audit log " + path + " ends with an incomplete record that cannot be removed: " +
                               ec.message());
    }
    std::fprintf(stderr, "sluice: audit log %s ended inside a record (the process stopped mid-write): its last %zu "
                 "bytes were moved to %s\n", path.c_str(), bytes.size() - keep, aside.c_str());
    json_fields f;
    f.add("file", fs::path(path).filename().string())
        .add("bytes", static_cast<std::int64_t>(bytes.size() - keep))
        .add("saved_to", fs::path(aside).filename().string());
    torn_tail_note = f.str();
  }
  std::string torn_tail_note;  // fields of the audit.tail_repaired record to write first, if any

  // Appends one record (without its newline) to `out` and makes it the chain's head. Written in place,
  // and the head's hash rewritten in its own buffer: the writer builds every record without allocating.
  void append_line(std::string& out, std::string_view ts, std::string_view type, std::string_view fields,
                   bool sign = false) {
    const std::size_t start = out.size();
    out.reserve(start + 160 + type.size() + fields.size());
    out += "{\"seq\":";
    char seq[24];
    out.append(seq, std::to_chars(seq, seq + sizeof seq, next_seq).ptr);
    out += ",\"ts\":\"";
    out += ts;
    out += "\",\"type\":";
    append_json_string(out, type);
    out += ",\"prev\":\"";
    out += prev_hash;
    out += '"';
    if (!fields.empty()) {
      out += ',';
      out += fields;
    }
    if (sign && !options.checkpoint_key.empty()) {
      out += ",\"sig_alg\":\"hmac-sha256\",\"sig_key\":\"";
      out += key_id;
      out += '"';
      // The signed text is the record as it reads without the sig member (see audit_log.h).
      out += '}';
      crypto::digest sig{};  // a failure leaves zeros, which verify flags
      (void)crypto::hmac_sha256(options.checkpoint_key, std::string_view(out).substr(start), sig);
      out.pop_back();
      out += ",\"sig\":\"";
      crypto::append_hex(out, sig.data(), sig.size());
      out += '"';
    }
    out += '}';
    const crypto::digest hash = crypto::sha256(std::string_view(out).substr(start));
    prev_hash.clear();
    crypto::append_hex(prev_hash, hash.data(), hash.size());
    ++next_seq;
  }

  // Opens the day file for `day`, starting it with a checkpoint record when it is new.
  void open_day_file(int day, std::int64_t ts_ms, std::string& out) {
    if (fd >= 0) {
      write_all(out);
      ::close(fd);
      fd = -1;
      last_file = audit_file_name(open_day);
    }
    const std::string path = options.directory + "/" + audit_file_name(day);
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_APPEND;
    fd = ::open(path.c_str(), flags, 0640);
    if (fd < 0) {
      open_errno = errno;  // write_all keeps the records and marks the log unwritable
      return;
    }
    open_errno = 0;
    open_day = day;
    if (::lseek(fd, 0, SEEK_END) == 0) {
      // A new file starts with a checkpoint linking it to the previous file, so verification can start
      // here once older files are pruned.
      // prev_file and retention_days let the verifier tell pruning from deletion.
      append_checkpoint(ts_ms, {}, out);
    }
  }

  // A checkpoint in the open file: names it, the file before it and the retention in force (so the
  // verifier can tell pruning from deletion), signed when there is a key. `reason` is empty for the
  // one starting a file.
  void append_checkpoint(std::int64_t ts_ms, std::string_view reason, std::string& out) {
    json_fields f;
    f.add("file", audit_file_name(open_day)).add("prev_file", last_file).add("retention_days", options.retention_days);
    if (!reason.empty()) {
      f.add("reason", reason);
    }
    append_line(out, timeutil::iso8601(ts_ms), "checkpoint", f.str(), true);
    out += '\n';
    last_checkpoint_ms = ts_ms;
    records_since_checkpoint = false;
  }

  // With a signing key, signs off the records written since the last checkpoint once they are
  // checkpoint_interval_ms old, or at once when `final` (shutdown): whoever rewrites them later
  // cannot re-sign the checkpoint that covers them.
  void maybe_checkpoint(bool final) {
    if (options.checkpoint_key.empty() || !records_since_checkpoint || fd < 0) {
      return;
    }
    const std::int64_t now = clock->now_ms();
    if (!final && (options.checkpoint_interval_ms <= 0 || now - last_checkpoint_ms < options.checkpoint_interval_ms)) {
      return;
    }
    std::string out;
    if (timeutil::yyyymmdd(now) > open_day) {
      open_day_file(timeutil::yyyymmdd(now), now, out);  // a new day starts with a signed checkpoint
    } else {
      append_checkpoint(now, final ? "shutdown" : "interval", out);
    }
    write_all(out);
    if (options.immutable && fd >= 0) {
      ::fdatasync(fd);
    }
  }

  // Writes what an earlier write could not, then `out`. What cannot be written now (disk full, a
  // read-only file system, an I/O error) stays in `unwritten`, in order, and is tried again on every
  // wake-up: a half-written line is finished later, so the chain on disk stays whole. The log is then
  // not writable() (a gateway with `immutable: true` refuses requests) until a write succeeds.
  // Beyond max_unwritten_bytes the oldest unwritten records are given up, counted, and an
  // `audit.records_lost` record says so once writing works again: never a silent loss.
  void write_all(std::string& out) {
    if (unwritten.empty()) {
      unwritten.swap(out);
    } else {
      unwritten += out;
    }
    out.clear();
    std::size_t done = 0;
    int error = fd >= 0 ? 0 : (open_errno != 0 ? open_errno : EBADF);
    while (error == 0 && done < unwritten.size()) {
      const int injected = testing_seam::audit_write_errno.load(std::memory_order_relaxed);
      const ssize_t n = injected != 0 ? (errno = injected, -1) : ::write(fd, unwritten.data() + done, unwritten.size() - done);
      if (n < 0) {
        if (errno == EINTR) {
          continue;
        }
        error = errno;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    if (done > 0) {
      partial_line = unwritten[done - 1] != '\n';
    }
    unwritten.erase(0, done);
    if (error == 0) {
      set_health(0);
      if (lost_records != 0) {
        note_lost_records();
      }
      return;
    }
    set_health(error);
    if (unwritten.size() > max_unwritten_bytes) {
      // Give up whole records from the front; a record already partly on disk is kept, to be finished.
      const std::size_t first_end = unwritten.find('\n');
      const std::size_t keep_from = partial_line && first_end != std::string::npos ? first_end + 1 : 0;
      std::size_t cut = keep_from;
      while (unwritten.size() - (cut - keep_from) > max_unwritten_bytes) {
        const std::size_t nl = unwritten.find('\n', cut);
        if (nl == std::string::npos) {
          break;
        }
        cut = nl + 1;
        ++lost_records;
      }
      unwritten.erase(keep_from, cut - keep_from);
    }
  }

  // The chain goes on after the lost records with a record saying how many there were.
  void note_lost_records() {
    const std::uint64_t lost = lost_records;
    lost_records = 0;
    const std::int64_t now = clock->now_ms();
    json_fields f;
    f.add("count", static_cast<std::int64_t>(lost)).add("reason", "the audit directory could not be written");
    std::string out;
    append_line(out, timeutil::iso8601(now), "audit.records_lost", f.str());
    out += '\n';
    write_all(out);
  }

  void set_health(int error) {
    const int before = write_errno.exchange(error, std::memory_order_acq_rel);
    if (before == 0 && error != 0) {
      std::fprintf(stderr, "sluice: audit log %s cannot be written (%s); records are kept in memory and written "
                   "when it can be again%s\n", options.directory.c_str(), std::strerror(error),
                   options.immutable ? "; requests are refused meanwhile (immutable: true)" : "");
    } else if (before != 0 && error == 0) {
      std::fprintf(stderr, "sluice: audit log %s is written again\n", options.directory.c_str());
    }
  }

  static constexpr std::size_t max_unwritten_bytes = 32u << 20;
  std::string unwritten;           // writer thread: bytes not on disk yet, whole records in chain order
  bool partial_line = false;       // unwritten starts in the middle of a line
  std::uint64_t lost_records = 0;  // given up beyond max_unwritten_bytes, not yet reported in the log
  int open_errno = 0;              // why the day file could not be opened (writer thread)
  std::atomic<int> write_errno{0};  // 0: the last write succeeded; read by any thread

  void prune(std::int64_t now_ms) {
    if (options.retention_days <= 0) {
      return;
    }
    const int oldest_kept = timeutil::yyyymmdd(now_ms - options.retention_days * 86'400'000LL);
    for (const auto& path : audit_files_in(options.directory)) {
      const int day = audit_file_day(path);
      if (day != 0 && day < oldest_kept && day != open_day) {
        std::error_code ec;
        fs::remove(path, ec);
      }
    }
  }

  // Appends one record of `type` to `out` (opening the day's file first when the day changed), and
  // writes `out` once it holds a small piece: many short writes rather than one long one per batch.
  void add_record(std::int64_t ts_ms, std::string_view ts, std::string_view type, std::string_view fields,
                  std::string& out) {
    // Never go back to an earlier day's file (a clock stepped back at midnight): the chain must run
    // through the files in name order.
    const int day = std::max(timeutil::yyyymmdd(ts_ms), open_day);
    if (fd < 0 || day != open_day) {
      open_day_file(day, ts_ms, out);
      if (day != last_prune_day) {
        prune(ts_ms);
        last_prune_day = day;
      }
    }
    append_line(out, ts, type, fields);
    out += '\n';
    records_since_checkpoint = true;
    if (out.size() >= write_piece_bytes) {
      write_all(out);
    }
  }

  static constexpr std::size_t write_piece_bytes = 16 * 1024;

  void write_batch(std::vector<queued>& batch) {
    std::string out;
    std::string object_fields;
    for (const queued& entry : batch) {
      const std::string ts = timeutil::iso8601(entry.ts_ms);
      if (entry.kind == body_kind::fields) {
        add_record(entry.ts_ms, ts, entry.type, entry.body, out);
        continue;
      }
      std::string_view rest = entry.body;
      while (!rest.empty()) {
        const auto nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        if (entry.kind == body_kind::member_lines) {
          if (!line.empty()) {
            add_record(entry.ts_ms, ts, entry.type, line, out);
          }
          continue;
        }
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
          line.remove_suffix(1);
        }
        if (line.empty()) {
          continue;
        }
        if (line.size() >= 2 && line.front() == '{' && line.back() == '}') {
          add_record(entry.ts_ms, ts, entry.type, line.substr(1, line.size() - 2), out);
        } else {
          object_fields = "\"raw\":";
          append_json_string(object_fields, line);
          add_record(entry.ts_ms, ts, entry.type, object_fields, out);
        }
      }
    }
    write_all(out);
    if (options.immutable && fd >= 0 && unwritten.empty() && ::fdatasync(fd) != 0 && errno != EINVAL) {
      set_health(errno);  // written but not durable: as good as not written for an immutable log
    }
  }

  void run() {
    // Below the shards: when a shard and the writer want the same core, the shard runs first.
    (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10);
    std::vector<queued> batch;
    std::unique_lock lock(queue_mutex);
    for (;;) {
      queue_cv.wait_for(lock, std::chrono::milliseconds(std::max<std::int64_t>(1, options.flush_interval_ms)),
                        [&] { return stopping || flush_requested; });
      flush_requested = false;
      batch.swap(queue);
      const std::uint64_t target = appended;
      const bool stop = stopping;
      lock.unlock();
      if (!batch.empty()) {
        write_batch(batch);
      } else if (!unwritten.empty()) {
        std::string nothing;
        write_all(nothing);  // retry what the disk refused earlier, every interval
        if (options.immutable && fd >= 0 && unwritten.empty()) {
          (void)::fdatasync(fd);
        }
      }
      maybe_checkpoint(stop);
      lock.lock();
      // The batches' buffers go back to the shards, emptied but with their capacity (a few at most,
      // and none grown by a burst to more than a shard usually needs).
      for (queued& entry : batch) {
        if (entry.kind == body_kind::member_lines && spare_buffers.size() < max_spare_buffers &&
            entry.body.capacity() <= max_spare_capacity) {
          entry.body.clear();
          spare_buffers.push_back(std::move(entry.body));
        }
      }
      batch.clear();
      written = target;
      head_copy = prev_hash;
      flushed_cv.notify_all();
      if (stop && queue.empty()) {
        if (!unwritten.empty()) {
          lock.unlock();
          std::string nothing;
          write_all(nothing);  // one last try
          if (!unwritten.empty()) {
            std::fprintf(stderr, "sluice: audit log %s: stopping with %zu bytes of records that could not be written\n",
                         options.directory.c_str(), unwritten.size());
          }
        }
        return;
      }
    }
  }

  static constexpr std::size_t max_spare_buffers = 64;
  static constexpr std::size_t max_spare_capacity = 4u << 20;
};

std::string checkpoint_key_id(std::string_view key) {
  return crypto::to_hex(crypto::sha256(key)).substr(0, 16);
}

audit_log::audit_log(audit_options options) : impl_(std::make_unique<impl>()) {
  if (options.directory.empty()) {
    throw std::runtime_error("audit log: no directory configured");
  }
  impl_->clock = options.clock ? options.clock : system_clock_source();
  impl_->options = std::move(options);
  if (!impl_->options.checkpoint_key.empty()) {
    impl_->key_id = checkpoint_key_id(impl_->options.checkpoint_key);
  }
  impl_->resume();
  if (!impl_->torn_tail_note.empty()) {
    append("audit.tail_repaired", impl_->torn_tail_note);
  }
  impl_->writer = std::thread([p = impl_.get()] { p->run(); });
}

audit_log::~audit_log() {
  {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  impl_->writer.join();
}

void audit_log::append(std::string_view type, std::string_view fields) noexcept {
  try {
    impl::queued entry{impl_->clock->now_ms(), std::string(type), std::string(fields), impl::body_kind::fields};
    std::lock_guard lock(impl_->queue_mutex);
    impl_->queue.push_back(std::move(entry));
    ++impl_->appended;
  } catch (...) {
    // Out of memory: the record is dropped rather than failing the request.
  }
}

void audit_log::append_lines(std::string&& lines, std::string_view type) noexcept {
  try {
    impl::queued entry{impl_->clock->now_ms(), std::string(type), std::move(lines), impl::body_kind::object_lines};
    std::lock_guard lock(impl_->queue_mutex);
    impl_->queue.push_back(std::move(entry));
    ++impl_->appended;
  } catch (...) {
    // Out of memory: the batch is dropped rather than failing requests.
  }
}

void audit_log::hand_over(std::string& lines, std::string_view type) noexcept {
  if (lines.empty()) {
    return;
  }
  const std::int64_t ts_ms = impl_->clock->now_ms();
  try {
    std::lock_guard lock(impl_->queue_mutex);
    // The queue keeps its capacity between batches (the writer swaps it with its own), so after the
    // first few flushes this push allocates nothing; `type` fits in the string's own storage.
    impl_->queue.push_back(impl::queued{ts_ms, std::string(type), std::string(), impl::body_kind::member_lines});
    impl_->queue.back().body.swap(lines);
    ++impl_->appended;
    if (!impl_->spare_buffers.empty()) {
      lines.swap(impl_->spare_buffers.back());
      impl_->spare_buffers.pop_back();
    }
  } catch (...) {
    lines.clear();  // out of memory: the batch is dropped rather than failing requests
  }
}

void audit_log::flush() {
  std::unique_lock lock(impl_->queue_mutex);
  const std::uint64_t target = impl_->appended;
  impl_->flush_requested = true;
  impl_->queue_cv.notify_all();
  impl_->flushed_cv.wait(lock, [&] { return impl_->written >= target; });
}

std::string audit_log::head() const {
  std::lock_guard lock(impl_->queue_mutex);
  return impl_->head_copy;
}

const std::string& audit_log::directory() const noexcept { return impl_->options.directory; }

bool audit_log::writable() const noexcept { return impl_->write_errno.load(std::memory_order_acquire) == 0; }

int audit_log::write_error() const noexcept { return impl_->write_errno.load(std::memory_order_acquire); }

bool audit_log::immutable() const noexcept { return impl_->options.immutable; }

}  // namespace sluice::gateway
