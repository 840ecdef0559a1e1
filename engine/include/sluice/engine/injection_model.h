#pragma once
// The learned prompt-injection scorer: a logistic model over hashed features of the *normalized* text
// (character n-grams inside words and word uni/bigrams, docs/injection.md), with int8 weights. A long
// text is scored in overlapping windows and its score is its highest window's, so an injected paragraph
// in a long document is not diluted by the rest. The output is a calibrated probability.
//
// A model is immutable once loaded and shared read-only by every thread
// (`std::shared_ptr<const injection_model>`); scoring is noexcept and allocates nothing (the only buffer,
// for normalizing, is the caller's `model_scratch`).
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/normalizer.h"
#include "sluice/engine/result.h"

namespace sluice::engine {

// A model file that cannot be used: unreadable, truncated, corrupt, of another format version, or with
// settings this build does not support. The message names the file and the problem. Raised only while
// loading (never while scoring).
class model_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the model looks at. Stored in the model file; the scorer computes exactly these features.
struct model_features {
  // Bit n set: character n-grams of n bytes, taken inside words padded with one space either side
  // (n from 3 to 8). Default: 4-grams alone (as accurate as 3- and 5-grams left out one source at a time
  // once the training has disguised twins, at half the lookups: docs/injection.md).
  std::uint32_t char_ngrams = 1u << 4;
  bool word_unigrams = true;
  bool word_bigrams = true;
  std::uint32_t bucket_bits = 18;     // 2^bucket_bits hashed weights (18..24)
  std::uint32_t hash_seed = 0x51u;    // seeds every hash function
  std::uint32_t window = 512;         // bytes per scored window
  std::uint32_t stride = 256;         // window starts are this far apart; window is a multiple of it

  friend bool operator==(const model_features&, const model_features&) = default;
};

// p = 1 / (1 + exp(-(a * z + b))) for the best window's logit z (Platt scaling, fitted on scores of text
// the model did not train on).
struct model_calibration {
  double a = 1.0;
  double b = 0.0;
};

// Probability thresholds at which the share of benign texts scored at or above them (texts from sources
// the model did not train on) was measured at 1 %, 0.5 % and 0.1 %.
struct model_thresholds {
  double fpr_1_percent = 0.5;
  double fpr_half_percent = 0.5;
  double fpr_tenth_percent = 0.5;
};

// Where the model came from (informational; the digest lets anyone check which data list trained it).
struct model_provenance {
  std::array<std::uint8_t, 32> training_data_digest{};  // SHA-256 over the training files' names and contents
  std::uint32_t training_texts = 0;
  std::uint32_t training_attacks = 0;
};

struct model_score {
  double probability = 0;  // calibrated
  double logit = 0;        // raw score of the best window (before calibration)
  std::uint32_t window_start = 0;  // the best window, as byte offsets into the scored (normalized) text
  std::uint32_t window_end = 0;
};

namespace detail {
struct hash_params;
}

// The caller's buffers for scoring (one per thread, reused across calls; they grow to the largest text
// scored and are not shrunk).
struct model_scratch {
  normalized_text normalized;
  std::string folded;  // the scorer's folded copy of the text
};

class injection_model {
 public:
  // The current model file format (see docs/injection.md).
  static constexpr std::uint32_t format_version = 1;

  // Reads and validates a model file. Throws model_error naming the file and what is wrong with it.
  [[nodiscard]] static std::shared_ptr<const injection_model> load(const std::filesystem::path& file);
  // The same from bytes already in memory; `name` appears in error messages.
  [[nodiscard]] static std::shared_ptr<const injection_model> parse(std::string_view bytes, std::string_view name);
  // Quantizes float weights (one per bucket) to int8. Throws model_error on unsupported features or a
  // weight count that is not 2^bucket_bits.
  [[nodiscard]] static std::shared_ptr<const injection_model> from_weights(const model_features& features,
                                                                         const std::vector<float>& weights,
                                                                         double bias,
                                                                         const model_calibration& calibration,
                                                                         const model_thresholds& thresholds,
                                                                         const model_provenance& provenance);
  // The model shipped with the build (engine/models/injection.model), or $SLUICE_MODEL when set.
  [[nodiscard]] static std::filesystem::path default_model_path();

  // The model file's bytes: header, weights, checksum.
  [[nodiscard]] std::string serialize() const;

  // Scores text that is already normalized (the scanner's normalized copy, or text the normalizer left
  // unchanged). Any bytes are accepted; only scratch.folded is used.
  [[nodiscard]] model_score score_normalized(std::string_view normalized, model_scratch& scratch) const noexcept;
  // Normalizes `text` into `scratch` and scores it. Errors: invalid_utf8, input_too_large (then `out` is
  // left at probability 0).
  [[nodiscard]] errc score(std::string_view text, model_scratch& scratch, model_score& out) const noexcept;

  [[nodiscard]] double probability(double logit) const noexcept;

  // What made a text score high: the features of its best window with the largest positive weights,
  // strongest first, at most `count` (for block messages and audit records; allocates, so call it for
  // texts that are blocked, not for every text).
  struct evidence_item {
    std::string feature;  // the folded bytes: an n-gram (" ignor"), a word ("previous ") or two ("all previous ")
    double weight = 0;    // its weight (quantized weight times scale)
    std::uint32_t start = 0;  // its first occurrence in the window, as offsets into the normalized text
    std::uint32_t end = 0;
  };
  [[nodiscard]] std::vector<evidence_item> evidence(std::string_view normalized, std::size_t count,
                                                    model_scratch& scratch) const;

  [[nodiscard]] const model_features& features() const noexcept { return features_; }
  [[nodiscard]] const model_calibration& calibration() const noexcept { return calibration_; }
  [[nodiscard]] const model_thresholds& thresholds() const noexcept { return thresholds_; }
  [[nodiscard]] const model_provenance& provenance() const noexcept { return provenance_; }
  [[nodiscard]] double bias() const noexcept { return bias_; }
  [[nodiscard]] double weight_scale() const noexcept { return scale_; }
  // The quantized weights (2^bucket_bits of them; the vector holds a few zero bytes of padding after).
  [[nodiscard]] const std::vector<std::int8_t>& weights() const noexcept { return weights_; }

  // The feature buckets of `normalized`, in text order, with the byte offset each feature ends at (for
  // the trainer and for tests; allocates).
  struct feature_hit {
    std::uint32_t bucket;
    std::uint32_t end;
  };
  [[nodiscard]] static std::vector<feature_hit> features_of(const model_features& features,
                                                            std::string_view normalized);
  // Throws model_error when this build cannot score with `features` (names the setting).
  static void check_supported(const model_features& features);

  // The name of the scoring kernel this model uses: "sse4.1", or "scalar" when the CPU lacks SSE4.1, the
  // features need the general path (n-grams longer than 5, strides not a multiple of 64) or
  // SLUICE_SIMD=scalar forces it.
  [[nodiscard]] std::string_view kernel_name() const noexcept;

 private:
  injection_model() = default;
  void prepare();

  std::shared_ptr<const detail::hash_params> hashes_;
  bool simd_ok_ = false;

  model_features features_;
  model_calibration calibration_;
  model_thresholds thresholds_;
  model_provenance provenance_;
  double bias_ = 0;
  double scale_ = 1;  // weight = scale * int8
  std::vector<std::int8_t> weights_;
};

}  // namespace sluice::engine
