// The request-id source (see call_context.h).
#include "pipeline/call_context.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "base/crypto_util.h"

namespace sluice::gateway {
namespace {

// 16 random hex digits, drawn once per shard start (not on the request path).
std::string boot_id() {
  std::uint8_t bytes[8] = {};
  try {
    crypto::random_bytes(bytes, sizeof bytes);
  } catch (const std::exception&) {
    // No RNG: the clock and the process id still differ between restarts and replicas.
    const auto now = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    const std::uint64_t mixed = now ^ (static_cast<std::uint64_t>(::getpid()) << 40);
    std::memcpy(bytes, &mixed, sizeof bytes);
  }
  return crypto::to_hex(bytes, sizeof bytes);
}

}  // namespace

request_ids::request_ids(unsigned shard) {
  const std::string boot = boot_id();
  const int n = std::snprintf(prefix_, sizeof prefix_, "req_sluice_%s_%u_", boot.c_str(), shard);
  prefix_size_ = n > 0 ? std::min(static_cast<std::size_t>(n), sizeof prefix_ - 1) : 0;
}

void request_ids::next(std::string& out) noexcept {
  char digits[24];
  const int n = std::snprintf(digits, sizeof digits, "%llu", static_cast<unsigned long long>(++count_));
  // An id is at most 60 bytes: once the session's string has held one, these assigns never allocate.
  // Were one to fail, the response would go out without an id rather than not at all.
  try {
    out.assign(prefix_, prefix_size_);
    out.append(digits, n > 0 ? static_cast<std::size_t>(n) : 0);
  } catch (...) {
    out.clear();
  }
}

}  // namespace sluice::gateway
