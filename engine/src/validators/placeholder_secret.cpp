// Recognises secret values that are obviously not secrets, so that documentation, templates and
// config examples ("password: ${DB_PASSWORD}", "postgres://user:<password>@db") are not reported.
#include <array>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

// Compared case-insensitively against the whole value.
constexpr std::array<std::string_view, 22> stock_values{
    "password", "passw0rd", "pass", "pwd", "secret", "changeme", "change_me", "change-me", "none",
    "null", "nil", "undefined", "empty", "true", "false", "example", "placeholder", "redacted",
    "dummy", "test", "default", "mypassword"};

// Looked for (case-insensitively) anywhere in the value.
constexpr std::array<std::string_view, 10> stock_fragments{
    "your_password", "your-password", "yourpassword", "your_secret", "your-secret", "changeme",
    "change_me", "placeholder", "redacted", "xxxx"};

bool all_same(std::string_view s) noexcept { return s.find_first_not_of(s[0]) == std::string_view::npos; }

bool wrapped(std::string_view s, char open, char close) noexcept {
  return s.size() >= 2 && s.front() == open && s.back() == close;
}

}  // namespace

bool is_placeholder_secret(std::string_view v) noexcept {
  if (v.empty() || all_same(v)) {
    return true;  // "", "********", "xxxxxxxx", "........"
  }
  if (wrapped(v, '<', '>') || wrapped(v, '[', ']') || wrapped(v, '{', '}') || wrapped(v, '%', '%')) {
    return true;  // <password>, [REDACTED], {password}, %PASSWORD%
  }
  if (v.find("${") != std::string_view::npos || v.find("{{") != std::string_view::npos ||
      v.find("$(") != std::string_view::npos) {
    return true;  // shell/compose/Helm/Jinja substitutions
  }
  if (v[0] == '$' && is_identifier(v.substr(1))) {
    return true;  // $DB_PASSWORD
  }
  // A value made only of mask characters (***, •••, xxx mixed with dashes).
  if (v.find_first_not_of("*xX-_.#?") == std::string_view::npos) {
    return true;
  }
  for (std::string_view s : stock_values) {
    if (iequals(v, s)) {
      return true;
    }
  }
  for (std::string_view f : stock_fragments) {
    if (icontains(v, f)) {
      return true;
    }
  }
  return false;
}

}  // namespace sluice::engine::detail
