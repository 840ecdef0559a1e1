// The AVX2 scoring kernel: the SSE4.1 kernel's folding and word pass (model_kernel_sse41.cpp, copied:
// the two translation units are compiled for different instruction sets, so they share no inline code),
// with n-gram ends hashed eight to a vector and their weights fetched with one 32-bit gather (each lane
// reads the weight byte and the three after it; the padding after the table keeps that in bounds, and a
// shift pair keeps the first byte, sign-extended). It produces exactly the buckets of for_each_feature.
#include <immintrin.h>

#include <bit>
#include <cstring>

#include "model/kernel_text.h"
#include "model/model_kernels.h"

namespace sluice::engine::detail {
namespace {

std::uint64_t word_mask(const char* p) noexcept {
  const __m128i space = _mm_set1_epi8(' ');
  std::uint64_t spaces = 0;
  for (int k = 0; k < 4; ++k) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * k));
    spaces |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, space))))
              << (16 * k);
  }
  return ~spaces;
}

// The sum-ready weights at eight bucket indices, lanes whose bit of `valid` is clear reading nothing (0).
// A lane gathers the 32 bits starting at its weight; shifting left then arithmetically right by 24 leaves
// the weight sign-extended.
__m256i gather8(const std::int8_t* weights, __m256i buckets, unsigned valid, __m256i bit_select) noexcept {
  const __m256i mask = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(static_cast<int>(valid)), bit_select),
                                          bit_select);
  const __m256i got = _mm256_mask_i32gather_epi32(_mm256_setzero_si256(), reinterpret_cast<const int*>(weights),
                                                  buckets, mask, 1);
  return _mm256_srai_epi32(_mm256_slli_epi32(got, 24), 24);
}

std::uint64_t word_hash(const hash_params& h, const char* p, std::uint32_t len) noexcept {
  if (len < 16) [[likely]] {
    // Words of up to 15 bytes without a branch on their length (prose mixes words under and over 8 bytes,
    // so that branch mispredicts): the first chunk is mixed in only when it is complete, and bzhi keeps
    // the tail's bytes (none for a tail of 0).
    const std::uint64_t first = word_mix(h.word_seed, load64(p));
    const std::uint32_t k = len & 8u;
    const std::uint64_t w = k != 0 ? first : h.word_seed;
    const std::uint64_t chunk = _bzhi_u64(load64(p + k), 8 * (len & 7u));
    return word_mix(w, chunk ^ (static_cast<std::uint64_t>(len) << 59));
  }
  return word_hash_loop(h, p, len);
}

