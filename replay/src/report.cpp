#include "sluice/replay/report.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "sluice/engine/json_escape.h"

namespace sluice::replay {

namespace {

std::string fixed(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) {
    return s;
  }
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::string json_quoted(std::string_view s) {
  std::string out;
  sluice::engine::append_json_string(out, s);
  return out;
}

entity_counts total_of(const std::map<std::string, entity_counts>& m) {
  entity_counts t;
  for (const auto& [type, c] : m) {
    t.gold += c.gold;
    t.predicted += c.predicted;
    t.tp += c.tp;
    t.fp += c.fp;
    t.fn += c.fn;
    t.exact += c.exact;
  }
  return t;
}


// Missed attacks with the lowest scores and flagged benign lines with the highest.
std::pair<std::vector<const scored_line*>, std::vector<const scored_line*>> pick_injection_errors(
    const replay_result& r, std::size_t n) {
  std::vector<const scored_line*> missed;
  std::vector<const scored_line*> false_alarms;
  for (const auto& line : r.injection_scores) {
    const bool flagged = flagged_at(line.score, r.injection.threshold);
    if (line.injection && !flagged) {
      missed.push_back(&line);
    } else if (!line.injection && flagged) {
      false_alarms.push_back(&line);
    }
  }
  std::stable_sort(missed.begin(), missed.end(),
                   [](const scored_line* a, const scored_line* b) { return a->score < b->score; });
  std::stable_sort(false_alarms.begin(), false_alarms.end(),
                   [](const scored_line* a, const scored_line* b) { return a->score > b->score; });
  missed.resize(std::min(missed.size(), n));
  false_alarms.resize(std::min(false_alarms.size(), n));
  return {missed, false_alarms};
}

void print_rates(std::ostream& out, const char* title, const char* rate_name,
                 const std::map<std::string, rate_counts>& m) {
  if (m.empty()) {
    return;
  }
  out << "  " << pad(title, 34) << pad("lines", 7, true) << pad("flagged", 9, true) << pad(rate_name, 8, true)
      << "\n";
  for (const auto& [name, c] : m) {
    out << "  " << pad(name, 34) << pad(std::to_string(c.lines), 7, true)
        << pad(std::to_string(c.flagged), 9, true) << pad(fixed(c.rate()), 8, true) << "\n";
  }
}

bool read_number(simdjson::dom::object obj, const char* key, std::optional<double>& out, std::string& error) {
  simdjson::dom::element v;
  if (obj[key].get(v) != simdjson::SUCCESS) {
    return true;
  }
  double d = 0;
  if (v.get_double().get(d) != simdjson::SUCCESS) {
    std::int64_t i = 0;
    if (v.get_int64().get(i) != simdjson::SUCCESS) {
      error = std::string("\"") + key + "\" is not a number";
      return false;
    }
    d = static_cast<double>(i);
  }
  out = d;
  return true;
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  return out;
}

std::string context_snippet(std::string_view text, std::uint32_t start, std::uint32_t end, std::size_t radius) {
  auto is_continuation = [&](std::size_t i) {
    return i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  start = std::min<std::uint32_t>(start, static_cast<std::uint32_t>(text.size()));
  end = std::clamp<std::uint32_t>(end, start, static_cast<std::uint32_t>(text.size()));
  std::size_t from = start > radius ? start - radius : 0;
  while (from > 0 && is_continuation(from)) {
    --from;
  }
  std::size_t to = std::min(text.size(), static_cast<std::size_t>(end) + radius);
  while (to < text.size() && is_continuation(to)) {
    ++to;
  }
  std::string raw;
  raw.append(from > 0 ? "…" : "");
  raw.append(text.substr(from, start - from));
  raw.append("[[");
  raw.append(text.substr(start, end - start));
  raw.append("]]");
  raw.append(text.substr(end, to - end));
  raw.append(to < text.size() ? "…" : "");
  return one_line(raw);
}

bool parse_floors(std::string_view json, floors& out, std::string& error) {
  out = floors{};
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (auto err = parser.parse(json.data(), json.size()).get_object().get(root); err != simdjson::SUCCESS) {
    error = std::string("floors: not a JSON object: ") + simdjson::error_message(err);
    return false;
  }
  simdjson::dom::object entities;
  if (root["entities"].get_object().get(entities) == simdjson::SUCCESS) {
    for (auto [type, value] : entities) {
      simdjson::dom::object f;
      if (value.get_object().get(f) != simdjson::SUCCESS) {
        error = "floors: entity " + std::string(type) + " is not an object";
        return false;
      }
      std::optional<double> p;
      std::optional<double> r;
      if (!read_number(f, "precision", p, error) || !read_number(f, "recall", r, error)) {
        error = "floors: entity " + std::string(type) + ": " + error;
        return false;
      }
      out.entities[std::string(type)] = {p.value_or(0), r.value_or(0)};
    }
  }
  simdjson::dom::object injection;
  if (root["injection"].get_object().get(injection) == simdjson::SUCCESS) {
    if (!read_number(injection, "threshold", out.injection_threshold, error) ||
        !read_number(injection, "tpr_min", out.injection_tpr_min, error) ||
        !read_number(injection, "fpr_max", out.injection_fpr_max, error)) {
      error = "floors: injection: " + error;
      return false;
    }
  }
  return true;
}

std::vector<std::string> check_floors(const floors& f, const replay_result& r) {
  std::vector<std::string> failures;
  for (const auto& [type, floor] : f.entities) {
    auto it = r.entities.find(type);
    if (it == r.entities.end() || it->second.gold == 0) {
      failures.push_back(type + ": no labelled spans in the input (a floor is recorded for it)");
      continue;
    }
    const auto& c = it->second;
    if (c.precision() + 1e-9 < floor.precision) {
      failures.push_back(type + ": precision " + fixed(c.precision()) + " below floor " + fixed(floor.precision));
    }
    if (c.recall() + 1e-9 < floor.recall) {
      failures.push_back(type + ": recall " + fixed(c.recall()) + " below floor " + fixed(floor.recall));
    }
  }
  if (f.injection_tpr_min && r.injection.attacks.rate() + 1e-9 < *f.injection_tpr_min) {
    failures.push_back("injection: true-positive rate " + fixed(r.injection.attacks.rate()) + " below floor " +
                       fixed(*f.injection_tpr_min));
  }
  if (f.injection_fpr_max && r.injection.benign.rate() > *f.injection_fpr_max + 1e-9) {
    failures.push_back("injection: false-positive rate " + fixed(r.injection.benign.rate()) + " above ceiling " +
                       fixed(*f.injection_fpr_max));
  }
  return failures;
}

void print_text(std::ostream& out, const replay_result& r, std::size_t max_errors) {
  out << "sluice replay: " << r.files.size() << " file(s), " << r.pii_lines << " PII line(s), "
      << r.injection_lines << " injection line(s)";
  if (!r.input_errors.empty()) {
    out << ", " << r.input_errors.size() << " unusable line(s)";
  }
  out << "\n";
  for (const auto& e : r.input_errors) {
    out << "  error: " << e.file << ":" << e.line << ": " << e.message << "\n";
  }
  if (!r.entities.empty()) {
    out << "\n"
        << pad("entity", 18) << pad("gold", 7, true) << pad("TP", 7, true) << pad("FP", 6, true)
        << pad("FN", 6, true) << pad("precision", 11, true) << pad("recall", 8, true) << pad("F1", 7, true)
        << pad("exact", 7, true) << "\n";
    auto row = [&](const std::string& name, const entity_counts& c) {
      out << pad(name, 18) << pad(std::to_string(c.gold), 7, true) << pad(std::to_string(c.tp), 7, true)
          << pad(std::to_string(c.fp), 6, true) << pad(std::to_string(c.fn), 6, true)
          << pad(fixed(c.precision()), 11, true) << pad(fixed(c.recall()), 8, true) << pad(fixed(c.f1()), 7, true)
          << pad(fixed(c.exact_rate()), 7, true) << "\n";
    };
    for (const auto& [type, c] : r.entities) {
      row(type, c);
    }
    row("(all, micro)", total_of(r.entities));
  }
  if (!r.not_in_catalog.empty()) {
    out << "labelled types no rule produces (not scored):";
    for (const auto& [type, n] : r.not_in_catalog) {
      out << " " << type << "=" << n;
    }
    out << "\n";
  }
  if (!r.unlabelled_predictions.empty()) {
    out << "predicted types these files never label (not scored):";
    for (const auto& [type, n] : r.unlabelled_predictions) {
      out << " " << type << "=" << n;
    }
    out << "\n";
  }
  if (r.injection_lines > 0) {
    const auto& s = r.injection;
    out << "\ninjection at threshold " << fixed(s.threshold, 2) << ": TPR " << fixed(s.attacks.rate()) << " ("
        << s.attacks.flagged << "/" << s.attacks.lines << " attacks flagged), FPR " << fixed(s.benign.rate())
        << " (" << s.benign.flagged << "/" << s.benign.lines << " benign lines flagged)\n";
    print_rates(out, "attacks by category", "TPR", s.attack_categories);
    print_rates(out, "attacks by language", "TPR", s.attack_languages);
    print_rates(out, "benign by category", "FPR", s.benign_categories);
    out << "  threshold sweep (ROC):";
    for (const auto& p : s.roc) {
      out << " " << fixed(p.threshold, 2) << "→" << fixed(p.tpr, 2) << "/" << fixed(p.fpr, 2);
    }
    out << "   (threshold→TPR/FPR)\n";
    out << "  lowest threshold with FPR <= " << fixed(s.fpr_budget, 2) << ": " << fixed(s.best_at_budget.threshold, 2)
        << " (TPR " << fixed(s.best_at_budget.tpr) << ", FPR " << fixed(s.best_at_budget.fpr) << ")\n";
  }
  if (max_errors == 0) {
    return;
  }
  const auto errors = pick_errors(r, max_errors);
  if (!errors.empty()) {
    out << "\nentity errors (up to " << max_errors << " of each kind per type):\n";
    for (const auto* e : errors) {
      out << "  " << pad(kind_name(e->error.what), 9) << pad(e->error.type, 16) << e->error.record_id;
      if (e->error.what == entity_error::kind::boundary) {
        out << " predicted " << e->error.other_start << ".." << e->error.other_end << " gold " << e->error.start
            << ".." << e->error.end;
      }
      out << "\n      " << e->context << "\n";
    }
  }
  const auto [missed, alarms] = pick_injection_errors(r, max_errors);
  for (const auto& [title, list] : {std::pair{"missed attacks (lowest scores)", &missed},
                                    std::pair{"flagged benign lines (highest scores)", &alarms}}) {
    if (list->empty()) {
      continue;
    }
    out << "\n" << title << ":\n";
    for (const auto* line : *list) {
      out << "  " << fixed(line->score, 2) << " " << pad(line->category, 26) << line->id << "\n      "
          << line->excerpt << "\n";
    }
  }
}

void print_json(std::ostream& out, const replay_result& r, std::size_t max_errors,
                const std::vector<std::string>& floor_failures) {
  std::string j = "{\"files\":[";
  for (std::size_t i = 0; i < r.files.size(); ++i) {
    j += (i ? "," : "") + json_quoted(r.files[i]);
  }
  j += "],\"pii_lines\":" + std::to_string(r.pii_lines) + ",\"injection_lines\":" +
       std::to_string(r.injection_lines) + ",\"input_errors\":[";
  for (std::size_t i = 0; i < r.input_errors.size(); ++i) {
    const auto& e = r.input_errors[i];
    j += std::string(i ? "," : "") + "{\"file\":" + json_quoted(e.file) + ",\"line\":" + std::to_string(e.line) +
         ",\"message\":" + json_quoted(e.message) + "}";
  }
  j += "],\"entities\":{";
  bool first = true;
  auto counts_json = [](const entity_counts& c) {
    return "{\"gold\":" + std::to_string(c.gold) + ",\"predicted\":" + std::to_string(c.predicted) +
           ",\"tp\":" + std::to_string(c.tp) + ",\"fp\":" + std::to_string(c.fp) + ",\"fn\":" + std::to_string(c.fn) +
           ",\"exact\":" + std::to_string(c.exact) + ",\"precision\":" + fixed(c.precision(), 4) +
           ",\"recall\":" + fixed(c.recall(), 4) + ",\"f1\":" + fixed(c.f1(), 4) +
           ",\"exact_rate\":" + fixed(c.exact_rate(), 4) + "}";
  };
  for (const auto& [type, c] : r.entities) {
    j += (first ? "" : ",") + json_quoted(type) + ":" + counts_json(c);
    first = false;
  }
  j += "},\"entities_total\":" + counts_json(total_of(r.entities));
  for (const auto& [name, m] : {std::pair{"not_in_catalog", &r.not_in_catalog},
                                std::pair{"unlabelled_predictions", &r.unlabelled_predictions}}) {
    j += std::string(",\"") + name + "\":{";
    first = true;
    for (const auto& [type, n] : *m) {
      j += (first ? "" : ",") + json_quoted(type) + ":" + std::to_string(n);
      first = false;
    }
    j += "}";
  }
  const auto& s = r.injection;
  auto rates_json = [](const std::map<std::string, rate_counts>& m) {
    std::string o = "{";
    bool f = true;
    for (const auto& [name, c] : m) {
      o += (f ? "" : ",") + json_quoted(name) + ":{\"lines\":" + std::to_string(c.lines) +
           ",\"flagged\":" + std::to_string(c.flagged) + ",\"rate\":" + fixed(c.rate(), 4) + "}";
      f = false;
    }
    return o + "}";
  };
  j += ",\"injection\":{\"threshold\":" + fixed(s.threshold, 4) + ",\"attacks\":" +
       std::to_string(s.attacks.lines) + ",\"attacks_flagged\":" + std::to_string(s.attacks.flagged) +
       ",\"tpr\":" + fixed(s.attacks.rate(), 4) + ",\"benign\":" + std::to_string(s.benign.lines) +
       ",\"benign_flagged\":" + std::to_string(s.benign.flagged) + ",\"fpr\":" + fixed(s.benign.rate(), 4) +
       ",\"attack_categories\":" + rates_json(s.attack_categories) +
       ",\"attack_languages\":" + rates_json(s.attack_languages) +
       ",\"benign_categories\":" + rates_json(s.benign_categories) + ",\"roc\":[";
  for (std::size_t i = 0; i < s.roc.size(); ++i) {
    j += std::string(i ? "," : "") + "{\"threshold\":" + fixed(s.roc[i].threshold, 2) +
         ",\"tpr\":" + fixed(s.roc[i].tpr, 4) + ",\"fpr\":" + fixed(s.roc[i].fpr, 4) + "}";
  }
  j += "],\"best_at_fpr_budget\":{\"fpr_budget\":" + fixed(s.fpr_budget, 4) +
       ",\"threshold\":" + fixed(s.best_at_budget.threshold, 2) + ",\"tpr\":" + fixed(s.best_at_budget.tpr, 4) +
       ",\"fpr\":" + fixed(s.best_at_budget.fpr, 4) + "}}";
  j += ",\"errors\":[";
  first = true;
  if (max_errors > 0) {
    for (const auto* e : pick_errors(r, max_errors)) {
      j += std::string(first ? "" : ",") + "{\"kind\":\"" + kind_name(e->error.what) + "\",\"type\":" +
           json_quoted(e->error.type) + ",\"id\":" + json_quoted(e->error.record_id) +
           ",\"start\":" + std::to_string(e->error.start) + ",\"end\":" + std::to_string(e->error.end) +
           ",\"context\":" + json_quoted(e->context) + "}";
      first = false;
    }
    const auto [missed, alarms] = pick_injection_errors(r, max_errors);
    for (const auto& [kind, list] : {std::pair{"missed_attack", &missed}, std::pair{"flagged_benign", &alarms}}) {
      for (const auto* line : *list) {
        j += std::string(first ? "" : ",") + "{\"kind\":\"" + kind + "\",\"category\":" + json_quoted(line->category) +
             ",\"id\":" + json_quoted(line->id) + ",\"score\":" + fixed(line->score, 4) +
             ",\"excerpt\":" + json_quoted(line->excerpt) + "}";
        first = false;
      }
    }
  }
  j += "],\"floor_failures\":[";
  for (std::size_t i = 0; i < floor_failures.size(); ++i) {
    j += (i ? "," : "") + json_quoted(floor_failures[i]);
  }
  j += "]}\n";
  out << j;
}

std::vector<const shown_error*> pick_errors(const replay_result& r, std::size_t n) {
  std::map<std::pair<std::string, int>, std::size_t> taken;
  std::vector<const shown_error*> out;
  for (const auto& e : r.entity_errors) {
    auto& count = taken[{e.error.type, static_cast<int>(e.error.what)}];
    if (count < n) {
      ++count;
      out.push_back(&e);
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const shown_error* a, const shown_error* b) {
    return std::tie(a->error.type, a->error.what) < std::tie(b->error.type, b->error.what);
  });
  return out;
}

const char* kind_name(entity_error::kind k) {
  switch (k) {
    case entity_error::kind::false_negative: return "missed";
    case entity_error::kind::false_positive: return "spurious";
    case entity_error::kind::boundary: return "boundary";
  }
  return "?";
}

}  // namespace sluice::replay
