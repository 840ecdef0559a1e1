// `sluice model train|eval|score|info`: trains the learned injection scorer from labelled JSONL, measures it
// leave-one-source-out beside the signature score, scores texts with their evidence, and describes a model file (docs/injection.md,
// docs/accuracy.md). Sources are the data files' names up to their first '.'.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "cli_registry.h"
#include "sluice/engine/injection_model.h"
#include "sluice/engine/injection_training.h"
#include "sluice/engine/ruleset.h"
#include "sluice/engine/scanner.h"
#include "sluice/engine/text_disguises.h"

namespace sluice::cli {
namespace {

namespace fs = std::filesystem;

struct data_args {
  std::vector<std::string> files;
  std::string list;       // a file naming data files, one a line, relative to data_root
  std::string data_root;  // default: the list file's directory
  std::vector<std::string> exclude_sources;
  std::string ngrams = "4";
  std::uint32_t bucket_bits = 18;
  bool no_unigrams = false;
  bool no_bigrams = false;
  std::uint32_t epochs = 20;
  double learning_rate = 0.2;
  double l2 = 1e-4;
  std::uint32_t attack_cap = 400;
  std::uint32_t benign_cap = 1000;
  std::uint32_t disguise_every = 3;  // ROT13, reversed and base64 twins of every third text
  unsigned threads = 2;
};

struct train_args : data_args {
  std::string out;
  std::vector<std::string> calibrate_on;
  std::vector<std::string> operator_sources;  // benign operator-side text: not in the thresholds
};

struct eval_args : data_args {
  bool leave_one_out = false;
  std::vector<std::string> hold_out;  // only these sources (default: all)
  std::vector<std::string> operator_sources;  // benign operator-side text: reported, not in the threshold
  std::string rules_dir;
  std::string cache_dir;
  std::size_t errors = 0;
  std::string drop_signatures;     // a file of signature ids left out of the signature score
  std::string signature_precision;  // where to write each signature's precision
  double threshold = 0.8;           // the policy's threshold, reported beside the 1 % FPR points
  bool disguises = false;           // also score disguised copies of every attack (robustness)
};

// Files named by --list (lines relative to --data-root, or with "project:" to the working directory;
// "#" comments; a line ending in "/*.jsonl" names every such file in that directory, sorted) and then
// the positional ones.
std::vector<fs::path> data_files(const data_args& args) {
  std::vector<fs::path> out;
  if (!args.list.empty()) {
    std::ifstream in(args.list);
    if (!in) {
      throw engine::model_error("cannot read the data list " + args.list);
    }
    const fs::path root = args.data_root.empty() ? fs::path(args.list).parent_path() : fs::path(args.data_root);
    std::string line;
    while (std::getline(in, line)) {
      line.erase(0, line.find_first_not_of(" \t"));
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty() || line[0] == '#') {
        continue;
      }
      // "project:" paths are the repository's own corpora, relative to the working directory.
      const std::string project = "project:";
      fs::path base = root;
      if (line.rfind(project, 0) == 0) {
        line.erase(0, project.size());
        base = fs::current_path();
      }
      const std::string glob = "/*.jsonl";
      if (line.size() > glob.size() && line.compare(line.size() - glob.size(), glob.size(), glob) == 0) {
        const fs::path dir = base / line.substr(0, line.size() - glob.size());
        std::vector<fs::path> found;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
          if (entry.path().extension() == ".jsonl") {
            found.push_back(entry.path());
          }
        }
        if (ec) {
          throw engine::model_error("cannot list " + dir.string() + ": " + ec.message());
        }
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
      } else {
        out.push_back(base / line);
      }
    }
  }
  for (const auto& f : args.files) {
    out.emplace_back(f);
  }
  if (out.empty()) {
    throw engine::model_error("no data files (give DATA.jsonl... or --list)");
  }
  return out;
}

engine::training_options options_of(const data_args& args) {
  engine::training_options o;
  o.features.char_ngrams = 0;
  std::stringstream list(args.ngrams);
  std::string item;
  while (std::getline(list, item, ',')) {
    if (item.empty()) {
      continue;
    }
    const int n = std::stoi(item);
    if (n < 3 || n > 8) {
      throw engine::model_error("--ngrams: lengths must be 3..8");
    }
    o.features.char_ngrams |= 1u << n;
  }
  o.features.bucket_bits = args.bucket_bits;
  o.features.word_unigrams = !args.no_unigrams;
  o.features.word_bigrams = !args.no_bigrams;
  o.epochs = args.epochs;
  o.learning_rate = args.learning_rate;
  o.l2 = args.l2;
  o.attack_family_cap = args.attack_cap;
  o.benign_family_cap = args.benign_cap;
  o.threads = std::max(1u, args.threads);
  return o;
}

