// The SSE2 build of the ASCII kernels (see ascii_check_simd.h).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "simd/ascii_check.h"

namespace sluice::engine::detail {
namespace {

// One bit per byte lane: the one raw intrinsic, here because xsimd 8 has no batch_bool::mask().
std::uint64_t bits_of(xsimd::batch_bool<std::int8_t, xsimd::sse2> b) noexcept {
  return static_cast<std::uint16_t>(_mm_movemask_epi8(b));
}

#include "simd/ascii_check_simd.h"

using kernel = simd_ascii<xsimd::sse2>;

bool is_ascii_sse2(const char* p, std::size_t n) noexcept { return kernel::is_ascii(p, n); }
ascii_profile profile_sse2(const char* p, std::size_t n) noexcept { return kernel::profile(p, n); }
}  // namespace

ascii_kernels sse2_ascii_kernels() noexcept { return {is_ascii_sse2, profile_sse2, "sse2"}; }

}  // namespace sluice::engine::detail
