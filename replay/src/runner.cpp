#include "sluice/replay/runner.h"

#include <set>

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

  sluice::engine::scan_result scan;
  std::vector<labelled_span> predicted;
  std::vector<entity_error> errors;
  for (const auto& record : records) {
    const bool pii = record.shape == record_shape::pii;
    const auto status = scanner.scan(record.text, scan, pii ? pii_options : injection_options);
    if (status != sluice::engine::errc::ok) {
      ++result.scan_failures;
      result.input_errors.push_back(
          {record.id, 0, "the scanner refused the text: " + std::string(sluice::engine::to_string(status))});
      continue;
    }
    if (!pii) {
      ++result.injection_lines;
      result.injection_scores.push_back(
          {record.id, record.category, record.lang, record.injection, scan.injection_score, excerpt_of(record.text)});
      continue;
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
  }
  result.injection = summarize_injection(result.injection_scores, options.threshold, options.fpr_budget);
  return result;
}

}  // namespace sluice::replay
