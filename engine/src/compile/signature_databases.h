#pragma once
// One small block database per injection signature or content term whose main-scan entry is a derived
// prefilter (see prefilter_derivation.h). A prefilter hit is confirmed by scanning only that rule's exact
// pattern over a window around the hit. Separate per-rule databases keep each confirmation scan as fast
// as its own pattern (the same patterns combined in one database scanned prose at 0.04 GB/s).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <hs/hs.h>

namespace sluice::engine::detail {

struct signature_source {
  std::uint32_t rule;
  std::string pattern;
  unsigned flags;
};

class signature_databases {
 public:
  signature_databases() = default;
  ~signature_databases();
  signature_databases(const signature_databases&) = delete;
  signature_databases& operator=(const signature_databases&) = delete;

  // Compiles (or loads from `cache_file` when it exists and matches) one database per source.
  // `rule_count` sizes the lookup table. Throws std::runtime_error naming the rule index on failure.
  void build(const std::vector<signature_source>& sources, std::size_t rule_count,
             const std::filesystem::path& cache_file, bool& loaded_from_cache);

  // The rule's own database, or nullptr when the rule is scanned whole in the main database.
  [[nodiscard]] const hs_database_t* of(std::uint32_t rule) const noexcept {
    return rule < by_rule_.size() ? by_rule_[rule] : nullptr;
  }
  // Whether the rule's pattern uses `^` (start of text or, multiline, of a line): its confirmation
  // windows then start at a line start.
  [[nodiscard]] bool line_anchored(std::uint32_t rule) const noexcept {
    return rule < line_anchored_.size() && line_anchored_[rule] != 0;
  }
  // Grows `scratch` to serve every database here.
  [[nodiscard]] bool grow_scratch(hs_scratch_t** scratch) const noexcept;
  [[nodiscard]] std::size_t total_bytes() const noexcept;
  [[nodiscard]] std::size_t count() const noexcept { return owned_.size(); }

 private:
  std::vector<hs_database_t*> by_rule_;
  std::vector<hs_database_t*> owned_;
  std::vector<std::uint8_t> line_anchored_;
};

// Whether `pattern` contains `^` outside a character class and not escaped.
[[nodiscard]] bool uses_start_anchor(const std::string& pattern) noexcept;

}  // namespace sluice::engine::detail
