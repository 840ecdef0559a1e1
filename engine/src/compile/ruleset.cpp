// Compiles the rule list into one Hyperscan rule list, built as a block database and a stream database,
// with a serialized cache keyed by a hash of everything that affects the compiled bytes.
#include "sluice/engine/ruleset.h"

#include <openssl/evp.h>

#include <chrono>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <unordered_set>

#include "compile/prefilter_derivation.h"
#include "compile/signature_databases.h"
#include "text/ascii_text.h"
#include "sluice/engine/rule_catalog.h"

namespace sluice::engine {
namespace {

constexpr unsigned stream_mode = HS_MODE_STREAM;

bool is_entity(rule_kind k) { return k == rule_kind::pii || k == rule_kind::secret; }

std::string escape_literal(const std::string& word) {
  std::string out;
  for (char c : word) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      out.push_back(c);
    } else if (c == ' ') {
      out += "\\s+";
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  return out;
}

// Context words become one generated rule per owning rule: `\b(?:w1|w2)`, case-insensitive. A word
// that does not start with an ASCII letter or digit (出生, 生年月日) goes without `\b`: between two CJK
// characters there is no word boundary in Hyperscan's (ASCII) sense.
rule make_context_rule(const rule& owner) {
  rule c;
  c.id = owner.id + "#context";
  c.kind = rule_kind::context;
  c.entity = owner.entity;
  c.hs_flags = HS_FLAG_CASELESS;
  std::string bounded, unbounded;
  for (const std::string& word : owner.context_words) {
    std::string& group = std::isalnum(static_cast<unsigned char>(word[0])) ? bounded : unbounded;
    if (!group.empty()) {
      group += '|';
    }
    group += escape_literal(word);
  }
  if (!bounded.empty()) {
    c.pattern = "\\b(?:" + bounded + ")";
  }
  if (!unbounded.empty()) {
    c.pattern += (c.pattern.empty() ? "(?:" : "|(?:") + unbounded + ")";
  }
  c.source_file = owner.source_file;
  c.source_line = owner.source_line;
  return c;
}

unsigned main_flags(const rule& r) {
  unsigned flags = r.hs_flags;
  // Injection and content rules run on normalized text, where case carries no meaning.
  if (r.kind == rule_kind::injection || r.kind == rule_kind::content) {
    flags |= HS_FLAG_CASELESS;
  }
  return flags;
}

unsigned confirm_flags(const rule& r) { return r.hs_flags | HS_FLAG_SOM_LEFTMOST; }

struct compiled_list {
  std::vector<const char*> patterns;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
};

// What each rule contributes to the main list: entities their prefilter (or pattern); injection and
// content rules their prefilter parts (written, or derived from the pattern) when they qualify, which are
// listed after the rules with ids from `rules.size()` on, recording the exact pattern for per-signature
// confirmation; a rule without parts is matched whole.
struct main_entries {
  std::vector<std::string> patterns;  // one per rule
  std::vector<bool> prefiltered;      // the rule is found through its parts
  std::vector<std::string> part_patterns;
  std::vector<signature_part> parts;
  // Parts that are plain word lists share their words (see share_part_words): each distinct word, with
  // its flags, is one expression, listed after the parts; a hit of word w stands for a hit of each of
  // word_parts[word_first[w] .. word_first[w + 1]).
  std::vector<bool> part_by_words;
  std::vector<std::string> word_patterns;
  std::vector<unsigned> word_flags;
  std::vector<std::uint32_t> word_first;
  std::vector<std::uint32_t> word_parts;
};

// Hyperscan reports a literal once per expression that holds it: "answer", in twelve parts, cost twelve
// reports and twelve callbacks at every occurrence (about 6,000 per 64 KiB of prose, against 2,300
// occurrences of part words). So every plain word list is split into its words, each distinct word
// (caseless words in lower case) becomes one expression, and its hit is handed to each of its parts.
void share_part_words(const std::vector<rule>& rules, main_entries& out) {
  std::map<std::pair<std::string, unsigned>, std::vector<std::uint32_t>> words;
  out.part_by_words.assign(out.parts.size(), false);
  for (std::uint32_t j = 0; j < out.parts.size(); ++j) {
    const unsigned flags = main_flags(rules[out.parts[j].rule]);
    const std::vector<std::string> list = detail::plain_part_words(out.part_patterns[j]);
    if (list.empty()) {
      continue;
    }
    out.part_by_words[j] = true;
    for (std::string word : list) {
      if ((flags & HS_FLAG_CASELESS) != 0) {
        std::transform(word.begin(), word.end(), word.begin(), detail::to_lower);
      }
      auto& parts = words[{word, flags}];
      if (parts.empty() || parts.back() != j) {
        parts.push_back(j);
      }
    }
  }
  for (const auto& [key, parts] : words) {
    out.word_patterns.push_back(key.first);
    out.word_flags.push_back(key.second);
    out.word_first.push_back(static_cast<std::uint32_t>(out.word_parts.size()));
    out.word_parts.insert(out.word_parts.end(), parts.begin(), parts.end());
  }
  out.word_first.push_back(static_cast<std::uint32_t>(out.word_parts.size()));
}

main_entries main_patterns(const std::vector<rule>& rules, std::vector<detail::signature_source>& signatures) {
  main_entries out;
  out.patterns.resize(rules.size());
  out.prefiltered.assign(rules.size(), false);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const rule& r = rules[i];
    out.patterns[i] = r.pattern;
    if (is_entity(r.kind)) {
      if (!r.prefilter.empty()) {
        out.patterns[i] = r.prefilter;
      }
    } else if (r.kind == rule_kind::injection || r.kind == rule_kind::content) {
      const std::optional<detail::prefilter_plan> plan = detail::signature_prefilter(r);
      if (!plan) {
        continue;
      }
      out.prefiltered[i] = true;
      signatures.push_back({static_cast<std::uint32_t>(i), r.pattern, main_flags(r)});
      for (const auto& branch : plan->branches) {
        const auto first = static_cast<std::uint32_t>(out.parts.size());
        for (const auto& part : branch) {
          out.parts.push_back({static_cast<std::uint32_t>(i), first, static_cast<std::uint32_t>(branch.size()), r.kind});
          out.part_patterns.push_back(part);
        }
      }
    }
  }
  share_part_words(rules, out);
  return out;
}

// \xff never occurs in valid UTF-8, and every scanned text is validated first.
constexpr const char* never_matches = "\\xff\\xfe\\xff\\xfe";

// The main list: every rule by its main pattern, then the prefilter parts. No start-of-match: it is
// what makes the main scan fast. A part reports every hit; the scanner confirms a signature in a window
// where all parts of one of its branches occur (scanner.cpp). Encoded runs are found by the scanner's own
// run finder (encoded_payload.h): a wide class repeated 24 times in the database cost more than the rest
// of the catalog together.
//
// The stream list has no parts and leaves injection signatures out (they never match there): streamed
// responses are governed by entities and content terms only, and every engine in a stream database costs
// stream state and time on each write. Content terms are matched whole there, since the stream redactor
// reports them without a confirmation step.
//
// Two halves of the block list serve scans that want only one side: the entity list (entity
// prefilters and context words; a scan for a pii-detector alone runs at the PII catalog's own speed)
// and the text-rule list (injection and content rules and the parts; the pass over normalized text,
// and decoded payloads). A third, the content list (content rules, their parts and the words those
// parts use), serves a content-filter without prompt-injection: the injection vocabulary is most of a
// text-rule scan. Left-out rules keep their ids with a pattern that never matches.
enum class main_half : std::uint8_t { all, entities, text_rules, content };

compiled_list make_main_list(const std::vector<rule>& rules, const main_entries& entries, bool for_stream,
                             main_half half = main_half::all) {
  compiled_list list;
  const auto in_half = [&](rule_kind kind) {
    if (half == main_half::content) {
      return kind == rule_kind::content;
    }
    const bool entity_side = is_entity(kind) || kind == rule_kind::context;
    return half == main_half::all || (half == main_half::entities) == entity_side;
  };
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const rule& r = rules[i];
    const bool left_out = r.kind == rule_kind::encoded || (for_stream && r.kind == rule_kind::injection) ||
                          (!for_stream && entries.prefiltered[i]) || !in_half(r.kind);
    const std::string& pattern = for_stream && r.kind == rule_kind::content ? r.pattern : entries.patterns[i];
    list.patterns.push_back(left_out ? never_matches : pattern.c_str());
    list.flags.push_back(left_out ? 0 : main_flags(r));
    list.ids.push_back(static_cast<unsigned>(i));
  }
  if (!for_stream && half != main_half::entities) {
    for (std::size_t j = 0; j < entries.parts.size(); ++j) {
      if (entries.part_by_words[j] || !in_half(entries.parts[j].kind)) {
        continue;  // found through its words, below; or of a rule outside this half
      }
      list.patterns.push_back(entries.part_patterns[j].c_str());
      list.flags.push_back(main_flags(rules[entries.parts[j].rule]));
      list.ids.push_back(static_cast<unsigned>(rules.size() + j));
    }
    for (std::size_t w = 0; w < entries.word_patterns.size(); ++w) {
      const bool used = std::any_of(entries.word_parts.begin() + entries.word_first[w],
                                    entries.word_parts.begin() + entries.word_first[w + 1],
                                    [&](std::uint32_t j) { return in_half(entries.parts[j].kind); });
      if (!used) {
        continue;
      }
      list.patterns.push_back(entries.word_patterns[w].c_str());
      list.flags.push_back(entries.word_flags[w]);
      list.ids.push_back(static_cast<unsigned>(rules.size() + entries.parts.size() + w));
    }
  }
  return list;
}

