// The AVX-512 scoring kernel (F, BW, DQ, VL, VBMI and VBMI2: Ice Lake, Zen 4 and later). Same features
// as the scalar reference (feature_hashing.h), produced without a loop per feature:
// - the text is folded 64 bytes at a time, the tail with a masked load;
// - n-gram ends are hashed sixteen to a vector, and the buckets of the valid ones packed (register
//   compress) into one list per chunk;
// - words, the serial half of the other kernels (a bit scan with a data-dependent branch, a 64-bit hash
//   and two bucket lookups per word), are found per 64-byte chunk by compressing the positions of their
//   start and end bits into byte vectors, their first 16 bytes picked out of the chunk's registers with a
//   byte permute, and hashed eight at a time in 64-bit lanes; their unigram and bigram buckets join the
//   list. Words of 16 bytes or more (rare in prose) and a word begun in an earlier chunk take scalar loads;
// - the list's weights are fetched sixteen at a time with a 32-bit gather (each lane reads its weight byte
//   and the three after it, which the table's padding keeps in bounds; a shift pair keeps the first byte,
//   sign-extended) and the last few by index. A gather costs by its lanes, masked or not, so packing
//   first is what makes this faster than the AVX2 kernel (1.35 against 1.07 GB/s on prose, measured on
//   an AMD EPYC; gathering each n-gram vector under its mask, as the AVX2 kernel does, ran no faster).
// The translation unit is compiled for AVX-512 and shares no inline code with the others.
#if defined(__GNUC__) && !defined(__clang__)
// GCC 12's AVX-512 headers make their "undefined" vectors by self-initialisation, which its own
// maybe-uninitialized analysis then reports at every intrinsic that uses one (a known GCC false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <bit>
#include <cstring>

#include "model/kernel_text.h"
#include "model/model_kernels.h"

namespace sluice::engine::detail {
namespace {

// Folds text into `out` (spaces before and after, see model_kernels.h) and returns the folded bytes' start.
const char* fold_text(std::string_view text, std::string& out) noexcept {
  const std::size_t n = text.size();
  // After the text: room for the last chunk's word bytes, read from the chunk after it (64 bytes).
  char* dst = folded_buffer(n, out, 64);
  const __m512i space = _mm512_set1_epi8(' ');
  const __m512i bit5 = _mm512_set1_epi8(0x20);
  const __m512i a = _mm512_set1_epi8('a');
  const __m512i zero = _mm512_set1_epi8('0');
  const __m512i letters = _mm512_set1_epi8(26);
  const __m512i digits = _mm512_set1_epi8(10);
  for (std::size_t i = 0; i < n; i += 64) {
    const std::size_t left = n - i;
    const __mmask64 in_text = left >= 64 ? ~__mmask64{0} : _bzhi_u64(~std::uint64_t{0}, static_cast<unsigned>(left));
    const __m512i v = _mm512_maskz_loadu_epi8(in_text, text.data() + i);
    const __m512i lower = _mm512_or_si512(v, bit5);
    const __mmask64 letter = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lower, a), letters);
    const __mmask64 keep = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, zero), digits) | _mm512_movepi8_mask(v);
    const __m512i folded = _mm512_mask_mov_epi8(_mm512_mask_mov_epi8(space, letter, lower), keep, v);
    // Bytes past the text are spaces (the masked-off lanes of `v` are zero, which folds to a space).
    _mm512_storeu_si512(dst + i, folded);
  }
  pad_folded(dst, ((n + 63) / 64) * 64, n, 64);
  return dst;
}

// Out of line on purpose: inlined into hash_words, the rare long-word path made the common one 3 % slower.
[[gnu::noinline]] std::uint64_t long_word_hash(const hash_params& h, const char* p, std::uint32_t len) noexcept {
  return word_hash_loop(h, p, len);
}

__m512i word_mix8(__m512i h, __m512i chunk) noexcept {
  h = _mm512_mullo_epi64(_mm512_xor_si512(h, chunk), _mm512_set1_epi64(static_cast<long long>(word_mix_mult)));
  return _mm512_xor_si512(h, _mm512_srli_epi64(h, 29));
}

// Up to eight words that end in one 64-byte chunk, as 64-bit lanes: where each starts (relative to the chunk;
// in lane 0 of a chunk's first group this may be a word carried from an earlier chunk, whose absolute start
// is passed beside), how long it is, and its first 16 folded bytes.
struct word_lanes {
  __m512i start;
  __m512i len;
  __m512i lo;  // each word's folded bytes 0..7 (beyond the word: whatever follows; masked by length)
  __m512i hi;  // bytes 8..15
  __mmask8 valid;
};

