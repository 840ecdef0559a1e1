#include "sluice/replay/metrics.h"

#include <cmath>

namespace sluice::replay {

double entity_counts::precision() const noexcept {
  return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp);
}

double entity_counts::recall() const noexcept {
  return tp + fn == 0 ? 1.0 : double(tp) / double(tp + fn);
}

double entity_counts::f1() const noexcept {
  const double p = precision();
  const double r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

double entity_counts::exact_rate() const noexcept {
  return tp == 0 ? 1.0 : double(exact) / double(tp);
}

namespace {

bool overlaps(const labelled_span& a, const labelled_span& b) noexcept {
  return a.start < b.end && b.start < a.end;
}

}  // namespace

void score_entities(const std::string& record_id, const std::vector<labelled_span>& gold,
                    const std::vector<labelled_span>& predicted, const std::set<std::string>& scored_types,
                    std::map<std::string, entity_counts>& counts, std::vector<entity_error>& errors) {
  // Texts hold a handful of spans each, so the quadratic comparison is the clear one.
  for (const auto& g : gold) {
    if (!scored_types.contains(g.type)) {
      continue;
    }
    auto& c = counts[g.type];
    ++c.gold;
    const labelled_span* hit = nullptr;
    bool exact = false;
    for (const auto& p : predicted) {
      if (p.type == g.type && overlaps(p, g)) {
        if (hit == nullptr) {
          hit = &p;
        }
        if (p.start == g.start && p.end == g.end) {
          exact = true;
        }
      }
    }
    if (hit == nullptr) {
      ++c.fn;
      errors.push_back({entity_error::kind::false_negative, g.type, record_id, g.start, g.end, 0, 0});
      continue;
    }
    ++c.tp;
    if (exact) {
      ++c.exact;
    } else {
      errors.push_back({entity_error::kind::boundary, g.type, record_id, g.start, g.end, hit->start, hit->end});
    }
  }
  for (const auto& p : predicted) {
    if (!scored_types.contains(p.type)) {
      continue;
    }
    auto& c = counts[p.type];
    ++c.predicted;
    bool matched = false;
    for (const auto& g : gold) {
      if (g.type == p.type && overlaps(p, g)) {
        matched = true;
        break;
      }
    }
    if (!matched) {
      ++c.fp;
      errors.push_back({entity_error::kind::false_positive, p.type, record_id, p.start, p.end, 0, 0});
    }
  }
}

injection_summary summarize_injection(const std::vector<scored_line>& lines, double threshold,
                                      double fpr_budget) {
  injection_summary s;
  s.threshold = threshold;
  s.fpr_budget = fpr_budget;
  for (const auto& line : lines) {
    const bool flagged = flagged_at(line.score, threshold);
    const std::string category = line.category.empty() ? "(none)" : line.category;
    auto& overall = line.injection ? s.attacks : s.benign;
    auto& by_category = line.injection ? s.attack_categories[category] : s.benign_categories[category];
    for (rate_counts* r : {&overall, &by_category}) {
      ++r->lines;
      r->flagged += flagged ? 1 : 0;
    }
    if (line.injection) {
      auto& by_lang = s.attack_languages[line.lang.empty() ? "(none)" : line.lang];
      ++by_lang.lines;
      by_lang.flagged += flagged ? 1 : 0;
    }
  }
  bool have_best = false;
  for (int step = 1; step <= 20; ++step) {
    roc_point point;
    point.threshold = step * 0.05;
    rate_counts tp;
    rate_counts fp;
    for (const auto& line : lines) {
      const bool flagged = flagged_at(line.score, point.threshold);
      auto& r = line.injection ? tp : fp;
      ++r.lines;
      r.flagged += flagged ? 1 : 0;
    }
    point.tpr = tp.rate();
    point.fpr = fp.rate();
    s.roc.push_back(point);
    if (!have_best && point.fpr <= fpr_budget) {
      s.best_at_budget = point;
      have_best = true;
    }
  }
  return s;
}

}  // namespace sluice::replay
