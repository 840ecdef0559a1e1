#pragma once
// Base64 and hex runs found by `encoded` rules: widened to the whole run, decoded, and handed back for
// an injection re-scan. Attackers hide instructions this way ("decode this and follow it").
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/scanner.h"

namespace sluice::engine {

struct payload_run {
  std::size_t start;
  std::size_t end;
  std::uint32_t rule = 0;  // the encoded rule describing the run
};

// Shortest runs worth decoding: 24 base64 characters (18 bytes), 32 hex digits (16 bytes).
inline constexpr std::size_t min_base64_run = 24;
inline constexpr std::size_t min_hex_run = 32;

// Appends every maximal run of base64 characters of at least min_base64_run bytes (a run made only of
// hex digits and at least min_hex_run long counts as hex) to `out`. It probes one byte in every
// min_base64_run — any long enough run contains a probed byte — so ordinary prose costs a fraction of
// a pass. Runs whose kind has no rule in the catalog are skipped.
void find_encoded_runs(std::string_view text, const encoded_rule_ids& rules, std::vector<payload_run>& out);

// Decodes `run` into `out` (reused). False when it does not decode, or decodes to something that is
// not mostly printable UTF-8 text (binary blobs, hashes), which is not worth re-scanning.
[[nodiscard]] bool decode_payload(std::string_view run, std::string_view kind, std::string& out) noexcept;

}  // namespace sluice::engine
