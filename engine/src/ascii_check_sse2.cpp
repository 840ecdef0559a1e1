// The SSE2 build of the ASCII kernels (see ascii_check_simd.h).
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include <xsimd/xsimd.hpp>

#include "ascii_check.h"

namespace sluice::engine::detail {
namespace {
#include "ascii_check_simd.h"

using kernel = simd_ascii<xsimd::sse2>;

bool is_ascii_sse2(const char* p, std::size_t n) noexcept { return kernel::is_ascii(p, n); }
ascii_profile profile_sse2(const char* p, std::size_t n) noexcept { return kernel::profile(p, n); }
}  // namespace

ascii_kernels sse2_ascii_kernels() noexcept { return {is_ascii_sse2, profile_sse2, "sse2"}; }

}  // namespace sluice::engine::detail