compiled_list make_signature_list(const std::vector<detail::signature_source>& sources) {
  compiled_list list;
  for (const auto& src : sources) {
    list.patterns.push_back(src.pattern.c_str());
    list.flags.push_back(src.flags);
    list.ids.push_back(src.rule);
  }
  return list;
}

// The confirmation sources: each entity rule's exact pattern, with leftmost start of match, compiled
// into a database of its own.
std::vector<detail::signature_source> make_confirm_sources(const std::vector<rule>& rules) {
  std::vector<detail::signature_source> sources;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (is_entity(rules[i].kind)) {
      sources.push_back({static_cast<std::uint32_t>(i), rules[i].pattern, confirm_flags(rules[i])});
    }
  }
  return sources;
}

hs_database_t* compile_database(const std::vector<rule>& rules, const compiled_list& list,
                                unsigned mode) {
  if (list.patterns.empty()) {
    // Hyperscan refuses an empty list; a pattern that cannot match keeps the code paths uniform.
    static const unsigned flags = 0;
    static const unsigned id = 0xfffffffeu;
    compiled_list placeholder{{never_matches}, {flags}, {id}};
    return compile_database(rules, placeholder, mode);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  const hs_error_t rc = hs_compile_multi(list.patterns.data(), list.flags.data(), list.ids.data(),
                                         static_cast<unsigned>(list.patterns.size()), mode, nullptr,
                                         &db, &err);
  if (rc != HS_SUCCESS) {
    std::string message = err != nullptr ? err->message : "compile failed";
    const int index = err != nullptr ? err->expression : -1;
    hs_free_compile_error(err);
    if (index >= 0 && static_cast<std::size_t>(index) < rules.size()) {
      const rule& r = rules[static_cast<std::size_t>(index)];
      throw compile_error(r.id, r.source_file, r.source_line, message);
    }
    throw compile_error("(database)", "(all rules)", 0, message);
  }
  return db;
}

std::string hex(const unsigned char* bytes, std::size_t n) {
  static const char digits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[bytes[i] >> 4]);
    out.push_back(digits[bytes[i] & 15]);
  }
  return out;
}

