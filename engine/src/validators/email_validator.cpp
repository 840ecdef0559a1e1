// Email addresses: the RFC 5321/5322 rules that matter for text found in prompts (dot-atom local part,
// hostname labels, an alphabetic top-level domain), so that `user@localhost`, `a@b.c`, `x@1.2.3.4`,
// `@decorators` or `name@v1.2` in code are not taken for addresses.
#include <libpsl.h>

#include <string>

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

// Special-use and widespread private top-level names that mail is addressed to inside organisations
// (RFC 6762 .local, ICANN's .internal, home.arpa): not public suffixes, still addresses.
constexpr std::string_view private_tlds[] = {"local", "internal", "lan", "corp", "arpa"};

// Whether `tld` is a top-level domain of the Public Suffix List (Debian's publicsuffix data through
// libpsl; its built-in copy when the file is missing). The list's implicit `*` rule is not applied,
// so `jpg` in `banner@2x.jpg` is no domain while `com`, `de`, `xn--p1ai` are.
bool public_tld(std::string_view tld) noexcept {
  static const psl_ctx_t* const psl = [] {
    const psl_ctx_t* p = psl_latest(nullptr);
    return p != nullptr ? p : psl_builtin();
  }();
  for (std::string_view t : private_tlds) {
    if (iequals(tld, t)) {
      return true;
    }
  }
  if (psl == nullptr) {
    return true;  // no list at all: the syntax checks alone decide, as before
  }
  char lower[max_label + 1];
  if (tld.size() > max_label) {
    return false;
  }
  for (std::size_t i = 0; i < tld.size(); ++i) {
    lower[i] = to_lower(tld[i]);
  }
  lower[tld.size()] = '\0';
  return psl_is_public_suffix2(psl, lower, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
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
  if (domain.find(':') != std::string_view::npos) {
    return false;  // git@gitlab.com:team/app.git, deploy@host:22: an SSH remote, not a mailbox
  }
  const std::size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos || !valid_tld(domain.substr(last_dot + 1)) ||
      !public_tld(domain.substr(last_dot + 1))) {
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