engine::training_data read_data(const data_args& args) {
  auto data = engine::read_training_files(data_files(args));
  for (const auto& s : data.skipped) {
    std::cerr << "skipped " << s << "\n";
  }
  if (!args.exclude_sources.empty()) {
    const std::set<std::string> excluded(args.exclude_sources.begin(), args.exclude_sources.end());
    std::erase_if(data.texts, [&](const engine::labelled_text& t) { return excluded.count(t.source) != 0; });
  }
  engine::add_disguised_twins(data, args.disguise_every);
  return data;
}

std::string hex(const std::array<std::uint8_t, 32>& digest) {
  std::ostringstream s;
  for (const auto b : digest) {
    s << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(b);
  }
  return s.str();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string fixed(double v, int digits = 3) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << v;
  return s.str();
}

void add_data_options(CLI::App* cmd, data_args& args) {
  cmd->add_option("files", args.files, "Labelled injection JSONL files ({id, text, injection, category})");
  cmd->add_option("--list", args.list, "A file listing data files, one a line (relative to --data-root)");
  cmd->add_option("--data-root", args.data_root, "Where the --list paths start (default: the list's directory)");
  cmd->add_option("--exclude-source", args.exclude_sources, "Leave out a source (file name up to its first '.')")->allow_extra_args(false);
  cmd->add_option("--ngrams", args.ngrams, "Character n-gram lengths, comma-separated (3..8)");
  cmd->add_option("--bucket-bits", args.bucket_bits, "2^bits hashed weights (18..24)")->check(CLI::Range(18, 24));
  cmd->add_flag("--no-word-unigrams", args.no_unigrams, "Leave out word unigrams");
  cmd->add_flag("--no-word-bigrams", args.no_bigrams, "Leave out word bigrams");
  cmd->add_option("--epochs", args.epochs, "Passes over the data");
  cmd->add_option("--learning-rate", args.learning_rate, "Adagrad learning rate");
  cmd->add_option("--l2", args.l2, "L2 penalty per feature occurrence");
  cmd->add_option("--attack-family-cap", args.attack_cap, "Attack texts per template family at full weight");
  cmd->add_option("--benign-family-cap", args.benign_cap, "Benign texts per family at full weight");
  cmd->add_option("--disguise-every", args.disguise_every,
                  "Train on ROT13, reversed and base64 twins of every Nth text (0: none; default 3)");
  cmd->add_option("--threads", args.threads, "Folds trained at once (results do not depend on it)");
}

