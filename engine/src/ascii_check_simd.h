#pragma once
// Private: the body of the SIMD ASCII kernels, written once against xsimd and instantiated in one
// translation unit per instruction set. Include only from ascii_check_<isa>.cpp, inside that file's
// anonymous namespace (after including <xsimd/xsimd.hpp> at file scope), so that each instantiation
// stays local to the unit compiled for its instruction set.

template <class Arch>
struct simd_ascii {
  using bytes = xsimd::batch<std::uint8_t, Arch>;
  static constexpr std::size_t width = bytes::size;

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

  static xsimd::batch_bool<std::uint8_t, Arch> letter(bytes v) noexcept {
    // (v | 0x20) - 'a' < 26, unsigned: A-Z and a-z.
    return ((v | bytes(std::uint8_t{0x20})) - bytes(std::uint8_t{'a'})) < bytes(std::uint8_t{26});
  }
  static xsimd::batch_bool<std::uint8_t, Arch> leet(bytes v) noexcept {
    return (v == bytes(std::uint8_t{'0'})) | (v == bytes(std::uint8_t{'1'})) | (v == bytes(std::uint8_t{'3'})) |
           (v == bytes(std::uint8_t{'4'})) | (v == bytes(std::uint8_t{'5'})) | (v == bytes(std::uint8_t{'7'})) |
           (v == bytes(std::uint8_t{'@'})) | (v == bytes(std::uint8_t{'$'}));
  }
  static xsimd::batch_bool<std::uint8_t, Arch> separator(bytes v) noexcept {
    return (v == bytes(std::uint8_t{' '})) | (v == bytes(std::uint8_t{'.'})) | (v == bytes(std::uint8_t{'-'}));
  }

  // Whether any of the positions i..i+width-1 is suspicious; reads p[i-1] .. p[i+width+2], so the
  // caller keeps 1 <= i and i + width + 3 <= n (every position then has all the neighbours it reads).
  static bool suspicious_vector(const char* p, std::size_t i) noexcept {
    const bytes v = load(p + i);
    const bytes next = load(p + i + 1);
    const bytes prev = load(p + i - 1);
    const auto leet_before_letter = (leet(v) & letter(next)) |
                                    (letter(prev) & ((v == bytes(std::uint8_t{'0'})) | (v == bytes(std::uint8_t{'3'}))));
    const auto tok_v = letter(v) | leet(v);
    const bytes after2 = load(p + i + 2);
    const auto spaced = separator(prev) & tok_v & separator(next) &
                        (letter(after2) | leet(after2)) & separator(load(p + i + 3));
    return xsimd::any(leet_before_letter | spaced);
  }

  // Vector i covers positions i..i+width-1 and reads up to i+width+3.
  static sluice::engine::detail::ascii_profile profile(const char* p, std::size_t n) noexcept {
    sluice::engine::detail::ascii_profile out{true, false};
    bytes acc(std::uint8_t{0});
    bool suspicious = false;
    std::size_t i = 1;  // position 0 has no left neighbour: the scalar check takes it
    for (; i + width + 4 <= n; i += width) {
      const bytes v = load(p + i);
      acc = acc | v;
      if (suspicious) {
        continue;
      }
      suspicious = suspicious_vector(p, i);
    }
    // One more vector, overlapping the last one, ends three positions before the end; only those three
    // are left to the scalar check (it had been up to width + 3 positions per call, and the normalizer
    // profiles every 272-byte block).
    std::size_t scalar_from = i;
    if (n >= width + 4) {
      // The loop stopped at i >= n - width - 3, so this vector covers every position from i to n - 4.
      if (!suspicious) {
        suspicious = suspicious_vector(p, n - width - 3);
      }
      scalar_from = std::max(i, n - 3);
    }
    if (xsimd::any(acc >= bytes(std::uint8_t{0x80})) || (n > 0 && static_cast<unsigned char>(p[0]) >= 0x80)) {
      out.ascii = false;
      return out;
    }
    for (std::size_t j = i; j < n; ++j) {
      if (static_cast<unsigned char>(p[j]) >= 0x80) {
        out.ascii = false;
        return out;
      }
    }
    if (!suspicious) {
      if (n > 0 && sluice::engine::detail::suspicious_at(p, n, 0)) {
        suspicious = true;
      }
      for (std::size_t j = scalar_from; j < n && !suspicious; ++j) {
        suspicious = sluice::engine::detail::suspicious_at(p, n, j);
      }
    }
    out.suspicious = suspicious;
    return out;
  }
};
