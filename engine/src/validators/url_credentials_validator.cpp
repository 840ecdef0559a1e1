// Credentials inside URLs and connection strings: scheme://user:password@host. Only the password makes
// it a secret, so a URL with just a user name, or with a placeholder password, is not reported.
#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {

bool valid_url_credentials(std::string_view span) noexcept {
  const std::size_t scheme_end = span.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0 || !is_alpha(span[0])) {
    return false;
  }
  for (char c : span.substr(0, scheme_end)) {
    if (!is_alnum(c) && c != '+' && c != '-' && c != '.') {
      return false;
    }
  }
  std::string_view rest = span.substr(scheme_end + 3);
  // The authority ends at the first '/', '?' or '#'; the password may itself hold an unescaped '@',
  // so the user info ends at the LAST '@' of the authority.
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  const std::size_t at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return false;
  }
  const std::string_view user_info = authority.substr(0, at);
  const std::string_view host = authority.substr(at + 1);
  if (host.empty() || !(is_alnum(host[0]) || host[0] == '[')) {
    return false;
  }
  const std::size_t colon = user_info.find(':');
  if (colon == std::string_view::npos) {
    return false;  // user name only
  }
  const std::string_view password = user_info.substr(colon + 1);
  for (char c : password) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
  }
  return !is_placeholder_secret(password);
}

}  // namespace sluice::engine::detail
