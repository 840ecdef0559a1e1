// Email addresses: the RFC 5321/5322 rules that matter for text found in prompts (dot-atom local part,
// hostname labels, an alphabetic top-level domain), so that `user@localhost`, `a@b.c`, `x@1.2.3.4`,
// `@decorators` or `name@v1.2` in code are not taken for addresses.
#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

constexpr std::size_t max_address = 254;  // RFC 5321 path limit minus the angle brackets
constexpr std::size_t max_local = 64;
constexpr std::size_t max_label = 63;
constexpr std::size_t min_tld = 2;
constexpr std::size_t max_tld = 24;  // the longest alphabetic TLD in the root zone is 24 letters

bool atom_char(char c) noexcept {
  return is_alnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// Unquoted local part: atoms separated by single dots, no dot first or last.
bool valid_local(std::string_view local) noexcept {
  if (local.empty() || local.size() > max_local || local.front() == '.' || local.back() == '.') {
    return false;
  }
  for (std::size_t i = 0; i < local.size(); ++i) {
    const char c = local[i];
    if (c == '.') {
      if (local[i - 1] == '.') {
        return false;
      }
    } else if (!atom_char(c)) {
      return false;
    }
  }
  return true;
}

bool valid_label(std::string_view label) noexcept {
  if (label.empty() || label.size() > max_label || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!is_alnum(c) && c != '-') {
      return false;
    }
  }
  return true;
}

// Alphabetic, or an internationalised TLD in its ASCII (punycode) form.
bool valid_tld(std::string_view tld) noexcept {
  if (tld.size() > 4 && iequals(tld.substr(0, 4), "xn--")) {
    return valid_label(tld);
  }
  if (tld.size() < min_tld || tld.size() > max_tld) {
    return false;
  }
  for (char c : tld) {
    if (!is_alpha(c)) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool valid_email(std::string_view span) noexcept {
  if (span.size() > max_address) {
    return false;
  }
  const std::size_t at = span.rfind('@');
  if (at == std::string_view::npos || !valid_local(span.substr(0, at))) {
    return false;
  }
  std::string_view domain = span.substr(at + 1);
  const std::size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos || !valid_tld(domain.substr(last_dot + 1))) {
    return false;  // needs at least two labels: `user@localhost` is not an address in the wild
  }
  while (true) {
    const std::size_t dot = domain.find('.');
    if (!valid_label(domain.substr(0, dot))) {
      return false;
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    domain.remove_prefix(dot + 1);
  }
}

}  // namespace sluice::engine::detail