// Everything that changes the compiled bytes: Hyperscan's version, the host platform it targets, the
// modes, and each pattern with its flags and id.
std::string cache_key(std::initializer_list<const compiled_list*> lists) {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  std::ostringstream material;
  material << hs_version() << '\n'
           << platform.tune << ' ' << platform.cpu_features << '\n'
           << stream_mode << '\n';
  for (const compiled_list* list : lists) {
    material << "list " << list->patterns.size() << '\n';
    for (std::size_t i = 0; i < list->patterns.size(); ++i) {
      material << list->ids[i] << ' ' << list->flags[i] << ' ' << list->patterns[i] << '\n';
    }
  }
  const std::string text = material.str();
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  return hex(digest, len);
}

hs_database_t* read_cached(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return nullptr;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(bytes.data(), bytes.size(), &db) != HS_SUCCESS) {
    return nullptr;  // stale or damaged: recompile and overwrite
  }
  return db;
}

void write_cached(const std::filesystem::path& file, const hs_database_t* db) {
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) {
    return;
  }
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  // Write then rename, so a concurrent reader never sees half a database.
  const auto tmp = file.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes, static_cast<std::streamsize>(length));
  }
  std::free(bytes);
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
  }
}

// The stream charset is written as one Hyperscan character class; its exact byte set is found by
// asking Hyperscan which of the 256 single bytes it matches.
std::bitset<256> charset_bits(const rule& r) {
  const std::string pattern = "^" + r.stream_charset_spec + "$";
  const unsigned flags = HS_FLAG_DOTALL | HS_FLAG_SINGLEMATCH | (r.hs_flags & HS_FLAG_CASELESS);
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile(pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    const std::string message = err != nullptr ? err->message : "invalid";
    hs_free_compile_error(err);
    throw compile_error(r.id, r.source_file, r.source_line,
                        "stream charset '" + r.stream_charset_spec + "' is not a character class: " +
                            message);
  }
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  std::bitset<256> bits;
  for (int b = 0; b < 256; ++b) {
    const char byte = static_cast<char>(b);
    bool hit = false;
    hs_scan(db, &byte, 1, 0, scratch,
            [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) -> int {
              *static_cast<bool*>(ctx) = true;
              return 1;
            },
            &hit);
    bits[static_cast<std::size_t>(b)] = hit;
  }
  hs_free_scratch(scratch);
  hs_free_database(db);
  return bits;
}

}  // namespace

