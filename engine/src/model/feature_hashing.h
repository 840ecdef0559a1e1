#pragma once
// Private: the model's features, defined once. Every kernel (scalar here, SIMD in
// model_kernel_<isa>.cpp) and the trainer must produce exactly the buckets `for_each_feature` produces;
// tests check that they do.
//
// The text is read as bytes, folded: ASCII letters lower-cased, ASCII digits and every byte >= 0x80 kept
// (so UTF-8 letters of any script are word bytes), everything else a space. A word is a run of
// non-space folded bytes. Virtual spaces stand before the first byte and after the last.
//
// - Character n-gram ending at position i (0 <= i <= size, position `size` being the final virtual
//   space): the n folded bytes i-n+1..i, when its n-2 inner bytes are all word bytes. So a word "ab" gives
//   the 3-grams " ab" and "ab " and the 4-gram " ab " (sklearn's char_wb analyser, without its n-grams
//   that would cross two spaces).
// - Word unigram and bigram (the word and the word before it), both ending at the space after the word.
//
// Hashes: the four folded bytes ending at i, little-endian (byte i highest), as a 32-bit value v4;
// 3-grams use v4 >> 8, 4-grams v4, n > 4 mix in one earlier byte per extra length; bucket =
// ((x ^ seed_n) * mult_n) >> (32 - bits), multiply-shift hashing, which takes one 32-bit multiply
// (SIMD friendly). Words hash 8 bytes at a time into 64 bits.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "sluice/engine/injection_model.h"

namespace sluice::engine::detail {

constexpr int max_gram = 8;

inline std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Hash constants derived from the seed; the same seed gives the same buckets on every machine.
struct hash_params {
  std::uint32_t gram_mask = 0;               // bit n: n-grams on
  std::uint32_t gram_seed[max_gram + 1] = {};
  std::uint32_t gram_mult[max_gram + 1] = {};
  std::uint32_t extend_mult = 0;             // mixes one more byte into an n > 4 gram
  bool word_unigrams = false;
  bool word_bigrams = false;
  std::uint64_t word_seed = 0;
  std::uint64_t unigram_mult = 0;
  std::uint64_t bigram_mult = 0;
  unsigned shift32 = 14;  // 32 - bits
  unsigned shift64 = 46;  // 64 - bits

