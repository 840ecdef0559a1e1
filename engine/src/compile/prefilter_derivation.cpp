#include "compile/prefilter_derivation.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

// One top-level atom of a pattern: a literal run, a group, a class, an escape or another single
// character, with its quantifier.
struct atom {
  std::string_view text;        // the atom as written, without its quantifier
  std::string_view quantified;  // with its quantifier
  enum class type : std::uint8_t { literal, group, cls, escape, other } kind = type::other;
  bool required = true;  // the quantifier does not allow zero repetitions
  bool repeated = false;  // the quantifier allows more than one repetition
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

// Reads a quantifier at s[i]; returns its length, whether it allows zero repetitions and whether it
// allows more than one.
std::size_t quantifier(std::string_view s, std::size_t i, bool& optional, bool& repeated) {
  optional = false;
  repeated = false;
  if (i >= s.size()) return 0;
  std::size_t len = 0;
  if (s[i] == '?') { optional = true; len = 1; }
  else if (s[i] == '*') { optional = true; repeated = true; len = 1; }
  else if (s[i] == '+') { repeated = true; len = 1; }
  else if (s[i] == '{') {
    const auto close = s.find('}', i);
    if (close == std::string_view::npos) return 0;
    const std::string_view body = s.substr(i + 1, close - i - 1);
    if (body.empty() || !std::isdigit(static_cast<unsigned char>(body[0]))) return 0;
    optional = body[0] == '0' && (body.size() == 1 || body[1] == ',');
    repeated = body != "1" && body != "0,1" && body != "1,1";
    len = close - i + 1;
  } else {
    return 0;
  }
  if (i + len < s.size() && (s[i + len] == '?' || s[i + len] == '+')) ++len;  // lazy / possessive
  return len;
}

bool is_literal_byte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return is_alnum(c) || u >= 0x80 || c == ' ' || c == '_' || c == '-' || c == '\'' || c == ',' ||
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

std::vector<atom> top_level_atoms(std::string_view s) {
  std::vector<atom> out;
  std::size_t j = 0;
  while (j < s.size()) {
    const char c = s[j];
    std::size_t end = j + 1;
    atom a;
    if (c == '\\') { end = j + escape_length(s, j); a.kind = atom::type::escape; }
    else if (c == '[') { end = class_end(s, j); a.kind = atom::type::cls; }
    else if (c == '(') { end = group_end(s, j); a.kind = atom::type::group; }
    else if (is_literal_byte(c)) {
      a.kind = atom::type::literal;
      // A run of literal bytes; a quantifier binds only to the last one, which then becomes its own atom.
      while (end < s.size() && is_literal_byte(s[end])) ++end;
      bool optional = false;
      bool repeated = false;
      if (quantifier(s, end, optional, repeated) > 0 && end - j > 1) {
        --end;
        // A quantifier after a multibyte character binds to the whole character (utf8) or to its last
        // byte: either way the character goes with it, never split.
        while (end > j && (static_cast<unsigned char>(s[end]) & 0xc0) == 0x80) --end;
        if (end == j) end = j + 1;
      }
    }
    bool optional = false;
    bool repeated = false;
    const std::size_t q = quantifier(s, end, optional, repeated);
    a.text = s.substr(j, end - j);
    a.quantified = s.substr(j, end + q - j);
    a.required = !optional;
    a.repeated = repeated;
    out.push_back(a);
    j = end + q;
  }
  return out;
}

// Words so frequent in ordinary text that a prefilter made of one of them would hit on almost every
// page: function words, and the verbs and nouns of everyday requests and business writing that the
// signatures also use ("answer", "include", "report", "system", "data").
bool is_common_word(std::string_view word) {
  static constexpr std::string_view words[] = {
      "a", "about", "above", "access", "account", "act", "action", "add", "after", "again", "age", "ai",
      "all", "also", "always", "am", "an", "and", "answer", "answers", "any", "anything", "app", "are",
      "as", "ask", "asked", "at", "back", "based", "be", "because", "been", "before", "being", "below",
      "best", "between", "both", "but", "by", "call", "came", "can", "case", "change", "check", "clear",
      "code", "come", "content", "could", "create", "data", "day", "did", "do", "does", "doing", "done",
      "down", "draft", "each", "email", "end", "even", "every", "file", "files", "find", "first",
      "follow", "following", "for", "form", "from", "full", "get", "give", "given", "go", "good", "group",
      "had", "has", "have", "having", "he", "help", "her", "here", "him", "his", "how", "i", "if", "in",
      "include", "includes", "information", "input", "into", "is", "it", "its", "just", "keep", "know",
      "last", "let", "like", "line", "list", "long", "longer", "look", "made", "make", "many", "may",
      "me", "message", "messages", "mode", "model", "more", "most", "much", "must", "my", "name", "need",
      "never", "new", "next", "no", "not", "note", "now", "number", "of", "off", "on", "one", "only",
      "open", "or", "order", "other", "our", "out", "output", "over", "page", "part", "people", "plan",
      "please", "plus", "point", "post", "project", "provide", "question", "questions", "read",
      "report", "request", "requests", "response", "result", "review", "right", "rules", "run", "said",
      "same", "say", "see", "send", "set", "shall", "share", "she", "should", "show", "so", "some",
      "start", "state", "still", "stop", "such", "support", "system", "take", "team", "tell", "text",
      "than", "that", "the", "their", "them", "then", "there", "these", "they", "thing", "things",
      "think", "this", "those", "through", "time", "to", "too", "two", "under", "until", "up", "us",
      "use", "used", "user", "using", "very", "want", "was", "way", "we", "well", "were", "what", "when",
      "where", "which", "while", "who", "why", "will", "with", "within", "without", "work", "would",
      "write", "year", "yes", "you", "your", "yours", "http", "https", "www", "com"};
  std::string lower;
  for (char c : word) {
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return std::find(std::begin(words), std::end(words), lower) != std::end(words);
}

// The words of nearly every sentence.
bool is_function_word(std::string_view word) {
  static constexpr std::string_view words[] = {
      "all", "and", "any", "are", "but", "can", "for", "from", "had", "has", "have", "her", "his", "not",
      "now", "our", "she", "that", "the", "their", "them", "then", "there", "these", "they", "this",
      "was", "were", "what", "which", "who", "will", "with", "would", "you", "your"};
  std::string lower;
  for (char c : word) {
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return std::find(std::begin(words), std::end(words), lower) != std::end(words);
}

// How unlikely a word is in ordinary text, in rough "letters of evidence": its length (at most 8), a
// common word 2, a function word or a word of one or two letters 1 (it also hits inside longer words:
// "ai" in "said"); a non-ASCII byte counts half (an accented letter is two bytes, a CJK character three).
std::size_t word_rarity(std::string_view word) {
  std::size_t ascii = 0;
  std::size_t high = 0;
  for (char c : word) {
    (static_cast<unsigned char>(c) >= 0x80 ? high : ascii) += 1;
  }
  if (high == 0 && (word.size() <= 2 || is_function_word(word))) return 1;
  if (high == 0 && is_common_word(word)) return 2;
  return std::min<std::size_t>(ascii + high / 2, 8);
}

bool is_word_byte(char c) {
  return is_alnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

// What a required piece guarantees a match contains: one of a few literal words (`keys`), and how rare
// the most common of them is (`evidence`; 0 when the piece guarantees no word).
struct key_words {
  std::vector<std::string> keys;
  std::size_t evidence = 0;
};

key_words sequence_keys(std::string_view sequence);

// The rarest word of a literal (a run of ASCII letters and digits and non-ASCII bytes).
key_words literal_keys(std::string_view literal) {
  key_words out;
  std::size_t i = 0;
  while (i < literal.size()) {
    std::size_t j = i;
    if (!is_word_byte(literal[i])) {
      ++i;
      continue;
    }
    while (j < literal.size() && is_word_byte(literal[j])) ++j;
    const std::string_view word = literal.substr(i, j - i);
    if (word_rarity(word) > out.evidence) {
      out.keys = {std::string(word)};
      out.evidence = word_rarity(word);
    }
    i = j;
  }
  return out;
}

key_words atom_keys(const atom& a) {
  if (!a.required) return {};
  if (a.kind == atom::type::literal) return literal_keys(a.text);
  if (a.kind != atom::type::group) return {};
  std::string_view inner = a.text.substr(1, a.text.size() - 2);
  if (inner.starts_with("?:")) inner.remove_prefix(2);
  else if (inner.starts_with("?")) return {};  // other group kinds (flags, lookarounds)
  // Every match of the group matches one alternative: the union of their keys, as rare as the most
  // common of them.
  key_words out;
  out.evidence = SIZE_MAX;
  for (std::string_view alt : alternatives(inner)) {
    key_words k = sequence_keys(alt);
    if (k.evidence == 0) return {};
    out.evidence = std::min(out.evidence, k.evidence);
    for (auto& key : k.keys) out.keys.push_back(std::move(key));
  }
  return out;
}

// The keys of a sequence: those of its rarest required piece.
key_words sequence_keys(std::string_view sequence) {
  key_words best;
  for (const atom& a : top_level_atoms(sequence)) {
    key_words k = atom_keys(a);
    if (k.evidence > best.evidence) best = std::move(k);
  }
  return best;
}

// The part pattern for a set of keys: a plain alternation of literals, without words that contain
// another key (the shorter one already hits there). Literal alternations are what Hyperscan matches
// fastest; parts with word gaps or separators in them made a combined database 10x slower.
std::string part_pattern(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end(), [](const std::string& x, const std::string& y) {
    return x.size() != y.size() ? x.size() < y.size() : x < y;
  });
  std::vector<std::string> kept;
  for (const auto& k : keys) {
    const bool covered = std::any_of(kept.begin(), kept.end(), [&](const std::string& shorter) {
      std::string lk = k;
      std::string ls = shorter;
      for (auto& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (auto& c : ls) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return lk.find(ls) != std::string::npos;
    });
    if (!covered) kept.push_back(k);
  }
  std::sort(kept.begin(), kept.end());
  if (kept.size() == 1) return kept.front();
  std::string out = "(?:";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out += i == 0 ? "" : "|";
    out += kept[i];
  }
  return out + ")";
}

// The parts for one sequence: the rarest required pieces' keys, rarest first, until their evidence
// reaches `target_prefilter_evidence` or there are `max_prefilter_parts`, from pieces with at least
// `minimum_part_evidence`; common words only while it is below `minimum_prefilter_evidence`. A sequence without such pieces takes its best weaker ones: a weak prefilter
// costs some confirmation windows, a signature scanned whole in the main database costs far more.
std::vector<std::string> parts_of(std::string_view sequence) {
  struct piece {
    key_words keys;
    std::size_t position;  // index of the atom in the sequence
  };
  std::vector<piece> pieces;
  const std::vector<atom> atoms = top_level_atoms(sequence);
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    key_words k = atom_keys(atoms[i]);
    if (k.evidence > 0) pieces.push_back({std::move(k), i});
  }
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](const piece& x, const piece& y) { return x.keys.evidence > y.keys.evidence; });
  for (std::size_t floor = minimum_part_evidence; floor >= weakest_part_evidence; --floor) {
    std::vector<const piece*> chosen;
    std::size_t total = 0;
    for (const auto& p : pieces) {
      if (total >= target_prefilter_evidence || chosen.size() == max_prefilter_parts ||
          p.keys.evidence < floor ||
          (total >= minimum_prefilter_evidence && p.keys.evidence <= weakest_part_evidence)) {
        break;
      }
      chosen.push_back(&p);
      total += p.keys.evidence;
    }
    if (total >= minimum_prefilter_evidence || (floor == weakest_part_evidence && !chosen.empty())) {
      // In pattern order: in every match the last part's word comes after the others' (the pieces do
      // not overlap), which lets the scanner open windows at that part's hits only.
      std::sort(chosen.begin(), chosen.end(),
                [](const piece* x, const piece* y) { return x->position < y->position; });
      std::vector<std::string> out;
      for (const piece* p : chosen) out.push_back(part_pattern(p->keys.keys));
      return out;
    }
  }
  return {};
}