std::shared_ptr<const ruleset> ruleset::compile(std::vector<rule> rules, const compile_options& options) {
  const auto started = std::chrono::steady_clock::now();
  std::shared_ptr<ruleset> set(new ruleset());
  set->stats_.rule_count = rules.size();

  std::unordered_set<std::string> ids;
  for (const auto& r : rules) {
    if (r.kind == rule_kind::context) {
      throw compile_error(r.id, r.source_file, r.source_line, "kind 'context' is generated, not written");
    }
    if (!ids.insert(r.id).second) {
      throw compile_error(r.id, r.source_file, r.source_line, "duplicate rule id");
    }
  }
  const std::size_t catalog_size = rules.size();
  set->context_of_.assign(catalog_size, npos);
  for (std::size_t i = 0; i < catalog_size; ++i) {
    if (rules[i].context == context_mode::required) {
      set->context_of_[i] = static_cast<std::uint32_t>(rules.size());
      rules.push_back(make_context_rule(rules[i]));
    }
  }
  set->context_of_.resize(rules.size(), npos);
  set->rules_ = std::move(rules);
  set->stats_.pattern_count = set->rules_.size();

  // Per-rule stream bounds: width from Hyperscan's own analysis, charset from the rule.
  set->bounds_.resize(set->rules_.size());
  for (std::size_t i = 0; i < set->rules_.size(); ++i) {
    const rule& r = set->rules_[i];
    if (r.kind != rule_kind::pii && r.kind != rule_kind::secret) {
      continue;
    }
    hs_expr_info_t* info = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_expression_info(r.pattern.c_str(), confirm_flags(r), &info, &err) != HS_SUCCESS) {
      const std::string message = err != nullptr ? err->message : "invalid pattern";
      hs_free_compile_error(err);
      throw compile_error(r.id, r.source_file, r.source_line, message);
    }
    unsigned max_width = info->max_width;
    std::free(info);
    if (max_width == UINT_MAX && r.stream_max_width == 0) {
      throw compile_error(r.id, r.source_file, r.source_line,
                          "pattern has no maximum width: give 'stream: {max_width: N}' so the stream "
                          "hold-back stays bounded");
    }
    if (r.stream_max_width != 0) {
      max_width = std::min(max_width, r.stream_max_width);
    }
    stream_bound& b = set->bounds_[i];
    b.max_width = max_width;
    b.digit_within = r.stream_digit_within;
    b.caseless = (r.hs_flags & HS_FLAG_CASELESS) != 0;
    b.leads = r.stream_leads;
    for (std::string& l : b.leads) {
      if (b.caseless) {
        std::transform(l.begin(), l.end(), l.begin(), detail::to_lower);
      }
      b.lead_first.set(static_cast<unsigned char>(l.front()));
      if (b.caseless) {
        b.lead_first.set(static_cast<unsigned char>(detail::to_upper(l.front())));
      }
    }
    b.charset = charset_bits(r);
    set->max_redaction_width_ = std::max(set->max_redaction_width_, max_width);
    if (r.context == context_mode::required) {
      set->max_context_window_ = std::max(set->max_context_window_, r.context_window);
      b.context_gated = true;
      b.context_rules = {set->context_of_[i]};
      b.context_window = r.context_window;
    }
    bool grouped = false;
    for (auto& g : set->hold_groups_) {
      if (g.charset == b.charset && g.leads == b.leads && g.caseless == b.caseless &&
          g.digit_within == b.digit_within) {
        g.max_width = std::max(g.max_width, b.max_width);
        // The group can wait for a context word only if every rule in it needs one.
        g.context_gated = g.context_gated && b.context_gated;
        if (g.context_gated) {
          g.context_rules.insert(g.context_rules.end(), b.context_rules.begin(), b.context_rules.end());
          g.context_window = std::max(g.context_window, b.context_window);
        } else {
          g.context_rules.clear();
        }
        grouped = true;
      }
    }
    if (!grouped) {
      set->hold_groups_.push_back(b);
    }
  }
  set->hold_group_bytes_.assign((set->hold_groups_.size() + 63) / 64, {});
  for (std::size_t g = 0; g < set->hold_groups_.size(); ++g) {
    for (std::size_t c = 0; c < 256; ++c) {
      if (set->hold_groups_[g].charset[c]) {
        set->hold_group_bytes_[g / 64][c] |= std::uint64_t{1} << (g % 64);
      }
    }
  }

  // Without content rules there is no content database (content_database() null, has_content_rules()
  // false): a content scan has nothing to run.
  const bool has_content = std::any_of(set->rules_.begin(), set->rules_.end(),
                                       [](const rule& r) { return r.kind == rule_kind::content; });

  std::vector<detail::signature_source> signature_sources;
  const main_entries entries = main_patterns(set->rules_, signature_sources);
  set->parts_ = entries.parts;
  set->parts_of_rule_.assign(set->rules_.size(), {0, 0});
  for (std::uint32_t j = 0; j < set->parts_.size(); ++j) {  // a rule's parts are consecutive
    auto& range = set->parts_of_rule_[set->parts_[j].rule];
    range.first = range.second == 0 ? j : range.first;
    ++range.second;
  }
  set->word_first_ = entries.word_first;
  set->word_parts_ = entries.word_parts;
  const compiled_list main_list = make_main_list(set->rules_, entries, false);
  const compiled_list stream_list = make_main_list(set->rules_, entries, true);
  const compiled_list entity_list = make_main_list(set->rules_, entries, false, main_half::entities);
  const compiled_list text_list = make_main_list(set->rules_, entries, false, main_half::text_rules);
  const compiled_list content_list =
      has_content ? make_main_list(set->rules_, entries, false, main_half::content) : compiled_list{};
  const std::vector<detail::signature_source> confirm_sources = make_confirm_sources(set->rules_);
  const compiled_list confirm_list = make_signature_list(confirm_sources);
  const compiled_list signature_list = make_signature_list(signature_sources);
  // Every list a cached database is built from: the halves too, whose contents code decides.
  set->stats_.cache_key =
      cache_key({&main_list, &stream_list, &entity_list, &text_list, &content_list, &confirm_list, &signature_list});
  struct slot {
    hs_database_t** db;
    const compiled_list* list;
    unsigned mode;
    const char* suffix;
  };
  std::vector<slot> slots = {{&set->block_db_, &main_list, HS_MODE_BLOCK, ".block.hsdb"},
                             {&set->stream_db_, &stream_list, stream_mode, ".stream.hsdb"},
                             {&set->entity_db_, &entity_list, HS_MODE_BLOCK, ".entities.hsdb"},
                             {&set->text_db_, &text_list, HS_MODE_BLOCK, ".text.hsdb"}};
  if (has_content) {
    slots.push_back({&set->content_db_, &content_list, HS_MODE_BLOCK, ".content.hsdb"});
  }
  bool all_cached = !options.cache_dir.empty();
  for (const auto& s : slots) {
    if (!options.cache_dir.empty()) {
      *s.db = read_cached(options.cache_dir / (set->stats_.cache_key + s.suffix));
    }
    all_cached = all_cached && *s.db != nullptr;
  }
  // Per-rule databases: the signatures' exact patterns, and the entities' with start of match.
  const auto build_per_rule = [&](const std::vector<detail::signature_source>& sources, const char* suffix) {
    auto dbs = std::make_unique<detail::signature_databases>();
    bool cached = false;
    try {
      dbs->build(sources, set->rules_.size(),
                 options.cache_dir.empty() ? std::filesystem::path()
                                           : options.cache_dir / (set->stats_.cache_key + suffix),
                 cached);
    } catch (const std::runtime_error& e) {
      // Name the rule as the other compile errors do.
      const std::string what = e.what();
      const auto hash = what.find('#');
      const auto index = hash == std::string::npos ? 0 : std::stoul(what.substr(hash + 1));
      const rule& r = set->rules_[index < set->rules_.size() ? index : 0];
      throw compile_error(r.id, r.source_file, r.source_line, what.substr(what.find(':') + 2));
    }
    all_cached = all_cached && cached;
    return dbs;
  };
  set->signatures_ = build_per_rule(signature_sources, ".signatures.hsdb");
  set->confirm_ = build_per_rule(confirm_sources, ".confirm.hsdbs");
  set->stats_.loaded_from_cache = all_cached;
  for (const auto& s : slots) {
    if (*s.db == nullptr) {
      *s.db = compile_database(set->rules_, *s.list, s.mode);
      if (!options.cache_dir.empty()) {
        write_cached(options.cache_dir / (set->stats_.cache_key + s.suffix), *s.db);
      }
    }
  }
  set->finish_setup();
  set->stats_.compile_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return set;
}

