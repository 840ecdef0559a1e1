#pragma once
// Base64 and hex runs found by `encoded` rules: widened to the whole run, decoded, and handed back for
// an injection re-scan. Attackers hide instructions this way ("decode this and follow it").
#include <cstddef>
#include <string>
#include <string_view>

namespace sluice::engine {

struct payload_run {
  std::size_t start;
  std::size_t end;
};

// The maximal run of `kind` ("base64" or "hex") characters around the byte before `end`.
[[nodiscard]] payload_run widen_payload_run(std::string_view text, std::size_t end,
                                            std::string_view kind) noexcept;

// Decodes `run` into `out` (reused). False when it does not decode, or decodes to something that is
// not mostly printable UTF-8 text (binary blobs, hashes), which is not worth re-scanning.
[[nodiscard]] bool decode_payload(std::string_view run, std::string_view kind, std::string& out) noexcept;

}  // namespace sluice::engine
