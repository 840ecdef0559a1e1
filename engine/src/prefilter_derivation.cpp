#include "prefilter_derivation.h"

#include <cctype>
#include <vector>

namespace sluice::engine::detail {
namespace {

struct piece {
  std::string_view text;  // the atom as written (group with its parentheses, or a literal run)
  bool group = false;
  bool required = true;
};

// Length of an escape sequence starting at s[i] == '\\'.
std::size_t escape_length(std::string_view s, std::size_t i) {
  if (i + 1 >= s.size()) {
    return 1;
  }
  const char c = s[i + 1];
  if (c == 'x' && i + 2 < s.size() && s[i + 2] == '{') {
    const auto close = s.find('}', i);
    return close == std::string_view::npos ? s.size() - i : close - i + 1;
  }
  if (c == 'x') {
    return std::min<std::size_t>(4, s.size() - i);
  }
  if (c == 'p' || c == 'P') {
    const auto close = s.find('}', i);
    return close == std::string_view::npos ? 2 : close - i + 1;
  }
  return 2;
}

// End (exclusive) of the character class starting at s[i] == '['.
std::size_t class_end(std::string_view s, std::size_t i) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '^') ++j;
  if (j < s.size() && s[j] == ']') ++j;
  while (j < s.size() && s[j] != ']') {
    j += s[j] == '\\' ? escape_length(s, j) : 1;
  }
  return std::min(j + 1, s.size());
}

// End (exclusive) of the group starting at s[i] == '('.
std::size_t group_end(std::string_view s, std::size_t i) {
  int depth = 0;
  std::size_t j = i;
  while (j < s.size()) {
    const char c = s[j];
    if (c == '\\') { j += escape_length(s, j); continue; }
    if (c == '[') { j = class_end(s, j); continue; }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return j + 1;
    ++j;
  }
  return s.size();
}

// Reads a quantifier at s[i]; returns its length and whether it allows zero repetitions.
std::size_t quantifier(std::string_view s, std::size_t i, bool& optional) {
  optional = false;
  if (i >= s.size()) return 0;
  std::size_t len = 0;
  if (s[i] == '?' || s[i] == '*') { optional = true; len = 1; }
  else if (s[i] == '+') { len = 1; }
  else if (s[i] == '{') {
    const auto close = s.find('}', i);
    if (close == std::string_view::npos) return 0;
    const std::string_view body = s.substr(i + 1, close - i - 1);
    if (body.empty() || !std::isdigit(static_cast<unsigned char>(body[0]))) return 0;
    optional = body[0] == '0' && (body.size() == 1 || body[1] == ',');
    len = close - i + 1;
  } else {
    return 0;
  }
  if (i + len < s.size() && (s[i + len] == '?' || s[i + len] == '+')) ++len;  // lazy / possessive
  return len;
}

bool is_literal_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80 || c == ' ' || c == '_' || c == '-' || c == '\'' || c == ',' ||
         c == ':' || c == '<' || c == '>' || c == '=' || c == '"' || c == '!' || c == '@' || c == '#' ||
         c == '%' || c == '&' || c == '~' || c == ';' || c == '/';
}

// Splits `s` at top-level '|'.
std::vector<std::string_view> alternatives(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  std::size_t j = 0;
  while (j < s.size()) {
    const char c = s[j];
    if (c == '\\') { j += escape_length(s, j); continue; }
    if (c == '[') { j = class_end(s, j); continue; }
    if (c == '(') { j = group_end(s, j); continue; }
    if (c == '|') { out.push_back(s.substr(start, j - start)); start = j + 1; }
    ++j;
  }
  out.push_back(s.substr(start));
  return out;
}

// Literal bytes an alternative starts with (stops at the first metacharacter).
std::size_t literal_prefix(std::string_view alt) {
  std::size_t n = 0;
  for (std::size_t j = 0; j < alt.size(); ++j) {
    if (!is_literal_byte(alt[j])) {
      // A following quantifier makes the last literal optional.
      if ((alt[j] == '?' || alt[j] == '*' || alt[j] == '{') && n > 0) --n;
      break;
    }
    ++n;
  }
  return n;
}