int run_train(const train_args& args) {
  const auto start = std::chrono::steady_clock::now();
  const auto data = read_data(args);
  const engine::training_set set(data, options_of(args));
  std::vector<bool> everything(set.size(), true);
  std::vector<bool> labels(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) {
    labels[i] = set.text(i).injection;
  }
  std::cerr << "sluice model train: " << set.size() << " texts from " << set.sources().size() << " sources\n";

  std::vector<double> logits;
  std::vector<bool> train_on = everything;
  std::shared_ptr<const engine::injection_model> model;
  engine::trained_weights held_out_weights;
  if (!args.calibrate_on.empty()) {
    // The calibration sources are never trained on: one model without them scores them.
    const std::set<std::string> calibrate(args.calibrate_on.begin(), args.calibrate_on.end());
    for (std::size_t i = 0; i < set.size(); ++i) {
      train_on[i] = calibrate.count(set.text(i).source) == 0;
    }
    held_out_weights = engine::train_weights(set, train_on);
    const auto scorer = engine::injection_model::from_weights(set.options().features, held_out_weights.weights,
                                                              held_out_weights.bias, {}, {}, {});
    engine::model_scratch scratch;
    logits.assign(set.size(), std::nan(""));
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (!train_on[i]) {
        logits[i] = scorer->score_normalized(set.normalized(i), scratch).logit;
      }
    }
  } else {
    // Every source held out in turn: each text's calibration score comes from a model that never saw its
    // source.
    logits = engine::out_of_source_logits(set, everything, set.sources(), [](const std::string& source) {
      std::cerr << "  calibration fold without " << source << " done\n";
    });
  }
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (set.text(i).derived) {
      logits[i] = std::nan("");  // derived twins are trained on, not calibrated on
    }
  }
  const auto calibration = engine::fit_calibration(logits, labels);
  std::vector<double> benign;
  std::size_t attacks = 0;
  const std::set<std::string> operator_side(args.operator_sources.begin(), args.operator_sources.end());
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (std::isfinite(logits[i]) && !labels[i] && operator_side.count(set.text(i).source) == 0) {
      benign.push_back(1.0 / (1.0 + std::exp(-(calibration.a * logits[i] + calibration.b))));
    }
    attacks += std::isfinite(logits[i]) && labels[i] ? 1 : 0;
  }
  if (benign.empty() || attacks == 0) {
    std::cerr << "sluice model train: calibration needs attack and benign texts the model did not train on"
              << (args.calibrate_on.empty() ? "" : " (give --calibrate-on sources of both kinds)") << "\n";
    return 1;
  }
  const engine::model_thresholds thresholds{engine::threshold_at_rate(benign, 0.01),
                                            engine::threshold_at_rate(benign, 0.005),
                                            engine::threshold_at_rate(benign, 0.001)};
  if (!args.calibrate_on.empty()) {
    engine::model_provenance provenance;
    provenance.training_data_digest = data.digest;
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (train_on[i]) {
        ++provenance.training_texts;
        provenance.training_attacks += labels[i] ? 1 : 0;
      }
    }
    model = engine::injection_model::from_weights(set.options().features, held_out_weights.weights,
                                                  held_out_weights.bias, calibration, thresholds, provenance);
  } else {
    model = engine::build_model(set, train_on, calibration, thresholds, data.digest);
  }
  const std::string bytes = model->serialize();
  {
    std::ofstream out(args.out, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::cerr << "sluice model train: cannot write " << args.out << "\n";
      return 1;
    }
  }
  std::size_t pooled_hits = 0;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (std::isfinite(logits[i]) && labels[i] &&
        1.0 / (1.0 + std::exp(-(calibration.a * logits[i] + calibration.b))) >= thresholds.fpr_1_percent) {
      ++pooled_hits;
    }
  }
  std::cout << "wrote " << args.out << " (" << bytes.size() << " bytes) in " << fixed(seconds_since(start), 1)
            << " s\n"
            << "trained on " << model->provenance().training_texts << " texts ("
            << model->provenance().training_attacks << " attacks); data digest " << hex(data.digest) << "\n"
            << "calibration on " << benign.size() << " benign and " << attacks
            << " attack texts the scoring model did not train on: a = " << calibration.a
            << ", b = " << calibration.b << "\n"
            << "thresholds (probability) at benign FPR 1 % / 0.5 % / 0.1 %: " << fixed(thresholds.fpr_1_percent, 4)
            << " / " << fixed(thresholds.fpr_half_percent, 4) << " / " << fixed(thresholds.fpr_tenth_percent, 4)
            << "\n"
            << "pooled out-of-source attack TPR at the 1 % threshold: "
            << fixed(attacks == 0 ? 0.0 : static_cast<double>(pooled_hits) / static_cast<double>(attacks)) << "\n";
  return 0;
}

struct rate {
  std::size_t total = 0;
  std::size_t model = 0;
  std::size_t signatures = 0;
  std::size_t higher = 0;  // the higher of the model's probability and the signature score
  std::size_t joint = 0;   // sigmoid(a z + c s + b), fitted without the text's source
  std::size_t shipped = 0;  // the higher of both at the policy's threshold (--threshold)
};

struct eval_thresholds {
  double model_logit;
  double signature;
  double higher;  // at 1 % pooled benign FPR
  double policy;  // the policy's threshold, on the higher of both
};

// Recall of the held-out attacks as they are and disguised, each detector at its 1 % threshold and the
// policy at its own: how much each disguise costs (the issue's robustness target: at most 5 points).
void report_disguises(const engine::training_set& set, const std::vector<double>& logits,
                      const std::vector<double>& disguised_logits, const std::vector<double>& signature,
                      const std::vector<double>& signature_beside_model, const std::vector<double>& higher,
                      const eval_thresholds& t) {
  std::vector<double> counted_logits;
  std::vector<bool> labels;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (std::isfinite(logits[i])) {
      counted_logits.push_back(logits[i]);
      labels.push_back(set.text(i).injection);
    }
  }
  const auto platt = engine::fit_calibration(counted_logits, labels);  // as the "higher of both" column
  struct counts {
    std::size_t texts = 0;
    std::size_t hits[2][4] = {};  // [as is, disguised][model, signatures, higher of both, policy]
  };
  std::map<std::string, counts> by_kind;
  for (std::size_t i = 0; i < set.size(); ++i) {
    const auto& d = set.text(i);
    if (!d.evaluation_only || !std::isfinite(disguised_logits[i]) || !std::isfinite(logits[d.original])) {
      continue;
    }
    const std::size_t o = d.original;
    double z = disguised_logits[i];
    if (d.disguise == "base64" && set.text(o).text.size() >= 18) {
      // The scanner decodes a base64 run of 24 characters or more and scores the payload with the model
      // as a text of its own (scanner.cpp): the held-out model's score of the decoded text is the
      // original's.
      z = std::max(z, logits[o]);
    }
    const double p = 1.0 / (1.0 + std::exp(-(platt.a * z + platt.b)));
    const double disguised_higher = std::max(p, signature_beside_model[i]);
    auto& c = by_kind[d.disguise];
    ++c.texts;
    const bool as_is[4] = {logits[o] >= t.model_logit, signature[o] >= t.signature, higher[o] >= t.higher,
                           higher[o] >= t.policy};
    const bool hidden[4] = {z >= t.model_logit, signature[i] >= t.signature, disguised_higher >= t.higher,
                            disguised_higher >= t.policy};
    for (int k = 0; k < 4; ++k) {
      c.hits[0][k] += as_is[k] ? 1 : 0;
      c.hits[1][k] += hidden[k] ? 1 : 0;
    }
  }
  std::cout << "\nRecall as is -> disguised (the same held-out attacks of at most 2 KiB; each detector at its 1 % "
               "threshold, the policy at "
            << fixed(t.policy, 2) << "):\n\n| disguise | attacks | model | signatures | higher of both | policy at "
            << fixed(t.policy, 2) << " |\n|---|---:|---:|---:|---:|---:|\n";
  for (const auto& name : engine::evaluation_disguises()) {
    const auto it = by_kind.find(name);
    if (it == by_kind.end()) {
      continue;
    }
    const counts& c = it->second;
    std::cout << "| " << name << " | " << c.texts;
    for (int k = 0; k < 4; ++k) {
      const double before = static_cast<double>(c.hits[0][k]) / static_cast<double>(c.texts);
      const double after = static_cast<double>(c.hits[1][k]) / static_cast<double>(c.texts);
      std::cout << " | " << fixed(before) << " -> " << fixed(after);
    }
    std::cout << " |\n";
  }
}

