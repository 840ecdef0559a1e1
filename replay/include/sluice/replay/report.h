#pragma once
// What `sluice replay` measured, how it is printed (tables for people, JSON for machines), and the
// regression floors CI checks it against.
#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/replay/corpus.h"
#include "sluice/replay/metrics.h"

namespace sluice::replay {

struct shown_error {
  entity_error error;
  std::string context;  // the text around the span, the span itself marked [[like this]]
};

struct replay_result {
  std::vector<std::string> files;
  std::size_t pii_lines = 0;
  std::size_t injection_lines = 0;
  std::size_t scan_failures = 0;            // lines the scanner refused (invalid UTF-8…)
  std::vector<corpus_error> input_errors;   // unreadable files and lines, scan failures
  std::map<std::string, entity_counts> entities;
  std::map<std::string, std::uint64_t> not_in_catalog;          // gold types no rule produces
  std::map<std::string, std::uint64_t> unlabelled_predictions;  // predicted types no input labels
  std::vector<shown_error> entity_errors;
  std::vector<scored_line> injection_scores;
  injection_summary injection;
};

// Regression floors: every listed entity must keep precision and recall at or above its floor, and
// the injection rates must stay inside theirs. Written as JSON:
//   {"entities": {"EMAIL": {"precision": 0.97, "recall": 0.95}, …},
//    "injection": {"threshold": 0.5, "tpr_min": 0.8, "fpr_max": 0.05}}
struct entity_floor {
  double precision = 0;
  double recall = 0;
};
struct floors {
  std::map<std::string, entity_floor> entities;
  std::optional<double> injection_threshold;  // replay uses it unless --threshold is given
  std::optional<double> injection_tpr_min;
  std::optional<double> injection_fpr_max;
};

// "missed", "spurious" or "boundary": how the reports name an entity error's kind.
[[nodiscard]] const char* kind_name(entity_error::kind k);

// Up to `n` entity errors of each kind for each type, in input order within a kind (what the text,
// JSON and HTML reports show).
[[nodiscard]] std::vector<const shown_error*> pick_errors(const replay_result& r, std::size_t n);

[[nodiscard]] bool parse_floors(std::string_view json, floors& out, std::string& error);
// One message per floor that is not met; empty when all hold.
[[nodiscard]] std::vector<std::string> check_floors(const floors& f, const replay_result& r);

// Human-readable tables; `max_errors` mistakes of each kind per entity type and injection side.
void print_text(std::ostream& out, const replay_result& r, std::size_t max_errors);
// One JSON document (with the same content, errors included up to `max_errors`).
void print_json(std::ostream& out, const replay_result& r, std::size_t max_errors,
                const std::vector<std::string>& floor_failures);

// `text` on one line: newlines, tabs and carriage returns shown as \n, \t, \r.
[[nodiscard]] std::string one_line(std::string_view text);

// The text around [start, end) with the span marked, at most `radius` bytes each side, newlines shown
// as \n, cut on UTF-8 character boundaries.
[[nodiscard]] std::string context_snippet(std::string_view text, std::uint32_t start, std::uint32_t end,
                                          std::size_t radius = 40);

}  // namespace sluice::replay
