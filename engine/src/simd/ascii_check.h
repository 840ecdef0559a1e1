#pragma once
// Private: the SIMD kernels behind is_ascii and the normalizer's ASCII fast path. One translation unit
// per instruction set (ascii_check_sse2.cpp, ascii_check_avx2.cpp, and the scalar one in
// ascii_check.cpp); ascii_check.cpp picks one once at start-up.
#include <cstddef>
#include <string_view>

namespace sluice::engine::detail {

// What the fast path needs to know about a buffer.
struct ascii_profile {
  bool ascii = true;       // every byte is below 0x80
  bool suspicious = true;  // (meaningful only when ascii) a leetspeak digit before a letter, 0 or 3
                           // after a letter, or two
                           // single letters in a row between separators ("s g n"): normalization
                           // may change the text, so run it
};

struct ascii_kernels {
  bool (*is_ascii)(const char* p, std::size_t n) noexcept;
  ascii_profile (*profile)(const char* p, std::size_t n) noexcept;
  std::string_view name;
};

ascii_kernels scalar_ascii_kernels() noexcept;
ascii_kernels sse2_ascii_kernels() noexcept;
ascii_kernels avx2_ascii_kernels() noexcept;

// The kernels in use (chosen once; SLUICE_SIMD=scalar|sse2|avx2 forces one).
const ascii_kernels& active_ascii_kernels() noexcept;

// Scalar reference for the suspicious test at position i of an ASCII buffer: the definition every kernel's
// profile must match at every position, the edges of the buffer included (tests check it).
bool suspicious_at(const char* p, std::size_t n, std::size_t i) noexcept;

}  // namespace sluice::engine::detail
