#pragma once
// Detection metrics for `sluice replay`, as pure functions over labelled and predicted spans and scores.
//
// Entities: within one text, a gold span is a true positive when a predicted span of the same type
// overlaps it (exact when the boundaries are equal too), and a false negative otherwise; a predicted
// span that overlaps no gold span of its type is a false positive. Precision = TP / (TP + FP),
// recall = TP / (TP + FN); a predicted span of the wrong type counts against both types.
//
// Injection: a line is flagged when its score reaches the threshold. True-positive rate over attack
// lines, false-positive rate over benign lines, per category and overall, and a threshold sweep.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sluice/replay/corpus.h"

namespace sluice::replay {

struct entity_counts {
  std::uint64_t gold = 0;
  std::uint64_t predicted = 0;
  std::uint64_t tp = 0;     // gold spans found
  std::uint64_t fp = 0;     // predicted spans overlapping no gold span of their type
  std::uint64_t fn = 0;     // gold spans not found
  std::uint64_t exact = 0;  // true positives whose boundaries match a prediction exactly

  // Ratios are 1.0 when their denominator is zero (nothing to get wrong).
  [[nodiscard]] double precision() const noexcept;
  [[nodiscard]] double recall() const noexcept;
  [[nodiscard]] double f1() const noexcept;
  [[nodiscard]] double exact_rate() const noexcept;  // exact / tp
};

// One mistake, with where it happened, for --errors.
struct entity_error {
  enum class kind : std::uint8_t { false_negative, false_positive, boundary };
  kind what = kind::false_negative;
  std::string type;
  std::string record_id;
  std::uint32_t start = 0;  // the gold span (false_negative, boundary) or the predicted span
  std::uint32_t end = 0;
  std::uint32_t other_start = 0;  // boundary: the overlapping prediction
  std::uint32_t other_end = 0;
};

// Compares one text's gold and predicted spans; adds to `counts` (by type) and appends to `errors`.
// Only types in `scored_types` are counted; the others are left out of both sides.
void score_entities(const std::string& record_id, const std::vector<labelled_span>& gold,
                    const std::vector<labelled_span>& predicted, const std::set<std::string>& scored_types,
                    std::map<std::string, entity_counts>& counts, std::vector<entity_error>& errors);

struct rate_counts {
  std::uint64_t lines = 0;
  std::uint64_t flagged = 0;
  [[nodiscard]] double rate() const noexcept { return lines == 0 ? 0.0 : double(flagged) / double(lines); }
};

struct scored_line {
  std::string id;
  std::string category;
  std::string lang;
  bool injection = false;  // gold label
  double score = 0;
  std::string excerpt;  // the start of the text, for --errors
};

// A line counts as flagged when its score reaches the threshold (a hair of tolerance for rounding, so
// a score of exactly 0.85 is flagged at 0.85).
[[nodiscard]] inline bool flagged_at(double score, double threshold) noexcept {
  return score + 1e-9 >= threshold;
}

struct roc_point {
  double threshold = 0;
  double tpr = 0;
  double fpr = 0;
};

struct injection_summary {
  double threshold = 0;
  rate_counts attacks;  // flagged attacks: true positives
  rate_counts benign;   // flagged benign lines: false positives
  std::map<std::string, rate_counts> attack_categories;
  std::map<std::string, rate_counts> benign_categories;
  std::map<std::string, rate_counts> attack_languages;
  std::vector<roc_point> roc;  // thresholds 0.05, 0.10 … 1.00
  // The lowest threshold whose false-positive rate is at most `fpr_budget`, and its rates.
  roc_point best_at_budget;
  double fpr_budget = 0.02;
};

[[nodiscard]] injection_summary summarize_injection(const std::vector<scored_line>& lines, double threshold,
                                                    double fpr_budget = 0.02);

}  // namespace sluice::replay
