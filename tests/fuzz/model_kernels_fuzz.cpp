// The injection model's scoring kernels on arbitrary bytes: every SIMD kernel this CPU runs (SSE4.1,
// AVX2, AVX-512; engine/src/model/model_kernel_*.cpp) gives exactly the scalar reference's best window
// and value, for the shipped model and for a model of random weights with 3-, 4- and 5-grams and word
// features (the shipped one uses 4-grams and words only). The kernels fold bytes, find words across
// 64-byte chunks, and hash and look up features each their own way; the unit tests compare them on
// generated text, this target on whatever libFuzzer finds.
//
// Input layout: byte 0 picks the model (bit 0: the random-weights one) and a window layout (bits 1-2:
// the model's own, or a 64/64, 128/64 or 1024/256 window/stride); the rest is the text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "model/feature_hashing.h"
#include "model/model_kernels.h"
#include "model/window_tracker.h"
#include "sluice/engine/injection_model.h"

using namespace sluice::engine;

namespace {

const std::shared_ptr<const injection_model>& shipped_model() {
  static const auto model = injection_model::load(injection_model::default_model_path());
  return model;
}

const std::shared_ptr<const injection_model>& random_model() {
  static const auto model = [] {
    model_features f;
    f.char_ngrams = (1u << 3) | (1u << 4) | (1u << 5);
    f.word_unigrams = true;
    f.word_bigrams = true;
    std::mt19937 rng(17);
    std::uniform_real_distribution<float> weight(-1.0f, 1.0f);
    std::vector<float> w(std::size_t{1} << f.bucket_bits);
    for (float& x : w) {
      x = weight(rng);
    }
    return injection_model::from_weights(f, w, 0.0, {}, {}, {});
  }();
  return model;
}

const std::vector<detail::model_kernels>& simd_kernels() {
  static const std::vector<detail::model_kernels> kernels = detail::runnable_simd_model_kernels();
  return kernels;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)shipped_model();
  (void)random_model();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const injection_model& model = (data[0] & 1u) != 0 ? *random_model() : *shipped_model();
  model_features f = model.features();
  static constexpr std::uint32_t layouts[4][2] = {{0, 0}, {64, 64}, {128, 64}, {1024, 256}};
  const auto& layout_choice = layouts[(data[0] >> 1) & 3u];
  if (layout_choice[0] != 0) {
    f.window = layout_choice[0];
    f.stride = layout_choice[1];
  }
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const detail::hash_params hashes(f);
  const detail::window_layout layout{static_cast<std::uint32_t>(text.size()), f.window, f.stride};
  static std::string folded;
  const detail::kernel_input input{&hashes, model.weights().data(), f.bucket_bits, text, &folded};
  detail::window_tracker reference(layout);
  detail::scalar_model_kernels().accumulate(input, reference);
  reference.finish();
  for (const auto& kernel : simd_kernels()) {
    detail::window_tracker tracker(layout);
    kernel.accumulate(input, tracker);
    tracker.finish();
    if (tracker.best_value() != reference.best_value() || tracker.best_window() != reference.best_window()) {
      std::abort();  // a kernel disagrees with the scalar reference on this input
    }
  }
  return 0;
}
