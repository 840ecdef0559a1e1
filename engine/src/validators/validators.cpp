// Validator names (as written in the rule catalog) and the dispatch from a rule's validator kind to
// the check that implements it. The checks themselves live one per file (see validator_checks.h).
#include <array>
#include <cstring>
#include <utility>

#include "text/ascii_text.h"
#include "validators/reading_context.h"
#include "validators/validator_checks.h"

namespace sluice::engine {
namespace {

// One row per enum value, in enum order; a test checks every value round-trips through its name.
constexpr std::array<std::pair<validator_kind, std::string_view>, 19> validator_names{{
    {validator_kind::none, "none"},
    {validator_kind::luhn_card, "luhn_card"},
    {validator_kind::us_ssn, "us_ssn"},
    {validator_kind::iban, "iban"},
    {validator_kind::aba_routing, "aba_routing"},
    {validator_kind::uk_nino, "uk_nino"},
    {validator_kind::ipv4, "ipv4"},
    {validator_kind::ipv6, "ipv6"},
    {validator_kind::phone, "phone"},
    {validator_kind::email, "email"},
    {validator_kind::jwt, "jwt"},
    {validator_kind::entropy, "entropy"},
    {validator_kind::password_assignment, "password_assignment"},
    {validator_kind::us_passport, "us_passport"},
    {validator_kind::date_of_birth, "date_of_birth"},
    {validator_kind::url_credentials, "url_credentials"},
    {validator_kind::password_in_prose, "password_in_prose"},
    {validator_kind::phone_layout, "phone_layout"},
    {validator_kind::phone_regional, "phone_regional"},
}};

}  // namespace

std::string_view to_string(validator_kind k) noexcept {
  for (const auto& [kind, name] : validator_names) {
    if (kind == k) {
      return name;
    }
  }
  return "unknown";
}

std::optional<validator_kind> validator_from_string(std::string_view name) noexcept {
  for (const auto& [kind, known] : validator_names) {
    if (known == name) {
      return kind;
    }
  }
  return std::nullopt;
}

bool validate(validator_kind kind, std::string_view span, const validator_options& options) noexcept {
  using namespace detail;
  switch (kind) {
    case validator_kind::none: return true;
    case validator_kind::luhn_card: return valid_card_number(span);
    case validator_kind::us_ssn: return valid_us_ssn(span, false);
    case validator_kind::iban: return valid_iban(span);
    case validator_kind::aba_routing: return valid_aba_routing(span);
    case validator_kind::uk_nino: return valid_uk_nino(span);
    case validator_kind::ipv4: return valid_ipv4(span);
    case validator_kind::ipv6: return valid_ipv6(span);
    case validator_kind::phone: return valid_phone(span, options);
    case validator_kind::email: return valid_email(span);
    case validator_kind::jwt: return valid_jwt(span);
    case validator_kind::entropy: return high_entropy_secret(span, options);
    case validator_kind::password_assignment: return valid_password_assignment(span, options);
    case validator_kind::us_passport: return valid_us_passport(span);
    case validator_kind::date_of_birth: return valid_date_of_birth(span);
    case validator_kind::url_credentials: return valid_url_credentials(span);
    case validator_kind::password_in_prose: return valid_password_in_prose(span, options);
    case validator_kind::phone_layout: return valid_phone_layout(span);
    case validator_kind::phone_regional: return false;  // needs the text before it
  }
  return false;  // an out-of-range value read from somewhere untrusted: never confirm
}

bool validate(validator_kind kind, std::string_view span, std::string_view before, bool before_is_whole,
              const validator_options& options) noexcept {
  using namespace detail;
  switch (kind) {
    case validator_kind::ipv4: return valid_ipv4(span) && ipv4_reads_as_address(before, span);
    case validator_kind::ipv6: return valid_ipv6(span) && ipv6_reads_as_address(before, span);
    // A value labelled as an SSN is redacted even when it is a famous placeholder (078-05-1120,
    // 123-45-6789): whoever typed it after the label meant it as one.
    case validator_kind::us_ssn:
      return valid_us_ssn(span, false) || (valid_us_ssn(span, true) && labelled_as_ssn(before, before_is_whole));
    case validator_kind::phone_regional: return valid_phone_regional(span, before, options);
    default: return validate(kind, span, options);
  }
}

bool validator_options::set_phone_regions(std::string_view list) noexcept {
  char parsed[max_phone_regions][3] = {};
  std::size_t n = 0;
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.size() != 2 || !detail::is_alpha(item[0]) || !detail::is_alpha(item[1]) || n == max_phone_regions) {
      return false;
    }
    parsed[n][0] = detail::to_upper(item[0]);
    parsed[n][1] = detail::to_upper(item[1]);
    ++n;
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  std::memcpy(phone_regions, parsed, sizeof parsed);
  return true;
}

bool validator_options::phone_region_enabled(std::string_view region) const noexcept {
  for (const auto& r : phone_regions) {
    if (r[0] != '\0' && region.size() == 2 && r[0] == region[0] && r[1] == region[1]) {
      return true;
    }
  }
  return false;
}

}  // namespace sluice::engine