void ruleset::finish_setup() {
  if (hs_alloc_scratch(block_db_, &scratch_) != HS_SUCCESS ||
      hs_alloc_scratch(stream_db_, &scratch_) != HS_SUCCESS ||
      hs_alloc_scratch(entity_db_, &scratch_) != HS_SUCCESS || hs_alloc_scratch(text_db_, &scratch_) != HS_SUCCESS ||
      (content_db_ != nullptr && hs_alloc_scratch(content_db_, &scratch_) != HS_SUCCESS) ||
      !confirm_->grow_scratch(&scratch_)) {
    throw std::bad_alloc();
  }
  hs_database_size(block_db_, &stats_.block_database_bytes);
  hs_database_size(stream_db_, &stats_.stream_database_bytes);
  stats_.confirm_database_bytes = confirm_->total_bytes();
  if (!signatures_->grow_scratch(&scratch_)) {
    throw std::bad_alloc();
  }
  stats_.signature_databases = signatures_->count();
  stats_.signature_database_bytes = signatures_->total_bytes();
  hs_scratch_size(scratch_, &stats_.scratch_bytes);
  hs_stream_size(stream_db_, &stats_.stream_state_bytes);
}

std::shared_ptr<const ruleset> ruleset::load(const std::filesystem::path& rules_dir,
                                             const compile_options& options) {
  return compile(load_rule_catalog(rules_dir), options);
}

