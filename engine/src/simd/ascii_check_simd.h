#pragma once
// Private: the body of the SIMD ASCII kernels, written once against xsimd and instantiated in one
// translation unit per instruction set. Include only from ascii_check_<isa>.cpp, inside that file's
// anonymous namespace (after including <xsimd/xsimd.hpp> at file scope), so that each instantiation
// stays local to the unit compiled for its instruction set. A unit that uses compare_classifier defines,
// before the include, `std::uint64_t bits_of(xsimd::batch_bool<std::int8_t, Arch>)`: one bit per lane
// (movemask), which xsimd 8 does not offer.

// The byte classes suspicious_at looks at, one bit per byte (bit k = byte k of a vector or a block).
struct class_bits {
  std::uint64_t letter = 0;
  std::uint64_t leet = 0;       // 0 1 3 4 5 7 @ $
  std::uint64_t separator = 0;  // ' ' '.' '-'
  std::uint64_t zero_three = 0;
};

// Classes of one vector by compares, for any instruction set (about 20 operations and 14 constants per
// vector; an instruction set with a byte shuffle can do better, see ascii_check_avx2.cpp).
template <class Arch>
struct compare_classifier {
  using sbytes = xsimd::batch<std::int8_t, Arch>;
  static class_bits of(sbytes v) noexcept {
    // (v | 0x20) - 'a' < 26 unsigned, as a signed compare: adding 0x80 - 'a' maps 'a'..'z' to -128..-103.
    const auto letter =
        ((v | sbytes(std::int8_t{0x20})) + sbytes(std::int8_t{0x80 - 'a'})) < sbytes(std::int8_t{-102});
    // '0'..'7' the same way, less '2' and '6' (the two with low bits 10).
    const auto digit07 = (v + sbytes(std::int8_t{0x80 - '0'})) < sbytes(std::int8_t{-120});
    const auto two_six = (v & sbytes(std::int8_t{3})) == sbytes(std::int8_t{2});
    const auto leet = (digit07 & ~two_six) | (v == sbytes(std::int8_t{'@'})) | (v == sbytes(std::int8_t{'$'}));
    const auto separator =
        (v == sbytes(std::int8_t{' '})) | (v == sbytes(std::int8_t{'.'})) | (v == sbytes(std::int8_t{'-'}));
    const auto zero_three = (v == sbytes(std::int8_t{'0'})) | (v == sbytes(std::int8_t{'3'}));
    return {bits_of(letter), bits_of(leet), bits_of(separator), bits_of(zero_three)};
  }
};

template <class Arch, class Classifier = compare_classifier<Arch>>
struct simd_ascii {
  using bytes = xsimd::batch<std::uint8_t, Arch>;
  using sbytes = xsimd::batch<std::int8_t, Arch>;  // signed lanes: one compare for a range test
  static constexpr std::size_t width = bytes::size;
  static constexpr std::size_t block = 64;  // one bit per byte in a std::uint64_t
  static_assert(block % width == 0);

  static bytes load(const char* p) noexcept {
    return bytes::load_unaligned(reinterpret_cast<const std::uint8_t*>(p));
  }