void accumulate_avx2(const kernel_input& in, window_tracker& tracker) noexcept {
  const hash_params& h = *in.hashes;
  const window_layout& layout = tracker.layout();
  const std::size_t n = in.text.size();
  const char* b = fold_text_sse2(in.text, *in.folded);
  const std::int8_t* weights = in.weights;
  const __m256i bit_select = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
  const __m128i shift = _mm_cvtsi32_si128(static_cast<int>(h.shift32));
  const __m256i v4_pattern =
      _mm256_setr_epi8(1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7);
  const __m256i b4_pattern = _mm256_setr_epi8(0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1, 0, -1, -1,
                                              -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1);
  const bool g3 = (h.gram_mask >> 3 & 1u) != 0;
  const bool g4 = (h.gram_mask >> 4 & 1u) != 0;
  const bool g5 = (h.gram_mask >> 5 & 1u) != 0;
  const __m256i seed3 = _mm256_set1_epi32(static_cast<int>(h.gram_seed[3]));
  const __m256i seed4 = _mm256_set1_epi32(static_cast<int>(h.gram_seed[4]));
  const __m256i seed5 = _mm256_set1_epi32(static_cast<int>(h.gram_seed[5]));
  const __m256i mult3 = _mm256_set1_epi32(static_cast<int>(h.gram_mult[3]));
  const __m256i mult4 = _mm256_set1_epi32(static_cast<int>(h.gram_mult[4]));
  const __m256i mult5 = _mm256_set1_epi32(static_cast<int>(h.gram_mult[5]));
  const __m256i extend = _mm256_set1_epi32(static_cast<int>(h.extend_mult));

  std::uint64_t previous_w = 0;  // word mask of the chunk before (before the text: spaces)
  std::size_t open_start = 0;  // the start of a word still open at the end of the chunk
  bool word_open = false;
  std::uint64_t previous_word = 0;
  bool have_previous = false;
  for (std::size_t c = 0; c <= n; c += 64) {
    const char* p = b + c;
    const std::uint64_t w = word_mask(p);
    const std::uint64_t s1 = (w << 1) | (previous_w >> 63);
    const std::uint64_t s2 = (w << 2) | (previous_w >> 62);
    const std::uint64_t s3 = (w << 3) | (previous_w >> 61);
    const std::uint64_t valid3 = g3 ? s1 : 0;
    const std::uint64_t valid4 = g4 ? (s1 & s2) : 0;
    const std::uint64_t valid5 = g5 ? (s1 & s2 & s3) : 0;
    int sum = 0;  // at most 64 * 4 features of |weight| <= 127
    std::uint32_t count = static_cast<std::uint32_t>(std::popcount(valid3) + std::popcount(valid4) +
                                                     std::popcount(valid5));
    __m256i acc = _mm256_setzero_si256();
    for (unsigned j = 0; j < 8; ++j) {
      const unsigned a3 = static_cast<unsigned>(valid3 >> (8 * j)) & 0xffu;
      const unsigned a4 = static_cast<unsigned>(valid4 >> (8 * j)) & 0xffu;
      const unsigned a5 = static_cast<unsigned>(valid5 >> (8 * j)) & 0xffu;
      if ((a3 | a4 | a5) == 0) {
        continue;
      }
      const __m256i l = _mm256_loadu2_m128i(reinterpret_cast<const __m128i*>(p + 8 * j),
                                            reinterpret_cast<const __m128i*>(p + 8 * j - 4));
      const __m256i v4 = _mm256_shuffle_epi8(l, v4_pattern);
      if (g3) {
        const __m256i x = _mm256_srli_epi32(v4, 8);
        const __m256i hash = _mm256_srl_epi32(_mm256_mullo_epi32(_mm256_xor_si256(x, seed3), mult3), shift);
        acc = _mm256_add_epi32(acc, gather8(weights, hash, a3, bit_select));
      }
      if (g4) {
        const __m256i hash = _mm256_srl_epi32(_mm256_mullo_epi32(_mm256_xor_si256(v4, seed4), mult4), shift);
        acc = _mm256_add_epi32(acc, gather8(weights, hash, a4, bit_select));
      }
      if (g5) {
        const __m256i x = _mm256_xor_si256(_mm256_mullo_epi32(v4, extend), _mm256_shuffle_epi8(l, b4_pattern));
        const __m256i hash = _mm256_srl_epi32(_mm256_mullo_epi32(_mm256_xor_si256(x, seed5), mult5), shift);
        acc = _mm256_add_epi32(acc, gather8(weights, hash, a5, bit_select));
      }
    }
    {
      const __m128i s4 = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
      const __m128i s2 = _mm_add_epi32(s4, _mm_shuffle_epi32(s4, 0x4e));
      sum += _mm_cvtsi128_si32(_mm_add_epi32(s2, _mm_shuffle_epi32(s2, 0xb1)));
    }
    if (h.word_unigrams || h.word_bigrams) {
      // Starts and ends alternate: a word open at the chunk's start ends first, then the k-th end of the
      // chunk closes its k-th start. No branch on the kind of event.
      std::uint64_t starts = w & ~s1;
      std::uint64_t ends = ~w & s1;
      while (ends != 0) {
        const std::size_t end = c + static_cast<unsigned>(std::countr_zero(ends));
        ends &= ends - 1;
        std::size_t start = open_start;
        if (!word_open) {
          start = c + static_cast<unsigned>(std::countr_zero(starts));
          starts &= starts - 1;
        }
        word_open = false;
        const std::uint64_t hw = word_hash(h, b + start, static_cast<std::uint32_t>(end - start));
        if (h.word_unigrams) {
          sum += weights[unigram_bucket(h, hw)];
          ++count;
        }
        if (h.word_bigrams && have_previous) {
          sum += weights[bigram_bucket(h, previous_word, hw)];
          ++count;
        }
        previous_word = hw;
        have_previous = true;
      }
      if (starts != 0) {
        open_start = c + static_cast<unsigned>(std::countr_zero(starts));
        word_open = true;
      }
    }
    tracker.add(layout.block_of(static_cast<std::uint32_t>(c)), sum, count);
    previous_w = w;
  }
}

}  // namespace

model_kernels avx2_model_kernels() noexcept { return {accumulate_avx2, "avx2"}; }

}  // namespace sluice::engine::detail
