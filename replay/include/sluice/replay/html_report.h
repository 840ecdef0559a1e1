#pragma once
// `sluice replay --html FILE`: the replay's results as one self-contained HTML page. Tables and plots
// (inline SVG) are written out in full, so the file needs no script, stylesheet, font or image from
// anywhere to be read, and can be attached to a ticket or archived as it is.
#include <iosfwd>
#include <string>
#include <vector>

#include "sluice/replay/report.h"

namespace sluice::replay {

// Where a result came from, printed at the top of the report.
struct run_provenance {
  std::string command;         // the command line that produced it
  std::string commit;          // the source commit the binary was built from ("unknown" if not known)
  std::string catalog_digest;  // hash of the compiled rule list (ruleset_stats::cache_key)
  std::string model;           // injection model: "none", "default" or its file
  std::string generated_at;    // ISO 8601 UTC
};

// Writes the report: per-entity precision/recall/F1, the injection ROC curve and threshold sweep as
// plots and tables, per-category rates, the worst `max_errors` mistakes of each kind with their
// context, the floors that failed, and `provenance`.
void print_html(std::ostream& out, const replay_result& r, std::size_t max_errors,
                const std::vector<std::string>& floor_failures, const run_provenance& provenance);

}  // namespace sluice::replay
