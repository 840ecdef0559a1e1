#pragma once
// The compiled rule set. Every rule of the catalog goes into one Hyperscan rule list — entities (by their
// cheap prefilter), secrets, injection signatures, content terms, encoded runs and context words — which
// is compiled twice, as a block database for whole texts and a stream database for streamed text, so
// both report exactly the same matches. Entity matches found there are confirmed, with exact start and
// end, by one database per rule built from its exact pattern with leftmost start-of-match, run
// only on small windows around that rule's hits (docs/architecture.md explains why: start-of-match tracking over
// the whole text costs 10-30x in throughput). Immutable once built and shared read-only by every thread
// (`std::shared_ptr<const ruleset>`); a reload builds a new one.
#include <array>
#include <bitset>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <hs/hs.h>

#include "sluice/engine/rule.h"

namespace sluice::engine {

namespace detail {
class signature_databases;
}

// Raised while compiling (never while scanning): names the rule and where it was written.
class compile_error : public std::runtime_error {
 public:
  compile_error(std::string rule_id, std::string file, int line, const std::string& message)
      : std::runtime_error(file + ":" + std::to_string(line) + ": rule '" + rule_id + "': " + message),
        rule_id_(std::move(rule_id)), file_(std::move(file)), line_(line) {}
  [[nodiscard]] const std::string& rule_id() const noexcept { return rule_id_; }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] int line() const noexcept { return line_; }

 private:
  std::string rule_id_;
  std::string file_;
  int line_;
};

struct compile_options {
  // Directory for serialized databases keyed by a hash of the rules; empty disables the cache.
  std::filesystem::path cache_dir;
};

struct ruleset_stats {
  std::size_t rule_count = 0;          // catalog rules (without generated context rules)
  std::size_t pattern_count = 0;       // expressions in the database (with context rules)
  double compile_ms = 0;               // time to compile, or to load from the cache
  bool loaded_from_cache = false;
  std::size_t block_database_bytes = 0;
  std::size_t stream_database_bytes = 0;
  std::size_t confirm_database_bytes = 0;
  std::size_t signature_databases = 0;        // per-signature confirmation databases
  std::size_t signature_database_bytes = 0;
  std::size_t scratch_bytes = 0;       // one scratch serving every database
  std::size_t stream_state_bytes = 0;  // per open stream
  std::string cache_key;               // hex hash of the rule list and Hyperscan version
};

// One prefilter part of an injection or content signature (see prefilter_derivation.h): a pattern that
// occurs inside every match of one top-level branch of the signature. Parts have their own ids in the
// block database, from `ruleset::size()` on; a branch's parts are consecutive.
struct signature_part {
  std::uint32_t rule;          // the signature
  std::uint32_t branch_first;  // index of the first part of this part's branch
  std::uint32_t branch_size;   // how many parts that branch has
  rule_kind kind;              // the signature's kind, kept here so a hit need not touch the rule
};

// What the stream redactor needs to know of a pii/secret rule to bound its hold-back.
struct stream_bound {
  std::bitset<256> charset;     // every byte a match of the rule can contain
  std::vector<std::string> leads;  // every match starts with one of these (none: anywhere in the run)
  bool caseless = false;           // leads are stored in lower case and compared ignoring ASCII case
  std::bitset<256> lead_first;     // the bytes a lead can start with (both cases when caseless)
  std::uint32_t max_width = 0;  // longest match, from hs_expression_info
  std::uint32_t digit_within = 0;  // every match holds a digit among its first this many bytes (0: no rule)
  // Every match needs a hit of one of `context_rules` ending at most `context_window` bytes before its
  // start (rules with `context: {mode: required}`); a hold group has this only when all its rules do.
  bool context_gated = false;
  std::vector<std::uint32_t> context_rules;
  std::uint32_t context_window = 0;
};

class ruleset {
 public:
  // Compiles `rules` (validated: unique ids, known kinds, bounded widths for redaction rules).
  // Throws compile_error naming the rule id and file position of the first bad rule.
  [[nodiscard]] static std::shared_ptr<const ruleset> compile(std::vector<rule> rules,
                                                              const compile_options& options = {});
  // Loads every *.yaml under `rules_dir` and compiles it. Throws catalog_error or compile_error.
  [[nodiscard]] static std::shared_ptr<const ruleset> load(const std::filesystem::path& rules_dir,
                                                           const compile_options& options = {});
  // The rules directory in effect: $SLUICE_RULES_DIR if set, else the catalog shipped with the build.
  [[nodiscard]] static std::filesystem::path default_rules_dir();
  // Where compiled databases are cached: $SLUICE_CACHE_DIR, else $XDG_CACHE_HOME/sluice, else
  // ~/.cache/sluice; empty when none of these is set (no cache).
  [[nodiscard]] static std::filesystem::path default_cache_dir();

  ~ruleset();
  ruleset(const ruleset&) = delete;
  ruleset& operator=(const ruleset&) = delete;

