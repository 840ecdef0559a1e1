#pragma once
// Runs the engine over labelled corpora and measures it: the work behind `sluice replay`.
#include <string>
#include <vector>

#include "sluice/replay/report.h"
#include "sluice/engine/scanner.h"

namespace sluice::replay {

struct replay_options {
  double threshold = 0.5;        // injection score at or above which a line is flagged
  double fpr_budget = 0.02;      // for "lowest threshold with FPR <= budget"
  std::size_t context_radius = 40;
  // The learned injection scorer joining the signatures (null: signatures alone). Not owned.
  const sluice::engine::injection_model* model = nullptr;
  // Scanner threads (the given scanner and jobs - 1 more over its ruleset); 0: one per hardware thread.
  // The result does not depend on it: records are scored in input order.
  std::size_t jobs = 0;
};

// Reads every file (JSONL, either shape per line), scans each line once and scores it. The scans run on
// options.jobs threads (sluice/engine/ordered_pipeline.h, as `sluice scan` does), the scoring on one,
// in input order.
// Unreadable files and bad lines are listed in the result's input_errors and skipped.
// Only entity types that both the catalog produces and some input labels are scored; the others are
// counted in not_in_catalog / unlabelled_predictions so that a corpus with other label sets (PERSON…)
// and a catalog with more types than a corpus labels are both measured fairly.
[[nodiscard]] replay_result run_replay(const std::vector<std::string>& files, sluice::engine::scanner& scanner,
                                       const replay_options& options);

}  // namespace sluice::replay
