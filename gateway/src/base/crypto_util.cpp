#include "base/crypto_util.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace sluice::gateway::crypto {

digest sha256(std::string_view data) noexcept {
  // It runs once per request (the key lookup): fetch the algorithm once and keep one context per
  // thread. EVP_Digest(…, EVP_sha256()) would re-fetch the provider implementation on every call,
  // which costs microseconds in OpenSSL 3.
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  struct context {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~context() { EVP_MD_CTX_free(ctx); }
  };
  thread_local context local;
  digest out{};
  unsigned int size = 0;
  if (md == nullptr || local.ctx == nullptr || EVP_DigestInit_ex2(local.ctx, md, nullptr) != 1 ||
      EVP_DigestUpdate(local.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(local.ctx, out.data(), &size) != 1) {
    out.fill(0);
  }
  return out;
}

void append_hex(std::string& out, const std::uint8_t* data, std::size_t size) {
  static constexpr char hex[] = "0123456789abcdef";
  out.reserve(out.size() + size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(hex[data[i] >> 4]);
    out.push_back(hex[data[i] & 0xF]);
  }
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  std::string out;
  append_hex(out, data, size);
  return out;
}

bool hmac_sha256(std::string_view key, std::string_view data, digest& out) noexcept {
  unsigned int size = 0;
  // The one-shot HMAC() is enough: it runs once per audit checkpoint written or verified.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), out.data(), &size) == nullptr ||
      size != out.size()) {
    out.fill(0);
    return false;
  }
  return true;
}

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}
}  // namespace

bool from_hex(std::string_view hex, digest& out) noexcept {
  if (hex.size() != out.size() * 2) {
    return false;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_value(hex[2 * i]);
    const int lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

bool equal_constant_time(const digest& a, const digest& b) noexcept {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void random_bytes(std::uint8_t* out, std::size_t size) {
  if (RAND_bytes(out, static_cast<int>(size)) != 1) {
    throw std::runtime_error("OpenSSL RAND_bytes failed: no secure randomness available");
  }
}

}  // namespace sluice::gateway::crypto
