#pragma once
// Scanning a text of any size in chunks, with the entity findings a whole-text scan would give.
//
// A text_chunker cuts the input into chunks of about `chunk_bytes` (the core) and hands each out with
// `margin` bytes of its neighbours on either side (the window). scan_chunk scans the window as one text
// and keeps the findings that belong to the core; chunks are independent, so any number of threads can
// scan them (see ordered_pipeline.h), and memory is bounded by the chunk size, not the text's.
//
// What comes out exactly as from one scan of the whole text, and what does not:
// - Entities (pii, secrets): a finding belongs to the chunk where it starts. Whether a finding exists
//   and where it starts and ends depends only on the bytes around it: its own span (at most
//   max_redaction_width() bytes), the context word before it (max_context_window() plus the word) and
//   one byte either side; the margin covers all of that with room to spare, so every finding starting in
//   a core is found in its window exactly as in the whole text. Two overlapping candidates are merged
//   into one finding; a chain of overlapping candidates wider than the margin (never seen in real text)
//   is the one case where a chunk could see it differently.
// - Content hits are reported where they end and belong to the chunk where they end; a term is a few
//   words, far shorter than the margin, so they are exact too.
// - Injection signatures: each chunk reports the distinct signatures of its window (first occurrence in
//   the window) and the window's score. That per-chunk score is what a long document should be judged
//   by (a whole book scored as one text matches nearly every signature somewhere). injection_summary
//   combines the chunks into what the whole-text scan reports: the first occurrence of each distinct
//   signature and the score over them. That is exact for signatures, which are at most signature_window
//   bytes wide; a base64/hex payload or a letter-spaced run longer than the margin that crosses a chunk
//   boundary is decoded or normalized per window, so what it hides may be reported differently.
// - A chunk that fails (invalid UTF-8 in its window, too many raw matches: the scanner's per-text cap
//   applies per window) fails alone; the whole-text scan would have rejected everything.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/redactor.h"
#include "sluice/engine/result.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"

namespace sluice::engine {

// A finding with offsets into the whole input (64-bit: inputs may exceed 4 GiB).
struct located_finding {
  std::uint32_t rule = 0;
  std::uint64_t start = 0;
  std::uint64_t end = 0;

  friend bool operator==(const located_finding&, const located_finding&) = default;
};

// One chunk: `bytes` holds the input's [base, base + bytes.size()); the window scanned is
// bytes[0, scan_end); the chunk owns what starts in bytes[core_begin, core_end).
struct text_chunk {
  std::string bytes;
  std::uint64_t base = 0;
  std::size_t core_begin = 0;
  std::size_t core_end = 0;
  std::size_t scan_end = 0;
  std::uint64_t index = 0;  // 0, 1, 2… in input order
  bool last = false;        // the input ends with this chunk

  [[nodiscard]] std::string_view window() const noexcept { return std::string_view(bytes).substr(0, scan_end); }
};

// The margin a ruleset needs either side of a core for entities and signatures to come out exact.
[[nodiscard]] std::size_t chunk_margin(const ruleset& rules) noexcept;

// Reads up to `max` bytes into `dst`: the count read, 0 at the end of the input, negative on error.
using chunk_read_fn = std::function<std::ptrdiff_t(char* dst, std::size_t max)>;

class text_chunker {
 public:
  enum class status : std::uint8_t { chunk, end, read_error };

  // `chunk_bytes` per core (at least 4: a core holds a whole character); `margin` from chunk_margin().
  text_chunker(std::size_t chunk_bytes, std::size_t margin) noexcept;

  // Fills `out` with the next chunk, reusing its buffer. An empty input gives one empty chunk (a text
  // with nothing in it is still a text). After the last chunk: status::end.
  [[nodiscard]] status next(text_chunk& out, const chunk_read_fn& read);

 private:
  std::size_t chunk_bytes_;
  std::size_t margin_;
  std::string carry_;            // the next chunk's left margin (and whatever was read past it)
  std::uint64_t carry_base_ = 0;
  std::size_t carry_core_ = 0;   // where the next core begins in carry_
  std::uint64_t next_index_ = 0;
  bool eof_ = false;
  bool done_ = false;
};

struct chunk_scan_result {
  std::vector<located_finding> entities;   // starting in the core: sorted, never overlapping
  std::vector<located_finding> content;    // ending in the core, sorted by start
  std::vector<located_finding> injection;  // the window's distinct signatures (first occurrence each)
  double injection_score = 0;              // the window's score (scan_result::injection_score)
  double signature_score = 0;              // the window's signatures' (scan_result::signature_score)
  double model_score = 0;                  // the learned scorer's, with scan_options::model
  // The input bytes this chunk's redacted output covers: from where the previous chunk's last finding
  // ended (the core's start, or later when a finding crossed into this core) to the core's end, or
  // later when this chunk's last finding crosses out of it. Consecutive chunks' ranges tile the input.
  std::uint64_t output_begin = 0;
  std::uint64_t output_end = 0;
  scan_result window;  // the window's own result (a reused buffer)

  void clear() noexcept;
};

// Scans `chunk`'s window and keeps what belongs to it (see the top of this file).
// Errors: those of scanner::scan for the window (invalid_utf8, hyperscan_failure, too_many_findings).
[[nodiscard]] errc scan_chunk(scanner& s, const text_chunk& chunk, chunk_scan_result& out,
                              const scan_options& options = {}) noexcept;

// Appends `text` (starting at input offset `text_base`) to `out` with the findings that lie in
// [out_begin, out_end) replaced by their placeholders: a chunk's redacted output when called with
// chunk.bytes, chunk.base and the result's output range.
void redact_chunk(std::string_view text, std::uint64_t text_base, std::uint64_t out_begin, std::uint64_t out_end,
                  const std::vector<located_finding>& findings, const ruleset& rules, redactor& placeholders,
                  std::string& out);

// The whole input's injection report from its chunks': the first occurrence of each distinct signature
// and the score over them, as scanner::scan gives for one text. With a learned scorer the score is the
// higher of that and the highest model score of any chunk: the model scores a text by its best window,
// and a chunk's windows start at other offsets than the whole text's would, so that part can differ
// slightly from one whole-text scan.
class injection_summary {
 public:
  // `model_in_use`: the chunks were scanned with a learned model (model_covered signatures add nothing to
  // the signature score then, as in scanner::scan).
  explicit injection_summary(const ruleset& rules, bool model_in_use = false);
  void add(const chunk_scan_result& chunk);
  // Sorted by start (then rule).
  [[nodiscard]] std::vector<located_finding> signatures() const;
  [[nodiscard]] double score() const;
  [[nodiscard]] double signature_score() const;
  [[nodiscard]] double model_score() const noexcept { return model_score_; }

 private:
  const ruleset* rules_;
  std::vector<located_finding> first_;  // per rule; start == max: not seen
  double model_score_ = 0;
  bool model_in_use_ = false;
};

}  // namespace sluice::engine