int run_eval(const eval_args& args) {
  if (!args.leave_one_out) {
    std::cerr << "sluice model eval: only --leave-one-out is implemented (random splits do not count)\n";
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  auto data = read_data(args);
  if (args.disguises) {
    engine::add_evaluation_disguises(data);
  }
  const engine::training_set set(data, options_of(args));
  std::vector<bool> everything(set.size(), true);
  for (std::size_t i = 0; i < set.size(); ++i) {
    everything[i] = !set.text(i).evaluation_only;  // scored with their source, never trained on
  }
  const std::vector<std::string> held_out = args.hold_out.empty() ? set.sources() : args.hold_out;
  std::cerr << "sluice model eval: " << set.size() << " texts from " << set.sources().size() << " sources, "
            << held_out.size() << " folds\n";
  auto logits = engine::out_of_source_logits(set, everything, held_out, [](const std::string& source) {
    std::cerr << "  fold without " << source << " done\n";
  });
  // The disguised copies' scores leave `logits` (which every table below counts) for their own report.
  std::vector<double> disguised_logits(set.size(), std::nan(""));
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (set.text(i).derived) {
      logits[i] = std::nan("");  // trained on, never counted
    }
    if (set.text(i).evaluation_only) {
      disguised_logits[i] = logits[i];
      logits[i] = std::nan("");
    }
  }

  // The signature score of every text, from the catalog the gateway runs.
  engine::compile_options compile;
  compile.cache_dir = args.cache_dir.empty() ? engine::ruleset::default_cache_dir() : fs::path(args.cache_dir);
  const auto rules = engine::ruleset::load(
      args.rules_dir.empty() ? engine::ruleset::default_rules_dir() : fs::path(args.rules_dir), compile);
  engine::scanner scanner(rules);
  engine::scan_result result;
  engine::scan_options scan;
  scan.entities = false;
  scan.content = false;
  // Signatures left out (`--drop-signatures`): what the score would be with them out of the catalog.
  std::set<std::string> dropped;
  if (!args.drop_signatures.empty()) {
    std::ifstream in(args.drop_signatures);
    if (!in) {
      throw engine::model_error("cannot read " + args.drop_signatures);
    }
    for (std::string line; std::getline(in, line);) {
      const auto id = line.substr(0, line.find_first_of(" \t#"));
      if (!id.empty()) {
        dropped.insert(id);
      }
    }
  }
  std::vector<double> signature(set.size(), 0.0);             // signatures alone (a policy with model: none)
  std::vector<double> signature_beside_model(set.size(), 0.0);  // without model_covered ones, as with a model
  struct hit_counts {
    std::size_t attacks = 0;
    std::size_t benign = 0;
    std::size_t attacks_model_flags = 0;  // of the attacks, those the model flags by itself
  };
  std::map<std::string, hit_counts> signature_hits;
  std::vector<std::vector<std::uint32_t>> text_signatures(set.size());
  const std::set<std::string> operator_side(args.operator_sources.begin(), args.operator_sources.end());
  for (std::size_t i = 0; i < set.size(); ++i) {
    if ((!std::isfinite(logits[i]) && !std::isfinite(disguised_logits[i])) ||
        scanner.scan(set.text(i).text, result, scan) != engine::errc::ok) {
      continue;
    }
    double keep = 1.0;  // the scanner's formula, over the signatures kept
    double keep_beside_model = 1.0;
    for (const auto& f : result.injection) {
      const auto& rule = rules->at(f.rule);
      if (!set.text(i).evaluation_only && (set.text(i).injection || operator_side.count(set.text(i).source) == 0)) {
        auto& hits = signature_hits[rule.id];
        ++(set.text(i).injection ? hits.attacks : hits.benign);
        text_signatures[i].push_back(f.rule);
      }
      if (dropped.count(rule.id) == 0) {
        keep *= 1.0 - rule.weight;
        keep_beside_model *= rule.model_covered ? 1.0 : 1.0 - rule.weight;
      }
    }
    signature[i] = 1.0 - keep;
    signature_beside_model[i] = 1.0 - keep_beside_model;
  }
  std::vector<double> benign_model;
  std::vector<double> benign_signature;
  std::vector<double> benign_higher;
  std::vector<double> benign_joint;
  std::vector<bool> labels(set.size());
  for (std::size_t i = 0; i < set.size(); ++i) {
    labels[i] = set.text(i).injection;
  }
  // Two ways to combine the detectors into one score, each with the signature score the scanner computes
  // beside a model (model_covered signatures add nothing). "higher": the model's probability (Platt
  // fitted to every out-of-source logit, as `model train` does) or the signature score, whichever is higher.
  // "joint": the calibration learns a weight for the signature score beside the model's logit; each
  // source is scored by a calibration fitted without it, so the combination is held out too.
  std::vector<double> higher(set.size(), std::nan(""));
  std::vector<double> joint(set.size(), std::nan(""));
  {
    const auto platt = engine::fit_calibration(logits, labels);
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (std::isfinite(logits[i])) {
        higher[i] = std::max(1.0 / (1.0 + std::exp(-(platt.a * logits[i] + platt.b))), signature_beside_model[i]);
      }
    }
    for (const auto& source : held_out) {
      std::vector<double> others = logits;
      for (std::size_t i = 0; i < set.size(); ++i) {
        if (set.text(i).source == source) {
          others[i] = std::nan("");
        }
      }
      const auto c = engine::fit_joint_calibration(others, signature_beside_model, labels);
      for (std::size_t i = 0; i < set.size(); ++i) {
        if (set.text(i).source == source && std::isfinite(logits[i])) {
          joint[i] = c.a * logits[i] + c.signature * signature_beside_model[i] + c.b;
        }
      }
    }
    const auto c = engine::fit_joint_calibration(logits, signature_beside_model, labels);
    std::cerr << "  joint calibration on every source: a = " << c.a << ", signature = " << c.signature
              << ", b = " << c.b << "\n";
  }
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (std::isfinite(logits[i]) && !set.text(i).injection && operator_side.count(set.text(i).source) == 0) {
      benign_model.push_back(logits[i]);
      benign_signature.push_back(signature[i]);
      benign_higher.push_back(higher[i]);
      benign_joint.push_back(joint[i]);
    }
  }
  const double model_threshold = engine::threshold_at_rate(benign_model, 0.01);
  const double signature_threshold = std::max(engine::threshold_at_rate(benign_signature, 0.01), 1e-9);
  const double higher_threshold = engine::threshold_at_rate(benign_higher, 0.01);
  const double joint_threshold = engine::threshold_at_rate(benign_joint, 0.01);
  if (!args.signature_precision.empty()) {
    // Precision of each signature over these texts (attack hits / all hits, operator-side text left
    // out), lowest first, and how many of its attack hits the model flags by itself at the 1 % threshold
    // (held out): the candidates for leaving the catalog to the model.
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (set.text(i).injection && std::isfinite(logits[i]) && logits[i] >= model_threshold) {
        for (const auto rule : text_signatures[i]) {
          ++signature_hits[rules->at(rule).id].attacks_model_flags;
        }
      }
    }
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [id, hits] : signature_hits) {
      order.emplace_back(static_cast<double>(hits.attacks) / static_cast<double>(hits.attacks + hits.benign), id);
    }
    std::sort(order.begin(), order.end());
    std::ofstream out(args.signature_precision);
    for (const auto& [precision, id] : order) {
      const auto& hits = signature_hits[id];
      out << id << " # precision " << fixed(precision, 3) << ", " << hits.attacks << " attack and " << hits.benign
          << " benign texts; model covers "
          << fixed(hits.attacks == 0 ? 1.0 : static_cast<double>(hits.attacks_model_flags) / hits.attacks, 3)
          << " of its attacks\n";
    }
    if (!out) {
      throw engine::model_error("cannot write " + args.signature_precision);
    }
  }
  std::map<std::string, rate> attack_sources;
  std::map<std::string, rate> benign_sources;
  std::map<std::string, rate> categories;
  std::map<std::string, rate> languages;  // attacks whose line says its language
  rate pooled_attacks;
  rate pooled_benign;
  std::vector<std::pair<double, std::size_t>> missed;
  std::vector<std::pair<double, std::size_t>> flagged;
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (!std::isfinite(logits[i])) {
      continue;
    }
    const auto& t = set.text(i);
    const bool m = logits[i] >= model_threshold;
    const bool s = signature[i] >= signature_threshold;
    std::vector<rate*> counts{t.injection ? &attack_sources[t.source] : &benign_sources[t.source]};
    if (t.injection && !t.lang.empty()) {
      counts.push_back(&languages[t.lang]);
    }
    if (t.injection) {
      counts.push_back(&categories[t.category]);
      counts.push_back(&pooled_attacks);
    } else if (operator_side.count(t.source) == 0) {
      counts.push_back(&pooled_benign);
    }
    for (rate* r : counts) {
      ++r->total;
      r->model += m ? 1 : 0;
      r->signatures += s ? 1 : 0;
      r->higher += higher[i] >= higher_threshold ? 1 : 0;
      r->joint += joint[i] >= joint_threshold ? 1 : 0;
      r->shipped += higher[i] >= args.threshold ? 1 : 0;
    }
    if (t.injection && !m) {
      missed.emplace_back(logits[i], i);
    }
    if (!t.injection && m && operator_side.count(t.source) == 0) {
      flagged.emplace_back(-logits[i], i);
    }
  }
  const auto share = [](std::size_t k, std::size_t n) { return n == 0 ? 0.0 : static_cast<double>(k) / n; };
  std::cout << "Leave-one-source-out: each source scored by a model trained without it; " << set.size()
            << " texts, " << set.sources().size() << " sources (" << fixed(seconds_since(start), 0) << " s).\n"
            << (operator_side.empty() ? "" : "Operator-side benign sources (reported, not pooled): " + [&] {
                 std::string names;
                 for (const auto& n : operator_side) {
                   names += (names.empty() ? "" : ", ") + n;
                 }
                 return names;
               }() + ".\n")
            << "Thresholds at pooled benign FPR <= 1 %: model logit " << fixed(model_threshold, 3)
            << ", signature score " << fixed(signature_threshold, 3) << ", higher of the two "
            << fixed(higher_threshold, 3) << ", joint logit " << fixed(joint_threshold, 3) << ".\n"
            << "The last column is what the policy does at its threshold " << fixed(args.threshold, 2)
            << ": the higher of the signature score and the model's probability (Platt fitted to these held-out "
               "logits, as `model train` calibrates the shipped model).\n\n";
  const std::string columns = " | model | signatures | higher of both | joint | higher of both at " +
                              fixed(args.threshold, 2) + " |\n|---|---:|---:|---:|---:|---:|---:|\n";
  const auto row = [&](const std::string& name, const rate& r) {
    std::cout << "| " << name << " | " << r.total << " | " << fixed(share(r.model, r.total)) << " | "
              << fixed(share(r.signatures, r.total)) << " | " << fixed(share(r.higher, r.total)) << " | "
              << fixed(share(r.joint, r.total)) << " | " << fixed(share(r.shipped, r.total)) << " |\n";
  };
  std::cout << "TPR by attack source:\n\n| attack source | attacks" << columns;
  rate mean;  // each field the sum of the sources' shares, in thousandths
  double worst = 1;
  for (const auto& [name, r] : attack_sources) {
    row(name, r);
    // clang 14 cannot capture a structured binding (make asan / make tsan build with it): capture a copy.
    const auto total = r.total;
    const auto thousandths = [&](std::size_t k) { return static_cast<std::size_t>(std::lround(1000.0 * share(k, total))); };
    mean.total += 1000;
    mean.model += thousandths(r.model);
    mean.signatures += thousandths(r.signatures);
    mean.higher += thousandths(r.higher);
    mean.joint += thousandths(r.joint);
    mean.shipped += thousandths(r.shipped);
    worst = std::min(worst, share(r.model, r.total));
  }
  row("**pooled**", pooled_attacks);
  const auto mean_of = [&](std::size_t sum) { return fixed(static_cast<double>(sum) / std::max<double>(1, mean.total)); };
  std::cout << "| **mean over sources** | | " << mean_of(mean.model) << " | " << mean_of(mean.signatures) << " | "
            << mean_of(mean.higher) << " | " << mean_of(mean.joint) << " | " << mean_of(mean.shipped) << " |\n";
  std::cout << "\nLowest source TPR (model): " << fixed(worst) << "\n\nFPR by benign source:\n\n| benign source | texts"
            << columns;
  for (const auto& [name, r] : benign_sources) {
    row(name, r);
  }
  row("**pooled**", pooled_benign);
  std::cout << "\nTPR by attack category:\n\n| attack category | attacks" << columns;
  for (const auto& [name, r] : categories) {
    row(name, r);
  }
  if (!languages.empty()) {
    std::cout << "\nTPR by attack language:\n\n| attack language | attacks" << columns;
    for (const auto& [name, r] : languages) {
      row(name, r);
    }
  }
  // Calibration: Platt scaling fitted to these out-of-source logits (two parameters, as `model train`
  // does), then predicted against observed (the share of attacks) by probability decile.
  {
    std::vector<double> scored;
    std::vector<bool> labels;
    for (std::size_t i = 0; i < set.size(); ++i) {
      if (std::isfinite(logits[i])) {  // every held-out text, as `model train` calibrates
        scored.push_back(logits[i]);
        labels.push_back(set.text(i).injection);
      }
    }
    const auto calibration = engine::fit_calibration(scored, labels);
    struct bin {
      std::size_t texts = 0;
      double predicted = 0;
      double weight = 0;
      double attack_weight = 0;
    };
    bin bins[10];
    for (std::size_t k = 0; k < scored.size(); ++k) {
      const double p = 1.0 / (1.0 + std::exp(-(calibration.a * scored[k] + calibration.b)));
      const double w = 1.0;
      bin& b = bins[std::min(9, static_cast<int>(p * 10))];
      ++b.texts;
      b.predicted += p * w;
      b.weight += w;
      b.attack_weight += labels[k] ? w : 0;
    }
    std::cout << "\nCalibration (Platt a = " << fixed(calibration.a) << ", b = " << fixed(calibration.b)
              << "; the data's own mix of attacks and benign texts):\n\n| predicted | texts | mean predicted | observed |\n|---|---:|---:|---:|\n";
    for (int k = 0; k < 10; ++k) {
      if (bins[k].texts == 0) {
        continue;
      }
      std::cout << "| " << fixed(k / 10.0, 1) << "-" << fixed((k + 1) / 10.0, 1) << " | " << bins[k].texts << " | "
                << fixed(bins[k].predicted / bins[k].weight) << " | " << fixed(bins[k].attack_weight / bins[k].weight)
                << " |\n";
    }
  }
  if (args.disguises) {
    report_disguises(set, logits, disguised_logits, signature, signature_beside_model, higher,
                     {model_threshold, signature_threshold, higher_threshold, args.threshold});
  }
  if (args.errors > 0) {
    std::sort(missed.begin(), missed.end());
    std::sort(flagged.begin(), flagged.end());
    const auto show = [&](const char* title, const std::vector<std::pair<double, std::size_t>>& list) {
      std::cout << "\n" << title << "\n";
      for (std::size_t k = 0; k < std::min(args.errors, list.size()); ++k) {
        const auto& t = set.text(list[k].second);
        std::size_t cut = std::min<std::size_t>(160, t.text.size());
        while (cut > 0 && cut < t.text.size() && (static_cast<unsigned char>(t.text[cut]) & 0xC0) == 0x80) {
          --cut;  // not inside a UTF-8 character
        }
        std::string excerpt = t.text.substr(0, cut);
        std::replace(excerpt.begin(), excerpt.end(), '\n', ' ');
        const double logit = logits[list[k].second];
        std::cout << "  " << t.id << " (logit " << fixed(logit, 2) << "): " << excerpt << "\n";
      }
    };
    show("missed attacks, lowest first:", missed);
    show("flagged benign texts, highest first:", flagged);
  }
  return 0;
}

