// The scalar scoring kernel (the reference the SIMD kernels must match), and the choice of kernel made
// once at start-up from what the CPU supports (SLUICE_SIMD=scalar, sse4.1 or avx2 forces a narrower one,
// for tests and comparisons).
#include "model/model_kernels.h"

#include <cstdlib>
#include <cstring>

namespace sluice::engine::detail {
namespace {

void accumulate_scalar(const kernel_input& in, window_tracker& tracker) noexcept {
  window_layout layout = tracker.layout();
  std::uint32_t block = 0;
  std::int64_t sum = 0;
  std::uint32_t count = 0;
  for_each_feature(*in.hashes, in.text, [&](std::uint32_t bucket, std::uint32_t end, std::int64_t) {
    const std::uint32_t b = layout.block_of(end);
    if (b != block) {
      tracker.add(block, sum, count);
      block = b;
      sum = 0;
      count = 0;
    }
    sum += in.weights[bucket];
    ++count;
  });
  tracker.add(block, sum, count);
}

bool sse41_supported() noexcept { return __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("popcnt"); }

model_kernels choose() noexcept {
  const char* forced = std::getenv("SLUICE_SIMD");
  if (forced != nullptr && std::strcmp(forced, "scalar") == 0) {
    return scalar_model_kernels();
  }
  const bool sse41 = sse41_supported();
  if (forced != nullptr && std::strcmp(forced, "sse4.1") == 0 && sse41) {
    return sse41_model_kernels();
  }
  const bool avx2 = __builtin_cpu_supports("avx2") && sse41;
  if (forced != nullptr && std::strcmp(forced, "avx2") == 0 && avx2) {
    return avx2_model_kernels();
  }
  if (avx512_model_kernel_supported() && sse41) {
    return avx512_model_kernels();
  }
  if (avx2) {
    return avx2_model_kernels();
  }
  if (sse41) {
    return sse41_model_kernels();
  }
  return scalar_model_kernels();
}

}  // namespace

model_kernels scalar_model_kernels() noexcept { return {accumulate_scalar, "scalar"}; }

bool avx512_model_kernel_supported() noexcept {
  // libgcc's CPU check reports AVX-512 only when the OS saves the ZMM registers as well.
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("avx512vbmi2") &&
         __builtin_cpu_supports("bmi2");
}

std::vector<model_kernels> runnable_simd_model_kernels() {
  std::vector<model_kernels> kernels;
  if (!sse41_supported()) {
    return kernels;
  }
  kernels.push_back(sse41_model_kernels());
  if (__builtin_cpu_supports("avx2")) {
    kernels.push_back(avx2_model_kernels());
  }
  if (avx512_model_kernel_supported()) {
    kernels.push_back(avx512_model_kernels());
  }
  return kernels;
}

const model_kernels& active_model_kernels() noexcept {
  static const model_kernels chosen = choose();
  return chosen;
}

}  // namespace sluice::engine::detail