std::vector<piece> top_level_pieces(std::string_view s) {
  std::vector<piece> out;
  std::size_t j = 0;
  while (j < s.size()) {
    const char c = s[j];
    std::size_t end = j + 1;
    bool group = false;
    if (c == '\\') end = j + escape_length(s, j);
    else if (c == '[') end = class_end(s, j);
    else if (c == '(') { end = group_end(s, j); group = true; }
    else if (is_literal_byte(c)) {
      // A run of literal bytes; a quantifier binds only to the last one, which is then left out.
      while (end < s.size() && is_literal_byte(s[end])) ++end;
      bool optional = false;
      if (quantifier(s, end, optional) > 0 && end - j > 1) {
        --end;
      }
    }
    bool optional = false;
    const std::size_t q = quantifier(s, end, optional);
    out.push_back({s.substr(j, end - j), group, !optional});
    j = end + q;
  }
  return out;
}

// Words so frequent in ordinary text that a prefilter made of them would hit on almost every sentence.
bool is_common_word(std::string_view literal) {
  static constexpr std::string_view words[] = {
      "about", "above", "after", "again", "also", "always", "answer", "anything", "because", "been",
      "before", "being", "below", "between", "both", "but", "came", "come", "content", "could", "does",
      "doing", "done", "down", "each", "even", "every", "first", "from", "give", "good", "have", "having",
      "here", "into", "just", "know", "like", "longer", "look", "make", "many", "more", "most", "much",
      "must", "need", "never", "next", "only", "other", "over", "people", "please", "plus", "same",
      "should", "some", "such", "take", "tell", "than", "that", "their", "them", "then", "there",
      "these", "they", "thing", "think", "this", "those", "through", "time", "under", "until", "very",
      "want", "were", "what", "when", "where", "which", "while", "will", "with", "within", "without",
      "would", "write", "your", "yours", "http", "https", "shall", "make", "using", "used"};
  std::string lower;
  for (char c : literal) {
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  while (!lower.empty() && !std::isalnum(static_cast<unsigned char>(lower.back()))) {
    lower.pop_back();
  }
  for (std::string_view w : words) {
    if (lower == w) {
      return true;
    }
  }
  return false;
}

// The selectivity of a piece: the length of its shortest literal alternative, or 0 when it is not
// required, not literal, or could be a common word.
std::size_t score(const piece& p) {
  if (!p.required) return 0;
  if (!p.group) {
    if (!is_literal_byte(p.text.front()) || is_common_word(p.text)) return 0;
    return p.text.size();
  }
  std::string_view inner = p.text.substr(1, p.text.size() - 2);
  if (inner.starts_with("?:")) inner.remove_prefix(2);
  else if (inner.starts_with("?")) return 0;  // other group kinds (flags, lookarounds)
  std::size_t best = SIZE_MAX;
  for (std::string_view alt : alternatives(inner)) {
    const std::size_t n = literal_prefix(alt);
    if (is_common_word(alt.substr(0, n)) && n == alt.size()) {
      return 0;
    }
    best = std::min(best, n);
  }
  return best == SIZE_MAX ? 0 : best;
}

std::optional<std::string> derive_one(std::string_view pattern);

// A pattern that is one group around everything: look inside it.
std::string_view unwrap(std::string_view pattern) {
  while (pattern.size() > 4 && pattern.starts_with("(?:") && group_end(pattern, 0) == pattern.size()) {
    bool optional = false;
    (void)optional;
    pattern = pattern.substr(3, pattern.size() - 4);
  }
  return pattern;
}

}  // namespace

std::optional<std::string> derive_prefilter(std::string_view pattern) {
  pattern = unwrap(pattern);
  const auto branches = alternatives(pattern);
  if (branches.size() == 1) {
    return derive_one(pattern);
  }
  // Every match comes from one branch: a prefilter for each branch, joined, covers them all.
  std::string joined;
  for (std::string_view branch : branches) {
    const auto p = derive_one(unwrap(branch));
    if (!p) {
      return std::nullopt;
    }
    joined += joined.empty() ? "" : "|";
    joined += *p;
  }
  return joined;
}

namespace {

std::optional<std::string> derive_one(std::string_view pattern) {
  const auto pieces = top_level_pieces(pattern);
  const piece* best = nullptr;
  std::size_t best_score = 0;
  for (const piece& p : pieces) {
    const std::size_t sc = score(p);
    if (sc > best_score) {
      best = &p;
      best_score = sc;
    }
  }
  if (best == nullptr || best_score < 3) {
    return std::nullopt;
  }
  return std::string(best->text);
}

}  // namespace

}  // namespace sluice::engine::detail
