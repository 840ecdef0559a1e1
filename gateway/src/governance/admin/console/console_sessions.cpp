// Console session table (see console_sessions.h).
#include "governance/admin/console/console_sessions.h"

#include <algorithm>
#include <array>

#include "base/crypto_util.h"

namespace sluice::gateway {

std::string console_sessions::open(std::int64_t now_ms) {
  std::array<std::uint8_t, 32> bytes{};
  crypto::random_bytes(bytes.data(), bytes.size());
  std::string id = crypto::to_hex(bytes.data(), bytes.size());
  std::lock_guard lock(mutex_);
  std::erase_if(expiry_by_digest_, [&](const auto& entry) { return entry.second <= now_ms; });
  while (expiry_by_digest_.size() >= max_sessions) {
    // Every session has the same lifetime, so the earliest expiry is the oldest login.
    const auto oldest = std::min_element(expiry_by_digest_.begin(), expiry_by_digest_.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
    expiry_by_digest_.erase(oldest);
  }
  expiry_by_digest_[crypto::to_hex(crypto::sha256(id))] = now_ms + lifetime_ms;
  return id;
}

bool console_sessions::valid(std::string_view id, std::int64_t now_ms) {
  if (id.size() != 64) {
    return false;
  }
  // The lookup is by digest, so timing reveals nothing about ids that exist.
  const std::string digest = crypto::to_hex(crypto::sha256(id));
  std::lock_guard lock(mutex_);
  const auto it = expiry_by_digest_.find(digest);
  if (it == expiry_by_digest_.end()) {
    return false;
  }
  if (it->second <= now_ms) {
    expiry_by_digest_.erase(it);
    return false;
  }
  return true;
}

void console_sessions::close(std::string_view id) {
  const std::string digest = crypto::to_hex(crypto::sha256(id));
  std::lock_guard lock(mutex_);
  expiry_by_digest_.erase(digest);
}

std::string_view cookie_value(std::string_view header, std::string_view name) noexcept {
  while (!header.empty()) {
    const auto semicolon = header.find(';');
    std::string_view pair = header.substr(0, semicolon);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    if (semicolon == std::string_view::npos) {
      break;
    }
    header.remove_prefix(semicolon + 1);
  }
  return {};
}

}  // namespace sluice::gateway