  [[nodiscard]] const std::vector<rule>& rules() const noexcept { return rules_; }
  [[nodiscard]] const rule& at(std::uint32_t id) const noexcept { return rules_[id]; }
  [[nodiscard]] std::size_t size() const noexcept { return rules_.size(); }
  // Index of the generated context rule for rule `id`, or npos.
  [[nodiscard]] std::uint32_t context_rule_of(std::uint32_t id) const noexcept { return context_of_[id]; }
  [[nodiscard]] const stream_bound& bound(std::uint32_t id) const noexcept { return bounds_[id]; }
  // Distinct stream bounds (charset, lead) with the largest width among the pii/secret rules sharing
  // them: what a stream redactor checks to find how much text an open match could still claim.
  [[nodiscard]] const std::vector<stream_bound>& hold_groups() const noexcept { return hold_groups_; }
  // The same charsets by byte, 64 groups to a word: bit g % 64 of [g / 64][byte] is set when hold group
  // g's charset holds `byte` (so a stream tracks every group's run with one AND per byte).
  [[nodiscard]] const std::vector<std::array<std::uint64_t, 256>>& hold_group_bytes() const noexcept {
    return hold_group_bytes_;
  }
  // The longest context window any rule uses.
  [[nodiscard]] std::uint32_t max_context_window() const noexcept { return max_context_window_; }
  // The longest match any pii/secret rule allows: the upper bound of the stream hold-back.
  [[nodiscard]] std::uint32_t max_redaction_width() const noexcept { return max_redaction_width_; }
  // Whether the catalog holds any content-filter rule (the shipped one holds none: operators add theirs).
  [[nodiscard]] bool has_content_rules() const noexcept { return content_db_ != nullptr; }
  [[nodiscard]] const ruleset_stats& stats() const noexcept { return stats_; }

  [[nodiscard]] const hs_database_t* block_database() const noexcept { return block_db_; }
  [[nodiscard]] const hs_database_t* stream_database() const noexcept { return stream_db_; }
  // The block database's two halves, with the same ids: entity prefilters and context words only, and
  // injection/content rules with their parts only. For scans that want one side (a pii-detector alone,
  // the pass over normalized text, decoded payloads).
  [[nodiscard]] const hs_database_t* entity_database() const noexcept { return entity_db_; }
  [[nodiscard]] const hs_database_t* text_rules_database() const noexcept { return text_db_; }
  // The content rules alone (and the parts and words they use): for a content scan without injection.
  // Null when the catalog has no content rules.
  [[nodiscard]] const hs_database_t* content_database() const noexcept { return content_db_; }
  // A pii/secret rule's exact pattern with leftmost start of match, in a block database of its own,
  // for confirming the windows around that rule's own hits (null for other kinds). One database per
  // rule: a window is scanned only for the rule that needs it, as fast as its one pattern allows, and a
  // broad pattern (a 40-character base64 run, say) never runs over windows other rules open.
  [[nodiscard]] const hs_database_t* confirm_database(std::uint32_t id) const noexcept;
  // Whether the rule requires a context word (its windows open only where one is near).
  [[nodiscard]] bool context_gated(std::uint32_t id) const noexcept { return context_of_[id] != npos; }
  // The exact-pattern database of an injection/content rule whose main-scan entry is a prefilter, or
  // nullptr when the main database matches the rule whole.
  [[nodiscard]] const hs_database_t* signature_database(std::uint32_t id) const noexcept;
  // The prefilter part with block-database id `size() + index`.
  [[nodiscard]] const std::vector<signature_part>& signature_parts() const noexcept { return parts_; }
  // A signature's parts, which are consecutive: the index of its first and how many (0 for a rule
  // without parts).
  [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> parts_of_rule(std::uint32_t id) const noexcept {
    return parts_of_rule_[id];
  }
  // The block databases' ids from `size() + signature_parts().size()` on are shared part words: a hit of
  // word `w` is a hit of each part in parts_of_word(w), in increasing order.
  [[nodiscard]] std::span<const std::uint32_t> parts_of_word(std::size_t w) const noexcept {
    return {word_parts_.data() + word_first_[w], word_first_[w + 1] - word_first_[w]};
  }
  // Whether that rule's exact pattern uses `^`, so its confirmation windows start at a line start.
  [[nodiscard]] bool signature_line_anchored(std::uint32_t id) const noexcept;
  // The widest signature match that counts, and so how far either side of a prefilter hit a
  // signature's exact pattern is looked for.
  static constexpr std::uint32_t signature_window = 512;
  // A scratch sized for every database; scanners clone it (hs_clone_scratch), never share it.
  [[nodiscard]] const hs_scratch_t* prototype_scratch() const noexcept { return scratch_; }

  static constexpr std::uint32_t npos = 0xffffffffu;

 private:
  ruleset() = default;
  void finish_setup();

  std::vector<rule> rules_;  // catalog rules first, then generated context rules
  std::vector<std::uint32_t> context_of_;
  std::vector<stream_bound> bounds_;
  std::vector<stream_bound> hold_groups_;
  std::vector<std::array<std::uint64_t, 256>> hold_group_bytes_;
  std::uint32_t max_context_window_ = 0;
  std::uint32_t max_redaction_width_ = 0;
  hs_database_t* block_db_ = nullptr;
  hs_database_t* stream_db_ = nullptr;
  hs_database_t* entity_db_ = nullptr;
  hs_database_t* text_db_ = nullptr;
  hs_database_t* content_db_ = nullptr;
  std::unique_ptr<detail::signature_databases> confirm_;
  std::unique_ptr<detail::signature_databases> signatures_;
  std::vector<signature_part> parts_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> parts_of_rule_;
  std::vector<std::uint32_t> word_first_;  // see parts_of_word
  std::vector<std::uint32_t> word_parts_;
  hs_scratch_t* scratch_ = nullptr;
  ruleset_stats stats_;
};

}  // namespace sluice::engine
