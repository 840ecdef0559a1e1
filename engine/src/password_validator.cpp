// `password = …` assignments in config files, env files, code and chat: the value must look like a
// chosen secret (long enough, varied enough) rather than a reference to one (a variable, a call, a
// template) or a placeholder.
#include "validator_checks.h"
#include "validator_text.h"

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

}  // namespace

bool valid_password_assignment(std::string_view span, const validator_options& options) noexcept {
  bool quoted = false;
  const std::string_view value = assigned_value(span, quoted);
  if (value.size() < min_password_length || is_placeholder_secret(value)) {
    return false;
  }
  if (!quoted && looks_like_code(value)) {
    return false;
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return false;  // nobody types control characters into a password
    }
  }
  return shannon_entropy(value) >= required_entropy(value.size(), options.min_entropy_bits_per_char);
}

}  // namespace sluice::engine::detail
