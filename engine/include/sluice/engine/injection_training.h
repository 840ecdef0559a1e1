#pragma once
// Training the injection model (injection_model.h) from labelled JSONL, and measuring it honestly:
// every number that matters is taken on sources the model did not train on (leave-one-source-out).
//
// Deterministic: the same files and options give the same model bytes on any machine (one fixed-seed
// shuffle per epoch, sequential Adagrad per fold; folds run in parallel but never share state).
// Exceptions (model_error) for unreadable input; this is an offline tool, not the request path.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sluice/engine/injection_model.h"

namespace sluice::engine {

struct labelled_text {
  std::string id;
  std::string source;  // the file's name up to its first '.' ("garak_probes" for garak_probes.mixed.jsonl)
  std::string family;  // the line's "family", else the id without its trailing numbers ("asb-dpi")
  std::string category;
  std::string lang;  // the line's "lang" when it has one
  std::string text;
  bool injection = false;
  // Made by the reader, not in the file: the benign twin of an attack whose line gives the injected
  // "span" (the text without it), so the document around an injection is not learned as a cue. Trained
  // on, never counted in evaluations.
  bool derived = false;
  // Made by add_evaluation_disguises: a disguised copy of an attack (`disguise` names how, `original` is
  // the index of the text it was made from). Never trained on; scored with its source when that source
  // is held out, to measure what the disguise costs.
  bool evaluation_only = false;
  std::string disguise;
  std::size_t original = 0;
};

struct training_data {
  std::vector<labelled_text> texts;
  // SHA-256 over every file's name (not its directory) and contents, in the order given.
  std::array<std::uint8_t, 32> digest{};
  std::vector<std::string> skipped;  // "file:line: why" for lines that could not be used
};

// Reads injection JSONL files ({"id", "text", "injection", "category", optional "lang", "family" and
// "span": {"start", "end"}}); an attack with a span also gives its derived benign twin. Lines without
// "injection"
// (PII corpora) are skipped silently, malformed ones are listed in `skipped`. Throws model_error when a
// file cannot be read.
[[nodiscard]] training_data read_training_files(const std::vector<std::filesystem::path>& files);

// Adds, for every `every`-th text that is not derived (0: none) and is at most 2 KiB, its ROT13 twin, its
// reversed twin (code points in reverse order) and its base64 twin, with the same label and source,
// marked derived (trained on, never evaluated or calibrated on). Attackers hide instructions that way and
// the normalizer does not undo it; twins of both classes teach the model the disguised wordings without
// making the disguise itself a cue.
void add_disguised_twins(training_data& data, std::uint32_t every);

// Adds, for every attack that is not derived and is at most 2 KiB, one evaluation-only copy per
// evaluation disguise (text_disguises.h), in the order of evaluation_disguises().
void add_evaluation_disguises(training_data& data);

struct training_options {
  model_features features;
  std::uint32_t epochs = 20;
  double learning_rate = 0.2;  // Adagrad
  double l2 = 1e-4;            // per feature occurrence
  std::uint64_t seed = 1;
  // Texts of one (source, family, label) beyond these counts share the weight of this many, so no
  // template family dominates.
  std::uint32_t attack_family_cap = 400;
  std::uint32_t benign_family_cap = 1000;
  // Only the first max_blocks strides of a text are trained on (the scorer still reads all of it).
  std::uint32_t max_blocks = 64;
  unsigned threads = 2;  // folds trained at once (the results do not depend on it)
};

// The texts normalized and hashed once, for any number of trainings.
class training_set {
 public:
  training_set(const training_data& data, const training_options& options);
  ~training_set();
  training_set(const training_set&) = delete;
  training_set& operator=(const training_set&) = delete;

  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] const labelled_text& text(std::size_t i) const noexcept;
  [[nodiscard]] const std::string& normalized(std::size_t i) const noexcept;
  // Sources in first-seen order.
  [[nodiscard]] const std::vector<std::string>& sources() const noexcept;
  [[nodiscard]] const training_options& options() const noexcept;
  // The training weight of each text (family caps, then classes balanced), over `include`.
  [[nodiscard]] std::vector<double> example_weights(const std::vector<bool>& include) const;

  struct impl;
  [[nodiscard]] const impl& internals() const noexcept { return *impl_; }

 private:
  std::unique_ptr<impl> impl_;
};

struct trained_weights {
  std::vector<float> weights;
  double bias = 0;
};

// Trains on the texts with include[i] set.
[[nodiscard]] trained_weights train_weights(const training_set& set, const std::vector<bool>& include);

// The model's raw score (best window's logit) for each text, each computed by a model that did not train
// on the text's source: one training per source in `held_out` (the other sources' texts are not
// scored: NaN). include[i] false leaves a text out of every training (and unscored, unless it is an
// evaluation-only text, which is never trained on and always scored with its source). progress(source) is called
// after each fold (from the calling thread's fold order, serialized).
[[nodiscard]] std::vector<double> out_of_source_logits(const training_set& set, const std::vector<bool>& include,
                                                       const std::vector<std::string>& held_out,
                                                       const std::function<void(const std::string&)>& progress = {});

// Platt scaling fitted to (logit, label) pairs as they come (the data's own mix of attacks and benign
// text; with Platt's smoothed targets), so p reads as the share of attacks among texts scored alike in
// that mix.
[[nodiscard]] model_calibration fit_calibration(const std::vector<double>& logits, const std::vector<bool>& labels);
// A calibration with the signatures' score s in [0, 1] as a second input: p = sigmoid(a z + signature s + b),
// the signature hits weighed as evidence beside the model's logit. `sluice model eval` measures it against
// the gateway's combination (the higher of the two scores); see docs/injection.md.
struct joint_calibration {
  double a = 1.0;
  double signature = 0.0;
  double b = 0.0;
};
[[nodiscard]] joint_calibration fit_joint_calibration(const std::vector<double>& logits,
                                                      const std::vector<double>& signature_scores,
                                                      const std::vector<bool>& labels);

// The lowest threshold t such that at most `rate` of `benign_scores` are >= t (scores above every
// benign one when rate is 0).
[[nodiscard]] double threshold_at_rate(std::vector<double> benign_scores, double rate);

// Trains the final model on `include` and packs it with a calibration and thresholds.
[[nodiscard]] std::shared_ptr<const injection_model> build_model(const training_set& set,
                                                                 const std::vector<bool>& include,
                                                                 const model_calibration& calibration,
                                                                 const model_thresholds& thresholds,
                                                                 const std::array<std::uint8_t, 32>& digest);

}  // namespace sluice::engine
