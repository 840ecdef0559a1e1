// Reads engine/rules/**/*.yaml into rule structs. Load time only, so errors are exceptions; each names
// the file, line and column (yaml-cpp marks are 0-based; we print 1-based like editors do).
#include "sluice/engine/rule_catalog.h"

#include <yaml-cpp/yaml.h>

#include <hs/hs.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace sluice::engine {
namespace {

[[noreturn]] void fail(const std::string& source, const YAML::Node& node, const std::string& what) {
  const YAML::Mark mark = node.Mark();
  std::ostringstream msg;
  msg << source << ":" << (mark.line + 1) << ":" << (mark.column + 1) << ": " << what;
  throw catalog_error(msg.str());
}

std::string scalar(const std::string& source, const YAML::Node& node, const char* key) {
  if (!node.IsScalar()) {
    fail(source, node, std::string("'") + key + "' must be a string");
  }
  return node.Scalar();
}

rule_kind parse_kind(const std::string& source, const YAML::Node& node) {
  const std::string k = scalar(source, node, "kind");
  if (k == "pii") return rule_kind::pii;
  if (k == "secret") return rule_kind::secret;
  if (k == "injection") return rule_kind::injection;
  if (k == "content") return rule_kind::content;
  if (k == "encoded") return rule_kind::encoded;
  fail(source, node, "unknown kind '" + k + "' (expected pii, secret, injection, content or encoded)");
}

unsigned parse_flags(const std::string& source, const YAML::Node& node) {
  if (!node.IsSequence()) {
    fail(source, node, "'flags' must be a list");
  }
  unsigned flags = 0;
  for (const auto& item : node) {
    const std::string f = scalar(source, item, "flags");
    if (f == "caseless") flags |= HS_FLAG_CASELESS;
    else if (f == "dotall") flags |= HS_FLAG_DOTALL;
    else if (f == "multiline") flags |= HS_FLAG_MULTILINE;
    else if (f == "utf8") flags |= HS_FLAG_UTF8;
    else if (f == "ucp") flags |= HS_FLAG_UCP | HS_FLAG_UTF8;
    else if (f == "singlematch") flags |= HS_FLAG_SINGLEMATCH;
    else fail(source, item, "unknown flag '" + f + "'");
  }
  return flags;
}

void parse_examples(const std::string& source, const YAML::Node& node, rule& r) {
  if (!node.IsMap()) {
    fail(source, node, "'examples' must be a map with 'positive' and/or 'negative'");
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    std::vector<rule_example>* target = nullptr;
    if (key == "positive") target = &r.positives;
    else if (key == "negative") target = &r.negatives;
    else fail(source, entry.first, "unknown examples key '" + key + "'");
    if (!entry.second.IsSequence()) {
      fail(source, entry.second, "'" + key + "' must be a list of strings");
    }
    for (const auto& ex : entry.second) {
      target->push_back(rule_example{scalar(source, ex, key.c_str())});
    }
  }
}

void parse_context(const std::string& source, const YAML::Node& node, rule& r) {
  if (!node.IsMap()) {
    fail(source, node, "'context' must be a map with mode, window, words and same_clause");
  }
  r.context = context_mode::required;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (key == "mode") {
      const std::string m = scalar(source, entry.second, "mode");
      if (m == "required") r.context = context_mode::required;
      else fail(source, entry.second, "context mode must be 'required'");
    } else if (key == "window") {
      try {
        const int w = entry.second.as<int>();
        if (w <= 0 || w > 4096) {
          fail(source, entry.second, "context window must be between 1 and 4096 bytes");
        }
        r.context_window = static_cast<std::uint32_t>(w);
      } catch (const YAML::BadConversion&) {
        fail(source, entry.second, "context window must be a number");
      }
    } else if (key == "same_clause") {
      const std::string v = scalar(source, entry.second, "same_clause");
      if (v == "true") r.context_same_clause = true;
      else if (v == "false") r.context_same_clause = false;
      else fail(source, entry.second, "same_clause must be true or false");
    } else if (key == "words") {
      if (!entry.second.IsSequence() || entry.second.size() == 0) {
        fail(source, entry.second, "context words must be a non-empty list");
      }
      for (const auto& w : entry.second) {
        r.context_words.push_back(scalar(source, w, "words"));
      }
    } else {
      fail(source, entry.first, "unknown context key '" + key + "'");
    }
  }
  if (r.context_words.empty()) {
    fail(source, node, "context needs 'words'");
  }
}

// A stream size in bytes: a number from 1 to 65536.
std::uint32_t byte_count(const std::string& source, const YAML::Node& node, const std::string& key) {
  int n = 0;
  try {
    n = node.as<int>();
  } catch (const YAML::BadConversion&) {
    fail(source, node, key + " must be a number");
  }
  if (n <= 0 || n > 65536) {
    fail(source, node, key + " must be between 1 and 65536 bytes");
  }
  return static_cast<std::uint32_t>(n);
}

void parse_stream(const std::string& source, const YAML::Node& node, rule& r) {
  if (!node.IsMap()) {
    fail(source, node, "'stream' must be a map with 'charset' and optional 'lead', 'max_width' and 'digit_within'");
  }
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (key == "charset") r.stream_charset_spec = scalar(source, entry.second, "charset");
    else if (key == "lead") {
      // One literal, or a list of them when the pattern starts with one of several words.
      if (entry.second.IsSequence()) {
        for (const auto& item : entry.second) {
          r.stream_leads.push_back(scalar(source, item, "lead"));
        }
      } else {
        r.stream_leads.push_back(scalar(source, entry.second, "lead"));
      }
      if (std::erase_if(r.stream_leads, [](const std::string& l) { return l.empty(); }) > 0 &&
          entry.second.IsSequence()) {
        fail(source, entry.second, "a lead in the list is empty");
      }
    }
    else if (key == "max_width") r.stream_max_width = byte_count(source, entry.second, "max_width");
    else if (key == "digit_within") r.stream_digit_within = byte_count(source, entry.second, "digit_within");
    else fail(source, entry.first, "unknown stream key '" + key + "'");
  }
}

