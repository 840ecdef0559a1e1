// The injection model: loading and validating model files, quantizing trained weights, and scoring.
#include "sluice/engine/injection_model.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "model/feature_hashing.h"
#include "model/model_file.h"
#include "model/model_kernels.h"
#include "model/window_tracker.h"

namespace sluice::engine {
namespace {

using detail::model_header_bytes;

std::array<std::uint8_t, 32> sha256(std::string_view bytes) {
  std::array<std::uint8_t, 32> out{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

template <class T>
void put(std::string& out, T value) {
  static_assert(std::endian::native == std::endian::little, "model files are little-endian");
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <class T>
T get(std::string_view bytes, std::size_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

std::string describe(const model_features& f) {
  std::ostringstream s;
  s << "n-grams";
  for (int n = 1; n <= 31; ++n) {
    if ((f.char_ngrams >> n & 1u) != 0) {
      s << " " << n;
    }
  }
  s << ", words " << (f.word_unigrams ? "1" : "") << (f.word_bigrams ? "2" : "") << ", 2^" << f.bucket_bits
    << " buckets, window " << f.window << "/" << f.stride;
  return s.str();
}

}  // namespace

void injection_model::check_supported(const model_features& f) {
  const auto fail = [&](const std::string& what) {
    throw model_error("unsupported model features (" + describe(f) + "): " + what);
  };
  if (f.bucket_bits < 18 || f.bucket_bits > 24) {
    fail("bucket bits must be 18..24");
  }
  if ((f.char_ngrams & ~0x1F8u) != 0) {
    fail("character n-grams must be 3..8 bytes long");
  }
  if (f.char_ngrams == 0 && !f.word_unigrams && !f.word_bigrams) {
    fail("no features");
  }
  if (f.stride == 0 || f.window % f.stride != 0 || f.window / f.stride > detail::max_blocks_per_window ||
      f.window < f.stride) {
    fail("the window must be 1..16 strides long");
  }
}

std::shared_ptr<const injection_model> injection_model::from_weights(const model_features& features,
                                                                   const std::vector<float>& weights,
                                                                   double bias,
                                                                   const model_calibration& calibration,
                                                                   const model_thresholds& thresholds,
                                                                   const model_provenance& provenance) {
  check_supported(features);
  if (weights.size() != (std::size_t{1} << features.bucket_bits)) {
    throw model_error("weight count " + std::to_string(weights.size()) + " is not 2^" +
                      std::to_string(features.bucket_bits));
  }
  float largest = 0;
  for (const float w : weights) {
    if (!std::isfinite(w)) {
      throw model_error("a trained weight is not a finite number (training diverged)");
    }
    largest = std::max(largest, std::fabs(w));
  }
  std::shared_ptr<injection_model> m(new injection_model());
  m->features_ = features;
  m->calibration_ = calibration;
  m->thresholds_ = thresholds;
  m->provenance_ = provenance;
  m->bias_ = bias;
  m->scale_ = largest > 0 ? static_cast<double>(largest) / 127.0 : 1.0;
  m->weights_.assign(weights.size() + detail::model_weight_padding, 0);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    const double q = std::nearbyint(static_cast<double>(weights[i]) / m->scale_);
    m->weights_[i] = static_cast<std::int8_t>(std::clamp(q, -127.0, 127.0));
  }
  m->prepare();
  return m;
}

std::string injection_model::serialize() const {
  std::string out(detail::model_magic, 8);
  put<std::uint32_t>(out, format_version);
  put<std::uint32_t>(out, model_header_bytes);
  put<std::uint32_t>(out, features_.char_ngrams);
  put<std::uint32_t>(out, (features_.word_unigrams ? 1u : 0u) | (features_.word_bigrams ? 2u : 0u));
  put<std::uint32_t>(out, features_.bucket_bits);
  put<std::uint32_t>(out, features_.hash_seed);
  put<std::uint32_t>(out, features_.window);
  put<std::uint32_t>(out, features_.stride);
  put<std::uint32_t>(out, detail::model_normalizer_version);
  put<std::uint32_t>(out, detail::model_weight_int8);
  put<double>(out, scale_);
  put<double>(out, bias_);
  put<double>(out, calibration_.a);
  put<double>(out, calibration_.b);
  put<double>(out, thresholds_.fpr_1_percent);
  put<double>(out, thresholds_.fpr_half_percent);
  put<double>(out, thresholds_.fpr_tenth_percent);
  put<std::uint32_t>(out, provenance_.training_texts);
  put<std::uint32_t>(out, provenance_.training_attacks);
  out.append(reinterpret_cast<const char*>(provenance_.training_data_digest.data()), 32);
  const std::uint64_t count = std::uint64_t{1} << features_.bucket_bits;
  put<std::uint64_t>(out, count);
  out.append(reinterpret_cast<const char*>(weights_.data()), count);
  const auto digest = sha256(out);
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}

std::shared_ptr<const injection_model> injection_model::parse(std::string_view bytes, std::string_view name) {
  const auto fail = [&](const std::string& what) -> void {
    throw model_error("model file " + std::string(name) + ": " + what);
  };
  if (bytes.size() < 8 || std::memcmp(bytes.data(), detail::model_magic, 8) != 0) {
    fail("not a sluice injection model (no SLUICEIM magic)");
  }
  if (bytes.size() < model_header_bytes + detail::model_checksum_bytes) {
    fail("truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the header");
  }
  const auto version = get<std::uint32_t>(bytes, 8);
  if (version != format_version) {
    fail("format version " + std::to_string(version) + ", this build reads version " +
         std::to_string(format_version));
  }
  if (get<std::uint32_t>(bytes, 12) != model_header_bytes) {
    fail("header size " + std::to_string(get<std::uint32_t>(bytes, 12)) + ", expected " +
         std::to_string(model_header_bytes));
  }
  const auto count = get<std::uint64_t>(bytes, 144);
  if (count > (std::uint64_t{1} << 24) || bytes.size() != model_header_bytes + count + detail::model_checksum_bytes) {
    fail("size " + std::to_string(bytes.size()) + " bytes does not match its " + std::to_string(count) +
         " weights (truncated or padded)");
  }
  const auto body = bytes.substr(0, bytes.size() - detail::model_checksum_bytes);
  const auto digest = sha256(body);
  if (std::memcmp(digest.data(), bytes.data() + body.size(), digest.size()) != 0) {
    fail("checksum mismatch (the file is corrupt)");
  }
  model_features f;
  f.char_ngrams = get<std::uint32_t>(bytes, 16);
  const auto words = get<std::uint32_t>(bytes, 20);
  if ((words & ~3u) != 0) {
    fail("unknown word feature flags " + std::to_string(words));
  }
  f.word_unigrams = (words & 1u) != 0;
  f.word_bigrams = (words & 2u) != 0;
  f.bucket_bits = get<std::uint32_t>(bytes, 24);
  f.hash_seed = get<std::uint32_t>(bytes, 28);
  f.window = get<std::uint32_t>(bytes, 32);
  f.stride = get<std::uint32_t>(bytes, 36);
  try {
    check_supported(f);
  } catch (const model_error& e) {
    fail(e.what());
  }
  if (count != (std::uint64_t{1} << f.bucket_bits)) {
    fail(std::to_string(count) + " weights for 2^" + std::to_string(f.bucket_bits) + " buckets");
  }
  if (get<std::uint32_t>(bytes, 40) != detail::model_normalizer_version) {
    fail("trained on normalizer version " + std::to_string(get<std::uint32_t>(bytes, 40)) +
         ", this build normalizes as version " + std::to_string(detail::model_normalizer_version));
  }
  if (get<std::uint32_t>(bytes, 44) != detail::model_weight_int8) {
    fail("unknown weight type " + std::to_string(get<std::uint32_t>(bytes, 44)));
  }
  std::shared_ptr<injection_model> m(new injection_model());
  m->features_ = f;
  m->scale_ = get<double>(bytes, 48);
  m->bias_ = get<double>(bytes, 56);
  m->calibration_ = {get<double>(bytes, 64), get<double>(bytes, 72)};
  m->thresholds_ = {get<double>(bytes, 80), get<double>(bytes, 88), get<double>(bytes, 96)};
  for (const double d : {m->scale_, m->bias_, m->calibration_.a, m->calibration_.b, m->thresholds_.fpr_1_percent,
                         m->thresholds_.fpr_half_percent, m->thresholds_.fpr_tenth_percent}) {
    if (!std::isfinite(d)) {
      fail("a parameter is not a finite number");
    }
  }
  if (m->scale_ <= 0) {
    fail("weight scale must be positive");
  }
  m->provenance_.training_texts = get<std::uint32_t>(bytes, 104);
  m->provenance_.training_attacks = get<std::uint32_t>(bytes, 108);
  std::memcpy(m->provenance_.training_data_digest.data(), bytes.data() + 112, 32);
  m->weights_.assign(count + detail::model_weight_padding, 0);
  std::memcpy(m->weights_.data(), bytes.data() + model_header_bytes, count);
  m->prepare();
  return m;
}

std::shared_ptr<const injection_model> injection_model::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw model_error("model file " + file.string() + ": cannot be opened");
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    throw model_error("model file " + file.string() + ": read error");
  }
  return parse(buffer.str(), file.string());
}

std::filesystem::path injection_model::default_model_path() {
  if (const char* env = std::getenv("SLUICE_MODEL"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef SLUICE_DEFAULT_MODEL_FILE
  return SLUICE_DEFAULT_MODEL_FILE;
#else
  return "engine/models/injection.model";
#endif
}

double injection_model::probability(double logit) const noexcept {
  return 1.0 / (1.0 + std::exp(-(calibration_.a * logit + calibration_.b)));
}

void injection_model::prepare() {
  hashes_ = std::make_shared<const detail::hash_params>(features_);
  simd_ok_ = detail::simd_layout_ok(features_.window, features_.stride) && (features_.char_ngrams & ~0x38u) == 0;
}

std::string_view injection_model::kernel_name() const noexcept {
  return simd_ok_ ? detail::active_model_kernels().name : detail::scalar_model_kernels().name;
}

std::vector<injection_model::feature_hit> injection_model::features_of(const model_features& features,
                                                                       std::string_view normalized) {
  const detail::hash_params hashes(features);
  std::vector<feature_hit> out;
  detail::for_each_feature(hashes, normalized,
                           [&](std::uint32_t bucket, std::uint32_t end, std::int64_t) { out.push_back({bucket, end}); });
  return out;
}

std::vector<injection_model::evidence_item> injection_model::evidence(std::string_view normalized, std::size_t count,
                                                                     model_scratch& scratch) const {
  const model_score best = score_normalized(normalized, scratch);
  const detail::window_layout layout{static_cast<std::uint32_t>(normalized.size()), features_.window,
                                     features_.stride};
  const std::uint32_t first_block = layout.block_of(best.window_start);
  const std::uint32_t last_block = first_block + (layout.single() ? 0 : layout.blocks_per_window() - 1);
  std::vector<evidence_item> items;
  std::vector<std::uint32_t> seen;  // buckets already listed
  detail::for_each_feature(*hashes_, normalized, [&](std::uint32_t bucket, std::uint32_t end, std::int64_t start) {
    const std::uint32_t block = layout.block_of(end);
    const double weight = scale_ * weights_[bucket];
    if (block < first_block || block > last_block || weight <= 0 ||
        std::find(seen.begin(), seen.end(), bucket) != seen.end()) {
      return;
    }
    seen.push_back(bucket);
    evidence_item item;
    for (std::int64_t k = start; k <= static_cast<std::int64_t>(end); ++k) {
      const char c = k < 0 || k >= static_cast<std::int64_t>(normalized.size())
                         ? ' '
                         : static_cast<char>(detail::fold_byte(static_cast<unsigned char>(normalized[k])));
      if (c != ' ' || item.feature.empty() || item.feature.back() != ' ') {
        item.feature += c;
      }
    }
    item.weight = weight;
    item.start = static_cast<std::uint32_t>(std::max<std::int64_t>(start, 0));
    item.end = std::min<std::uint32_t>(end + 1, static_cast<std::uint32_t>(normalized.size()));
    items.push_back(std::move(item));
  });
  std::stable_sort(items.begin(), items.end(),
                   [](const evidence_item& a, const evidence_item& b) { return a.weight > b.weight; });
  if (items.size() > count) {
    items.resize(count);
  }
  return items;
}

errc injection_model::score(std::string_view text, model_scratch& scratch, model_score& out) const noexcept {
  out = model_score{};
  const errc e = normalizer{}.normalize(text, scratch.normalized);
  if (e != errc::ok) {
    return e;
  }
  out = score_normalized(scratch.normalized.changed ? std::string_view(scratch.normalized.text) : text, scratch);
  return errc::ok;
}

model_score injection_model::score_normalized(std::string_view normalized, model_scratch& scratch) const noexcept {
  const detail::hash_params* hashes = hashes_.get();
  detail::window_layout layout{static_cast<std::uint32_t>(normalized.size()), features_.window, features_.stride};
  detail::window_tracker tracker(layout);
  const detail::kernel_input input{hashes, weights_.data(), features_.bucket_bits, normalized, &scratch.folded};
  if (simd_ok_) {
    detail::active_model_kernels().accumulate(input, tracker);
  } else {
    detail::scalar_model_kernels().accumulate(input, tracker);
  }
  tracker.finish();
  model_score out;
  out.logit = bias_ + scale_ * tracker.best_value();
  out.probability = probability(out.logit);
  out.window_start = layout.window_start(tracker.best_window());
  out.window_end = layout.window_end(tracker.best_window());
  return out;
}
}  // namespace sluice::engine
