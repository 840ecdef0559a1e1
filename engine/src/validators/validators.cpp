// Validator names (as written in the rule catalog) and the dispatch from a rule's validator kind to
// the check that implements it. The checks themselves live one per file (see validator_checks.h).
#include <array>
#include <utility>

#include "validators/validator_checks.h"

namespace sluice::engine {
namespace {

// One row per enum value, in enum order; a test checks every value round-trips through its name.
constexpr std::array<std::pair<validator_kind, std::string_view>, 18> validator_names{{
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
    case validator_kind::us_ssn: return valid_us_ssn(span);
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
  }
  return false;  // an out-of-range value read from somewhere untrusted: never confirm
}

}  // namespace sluice::engine