std::filesystem::path ruleset::default_rules_dir() {
  if (const char* dir = std::getenv("SLUICE_RULES_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return SLUICE_DEFAULT_RULES_DIR;
}

std::filesystem::path ruleset::default_cache_dir() {
  if (const char* dir = std::getenv("SLUICE_CACHE_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (const char* dir = std::getenv("XDG_CACHE_HOME"); dir != nullptr && *dir != '\0') {
    return std::filesystem::path(dir) / "sluice";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::filesystem::path(home) / ".cache" / "sluice";
  }
  return {};
}

const hs_database_t* ruleset::confirm_database(std::uint32_t id) const noexcept {
  return confirm_ ? confirm_->of(id) : nullptr;
}

const hs_database_t* ruleset::signature_database(std::uint32_t id) const noexcept {
  return signatures_ ? signatures_->of(id) : nullptr;
}

bool ruleset::signature_line_anchored(std::uint32_t id) const noexcept {
  return signatures_ && signatures_->line_anchored(id);
}

ruleset::~ruleset() {
  hs_free_scratch(scratch_);
  hs_free_database(block_db_);
  hs_free_database(stream_db_);
  hs_free_database(entity_db_);
  hs_free_database(text_db_);
  hs_free_database(content_db_);
}

}  // namespace sluice::engine
