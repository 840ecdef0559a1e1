// `password = …` assignments in config files, env files, code and chat: the value must look like a
// chosen secret (long enough, varied enough) rather than a reference to one (a variable, a call, a
// template) or a placeholder.
#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

constexpr std::size_t min_password_length = 8;

bool is_space(char c) noexcept { return c == ' ' || c == '\t'; }

bool is_quote(char c) noexcept { return c == '"' || c == '\'' || c == '`'; }

// The value after the first '=' or ':' (also ':=', '=>', '=='), without surrounding blanks, quotes and
// a trailing ',' or ';'. Sets `quoted` when the value was written in quotes.
std::string_view assigned_value(std::string_view span, bool& quoted) noexcept {
  std::size_t sep = span.find_first_of("=:");
  if (sep == std::string_view::npos) {
    return {};
  }
  std::string_view v = span.substr(sep + 1);
  while (!v.empty() && (v.front() == '=' || v.front() == '>')) {
    v.remove_prefix(1);
  }
  while (!v.empty() && is_space(v.front())) {
    v.remove_prefix(1);
  }
  while (!v.empty() && (is_space(v.back()) || v.back() == ',' || v.back() == ';')) {
    v.remove_suffix(1);
  }
  quoted = !v.empty() && is_quote(v.front());
  if (quoted) {
    v.remove_prefix(1);
    if (!v.empty() && is_quote(v.back())) {
      v.remove_suffix(1);
    }
  } else if (!v.empty() && is_quote(v.back())) {
    v.remove_suffix(1);  // the pattern started inside a quoted value
  }
  return v;
}

// An unquoted value that reads as code: a dotted name (config.db.password, os.environ['X']), a call
// (get_password()), or a constant's name (DB_PASSWORD).
bool looks_like_code(std::string_view v) noexcept {
  if (v.find('(') != std::string_view::npos && v.back() == ')') {
    return true;
  }
  if (v.find('[') != std::string_view::npos && v.back() == ']') {
    return true;
  }
  if (!is_alpha(v[0]) && v[0] != '_') {
    return false;
  }
  bool dotted = false, upper_snake = true, identifier = true;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '.') {
      dotted = true;
      identifier = identifier && i + 1 < v.size() && (is_alpha(v[i + 1]) || v[i + 1] == '_');
    } else {
      identifier = identifier && (is_alnum(c) || c == '_');
    }
    upper_snake = upper_snake && (is_upper(c) || is_digit(c) || c == '_');
  }
  if (!identifier) {
    return false;
  }
  return dotted || (upper_snake && v.find('_') != std::string_view::npos);
}

// A quoted value that is still code, not a string anyone would choose as a password: a call without
// arguments ("getpass()"), an environment lookup ("os.environ['DB_PASS']", "process.env.DB_PASSWORD"),
// or any dotted chain of identifiers ending in a constant's name.
bool quoted_code(std::string_view v) noexcept {
  if (v.ends_with("()") && is_identifier(v.substr(0, v.size() - 2))) {
    return true;
  }
  if (v.starts_with("os.environ") || v.starts_with("process.env.") || v.starts_with("ENV[")) {
    return true;
  }
  const std::size_t dot = v.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return false;
  }
  const std::string_view last = v.substr(dot + 1);
  bool upper_snake = last.find('_') != std::string_view::npos;
  for (char c : last) {
    upper_snake = upper_snake && (is_upper(c) || is_digit(c) || c == '_');
  }
  return upper_snake && looks_like_code(v);
}

bool has_control_characters(std::string_view v) noexcept {
  for (char c : v) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return true;  // nobody types control characters into a password
    }
  }
  return false;
}

// The word a "my password is …" sentence ends with: after the last blank or non-ASCII byte (a CJK
// sentence has no blanks: 我的密码是X), or after the first ':', '=' or '>' when the span is one word
// (PASSWORD=…), without a leading ':', '=', '>' or quote.
std::string_view last_word(std::string_view span) noexcept {
  std::size_t i = span.size();
  while (i > 0 && !is_space(span[i - 1]) && static_cast<unsigned char>(span[i - 1]) < 0x80) {
    --i;
  }
  if (i == 0) {
    i = span.find_first_of(":=>");
    if (i == std::string_view::npos) {
      return {};
    }
  }
  std::string_view v = span.substr(i);
  while (!v.empty() && (v.front() == ':' || v.front() == '=' || v.front() == '>' || is_quote(v.front()))) {
    v.remove_prefix(1);
  }
  return v;
}

// Mixed case and a digit or symbol: what password policies ask for and generators produce. Prose
// words, versions (v2.3.1-beta), timestamps and most identifiers do not have all three.
bool policy_shaped(std::string_view v) noexcept {
  bool upper = false, lower = false, other = false;
  for (char c : v) {
    upper = upper || is_upper(c);
    lower = lower || is_lower(c);
    other = other || !is_alpha(c);
  }
  return upper && lower && other;
}

}  // namespace

bool valid_password_in_prose(std::string_view span, const validator_options& options) noexcept {
  const std::string_view value = last_word(span);
  if (value.size() < min_password_length || value.size() > 64 || is_placeholder_secret(value) ||
      has_control_characters(value) || !policy_shaped(value)) {
    return false;
  }
  // Addresses, paths and code are what else follows "password" in prose; an escaped line break
  // ("activity.\\n\\nPlease" in JSON-escaped text) joins two words of prose.
  if (value.find("://") != std::string_view::npos || value.front() == '/' || value.front() == '\\' ||
      value.find("\\n") != std::string_view::npos || value.find("\\r") != std::string_view::npos ||
      value.find("\\t") != std::string_view::npos ||
      valid_email(value) || looks_like_code(value) || quoted_code(value)) {
    return false;
  }
  return shannon_entropy(value) >= required_entropy(value.size(), options.min_entropy_bits_per_char);
}

bool valid_password_assignment(std::string_view span, const validator_options& options) noexcept {
  bool quoted = false;
  const std::string_view value = assigned_value(span, quoted);
  if (value.size() < min_password_length || is_placeholder_secret(value)) {
    return false;
  }
  if ((!quoted && looks_like_code(value)) || quoted_code(value) || has_control_characters(value)) {
    return false;
  }
  return shannon_entropy(value) >= required_entropy(value.size(), options.min_entropy_bits_per_char);
}

}  // namespace sluice::engine::detail