// Hashes the words of `lanes` exactly as feature_hashing.h's word hash does.
__m512i hash_words(const hash_params& h, const char* b, std::size_t chunk, const word_lanes& lanes, bool carried,
                   std::uint32_t carried_start) noexcept {
  const __m512i seed = _mm512_set1_epi64(static_cast<long long>(h.word_seed));
  const __mmask8 two_chunks = _mm512_cmpge_epu64_mask(lanes.len, _mm512_set1_epi64(8));
  const __m512i w = _mm512_mask_mov_epi64(seed, two_chunks, word_mix8(seed, lanes.lo));
  // srlv by 64 gives 0, so a tail of no bytes keeps nothing (as bzhi does).
  const __m512i tail_bits = _mm512_slli_epi64(_mm512_and_si512(lanes.len, _mm512_set1_epi64(7)), 3);
  const __m512i keep = _mm512_srlv_epi64(_mm512_set1_epi64(-1), _mm512_sub_epi64(_mm512_set1_epi64(64), tail_bits));
  const __m512i tail = _mm512_and_si512(_mm512_mask_mov_epi64(lanes.lo, two_chunks, lanes.hi), keep);
  __m512i hashes = word_mix8(w, _mm512_xor_si512(tail, _mm512_slli_epi64(lanes.len, 59)));
  const __mmask8 long_words = _mm512_mask_cmpge_epu64_mask(lanes.valid, lanes.len, _mm512_set1_epi64(16));
  if (long_words != 0) [[unlikely]] {
    alignas(64) std::uint64_t hash[8];
    alignas(64) std::uint64_t start[8];
    alignas(64) std::uint64_t len[8];
    _mm512_store_si512(hash, hashes);
    _mm512_store_si512(start, lanes.start);
    _mm512_store_si512(len, lanes.len);
    for (unsigned k = 0; k < 8; ++k) {
      if ((long_words >> k & 1u) != 0) {
        const std::size_t from = k == 0 && carried ? carried_start : chunk + start[k];
        hash[k] = long_word_hash(h, b + from, static_cast<std::uint32_t>(len[k]));
      }
    }
    hashes = _mm512_load_si512(hash);
  }
  return hashes;
}

