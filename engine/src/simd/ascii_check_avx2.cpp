// The AVX2 build of the ASCII kernels (see ascii_check_simd.h).
#include <immintrin.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include <xsimd/xsimd.hpp>

#include "simd/ascii_check.h"

namespace sluice::engine::detail {
namespace {

#include "simd/ascii_check_simd.h"

// Classes of 32 bytes by two table lookups (vpshufb) on the low and the high nibble: a byte is in a
// class when both its nibbles' entries have the class's bit. About 15 operations and 6 constants per
// vector, where the compares take about 20 and 14 constants, more than the 16 registers hold (the
// compiler then rebuilt constants inside the loop).
struct nibble_classifier {
  // Bits of the table entries. Letters need two (A-O and a-o have low nibbles 1..F, P-Z and p-z 0..A),
  // leetspeak three (the digits, '@', '$' share no nibble set that excludes other bytes).
  static constexpr std::int8_t letter_ao = 0x01;
  static constexpr std::int8_t letter_pz = 0x02;
  static constexpr std::int8_t leet_digit = 0x04;  // 0 1 3 4 5 7
  static constexpr std::int8_t leet_at = 0x08;
  static constexpr std::int8_t leet_dollar = 0x10;
  static constexpr std::int8_t zero_three = 0x40;  // bit 6: one add moves it to bit 7
  static constexpr std::int8_t separator = -0x80;  // bit 7: movemask reads it directly
  static constexpr std::int8_t letter = letter_ao | letter_pz;

  // Entry for each low nibble: 0 is " 0@Pp", 1-7 letters and digits, 4 also '$', D-E also "-.".
  static constexpr std::int8_t low_entries[16] = {
      separator | leet_digit | zero_three | leet_at | letter_pz,
      letter | leet_digit,
      letter,
      letter | leet_digit | zero_three,
      letter | leet_digit | leet_dollar,
      letter | leet_digit,
      letter,
      letter | leet_digit,
      letter,
      letter,
      letter,
      letter_ao,
      letter_ao,
      letter_ao | separator,
      letter_ao | separator,
      letter_ao};
  // Entry for each high nibble: 2 is " $-.", 3 digits, 4 "@A-O", 5 "P-Z", 6 "a-o", 7 "p-z".
  static constexpr std::int8_t high_entries[16] = {
      0, 0, separator | leet_dollar, leet_digit | zero_three, letter_ao | leet_at, letter_pz, letter_ao, letter_pz};

  static class_bits of(xsimd::batch<std::int8_t, xsimd::avx2> batch) noexcept {
    // vpshufb looks up within each 128-bit lane, so both lanes get the table; it gives 0 for an index
    // byte >= 0x80, so bytes >= 0x80 are in no class.
    const auto table = [](const std::int8_t* entries) {
      return _mm256_broadcastsi128_si256(_mm_loadu_si128(reinterpret_cast<const __m128i*>(entries)));
    };
    const __m256i low_table = table(low_entries);
    const __m256i high_table = table(high_entries);
    const __m256i v = batch;
    const __m256i high = _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
    const __m256i c = _mm256_and_si256(_mm256_shuffle_epi8(low_table, v), _mm256_shuffle_epi8(high_table, high));
    const __m256i zero = _mm256_setzero_si256();
    const auto none_of = [&](std::int8_t bits) {
      return _mm256_cmpeq_epi8(_mm256_and_si256(c, _mm256_set1_epi8(bits)), zero);
    };
    const auto mask = [](__m256i m) -> std::uint64_t { return static_cast<std::uint32_t>(_mm256_movemask_epi8(m)); };
    return {~mask(none_of(letter)) & 0xFFFFFFFFu, ~mask(none_of(leet_digit | leet_at | leet_dollar)) & 0xFFFFFFFFu,
            mask(c), mask(_mm256_add_epi8(c, c))};
  }
};

using kernel = simd_ascii<xsimd::avx2, nibble_classifier>;

bool is_ascii_avx2(const char* p, std::size_t n) noexcept { return kernel::is_ascii(p, n); }
ascii_profile profile_avx2(const char* p, std::size_t n) noexcept { return kernel::profile(p, n); }
}  // namespace

ascii_kernels avx2_ascii_kernels() noexcept { return {is_ascii_avx2, profile_avx2, "avx2"}; }

}  // namespace sluice::engine::detail