  static bool is_ascii(const char* p, std::size_t n) noexcept {
    std::size_t i = 0;
    bytes acc(std::uint8_t{0});
    for (; i + width <= n; i += width) {
      acc = acc | load(p + i);
    }
    if (xsimd::any(acc >= bytes(std::uint8_t{0x80}))) {
      return false;
    }
    for (; i < n; ++i) {
      if (static_cast<unsigned char>(p[i]) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  // Classes of the 64 bytes at p (all inside the buffer), which are ORed into acc for the ASCII test.
  // Each byte is classified once, instead of once for every neighbour that reads it. Bytes past the
  // end of the buffer get no class, which is exactly how suspicious_at treats a neighbour outside [0, n).
  static class_bits classify(const char* p, sbytes& acc) noexcept { return classify_from(p, 0, acc); }

  // The same for the vectors from byte `first` (a multiple of width) of the block on; the bits below
  // `first` are left 0.
  static class_bits classify_from(const char* p, std::size_t first, sbytes& acc) noexcept {
    class_bits out;
    for (std::size_t k = first; k < block; k += width) {
      const sbytes v = xsimd::bitwise_cast<sbytes>(load(p + k));
      acc = acc | v;
      const class_bits c = Classifier::of(v);
      out.letter |= c.letter << k;
      out.leet |= c.leet << k;
      out.separator |= c.separator << k;
      out.zero_three |= c.zero_three << k;
    }
    return out;
  }

  // The positions of block `cur` where suspicious_at holds, from the classes of the block before it (its
  // last byte is neighbour -1 of bit 0) and after it (its first three bytes are neighbours +1..+3 of the
  // last bits); bit k of (x >> d) is the class of byte k + d.
  static std::uint64_t suspicious_bits(const class_bits& prev, const class_bits& cur, const class_bits& next) noexcept {
    const std::uint64_t token = cur.letter | cur.leet;
    const std::uint64_t next_token = next.letter | next.leet;
    const std::uint64_t letter_before = (cur.letter << 1) | (prev.letter >> 63);
    const std::uint64_t letter_after = (cur.letter >> 1) | (next.letter << 63);
    const std::uint64_t separator_before = (cur.separator << 1) | (prev.separator >> 63);
    const std::uint64_t separator_after = (cur.separator >> 1) | (next.separator << 63);
    const std::uint64_t token_after2 = (token >> 2) | (next_token << 62);
    const std::uint64_t separator_after3 = (cur.separator >> 3) | (next.separator << 61);
    return (cur.leet & letter_after) | (cur.zero_three & letter_before) |
           (separator_before & token & separator_after & token_after2 & separator_after3);
  }

  // Classes of the block at p + at when fewer than 64 bytes are left: read the 64 bytes ending at the
  // end of the buffer when there are that many (no copy; the extra bytes, already classified with the
  // block before, are shifted out, and the vectors holding only those are not loaded: the normalizer's
  // 272-byte profiles end with 16 bytes), else a zero-padded copy (a zero byte has no class and is ASCII).
  static class_bits classify_last(const char* p, std::size_t n, std::size_t at, sbytes& acc) noexcept {
    const std::size_t left = n - at;  // 1..63
    if (n >= block) {
      class_bits c = classify_from(p + n - block, (block - left) / width * width, acc);
      const unsigned drop = static_cast<unsigned>(block - left);
      c.letter >>= drop;
      c.leet >>= drop;
      c.separator >>= drop;
      c.zero_three >>= drop;
      return c;
    }
    alignas(64) char padded[block] = {};
    std::memcpy(padded, p + at, left);
    return classify(padded, acc);
  }

  static class_bits classify_at(const char* p, std::size_t n, std::size_t at, sbytes& acc) noexcept {
    return at + block <= n ? classify(p + at, acc) : classify_last(p, n, at, acc);
  }

  // Bit-parallel over 64-byte blocks: each block is classified once, and a block's positions are
  // decided once the next block's classes are known (the conditions read up to three bytes ahead).
  // Once a position is suspicious only the ASCII answer is left to find.
  static sluice::engine::detail::ascii_profile profile(const char* p, std::size_t n) noexcept {
    sbytes acc(std::int8_t{0});
    std::size_t classified = 0;  // the bytes before it are in acc
    bool suspicious = false;
    if (n > 0) {
      class_bits prev;  // before the buffer: no class
      class_bits cur = classify_at(p, n, 0, acc);
      for (std::size_t at = 0;; at += block) {  // `cur` is the block at `at`
        const std::size_t next_at = at + block;
        class_bits next;  // past the buffer: no class
        if (next_at < n) {
          next = classify_at(p, n, next_at, acc);
        }
        if (suspicious_bits(prev, cur, next) != 0) {
          suspicious = true;
          classified = std::min(n, next_at + block);
          break;
        }
        if (next_at >= n) {
          classified = n;
          break;
        }
        prev = cur;
        cur = next;
      }
    }
    if (xsimd::any(acc < sbytes(std::int8_t{0})) || !is_ascii(p + classified, n - classified)) {
      return {false, false};
    }
    return {true, suspicious};
  }
};