void accumulate_avx512(const kernel_input& in, window_tracker& tracker) noexcept {
  const hash_params& h = *in.hashes;
  const window_layout& layout = tracker.layout();
  const std::size_t n = in.text.size();
  const char* b = fold_text(in.text, *in.folded);
  const std::int8_t* weights = in.weights;
  const __m512i space = _mm512_set1_epi8(' ');
  const __m128i shift = _mm_cvtsi32_si128(static_cast<int>(h.shift32));
  // Lane L (four n-gram ends) takes the dwords L..L+3 of a load that starts 4 bytes before the first end;
  // within the lane, the byte shuffle makes each end's four bytes (v4) and the byte before them (5-grams).
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6);
  const __m512i v4_pattern = _mm512_broadcast_i32x4(_mm_setr_epi8(1, 2, 3, 4, 2, 3, 4, 5, 3, 4, 5, 6, 4, 5, 6, 7));
  const __m512i b4_pattern =
      _mm512_broadcast_i32x4(_mm_setr_epi8(0, -1, -1, -1, 1, -1, -1, -1, 2, -1, -1, -1, 3, -1, -1, -1));
  const bool g3 = (h.gram_mask >> 3 & 1u) != 0;
  const bool g4 = (h.gram_mask >> 4 & 1u) != 0;
  const bool g5 = (h.gram_mask >> 5 & 1u) != 0;
  const bool any_words = h.word_unigrams || h.word_bigrams;
  const __m512i seed3 = _mm512_set1_epi32(static_cast<int>(h.gram_seed[3]));
  const __m512i seed4 = _mm512_set1_epi32(static_cast<int>(h.gram_seed[4]));
  const __m512i seed5 = _mm512_set1_epi32(static_cast<int>(h.gram_seed[5]));
  const __m512i mult3 = _mm512_set1_epi32(static_cast<int>(h.gram_mult[3]));
  const __m512i mult4 = _mm512_set1_epi32(static_cast<int>(h.gram_mult[4]));
  const __m512i mult5 = _mm512_set1_epi32(static_cast<int>(h.gram_mult[5]));
  const __m512i extend = _mm512_set1_epi32(static_cast<int>(h.extend_mult));
  const __m512i salt = _mm512_set1_epi64(static_cast<long long>(unigram_salt));
  const __m512i unigram_mult = _mm512_set1_epi64(static_cast<long long>(h.unigram_mult));
  const __m512i bigram_mult = _mm512_set1_epi64(static_cast<long long>(h.bigram_mult));
  const __m512i bigram_first = _mm512_set1_epi64(static_cast<long long>(bigram_previous_mult));
  const __m128i shift64 = _mm_cvtsi32_si128(static_cast<int>(h.shift64));
  // Byte positions 0..63, and for the byte permute: each word's start copied to its lane's eight bytes (times
  // 0x0101...) plus 0..7.
  const __m512i iota = _mm512_set_epi64(0x3f3e3d3c3b3a3938, 0x3736353433323130, 0x2f2e2d2c2b2a2928, 0x2726252423222120,
                                        0x1f1e1d1c1b1a1918, 0x1716151413121110, 0x0f0e0d0c0b0a0908, 0x0706050403020100);
  const __m512i spread = _mm512_set1_epi64(0x0101010101010101);
  const __m512i byte_steps = _mm512_set1_epi64(0x0706050403020100);
  const __m512i eight = _mm512_set1_epi8(8);
  const auto gather16 = [weights](__m512i buckets) noexcept {
    const __m512i got = _mm512_i32gather_epi32(buckets, weights, 1);
    return _mm512_srai_epi32(_mm512_slli_epi32(got, 24), 24);
  };

  std::uint64_t previous_w = 0;  // word mask of the chunk before (before the text: spaces)
  std::uint32_t open_start = 0;  // the start of a word still open at the end of the chunk
  bool word_open = false;
  __m512i previous_word = _mm512_setzero_si512();  // every lane: the hash of the last word scored
  bool have_previous = false;
  for (std::size_t c = 0; c <= n; c += 64) {
    const char* p = b + c;
    const __m512i bytes = _mm512_loadu_si512(p);
    const std::uint64_t w = _mm512_cmpneq_epi8_mask(bytes, space);
    const std::uint64_t s1 = (w << 1) | (previous_w >> 63);
    const std::uint64_t s2 = (w << 2) | (previous_w >> 62);
    const std::uint64_t s3 = (w << 3) | (previous_w >> 61);
    const std::uint64_t valid3 = g3 ? s1 : 0;
    const std::uint64_t valid4 = g4 ? (s1 & s2) : 0;
    const std::uint64_t valid5 = g5 ? (s1 & s2 & s3) : 0;
    alignas(64) std::uint32_t dense[3 * 64 + 2 * 32 + 16];
    std::uint32_t* out = dense;
    const auto emit = [&out](__m512i bucket, __mmask16 valid) noexcept {
      _mm512_storeu_si512(out, _mm512_maskz_compress_epi32(valid, bucket));
      out += std::popcount(static_cast<unsigned>(valid));
    };
    for (unsigned j = 0; j < 4; ++j) {
      const auto a3 = static_cast<__mmask16>(valid3 >> (16 * j));
      const auto a4 = static_cast<__mmask16>(valid4 >> (16 * j));
      const auto a5 = static_cast<__mmask16>(valid5 >> (16 * j));
      if ((a3 | a4 | a5) == 0) {
        continue;
      }
      const __m512i l = _mm512_permutexvar_epi32(
          lanes, _mm512_castsi256_si512(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p + 16 * j - 4))));
      const __m512i v4 = _mm512_shuffle_epi8(l, v4_pattern);
      if (g3) {
        const __m512i x = _mm512_srli_epi32(v4, 8);
        emit(_mm512_srl_epi32(_mm512_mullo_epi32(_mm512_xor_si512(x, seed3), mult3), shift), a3);
      }
      if (g4) {
        emit(_mm512_srl_epi32(_mm512_mullo_epi32(_mm512_xor_si512(v4, seed4), mult4), shift), a4);
      }
      if (g5) {
        const __m512i x = _mm512_xor_si512(_mm512_mullo_epi32(v4, extend), _mm512_shuffle_epi8(l, b4_pattern));
        emit(_mm512_srl_epi32(_mm512_mullo_epi32(_mm512_xor_si512(x, seed5), mult5), shift), a5);
      }
    }
    const std::uint64_t word_starts = w & ~s1;
    const std::uint64_t word_ends = ~w & s1;
    if (any_words) {
      if (word_ends != 0) {
        // The k-th end closes the k-th start, after a word carried in from an earlier chunk (lane 0, its
        // start known only as an absolute position).
        const auto ends = static_cast<unsigned>(std::popcount(word_ends));
        __m512i starts_at = _mm512_maskz_compress_epi8(word_starts, iota);
        if (word_open) {
          starts_at = _mm512_maskz_expand_epi8(~std::uint64_t{1}, starts_at);
        }
        alignas(64) std::uint8_t start_byte[64];
        alignas(64) std::uint8_t end_byte[64];
        _mm512_store_si512(start_byte, starts_at);
        _mm512_store_si512(end_byte, _mm512_maskz_compress_epi8(word_ends, iota));
        const __m512i after = _mm512_loadu_si512(p + 64);

        for (unsigned g = 0; g < ends; g += 8) {
          const unsigned in_group = ends - g < 8 ? ends - g : 8;
          word_lanes group;
          group.valid = static_cast<__mmask8>((1u << in_group) - 1u);
          group.start = _mm512_cvtepu8_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(start_byte + g)));
          const __m512i end = _mm512_cvtepu8_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(end_byte + g)));
          group.len = _mm512_sub_epi64(end, group.start);
          const __m512i index = _mm512_add_epi8(_mm512_mullo_epi64(group.start, spread), byte_steps);
          group.lo = _mm512_permutex2var_epi8(bytes, index, after);
          group.hi = _mm512_permutex2var_epi8(bytes, _mm512_add_epi8(index, eight), after);
          const bool carried = g == 0 && word_open;
          if (carried) {
            group.len = _mm512_mask_set1_epi64(group.len, 1, static_cast<long long>(c + end_byte[0] - open_start));
            group.lo = _mm512_mask_set1_epi64(group.lo, 1, static_cast<long long>(load64(b + open_start)));
            group.hi = _mm512_mask_set1_epi64(group.hi, 1, static_cast<long long>(load64(b + open_start + 8)));
          }
          const __m512i hashes = hash_words(h, b, c, group, carried, open_start);
          if (h.word_unigrams) {
            const __m512i bucket =
                _mm512_srl_epi64(_mm512_mullo_epi64(_mm512_xor_si512(hashes, salt), unigram_mult), shift64);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm512_cvtepi64_epi32(bucket));
            out += in_group;
          }
          if (h.word_bigrams) {
            // Lane k's previous word is lane k-1's; lane 0's is the last word before this group.
            const __m512i before = _mm512_alignr_epi64(hashes, previous_word, 7);
            const __mmask8 with_previous = have_previous ? group.valid : static_cast<__mmask8>(group.valid & ~1u);
            const __m512i bucket = _mm512_srl_epi64(
                _mm512_mullo_epi64(_mm512_xor_si512(_mm512_mullo_epi64(before, bigram_first), hashes), bigram_mult),
                shift64);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(out),
                                _mm256_maskz_compress_epi32(with_previous, _mm512_cvtepi64_epi32(bucket)));
            out += std::popcount(static_cast<unsigned>(with_previous));
          }
          previous_word = _mm512_permutexvar_epi64(_mm512_set1_epi64(in_group - 1), hashes);
          have_previous = true;
        }
        const unsigned closed_starts = word_open ? ends - 1 : ends;
        word_open = static_cast<unsigned>(std::popcount(word_starts)) > closed_starts;
      } else if (word_starts != 0) {
        word_open = true;  // a word begins here and runs past the chunk
      }
      if (word_open && word_starts != 0) {
        // A word still open at the chunk's end began at the chunk's last start.
        open_start = static_cast<std::uint32_t>(c + 63 - static_cast<unsigned>(std::countl_zero(word_starts)));
      }
    }
    // Every feature's bucket is in `dense` now (so their number is the chunk's feature count): full vectors
    // of sixteen are gathered, the rest read by index.
    const auto features = static_cast<unsigned>(out - dense);
    __m512i acc = _mm512_setzero_si512();
    unsigned k = 0;
    for (; k + 16 <= features; k += 16) {
      acc = _mm512_add_epi32(acc, gather16(_mm512_load_si512(dense + k)));
    }
    int rest = 0;
    for (; k < features; ++k) {
      rest += weights[dense[k]];
    }
    tracker.add(layout.block_of(static_cast<std::uint32_t>(c)), _mm512_reduce_add_epi32(acc) + rest, features);
    previous_w = w;
  }
}

}  // namespace

model_kernels avx512_model_kernels() noexcept { return {accumulate_avx512, "avx512"}; }

}  // namespace sluice::engine::detail