// A pattern that is one group around everything: look inside it.
std::string_view unwrap(std::string_view pattern) {
  while (pattern.size() > 4 && pattern.starts_with("(?:") && group_end(pattern, 0) == pattern.size()) {
    pattern = pattern.substr(3, pattern.size() - 4);
  }
  return pattern;
}

}  // namespace

std::optional<prefilter_plan> derive_prefilter(std::string_view pattern) {
  pattern = unwrap(pattern);
  // Every match comes from one top-level branch: parts for each branch cover them all.
  prefilter_plan plan;
  for (std::string_view branch : alternatives(pattern)) {
    std::vector<std::string> parts = parts_of(unwrap(branch));
    if (parts.empty()) {
      return std::nullopt;
    }
    plan.branches.push_back(std::move(parts));
  }
  return plan;
}

std::optional<prefilter_plan> signature_prefilter(const rule& r) {
  if (!r.prefilter_parts.empty()) {
    return prefilter_plan{{r.prefilter_parts}};
  }
  return derive_prefilter(r.pattern);
}

std::vector<std::string> plain_part_words(std::string_view part) {
  std::string_view body = part;
  if (body.size() > 4 && body.starts_with("(?:") && body.ends_with(")")) {
    body = body.substr(3, body.size() - 4);
  }
  std::vector<std::string> words;
  std::size_t from = 0;
  while (from <= body.size()) {
    const std::size_t bar = std::min(body.find('|', from), body.size());
    const std::string_view word = body.substr(from, bar - from);
    const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
      return is_alnum(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
    });
    if (!plain) {
      return {};
    }
    words.emplace_back(word);
    from = bar + 1;
  }
  return words;
}

std::size_t prefilter_evidence(std::string_view literal) { return literal_keys(literal).evidence; }

}  // namespace sluice::engine::detail
