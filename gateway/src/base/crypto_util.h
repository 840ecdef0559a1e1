#pragma once
// SHA-256, hex and random bytes through OpenSSL, shared by keys and the audit chain.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sluice::gateway::crypto {

using digest = std::array<std::uint8_t, 32>;

// SHA-256 of `data`. noexcept: OpenSSL's one-shot digest cannot fail for SHA-256 in practice; if it
// ever does the digest is all zeros, which matches no stored key.
[[nodiscard]] digest sha256(std::string_view data) noexcept;
[[nodiscard]] std::string to_hex(const std::uint8_t* data, std::size_t size);
// Appends the hex of `data` to `out` (for buffers that are reused, so no string is made per call).
void append_hex(std::string& out, const std::uint8_t* data, std::size_t size);
[[nodiscard]] inline std::string to_hex(const digest& d) { return to_hex(d.data(), d.size()); }
// HMAC-SHA256 of `data` under `key` (audit checkpoint signatures), off the request path. False (and
// `out` all zeros) if OpenSSL fails.
[[nodiscard]] bool hmac_sha256(std::string_view key, std::string_view data, digest& out) noexcept;
// Parses 64 hex characters; false when `hex` is not exactly that.
[[nodiscard]] bool from_hex(std::string_view hex, digest& out) noexcept;
// Constant-time comparison (CRYPTO_memcmp): the time taken does not depend on where they differ.
[[nodiscard]] bool equal_constant_time(const digest& a, const digest& b) noexcept;
// Cryptographically random bytes (RAND_bytes); throws std::runtime_error if the RNG fails.
void random_bytes(std::uint8_t* out, std::size_t size);

}  // namespace sluice::gateway::crypto
