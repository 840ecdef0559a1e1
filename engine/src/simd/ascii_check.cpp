// is_ascii and the normalizer's fast-path profile: the scalar kernels, and the choice of kernel made once
// at start-up from what the CPU supports (SLUICE_SIMD=scalar|sse2|avx2 forces one, for tests).
#include "simd/ascii_check.h"

#include <cstdlib>
#include <cstring>

#include "sluice/engine/normalizer.h"

namespace sluice::engine::detail {
namespace {

bool is_letter(unsigned char c) noexcept { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }
bool is_leet(unsigned char c) noexcept {
  return c == '0' || c == '1' || c == '3' || c == '4' || c == '5' || c == '7' || c == '@' || c == '$';
}
bool is_separator(unsigned char c) noexcept { return c == ' ' || c == '.' || c == '-'; }

bool is_ascii_scalar(const char* p, std::size_t n) noexcept {
  unsigned char acc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    acc |= static_cast<unsigned char>(p[i]);
  }
  return acc < 0x80;
}

ascii_profile profile_scalar(const char* p, std::size_t n) noexcept {
  ascii_profile out{is_ascii_scalar(p, n), false};
  if (!out.ascii) {
    return out;
  }
  for (std::size_t i = 0; i < n && !out.suspicious; ++i) {
    out.suspicious = suspicious_at(p, n, i);
  }
  return out;
}

ascii_kernels choose() noexcept {
  const char* forced = std::getenv("SLUICE_SIMD");
  if (forced != nullptr) {
    if (std::strcmp(forced, "scalar") == 0) {
      return scalar_ascii_kernels();
    }
    if (std::strcmp(forced, "sse2") == 0) {
      return sse2_ascii_kernels();
    }
    if (std::strcmp(forced, "avx2") == 0 && __builtin_cpu_supports("avx2")) {
      return avx2_ascii_kernels();
    }
  }
  if (__builtin_cpu_supports("avx2")) {
    return avx2_ascii_kernels();
  }
  return sse2_ascii_kernels();  // x86-64 always has SSE2
}

}  // namespace

bool suspicious_at(const char* p, std::size_t n, std::size_t i) noexcept {
  const auto at = [p](std::size_t k) { return static_cast<unsigned char>(p[k]); };
  if (is_leet(at(i)) && i + 1 < n && is_letter(at(i + 1))) {
    return true;
  }
  if (i > 0 && (at(i) == '0' || at(i) == '3') && is_letter(at(i - 1))) {
    return true;  // "th3", "t0": a word ending in leetspeak
  }
  if (i == 0 || i + 3 >= n) {
    return false;
  }
  const auto token = [](unsigned char c) { return is_letter(c) || is_leet(c); };
  return is_separator(at(i - 1)) && token(at(i)) && is_separator(at(i + 1)) && token(at(i + 2)) &&
         is_separator(at(i + 3));
}

ascii_kernels scalar_ascii_kernels() noexcept { return {is_ascii_scalar, profile_scalar, "scalar"}; }

const ascii_kernels& active_ascii_kernels() noexcept {
  static const ascii_kernels chosen = choose();
  return chosen;
}

}  // namespace sluice::engine::detail

namespace sluice::engine {

bool is_ascii(std::string_view s) noexcept { return detail::active_ascii_kernels().is_ascii(s.data(), s.size()); }

std::string_view ascii_check_implementation() noexcept { return detail::active_ascii_kernels().name; }

}  // namespace sluice::engine
