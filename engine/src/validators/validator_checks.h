#pragma once
// One function per validator, each in its own source file; validators.cpp dispatches to them.
// Every function takes exactly the bytes a rule's pattern matched and answers whether they are a real
// instance of the entity. All are noexcept and do not allocate, except phone (libphonenumber).
#include <cstddef>
#include <string_view>

#include "sluice/engine/validators.h"

namespace sluice::engine::detail {

[[nodiscard]] bool valid_card_number(std::string_view span) noexcept;
// `labelled`: the text names it an SSN, so the famous placeholders count too (structure still checked).
[[nodiscard]] bool valid_us_ssn(std::string_view span, bool labelled = false) noexcept;
[[nodiscard]] bool valid_iban(std::string_view span) noexcept;
[[nodiscard]] bool valid_aba_routing(std::string_view span) noexcept;
[[nodiscard]] bool valid_uk_nino(std::string_view span) noexcept;
[[nodiscard]] bool valid_ipv4(std::string_view span) noexcept;
[[nodiscard]] bool valid_ipv6(std::string_view span) noexcept;
[[nodiscard]] bool valid_phone(std::string_view span, const validator_options& options) noexcept;
// The cheap half of `valid_phone`: written like a phone number, 7-15 digits; no numbering plan.
[[nodiscard]] bool valid_phone_layout(std::string_view span) noexcept;
[[nodiscard]] bool valid_phone_regional(std::string_view span, std::string_view before,
                                        const validator_options& options) noexcept;
[[nodiscard]] bool valid_email(std::string_view span) noexcept;
[[nodiscard]] bool valid_jwt(std::string_view span) noexcept;
[[nodiscard]] bool high_entropy_secret(std::string_view span, const validator_options& options) noexcept;
[[nodiscard]] bool valid_password_assignment(std::string_view span,
                                             const validator_options& options) noexcept;
[[nodiscard]] bool valid_password_in_prose(std::string_view span, const validator_options& options) noexcept;
[[nodiscard]] bool valid_us_passport(std::string_view span) noexcept;
[[nodiscard]] bool valid_date_of_birth(std::string_view span) noexcept;
[[nodiscard]] bool valid_url_credentials(std::string_view span) noexcept;

// True when a secret value is obviously not a real one: masks (****, xxxx), template variables
// (${VAR}, {{var}}, <password>, $VAR), and stock placeholders (changeme, your_password…).
// Shared by password_assignment and url_credentials.
[[nodiscard]] bool is_placeholder_secret(std::string_view value) noexcept;

// Entropy a string of `length` bytes must reach: the configured bits per byte, lowered for short
// strings whose ceiling log2(length) is below it (a distinct-character 8-byte string tops out at 3.0).
// How many countries the IBAN length table knows (every one in the SWIFT registry).
[[nodiscard]] std::size_t iban_country_count() noexcept;

[[nodiscard]] double required_entropy(std::size_t length, double configured) noexcept;

}  // namespace sluice::engine::detail
