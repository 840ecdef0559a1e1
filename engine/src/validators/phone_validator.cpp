// Phone numbers through libphonenumber, the reference for which numbers each country actually assigns.
// A cheap pre-check (allowed characters, digit count) runs first so that most non-phone candidates
// never reach the library, which allocates while parsing.
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <string>

#include "validators/reading_context.h"
#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// E.164 allows at most 15 digits; no country assigns full numbers shorter than 7 digits that people
// write down as phone numbers (shorter ones are extensions, short codes or simply other numbers).
constexpr int min_digits = 7;
constexpr int max_digits = 15;

bool is_separator(char c) noexcept { return c == ' ' || c == '-' || c == '.' || c == '/'; }

// Digits with the separators people write: '+' only first, single separators between digit groups
// (a parenthesised area code may sit next to a space), at most one "( … )" holding only digits.
bool plausible_phone_text(std::string_view s) noexcept {
  if (s.empty()) {
    return false;
  }
  std::size_t i = s[0] == '+' ? 1 : 0;
  int digits = 0;
  int separator_run = 0;
  bool in_parens = false;
  bool had_parens = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (is_digit(c)) {
      ++digits;
      separator_run = 0;
    } else if (c == '(') {
      if (had_parens) {
        return false;
      }
      in_parens = had_parens = true;
      separator_run = 0;
    } else if (c == ')') {
      if (!in_parens || !is_digit(s[i - 1])) {
        return false;
      }
      in_parens = false;
      separator_run = 0;
    } else if (is_separator(c)) {
      if (in_parens || ++separator_run > 1) {
        return false;
      }
    } else {
      return false;
    }
  }
  return !in_parens && separator_run == 0 && digits >= min_digits && digits <= max_digits;
}

// Removes a trailing extension written " x123", "x123", " ext. 123", " ext 123" or " extension 123"
// (1-6 digits): it belongs to the number but is not part of what the numbering plan validates.
std::string_view without_extension(std::string_view s) noexcept {
  std::size_t digits = 0;
  while (digits < s.size() && digits < 7 && is_digit(s[s.size() - 1 - digits])) {
    ++digits;
  }
  if (digits == 0 || digits > 6) {
    return s;
  }
  std::string_view head = s.substr(0, s.size() - digits);
  if (!head.empty() && head.back() == ' ') {
    head.remove_suffix(1);
  }
  for (std::string_view marker : {"extension", "ext.", "ext", "x"}) {
    if (head.size() > marker.size() && iequals(head.substr(head.size() - marker.size()), marker)) {
      head.remove_suffix(marker.size());
      if (head.back() == ' ') {
        head.remove_suffix(1);
      }
      return head;
    }
  }
  return s;
}

}  // namespace

bool valid_phone_layout(std::string_view span) noexcept {
  return plausible_phone_text(without_extension(span));
}

bool valid_phone(std::string_view span, const validator_options& options) noexcept {
  span = without_extension(span);
  if (!plausible_phone_text(span)) {
    return false;
  }
  try {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    // Reused per thread so the steady state does not allocate for the strings themselves.
    thread_local std::string text;
    thread_local std::string region;
    thread_local PhoneNumber number;
    text.assign(span.data(), span.size());
    const char* r = options.default_region;
    if (span[0] == '+') {
      region.assign("ZZ");  // the +CC decides the country, whatever the default region is
    } else if (is_alpha(r[0]) && is_alpha(r[1]) && r[2] == '\0') {
      region.assign({to_upper(r[0]), to_upper(r[1])});
    } else {
      return false;  // no usable default region: only +CC numbers can be read
    }
    number.Clear();
    if (util.Parse(text, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
      return false;
    }
    return util.IsValidNumber(number);
  } catch (...) {
    return false;  // libphonenumber does not throw, but an allocation failure may
  }
}

bool valid_phone_regional(std::string_view span, std::string_view before, const validator_options& options) noexcept {
  span = without_extension(span);
  if (!plausible_phone_text(span) || span[0] == '+') {
    return false;
  }
  const std::uint64_t evidence =
      phone_region_evidence(before, options.phone_regions, validator_options::max_phone_regions);
  if (evidence == 0) {
    return false;  // nothing in the text says which country: a bare national number stays unread
  }
  try {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    thread_local std::string text;
    thread_local std::string region;
    thread_local PhoneNumber number;
    text.assign(span.data(), span.size());
    for (std::size_t k = 0; k < validator_options::max_phone_regions; ++k) {
      if ((evidence >> k & 1U) == 0) {
        continue;
      }
      region.assign(options.phone_regions[k], 2);
      number.Clear();
      if (util.Parse(text, region, &number) == PhoneNumberUtil::NO_PARSING_ERROR &&
          util.IsValidNumberForRegion(number, region)) {
        return true;
      }
    }
    return false;
  } catch (...) {
    return false;
  }
}

}  // namespace sluice::engine::detail
