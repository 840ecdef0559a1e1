#pragma once
// Validators confirm or reject a candidate span that a rule's pattern matched, so that patterns can stay
// simple (and fast) while precision stays high. Each is pure, noexcept and allocation-free.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::engine {

enum class validator_kind : std::uint8_t {
  none,
  luhn_card,       // 12-19 digits (single spaces/dashes allowed) pass Luhn and match an issuer's range+length
  us_ssn,          // AAA-GG-SSSS (or spaces, or none): area not 000/666/9xx, group not 00, serial not 0000,
                   // not an advertising/placeholder number (078-05-1120, 123-45-6789, 111-11-1111…)
  iban,            // country code, per-country length (SWIFT registry), mod-97 == 1; print form allowed
  aba_routing,     // 9 digits, ABA checksum, valid Federal Reserve prefix
  uk_nino,         // two-letter prefix rules, six digits, suffix A-D; single spaces allowed
  ipv4,            // four octets 0-255, no leading zeros beyond a single 0
  ipv6,            // parses as an IPv6 address (inet_pton); [brackets] and %zone allowed; has a digit
  phone,           // libphonenumber: possible and valid for the default region or its own +CC
  email,           // local part and domain label rules, TLD alphabetic and 2-24 long (or xn--)
  jwt,             // header decodes (base64url) to a JSON object with an "alg" member
  entropy,         // printable, >= 8 bytes, not a placeholder/EXAMPLE key, Shannon entropy >= threshold
  password_assignment,  // value after '=' or ':' >= 8 bytes, enough entropy, not a placeholder or code
  us_passport,     // 9 digits (or letter + 8 digits), not all one digit, not a trivial sequence
  date_of_birth,   // a real calendar date between 1900 and today (ISO, US, European, written forms)
  url_credentials, // user:password@host with a non-placeholder password
  password_in_prose,  // "my password is …": the last word, mixed case with a digit or symbol, entropy
  phone_layout,    // written like a phone number, 7-15 digits (E.164), no numbering-plan check
  phone_regional,  // a national number valid (libphonenumber) in a region of `phone_regions` that the
                   // text before it gives away (see docs/entities.md, "Phone numbers outside the
                   // default region")
};

// How far before a candidate the validators and the column lookup read (bytes). Block and stream mode
// both see exactly min(start, context_lookbehind) bytes, which is what keeps them equal: the stream
// redactor keeps at least this much history before what it has emitted.
inline constexpr std::size_t context_lookbehind = 2048;

[[nodiscard]] std::string_view to_string(validator_kind k) noexcept;
// Parses a validator name as written in the rule catalog ("luhn_card", "iban"…).
[[nodiscard]] std::optional<validator_kind> validator_from_string(std::string_view name) noexcept;

struct validator_options {
  // Two-letter ISO 3166 region used to read national phone numbers without a +CC prefix.
  char default_region[3] = {'U', 'S', '\0'};
  // Regions a national number outside the default region may belong to (`phone_regions`), each
  // counted only where the text gives it away. Two upper-case letters each; unused slots are empty.
  static constexpr std::size_t max_phone_regions = 48;
  char phone_regions[max_phone_regions][3] = {
      "DE", "AT", "CH", "FR", "BE", "ES", "IT", "PT", "NL", "GB", "IE", "SE", "NO", "DK", "FI", "PL",
      "CZ", "JP", "CN", "KR", "IN", "BR", "MX", "AR", "AU", "NZ", "ZA", "CA"};
  // Sets `phone_regions` from "DE,ES,JP"; false (and unchanged) when an entry is not two letters or
  // there are more than max_phone_regions.
  bool set_phone_regions(std::string_view comma_separated) noexcept;
  [[nodiscard]] bool phone_region_enabled(std::string_view region) const noexcept;
  // For `entropy` and `password_assignment`. Strings shorter than 2^(threshold/0.85) bytes cannot
  // reach it, so for them the bar is 0.85 * log2(length) instead (see docs/validators.md).
  double min_entropy_bits_per_char = 3.0;
};

// True when `span` (exactly the bytes the pattern matched) is a real instance of the entity.
[[nodiscard]] bool validate(validator_kind kind, std::string_view span,
                            const validator_options& options) noexcept;

// The same with the text before the span (at most context_lookbehind bytes; `before_is_whole` when it
// reaches the start of the text): the validators that read like a reader does (IPv4 against versions,
// IPv6 against slices, labelled SSNs, national phone numbers) look at it; the rest ignore it.
[[nodiscard]] bool validate(validator_kind kind, std::string_view span, std::string_view before,
                            bool before_is_whole, const validator_options& options) noexcept;

// Shannon entropy in bits per byte of `s`.
[[nodiscard]] double shannon_entropy(std::string_view s) noexcept;

}  // namespace sluice::engine
