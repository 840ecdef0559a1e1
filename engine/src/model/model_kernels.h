#pragma once
// Private: the scoring kernels. One translation unit per instruction set (model_kernel_avx512.cpp,
// model_kernel_avx2.cpp, model_kernel_sse41.cpp, and the scalar reference in model_kernel.cpp, which runs
// `for_each_feature` itself); model_kernel.cpp picks one once at start-up. Every kernel feeds the same
// per-block sums to a window_tracker, so all agree exactly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/feature_hashing.h"
#include "model/window_tracker.h"

namespace sluice::engine::detail {

// What a kernel needs: the hash constants, the int8 weights (2^bits of them, then zero padding: bucket
// 2^bits reads 0), and the caller's buffer for the folded text.
struct kernel_input {
  const hash_params* hashes;
  const std::int8_t* weights;
  std::uint32_t bucket_bits;
  std::string_view text;
  std::string* folded;  // scratch; grown when too small
};

struct model_kernels {
  void (*accumulate)(const kernel_input& in, window_tracker& tracker) noexcept;
  std::string_view name;
};

model_kernels scalar_model_kernels() noexcept;
model_kernels sse41_model_kernels() noexcept;
model_kernels avx2_model_kernels() noexcept;
model_kernels avx512_model_kernels() noexcept;

// Whether this CPU (and its OS) runs the AVX-512 kernel: F, BW, DQ, VL, VBMI and VBMI2, with BMI2.
bool avx512_model_kernel_supported() noexcept;

// Every SIMD kernel this CPU runs, narrowest first (for tests and fuzzing, which compare each with the
// scalar reference).
std::vector<model_kernels> runnable_simd_model_kernels();

// The kernels in use (chosen once: AVX-512, else AVX2, else SSE4.1, else scalar; SLUICE_SIMD=scalar,
// sse4.1 or avx2 forces that one, when the CPU has it).
const model_kernels& active_model_kernels() noexcept;

// Whether the SIMD kernels can serve a layout (they accumulate 64-byte chunks into blocks).
inline bool simd_layout_ok(std::uint32_t window, std::uint32_t stride) noexcept {
  return stride % 64 == 0 && window % 64 == 0;
}

}  // namespace sluice::engine::detail
