#include "sluice/replay/runner.h"

#include <set>

#include "sluice/engine/ordered_pipeline.h"

namespace sluice::replay {

namespace {

// The first `max_bytes` of a text (cut on a character boundary), on one line.
std::string excerpt_of(std::string_view text, std::size_t max_bytes = 160) {
  if (text.size() <= max_bytes) {
    return one_line(text);
  }
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return one_line(text.substr(0, cut)) + "…";
}

// A batch of records' scans, made on a worker and scored on the writer in input order.
struct scan_batch {
  std::size_t first = 0;
  std::size_t count = 0;
  struct record_scan {
    sluice::engine::errc status = sluice::engine::errc::ok;
    sluice::engine::scan_result scan;
  };
  std::vector<record_scan> scans;
};

constexpr std::size_t records_per_batch = 64;

}  // namespace

replay_result run_replay(const std::vector<std::string>& files, sluice::engine::scanner& scanner,
                         const replay_options& options) {
  replay_result result;
  result.files = files;
  std::vector<corpus_record> records;
  for (const auto& file : files) {
    (void)read_corpus_file(file, records, result.input_errors);
  }

  const auto& rules = scanner.rules();
  std::set<std::string> catalog_types;
  for (const auto& rule : rules.rules()) {
    if (rule.kind == sluice::engine::rule_kind::pii || rule.kind == sluice::engine::rule_kind::secret) {
      catalog_types.insert(rule.entity);
    }
  }
  std::set<std::string> labelled_types;
  for (const auto& record : records) {
    for (const auto& span : record.entities) {
      labelled_types.insert(span.type);
    }
  }
  std::set<std::string> scored_types;
  for (const auto& type : labelled_types) {
    if (catalog_types.contains(type)) {
      scored_types.insert(type);
      result.entities[type];  // listed even when nothing of it is found
    }
  }

  sluice::engine::scan_options pii_options;
  pii_options.injection = false;
  pii_options.content = false;
  sluice::engine::scan_options injection_options;
  injection_options.entities = false;
  injection_options.content = false;
  injection_options.model = options.model;

  std::vector<labelled_span> predicted;
  std::vector<entity_error> errors;
  const auto score = [&](const corpus_record& record, sluice::engine::errc status, const sluice::engine::scan_result& scan) {
    const bool pii = record.shape == record_shape::pii;
    if (status != sluice::engine::errc::ok) {
      ++result.scan_failures;
      result.input_errors.push_back(
          {record.id, 0, "the scanner refused the text: " + std::string(sluice::engine::to_string(status))});
      return;
    }
    if (!pii) {
      ++result.injection_lines;
      result.injection_scores.push_back(
          {record.id, record.category, record.lang, record.injection, scan.injection_score, excerpt_of(record.text)});
      return;
    }
    ++result.pii_lines;
    for (const auto& span : record.entities) {
      if (!catalog_types.contains(span.type)) {
        ++result.not_in_catalog[span.type];
      }
    }
    predicted.clear();
    for (const auto& f : scan.entities) {
      const std::string& type = rules.at(f.rule).entity;
      if (!labelled_types.contains(type)) {
        ++result.unlabelled_predictions[type];
        continue;
      }
      predicted.push_back({type, f.start, f.end});
    }
    errors.clear();
    score_entities(record.id, record.entities, predicted, scored_types, result.entities, errors);
    for (auto& e : errors) {
      std::string context = context_snippet(record.text, e.start, e.end, options.context_radius);
      result.entity_errors.push_back({std::move(e), std::move(context)});
    }
  };

  const std::size_t jobs = options.jobs == 0 ? sluice::engine::default_jobs() : options.jobs;
  std::vector<sluice::engine::scanner> more_scanners;
  for (std::size_t i = 1; i < jobs; ++i) {
    more_scanners.emplace_back(scanner.shared_rules());
  }
  std::size_t next = 0;
  sluice::engine::run_ordered_pipeline<scan_batch>(
      jobs, 2 * jobs + 2,
      [&](scan_batch& batch) {
        if (next == records.size()) {
          return false;
        }
        batch.first = next;
        batch.count = std::min(records_per_batch, records.size() - next);
        next += batch.count;
        return true;
      },
      [&](std::size_t worker, scan_batch& batch) {
        sluice::engine::scanner& s = worker == 0 ? scanner : more_scanners[worker - 1];
        if (batch.scans.size() < batch.count) {
          batch.scans.resize(batch.count);
        }
        for (std::size_t i = 0; i < batch.count; ++i) {
          const corpus_record& record = records[batch.first + i];
          batch.scans[i].status =
              s.scan(record.text, batch.scans[i].scan, record.shape == record_shape::pii ? pii_options : injection_options);
        }
      },
      [&](scan_batch& batch) {
        for (std::size_t i = 0; i < batch.count; ++i) {
          score(records[batch.first + i], batch.scans[i].status, batch.scans[i].scan);
        }
      });
  result.injection = summarize_injection(result.injection_scores, options.threshold, options.fpr_budget);
  return result;
}

}  // namespace sluice::replay
