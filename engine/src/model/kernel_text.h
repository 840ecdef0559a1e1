#pragma once
// Private: what the SIMD scoring kernels (model_kernel_sse41.cpp, _avx2.cpp, _avx512.cpp) share: the
// buffer the text is folded into, the SSE2 fold, unaligned 8-byte loads and the word hash's general loop.
// Each kernel's translation unit is compiled for its own instruction set, so everything here has internal
// linkage: every kernel gets its own copy built with its own flags, and the linker can never hand one
// kernel another's copy (an AVX-512 build of a helper inside the SSE4.1 kernel would fault on older CPUs).
#include <emmintrin.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "model/feature_hashing.h"

namespace sluice::engine::detail {
namespace {

constexpr std::size_t fold_lead = 16;  // spaces before the folded text (gram loads read 4 bytes back)

[[gnu::always_inline]] inline std::uint64_t load64(const char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The folded text's buffer after its `fold_lead` spaces: the text in whole 64-byte chunks (with its final
// virtual space) and `tail` bytes more, which a kernel may read past its last chunk.
inline std::size_t folded_size(std::size_t n, std::size_t tail) noexcept { return ((n + 1 + 63) / 64) * 64 + tail; }

// Makes `out` hold the folded text's buffer (it only grows, and is reused from call to call) and returns
// where the folded text starts; pad_folded then fills what the fold did not write with spaces.
inline char* folded_buffer(std::size_t n, std::string& out, std::size_t tail) noexcept {
  const std::size_t total = fold_lead + folded_size(n, tail);
  if (out.size() < total) {
    out.resize(total);
  }
  std::memset(out.data(), ' ', fold_lead);
  return out.data() + fold_lead;
}

inline void pad_folded(char* dst, std::size_t written, std::size_t n, std::size_t tail) noexcept {
  std::memset(dst + written, ' ', folded_size(n, tail) - written);
}

// Folds text into `out` 16 bytes at a time (SSE2; feature_hashing.h's fold_byte for the rest) and returns
// the folded bytes' start, with 32 bytes of spaces readable past the last chunk.
inline const char* fold_text_sse2(std::string_view text, std::string& out) noexcept {
  const std::size_t n = text.size();
  char* dst = folded_buffer(n, out, 32);
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i bit5 = _mm_set1_epi8(0x20);
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    const __m128i lower = _mm_or_si128(v, bit5);
    const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(lower, _mm_set1_epi8(static_cast<char>(0x80 - 'a'))),
                                          _mm_set1_epi8(static_cast<char>(-128 + 26)));
    const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - '0'))),
                                         _mm_set1_epi8(static_cast<char>(-128 + 10)));
    const __m128i keep = _mm_or_si128(digit, _mm_cmplt_epi8(v, _mm_setzero_si128()));
    const __m128i word = _mm_or_si128(letter, keep);
    const __m128i folded = _mm_or_si128(_mm_or_si128(_mm_and_si128(letter, lower), _mm_and_si128(keep, v)),
                                        _mm_andnot_si128(word, space));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), folded);
  }
  for (; i < n; ++i) {
    dst[i] = static_cast<char>(fold_byte(static_cast<unsigned char>(text[i])));
  }
  pad_folded(dst, n, n, 32);
  return dst;
}

// A word's hash (feature_hashing.h) by the general loop: its complete 8-byte chunks, then the rest with
// the length. The kernels take shortcuts for short words and this for the others.
inline std::uint64_t word_hash_loop(const hash_params& h, const char* p, std::uint32_t len) noexcept {
  std::uint64_t w = h.word_seed;
  std::uint32_t k = 0;
  for (; k + 8 <= len; k += 8) {
    w = word_mix(w, load64(p + k));
  }
  const std::uint32_t tail = len - k;
  const std::uint64_t chunk = tail == 0 ? 0 : load64(p + k) & (~0ull >> (64 - 8 * tail));
  return word_mix(w, chunk ^ (static_cast<std::uint64_t>(len) << 59));
}

}  // namespace
}  // namespace sluice::engine::detail