  explicit hash_params(const model_features& f) noexcept {
    std::uint64_t state = 0x736c7569636500ull ^ f.hash_seed;  // "sluice"
    gram_mask = f.char_ngrams;
    for (int n = 0; n <= max_gram; ++n) {
      gram_seed[n] = static_cast<std::uint32_t>(splitmix64(state));
      gram_mult[n] = static_cast<std::uint32_t>(splitmix64(state)) | 1u;
    }
    extend_mult = static_cast<std::uint32_t>(splitmix64(state)) | 1u;
    word_unigrams = f.word_unigrams;
    word_bigrams = f.word_bigrams;
    word_seed = splitmix64(state);
    unigram_mult = splitmix64(state) | 1u;
    bigram_mult = splitmix64(state) | 1u;
    shift32 = 32 - f.bucket_bits;
    shift64 = 64 - f.bucket_bits;
  }
};

// The folded byte: lower-case ASCII letters, digits and bytes >= 0x80 kept, the rest a space.
inline unsigned char fold_byte(unsigned char c) noexcept {
  if (c >= 0x80 || static_cast<unsigned char>(c - '0') < 10) {
    return c;
  }
  const unsigned char lower = c | 0x20;
  return static_cast<unsigned char>(lower - 'a') < 26 ? lower : ' ';
}

// The bucket of the n-gram whose last four bytes are v4 (earlier bytes in `before`, byte i-4 lowest).
inline std::uint32_t gram_bucket(const hash_params& h, int n, std::uint32_t v4, std::uint64_t before) noexcept {
  std::uint32_t x = n >= 4 ? v4 : v4 >> (8 * (4 - n));
  for (int k = 4; k < n; ++k) {
    x = (x * h.extend_mult) ^ static_cast<std::uint32_t>((before >> (8 * (k - 4))) & 0xff);
  }
  return ((x ^ h.gram_seed[n]) * h.gram_mult[n]) >> h.shift32;
}

// The word hashes' fixed constants, named so the SIMD kernels that compute them lane-wise use the same.
constexpr std::uint64_t word_mix_mult = 0x9E3779B97F4A7C15ull;
constexpr std::uint64_t unigram_salt = 0x75;
constexpr std::uint64_t bigram_previous_mult = 0xFF51AFD7ED558CCDull;

inline std::uint64_t word_mix(std::uint64_t h, std::uint64_t chunk) noexcept {
  h = (h ^ chunk) * word_mix_mult;
  return h ^ (h >> 29);
}

inline std::uint32_t unigram_bucket(const hash_params& h, std::uint64_t word) noexcept {
  return static_cast<std::uint32_t>(((word ^ unigram_salt) * h.unigram_mult) >> h.shift64);
}

inline std::uint32_t bigram_bucket(const hash_params& h, std::uint64_t previous, std::uint64_t word) noexcept {
  return static_cast<std::uint32_t>((((previous * bigram_previous_mult) ^ word) * h.bigram_mult) >> h.shift64);
}

// Calls sink(bucket, end, start) for every feature of `text`, in order of `end` (the position of the
// feature's last byte; `text.size()` for features ending at the final virtual space). `start` is its
// first byte (-1 for the virtual space before the text; for a bigram, the first word's start).
template <class Sink>
void for_each_feature(const hash_params& h, std::string_view text, Sink&& sink) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::uint64_t last8 = 0x2020202020202020ull;  // the folded bytes ending at i, byte i highest
  std::uint32_t run = 0;                        // word bytes in a row ending at i-1
  std::uint64_t word = h.word_seed;             // hash of the current word's complete 8-byte chunks
  std::uint64_t chunk = 0;                      // its bytes since the last complete chunk
  unsigned chunk_bytes = 0;
  std::uint64_t previous_word = 0;
  std::int64_t previous_start = 0;
  bool have_previous = false;
  for (std::size_t i = 0; i <= n; ++i) {
    const unsigned char c = i < n ? fold_byte(p[i]) : ' ';
    last8 = (last8 >> 8) | (static_cast<std::uint64_t>(c) << 56);
    const std::uint32_t v4 = static_cast<std::uint32_t>(last8 >> 32);
    const std::uint64_t before = last8 >> 24;  // byte i-4 lowest
    for (int g = 3; g <= max_gram; ++g) {
      if ((h.gram_mask >> g & 1u) != 0 && run >= static_cast<std::uint32_t>(g - 2)) {
        sink(gram_bucket(h, g, v4, before), static_cast<std::uint32_t>(i),
             static_cast<std::int64_t>(i) - g + 1);
      }
    }
    if (c != ' ') {
      ++run;
      chunk |= static_cast<std::uint64_t>(c) << (8 * chunk_bytes);
      if (++chunk_bytes == 8) {
        word = word_mix(word, chunk);
        chunk = 0;
        chunk_bytes = 0;
      }
      continue;
    }
    if (run > 0) {
      const std::uint64_t w = word_mix(word, chunk ^ (static_cast<std::uint64_t>(run) << 59));
      const auto start = static_cast<std::int64_t>(i - run);
      if (h.word_unigrams) {
        sink(unigram_bucket(h, w), static_cast<std::uint32_t>(i), start);
      }
      if (h.word_bigrams && have_previous) {
        sink(bigram_bucket(h, previous_word, w), static_cast<std::uint32_t>(i), previous_start);
      }
      previous_word = w;
      previous_start = start;
      have_previous = true;
      word = h.word_seed;
      chunk = 0;
      chunk_bytes = 0;
    }
    run = 0;
  }
}

}  // namespace sluice::engine::detail
