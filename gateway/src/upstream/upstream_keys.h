#pragma once
// The upstream API keys of a configuration generation's targets, cached per shard: an environment
// variable is read once, a file is re-read at most once a second and only when its modification time
// changed (a rotated key takes effect without a reload). Touched only by the shard's own thread.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "sluice/gateway/config.h"

namespace sluice::gateway {

class upstream_keys {
 public:
  // Forgets every key: a new generation with `targets` targets (which may have moved).
  void reset(std::size_t targets);
  // The key of target `i` (`ref` is its secret). Returns nullptr with `error` set when unavailable
  // (no such target, unset variable, unreadable file).
  const std::string* key_for(std::size_t i, const secret_ref& ref, std::string& error);

 private:
  struct cached_key {
    std::string value;
    std::string error;
    std::filesystem::file_time_type mtime{};
    std::chrono::steady_clock::time_point checked{};
    bool loaded = false;
  };
  std::vector<cached_key> keys_;
};

}  // namespace sluice::gateway
