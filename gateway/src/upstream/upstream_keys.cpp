// Upstream keys with a per-shard cache (see upstream_keys.h).
#include "upstream/upstream_keys.h"

#include <exception>

namespace sluice::gateway {

void upstream_keys::reset(std::size_t targets) { keys_.assign(targets, cached_key{}); }

const std::string* upstream_keys::key_for(std::size_t i, const secret_ref& ref, std::string& error) {
  if (i >= keys_.size()) {
    error = "no such target";
    return nullptr;
  }
  cached_key& c = keys_[i];
  const auto now = std::chrono::steady_clock::now();
  if (c.loaded && (ref.file.empty() || now - c.checked < std::chrono::seconds(1))) {
    if (c.value.empty()) {
      error = c.error;
      return nullptr;
    }
    return &c.value;
  }
  c.checked = now;
  if (!ref.file.empty()) {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(ref.file, ec);
    if (c.loaded && !ec && mtime == c.mtime && !c.value.empty()) {
      return &c.value;
    }
    c.mtime = mtime;
  }
  c.loaded = true;
  try {
    c.value = read_secret(ref);
    c.error.clear();
  } catch (const std::exception& e) {
    c.value.clear();
    c.error = e.what();
    error = c.error;
    return nullptr;
  }
  return &c.value;
}

}  // namespace sluice::gateway
