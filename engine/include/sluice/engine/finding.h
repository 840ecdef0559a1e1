#pragma once
#include <cstdint>

namespace sluice::engine {

// A confirmed match: byte offsets into the scanned (original, UTF-8) text, end exclusive.
struct finding {
  std::uint32_t rule = 0;   // index into ruleset::rules()
  std::uint32_t start = 0;
  std::uint32_t end = 0;

  friend bool operator==(const finding&, const finding&) = default;
};

}  // namespace sluice::engine