int run_info(const std::string& file) {
  const auto model = engine::injection_model::load(file);
  const auto& f = model->features();
  std::cout << "format version " << engine::injection_model::format_version << "\nn-grams:";
  for (int n = 3; n <= 8; ++n) {
    if ((f.char_ngrams >> n & 1u) != 0) {
      std::cout << " " << n;
    }
  }
  std::cout << "\nword unigrams: " << (f.word_unigrams ? "yes" : "no") << ", bigrams: " << (f.word_bigrams ? "yes" : "no")
            << "\nbuckets: 2^" << f.bucket_bits << ", hash seed " << f.hash_seed << "\nwindow " << f.window
            << " bytes, stride " << f.stride << "\nweight scale " << model->weight_scale() << ", bias "
            << model->bias() << "\ncalibration a = " << model->calibration().a << ", b = " << model->calibration().b
            << "\nthresholds at benign FPR 1 % / 0.5 % / 0.1 %: " << model->thresholds().fpr_1_percent << " / "
            << model->thresholds().fpr_half_percent << " / " << model->thresholds().fpr_tenth_percent
            << "\ntrained on " << model->provenance().training_texts << " texts ("
            << model->provenance().training_attacks << " attacks), data digest "
            << hex(model->provenance().training_data_digest) << "\nkernel " << model->kernel_name() << "\n";
  return 0;
}

