// The SSE4.1 scoring kernel: folds the text 16 bytes at a time into the caller's buffer, finds word bytes
// and valid n-gram ends as 64-bit masks per 64-byte chunk, hashes four n-gram ends per vector (one byte
// shuffle and one 32-bit multiply each), and looks the weights up by index (x86 has no byte gather before
// AVX-512; one load per feature is the floor). Words are found from the masks and hashed 8 bytes at a
// time. It produces exactly the buckets of for_each_feature (tests compare every kernel with it).
#include <nmmintrin.h>
#include <smmintrin.h>
#include <tmmintrin.h>

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

// Lane masks for the 16 patterns of 4 validity bits.
struct lane_masks {
  __m128i m[16];
  lane_masks() noexcept {
    for (int b = 0; b < 16; ++b) {
      m[b] = _mm_set_epi32((b & 8) ? -1 : 0, (b & 4) ? -1 : 0, (b & 2) ? -1 : 0, (b & 1) ? -1 : 0);
    }
  }
};

// The sum of the weights at four bucket indices: two 64-bit extracts instead of a store and four reloads
// (the loads are what limits the kernel: one per index is the floor).
int lookup4(const std::int8_t* weights, __m128i buckets) noexcept {
  const auto lo = static_cast<std::uint64_t>(_mm_cvtsi128_si64(buckets));
  const auto hi = static_cast<std::uint64_t>(_mm_extract_epi64(buckets, 1));
  return weights[static_cast<std::uint32_t>(lo)] + weights[lo >> 32] + weights[static_cast<std::uint32_t>(hi)] +
         weights[hi >> 32];
}

std::uint64_t word_hash(const hash_params& h, const char* p, std::uint32_t len) noexcept {
  if (len < 8) {  // most words: one load, no loop
    return word_mix(h.word_seed, (load64(p) & (~0ull >> (64 - 8 * len))) ^ (static_cast<std::uint64_t>(len) << 59));
  }
  return word_hash_loop(h, p, len);
}

void accumulate_sse41(const kernel_input& in, window_tracker& tracker) noexcept {
  const hash_params& h = *in.hashes;
  const window_layout& layout = tracker.layout();
  const std::size_t n = in.text.size();
  const char* b = fold_text_sse2(in.text, *in.folded);
  const std::int8_t* weights = in.weights;
  static const lane_masks lanes;
  const __m128i zero_bucket = _mm_set1_epi32(static_cast<int>(1u << in.bucket_bits));
  const __m128i shift = _mm_cvtsi32_si128(static_cast<int>(h.shift32));
  const __m128i v4_pattern = _mm_setr_epi8(1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7);
  const __m128i b4_pattern = _mm_setr_epi8(0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1);
  const bool g3 = (h.gram_mask >> 3 & 1u) != 0;
  const bool g4 = (h.gram_mask >> 4 & 1u) != 0;
  const bool g5 = (h.gram_mask >> 5 & 1u) != 0;
  const __m128i seed3 = _mm_set1_epi32(static_cast<int>(h.gram_seed[3]));
  const __m128i seed4 = _mm_set1_epi32(static_cast<int>(h.gram_seed[4]));
  const __m128i seed5 = _mm_set1_epi32(static_cast<int>(h.gram_seed[5]));
  const __m128i mult3 = _mm_set1_epi32(static_cast<int>(h.gram_mult[3]));
  const __m128i mult4 = _mm_set1_epi32(static_cast<int>(h.gram_mult[4]));
  const __m128i mult5 = _mm_set1_epi32(static_cast<int>(h.gram_mult[5]));
  const __m128i extend = _mm_set1_epi32(static_cast<int>(h.extend_mult));

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
    const std::uint64_t any = valid3 | valid4 | valid5;
    for (unsigned j = 0; j < 16; ++j) {
      if (((any >> (4 * j)) & 15u) == 0) {
        continue;
      }
      const __m128i l = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 4 * j - 4));
      const __m128i v4 = _mm_shuffle_epi8(l, v4_pattern);
      if (g3) {
        const __m128i x = _mm_srli_epi32(v4, 8);
        const __m128i hash = _mm_srl_epi32(_mm_mullo_epi32(_mm_xor_si128(x, seed3), mult3), shift);
        sum += lookup4(weights, _mm_blendv_epi8(zero_bucket, hash, lanes.m[(valid3 >> (4 * j)) & 15u]));
      }
      if (g4) {
        const __m128i hash = _mm_srl_epi32(_mm_mullo_epi32(_mm_xor_si128(v4, seed4), mult4), shift);
        sum += lookup4(weights, _mm_blendv_epi8(zero_bucket, hash, lanes.m[(valid4 >> (4 * j)) & 15u]));
      }
      if (g5) {
        const __m128i x = _mm_xor_si128(_mm_mullo_epi32(v4, extend), _mm_shuffle_epi8(l, b4_pattern));
        const __m128i hash = _mm_srl_epi32(_mm_mullo_epi32(_mm_xor_si128(x, seed5), mult5), shift);
        sum += lookup4(weights, _mm_blendv_epi8(zero_bucket, hash, lanes.m[(valid5 >> (4 * j)) & 15u]));
      }
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

model_kernels sse41_model_kernels() noexcept { return {accumulate_sse41, "sse4.1"}; }

}  // namespace sluice::engine::detail
