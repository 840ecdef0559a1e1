// The self-contained HTML report of `sluice replay --html` (see html_report.h). Everything is written
// as static markup: no script runs, and every URL-like attribute is absent, so the page makes no request.
#include "sluice/replay/html_report.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <tuple>

namespace sluice::replay {

namespace {

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string num(double v, int digits = 3) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// The context with its marked span ([[…]]) shown as <mark>.
std::string marked(std::string_view context) {
  const auto open = context.find("[[");
  const auto close = open == std::string_view::npos ? open : context.find("]]", open + 2);
  if (close == std::string_view::npos) {
    return escape(context);
  }
  return escape(context.substr(0, open)) + "<mark>" + escape(context.substr(open + 2, close - open - 2)) + "</mark>" +
         escape(context.substr(close + 2));
}

constexpr const char* style = R"(body{font:14px/1.45 system-ui,sans-serif;color:#1c2430;max-width:1100px;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d8dee6}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .6rem;border-bottom:1px solid #e5e9ef;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.low{color:#c62828;font-weight:600}
code,.ctx{font-family:ui-monospace,monospace;font-size:.85rem}.ctx{word-break:break-all}mark{background:#ffe08a}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#5b6675}dd{margin:0}
.plots{display:flex;flex-wrap:wrap;gap:2rem}.fail{color:#c62828}.ok{color:#2e7d32})";

// An SVG plot area 0..1 on both axes; `lines` are (colour, label, points).
struct plot_line {
  const char* colour;
  std::string label;
  std::vector<std::pair<double, double>> points;
};

void svg_plot(std::ostream& out, const char* title, const char* x_label, const char* y_label,
              const std::vector<plot_line>& lines, bool diagonal, std::pair<double, double> marker = {-1, -1}) {
  constexpr double size = 320, left = 48, top = 28, bottom = 42, right = 16;
  const double w = size, h = size;
  const double pw = w - left - right, ph = h - top - bottom;
  auto x = [&](double v) { return num(left + v * pw, 1); };
  auto y = [&](double v) { return num(top + ph - v * ph, 1); };
  out << "<svg width=\"" << w << "\" height=\"" << h << "\" viewBox=\"0 0 " << w
      << ' ' << h << "\" role=\"img\" aria-label=\"" << title << "\">\n";
  out << "<text x=\"" << w / 2 << "\" y=\"16\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\">" << title
      << "</text>\n";
  for (int g = 0; g <= 4; ++g) {
    const double v = g / 4.0;
    out << "<line x1=\"" << x(0) << "\" x2=\"" << x(1) << "\" y1=\"" << y(v) << "\" y2=\"" << y(v)
        << "\" stroke=\"#e5e9ef\"/><line x1=\"" << x(v) << "\" x2=\"" << x(v) << "\" y1=\"" << y(0) << "\" y2=\""
        << y(1) << "\" stroke=\"#e5e9ef\"/>\n";
    out << "<text x=\"" << num(left - 6, 1) << "\" y=\"" << num(top + ph - v * ph + 4, 1)
        << "\" text-anchor=\"end\" font-size=\"10\">" << num(v, 2) << "</text>";
    out << "<text x=\"" << x(v) << "\" y=\"" << num(top + ph + 14, 1) << "\" text-anchor=\"middle\" font-size=\"10\">"
        << num(v, 2) << "</text>\n";
  }
  out << "<text x=\"" << num(left + pw / 2, 1) << "\" y=\"" << h - 6 << "\" text-anchor=\"middle\" font-size=\"11\">"
      << x_label << "</text>";
  out << "<text x=\"12\" y=\"" << num(top + ph / 2, 1) << "\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 12 "
      << num(top + ph / 2, 1) << ")\">" << y_label << "</text>\n";
  if (diagonal) {
    out << "<line x1=\"" << x(0) << "\" y1=\"" << y(0) << "\" x2=\"" << x(1) << "\" y2=\"" << y(1)
        << "\" stroke=\"#8c959f\" stroke-dasharray=\"4 4\"/>\n";
  }
  double legend_y = top + 12;
  for (const auto& l : lines) {
    out << "<polyline fill=\"none\" stroke=\"" << l.colour << "\" stroke-width=\"2\" points=\"";
    for (const auto& [px, py] : l.points) {
      out << x(px) << ',' << y(py) << ' ';
    }
    out << "\"/>\n";
    for (const auto& [px, py] : l.points) {
      out << "<circle cx=\"" << x(px) << "\" cy=\"" << y(py) << "\" r=\"2\" fill=\"" << l.colour << "\"/>";
    }
    out << "\n<text x=\"" << num(left + pw - 4, 1) << "\" y=\"" << num(legend_y, 1) << "\" text-anchor=\"end\" font-size=\"11\" fill=\""
        << l.colour << "\">" << escape(l.label) << "</text>\n";
    legend_y += 14;
  }
  if (marker.first >= 0) {
    out << "<circle cx=\"" << x(marker.first) << "\" cy=\"" << y(marker.second)
        << "\" r=\"5\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"2\"/>\n";
  }
  out << "</svg>\n";
}

void rates_table(std::ostream& out, const char* title, const char* rate_name, const std::map<std::string, rate_counts>& m) {
  if (m.empty()) {
    return;
  }
  out << "<h3>" << title << "</h3>\n<table><tr><th></th><th class=\"n\">lines</th><th class=\"n\">flagged</th><th class=\"n\">"
      << rate_name << "</th></tr>\n";
  for (const auto& [name, c] : m) {
    out << "<tr><td>" << escape(name) << "</td><td class=\"n\">" << c.lines << "</td><td class=\"n\">" << c.flagged
        << "</td><td class=\"n\">" << num(c.rate()) << "</td></tr>\n";
  }
  out << "</table>\n";
}

}  // namespace

void print_html(std::ostream& out, const replay_result& r, std::size_t max_errors,
                const std::vector<std::string>& floor_failures, const run_provenance& provenance) {
  out << "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>sluice replay report</title>\n"
      << "<style>" << style << "</style>\n</head>\n<body>\n<h1>Detection accuracy: sluice replay</h1>\n<dl>\n";
  out << "<dt>Command</dt><dd><code>" << escape(provenance.command) << "</code></dd>\n";
  out << "<dt>Commit</dt><dd><code>" << escape(provenance.commit) << "</code></dd>\n";
  out << "<dt>Catalog digest</dt><dd><code>" << escape(provenance.catalog_digest) << "</code></dd>\n";
  out << "<dt>Injection model</dt><dd>" << escape(provenance.model) << "</dd>\n";
  out << "<dt>Generated</dt><dd>" << escape(provenance.generated_at) << "</dd>\n";
  out << "<dt>Inputs</dt><dd>";
  for (std::size_t i = 0; i < r.files.size(); ++i) {
    out << (i ? ", " : "") << "<code>" << escape(r.files[i]) << "</code>";
  }
  out << "</dd>\n<dt>Lines</dt><dd>" << r.pii_lines << " PII, " << r.injection_lines << " injection";
  if (!r.input_errors.empty()) {
    out << ", <span class=\"fail\">" << r.input_errors.size() << " unusable</span>";
  }
  out << "</dd>\n<dt>Floors</dt><dd>";
  if (floor_failures.empty()) {
    out << "<span class=\"ok\">all hold (or none given)</span>";
  } else {
    out << "<span class=\"fail\">" << floor_failures.size() << " not met</span><ul>";
    for (const auto& f : floor_failures) {
      out << "<li>" << escape(f) << "</li>";
    }
    out << "</ul>";
  }
  out << "</dd>\n</dl>\n";

  if (!r.entities.empty()) {
    out << "<h2 id=\"entities\">Entities</h2>\n<table id=\"entity-table\">\n<tr><th>type</th><th class=\"n\">gold</th>"
           "<th class=\"n\">predicted</th><th class=\"n\">TP</th><th class=\"n\">FP</th><th class=\"n\">FN</th>"
           "<th class=\"n\">precision</th><th class=\"n\">recall</th><th class=\"n\">F1</th><th class=\"n\">exact</th></tr>\n";
    entity_counts total;
    for (const auto& [type, c] : r.entities) {
      auto cell = [](double v) {
        return std::string("<td class=\"n") + (v < 0.9 ? " low" : "") + "\">" + num(v) + "</td>";
      };
      out << "<tr><td>" << escape(type) << "</td><td class=\"n\">" << c.gold << "</td><td class=\"n\">" << c.predicted
          << "</td><td class=\"n\">" << c.tp << "</td><td class=\"n\">" << c.fp << "</td><td class=\"n\">" << c.fn << "</td>"
          << cell(c.precision()) << cell(c.recall()) << cell(c.f1()) << "<td class=\"n\">" << num(c.exact_rate())
          << "</td></tr>\n";
      total.gold += c.gold;
      total.predicted += c.predicted;
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
      total.exact += c.exact;
    }
    out << "<tr><th>all</th><th class=\"n\">" << total.gold << "</th><th class=\"n\">" << total.predicted
        << "</th><th class=\"n\">" << total.tp << "</th><th class=\"n\">" << total.fp << "</th><th class=\"n\">" << total.fn
        << "</th><th class=\"n\">" << num(total.precision()) << "</th><th class=\"n\">" << num(total.recall())
        << "</th><th class=\"n\">" << num(total.f1()) << "</th><th class=\"n\">" << num(total.exact_rate())
        << "</th></tr>\n</table>\n";
    if (!r.not_in_catalog.empty()) {
      out << "<p>Labelled types no rule produces (left out):";
      for (const auto& [type, n] : r.not_in_catalog) {
        out << ' ' << escape(type) << " (" << n << ")";
      }
      out << "</p>\n";
    }
  }

  if (!r.injection_scores.empty()) {
    const auto& inj = r.injection;
    out << "<h2 id=\"injection\">Prompt injection</h2>\n<p>At threshold " << num(inj.threshold, 2) << ": true-positive rate "
        << num(inj.attacks.rate()) << " (" << inj.attacks.flagged << " of " << inj.attacks.lines
        << " attacks), false-positive rate " << num(inj.benign.rate()) << " (" << inj.benign.flagged << " of "
        << inj.benign.lines << " benign lines). Lowest threshold with a false-positive rate of at most "
        << num(inj.fpr_budget, 2) << ": " << num(inj.best_at_budget.threshold, 2) << " (TPR "
        << num(inj.best_at_budget.tpr) << ", FPR " << num(inj.best_at_budget.fpr) << ").</p>\n<div class=\"plots\">\n";
    plot_line roc{"#1f6feb", "ROC", {{0, 0}}};
    std::vector<roc_point> by_fpr = inj.roc;
    std::sort(by_fpr.begin(), by_fpr.end(),
              [](const roc_point& a, const roc_point& b) { return std::tie(a.fpr, a.tpr) < std::tie(b.fpr, b.tpr); });
    for (const auto& p : by_fpr) {
      roc.points.emplace_back(p.fpr, p.tpr);
    }
    roc.points.emplace_back(1, 1);
    svg_plot(out, "ROC curve", "false-positive rate", "true-positive rate", {roc}, true,
             {inj.benign.rate(), inj.attacks.rate()});
    plot_line tpr{"#2e7d32", "TPR", {}}, fpr{"#c62828", "FPR", {}};
    for (const auto& p : inj.roc) {
      tpr.points.emplace_back(p.threshold, p.tpr);
      fpr.points.emplace_back(p.threshold, p.fpr);
    }
    svg_plot(out, "Threshold sweep", "threshold", "rate", {tpr, fpr}, false);
    out << "</div>\n<h3>Threshold sweep</h3>\n<table id=\"sweep-table\"><tr><th class=\"n\">threshold</th><th class=\"n\">TPR</th>"
           "<th class=\"n\">FPR</th></tr>\n";
    for (const auto& p : inj.roc) {
      out << "<tr><td class=\"n\">" << num(p.threshold, 2) << "</td><td class=\"n\">" << num(p.tpr) << "</td><td class=\"n\">"
          << num(p.fpr) << "</td></tr>\n";
    }
    out << "</table>\n";
    rates_table(out, "Attacks by category", "TPR", inj.attack_categories);
    rates_table(out, "Attacks by language", "TPR", inj.attack_languages);
    rates_table(out, "Benign lines by category", "FPR", inj.benign_categories);
  }

  out << "<h2 id=\"errors\">Worst errors</h2>\n";
  // Entities: up to max_errors of each kind per type, in input order.
  const std::vector<const shown_error*> picked = pick_errors(r, max_errors);
  if (!picked.empty()) {
    out << "<h3>Entities</h3>\n<table id=\"entity-errors\"><tr><th>type</th><th>kind</th><th>record</th><th>context</th></tr>\n";
    for (const auto* e : picked) {
      out << "<tr><td>" << escape(e->error.type) << "</td><td>" << kind_name(e->error.what) << "</td><td><code>"
          << escape(e->error.record_id) << "</code></td><td class=\"ctx\">" << marked(e->context) << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  // Injection: the missed attacks with the lowest scores, the false alarms with the highest.
  std::vector<const scored_line*> missed, alarms;
  for (const auto& line : r.injection_scores) {
    const bool flagged = flagged_at(line.score, r.injection.threshold);
    if (line.injection && !flagged) {
      missed.push_back(&line);
    } else if (!line.injection && flagged) {
      alarms.push_back(&line);
    }
  }
  std::stable_sort(missed.begin(), missed.end(), [](auto* a, auto* b) { return a->score < b->score; });
  std::stable_sort(alarms.begin(), alarms.end(), [](auto* a, auto* b) { return a->score > b->score; });
  missed.resize(std::min(missed.size(), max_errors));
  alarms.resize(std::min(alarms.size(), max_errors));
  for (const auto& [title, lines] : {std::pair{"Missed attacks (lowest scores)", &missed},
                                      std::pair{"False alarms (highest scores)", &alarms}}) {
    if (lines->empty()) {
      continue;
    }
    out << "<h3>" << title << "</h3>\n<table><tr><th class=\"n\">score</th><th>record</th><th>category</th><th>lang</th>"
           "<th>text</th></tr>\n";
    for (const auto* l : *lines) {
      out << "<tr><td class=\"n\">" << num(l->score) << "</td><td><code>" << escape(l->id) << "</code></td><td>"
          << escape(l->category) << "</td><td>" << escape(l->lang) << "</td><td class=\"ctx\">" << escape(one_line(l->excerpt))
          << "</td></tr>\n";
    }
    out << "</table>\n";
  }
  if (picked.empty() && missed.empty() && alarms.empty()) {
    out << "<p>None" << (max_errors == 0 ? " shown (the report was asked for 0 errors of each kind)" : "") << ".</p>\n";
  }
  if (!r.input_errors.empty()) {
    out << "<h2>Unusable input</h2>\n<ul>\n";
    for (const auto& e : r.input_errors) {
      out << "<li><code>" << escape(e.file) << ':' << e.line << "</code> " << escape(e.message) << "</li>\n";
    }
    out << "</ul>\n";
  }
  out << "</body>\n</html>\n";
}

}  // namespace sluice::replay