struct score_args {
  std::string model_file;
  std::vector<std::string> texts;
  std::size_t evidence = 5;
};

// Scores each TEXT (or all of standard input as one text) and says what made it score.
int run_score(const score_args& args) {
  const auto model = engine::injection_model::load(
      args.model_file.empty() ? engine::injection_model::default_model_path() : fs::path(args.model_file));
  std::vector<std::string> texts = args.texts;
  if (texts.empty()) {
    std::ostringstream in;
    in << std::cin.rdbuf();
    texts.push_back(in.str());
  }
  engine::model_scratch scratch;
  int status = 0;
  for (const auto& text : texts) {
    engine::model_score score;
    const engine::errc e = model->score(text, scratch, score);
    if (e != engine::errc::ok) {
      std::cout << "error: " << engine::to_string(e) << "\n";
      status = 1;
      continue;
    }
    const std::string_view normalized =
        scratch.normalized.changed ? std::string_view(scratch.normalized.text) : std::string_view(text);
    std::cout << "p = " << fixed(score.probability, 4) << " (logit " << fixed(score.logit, 3) << ", window "
              << score.window_start << "-" << score.window_end << ")"
              << (score.probability >= model->thresholds().fpr_1_percent ? ", above the 1 % FPR threshold" : "")
              << "\n";
    for (const auto& item : model->evidence(normalized, args.evidence, scratch)) {
      std::cout << "  +" << fixed(item.weight, 3) << "  \"" << item.feature << "\"\n";
    }
  }
  return status;
}

int guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    std::cerr << "sluice model: " << e.what() << "\n";
    return 1;
  }
}

const register_command registration{[](CLI::App& app) {
  auto* model = app.add_subcommand("model", "Train, evaluate and inspect the learned injection scorer");
  model->require_subcommand(1);

  auto train = std::make_shared<train_args>();
  auto* t = model->add_subcommand("train", "Train a model file from labelled JSONL");
  add_data_options(t, *train);
  t->add_option("--out", train->out, "The model file to write")->required();
  t->add_option("--calibrate-on", train->calibrate_on,
                "Hold these sources out of training and calibrate on them (default: every source held out in turn)")
      ->allow_extra_args(false);
  t->add_option("--operator-source", train->operator_sources,
                "A benign source of operator-side text (system prompts): trained on, not in the thresholds")
      ->allow_extra_args(false);
  t->callback([train] { exit_code() = guarded([&] { return run_train(*train); }); });

  auto eval = std::make_shared<eval_args>();
  auto* e = model->add_subcommand("eval", "Measure the model on sources it did not train on, beside the signatures");
  add_data_options(e, *eval);
  e->add_flag("--leave-one-out", eval->leave_one_out, "Hold out each source in turn")->required();
  e->add_option("--hold-out", eval->hold_out, "Only these sources as folds (default: all)")->allow_extra_args(false);
  e->add_option("--operator-source", eval->operator_sources,
                "A benign source of operator-side text (system prompts): reported but not in the pooled FPR")
      ->allow_extra_args(false);
  e->add_option("--rules", eval->rules_dir, "Rules directory for the signature score");
  e->add_option("--cache-dir", eval->cache_dir, "Compiled database cache");
  e->add_option("--errors", eval->errors, "Show the N lowest-scored attacks and highest-scored benign texts");
  e->add_option("--threshold", eval->threshold,
                "The prompt-injection policy's threshold: the last column counts the higher of both at it")
      ->capture_default_str();
  e->add_flag("--disguises", eval->disguises,
              "Also score each attack disguised (letter-spacing, look-alike letters, zero-width characters, "
              "leetspeak, base64) and report the recall each disguise costs");
  e->add_option("--drop-signatures", eval->drop_signatures,
                "A file of signature ids (one per line, # comments) left out of the signature score");
  e->add_option("--signature-precision", eval->signature_precision,
                "Write each signature's precision over the data to this file, lowest first");
  e->callback([eval] { exit_code() = guarded([&] { return run_eval(*eval); }); });

  auto score = std::make_shared<score_args>();
  auto* sc = model->add_subcommand("score", "Score texts with a model and show the strongest features");
  sc->add_option("texts", score->texts, "Texts to score (default: standard input as one text)");
  sc->add_option("--model", score->model_file, "Model file (default: $SLUICE_MODEL or the shipped model)");
  sc->add_option("--evidence", score->evidence, "How many features to show");
  sc->callback([score] { exit_code() = guarded([&] { return run_score(*score); }); });

  auto info_file = std::make_shared<std::string>();
  auto* i = model->add_subcommand("info", "Describe a model file (and check it loads)");
  i->add_option("file", *info_file, "Model file")->required();
  i->callback([info_file] { exit_code() = guarded([&] { return run_info(*info_file); }); });
}};

}  // namespace
}  // namespace sluice::cli