// `prefilter: '…'`, or for a signature `prefilter: ['…', '…']`: parts in the order a match holds them.
void parse_prefilter(const std::string& source, const YAML::Node& value, rule& r) {
  if (!value.IsSequence()) {
    r.prefilter = scalar(source, value, "prefilter");
    return;
  }
  if (value.size() == 0) {
    fail(source, value, "'prefilter' list is empty");
  }
  for (const auto& part : value) {
    r.prefilter_parts.push_back(scalar(source, part, "prefilter"));
  }
}

rule parse_rule(const std::string& source, const YAML::Node& node) {
  if (!node.IsMap()) {
    fail(source, node, "each rule must be a map");
  }
  rule r;
  r.source_file = source;
  r.source_line = node.Mark().line + 1;
  bool has_pattern = false;
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    const YAML::Node& value = entry.second;
    if (key == "id") r.id = scalar(source, value, "id");
    else if (key == "kind") r.kind = parse_kind(source, value);
    else if (key == "entity") r.entity = scalar(source, value, "entity");
    else if (key == "pattern") { r.pattern = scalar(source, value, "pattern"); has_pattern = true; }
    else if (key == "prefilter") parse_prefilter(source, value, r);
    else if (key == "flags") r.hs_flags = parse_flags(source, value);
    else if (key == "validator") {
      const std::string v = scalar(source, value, "validator");
      const auto kind = validator_from_string(v);
      if (!kind) {
        fail(source, value, "unknown validator '" + v + "'");
      }
      r.validator = *kind;
    } else if (key == "context") parse_context(source, value, r);
    else if (key == "weight") {
      try {
        r.weight = value.as<double>();
      } catch (const YAML::BadConversion&) {
        fail(source, value, "weight must be a number");
      }
      if (r.weight < 0 || r.weight > 1) {
        fail(source, value, "weight must be between 0 and 1");
      }
    } else if (key == "language") r.language = scalar(source, value, "language");
    else if (key == "model_covered") {
      try {
        r.model_covered = value.as<bool>();
      } catch (const YAML::BadConversion&) {
        fail(source, value, "model_covered must be true or false");
      }
    }
    else if (key == "report") {
      const std::string v = scalar(source, value, "report");
      if (v != "through_last_digit") {
        fail(source, value, "report must be through_last_digit");
      }
      r.report_through_last_digit = true;
    }
    else if (key == "stream") parse_stream(source, value, r);
    else if (key == "examples") parse_examples(source, value, r);
    else if (key == "description" || key == "notes") { /* documentation only */ }
    else fail(source, entry.first, "unknown rule key '" + key + "'");
  }
  if (r.id.empty()) fail(source, node, "rule has no 'id'");
  if (!has_pattern || r.pattern.empty()) fail(source, node, "rule '" + r.id + "' has no 'pattern'");
  if (r.entity.empty()) fail(source, node, "rule '" + r.id + "' has no 'entity'");
  const bool redacts = r.kind == rule_kind::pii || r.kind == rule_kind::secret;
  if (redacts && !r.prefilter_parts.empty()) {
    fail(source, node["prefilter"], "rule '" + r.id + "' (pii/secret): 'prefilter' is one pattern, not a list");
  }
  if (!redacts && !r.prefilter.empty()) {
    r.prefilter_parts = {std::move(r.prefilter)};  // a signature's one written part
    r.prefilter.clear();
  }
  if (r.model_covered && r.kind != rule_kind::injection) {
    fail(source, node["model_covered"], "rule '" + r.id + "': 'model_covered' applies to injection signatures only");
  }
  if (redacts && r.stream_charset_spec.empty()) {
    fail(source, node, "rule '" + r.id + "' (pii/secret) needs 'stream: {charset: ...}'");
  }
  return r;
}

}  // namespace

std::vector<rule> parse_rule_file(const std::string& yaml_text, const std::string& source_name) {
  YAML::Node doc;
  try {
    doc = YAML::Load(yaml_text);
  } catch (const YAML::ParserException& e) {
    std::ostringstream msg;
    msg << source_name << ":" << (e.mark.line + 1) << ":" << (e.mark.column + 1) << ": " << e.msg;
    throw catalog_error(msg.str());
  }
  std::vector<rule> rules;
  if (doc.IsNull()) {
    return rules;
  }
  if (!doc.IsMap() || !doc["rules"]) {
    fail(source_name, doc, "a rule file is a map with a 'rules' list");
  }
  const YAML::Node list = doc["rules"];
  if (!list.IsSequence()) {
    fail(source_name, list, "'rules' must be a list");
  }
  for (const auto& node : list) {
    rules.push_back(parse_rule(source_name, node));
  }
  return rules;
}

std::vector<rule> load_rule_catalog(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw catalog_error(dir.string() + ": not a directory of rule files");
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<rule> rules;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      throw catalog_error(file.string() + ": cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    // Errors name the file relative to the catalog, so messages are the same on every machine.
    auto parsed = parse_rule_file(text.str(), fs::relative(file, dir).string());
    for (auto& r : parsed) {
      rules.push_back(std::move(r));
    }
  }
  return rules;
}

}  // namespace sluice::engine
