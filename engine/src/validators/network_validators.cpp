// IP addresses. IPv4 is checked by hand because inet_pton would accept forms we do not want to call
// an address in prose; IPv6 grammar is intricate enough that the C library's parser is the reference.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "validators/validator_checks.h"
#include "text/ascii_text.h"

namespace sluice::engine::detail {

bool valid_ipv4(std::string_view span) noexcept {
  // Exactly four dotted decimal octets 0-255. A leading zero ("01") is rejected: some parsers read it
  // as octal, and zero-padded dotted numbers are far more often versions, dates or serials.
  int octets = 0;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    int value = 0;
    while (i < span.size() && is_digit(span[i]) && i - start < 3) {
      value = value * 10 + digit_value(span[i]);
      ++i;
    }
    const std::size_t width = i - start;
    if (width == 0 || value > 255 || (width > 1 && span[start] == '0')) {
      return false;
    }
    ++octets;
    if (i == span.size()) {
      break;
    }
    if (span[i] != '.' || octets == 4) {
      return false;
    }
    ++i;
  }
  return octets == 4;
}

bool valid_ipv6(std::string_view span) noexcept {
  // Brackets as in URLs ("[::1]") and a zone id ("fe80::1%eth0") are allowed around the address.
  if (span.size() >= 2 && span.front() == '[' && span.back() == ']') {
    span = span.substr(1, span.size() - 2);
  }
  if (const std::size_t percent = span.find('%'); percent != std::string_view::npos) {
    const std::string_view zone = span.substr(percent + 1);
    if (zone.empty() || zone.size() > 16) {
      return false;
    }
    for (char c : zone) {
      if (!is_alnum(c) && c != '.' && c != '_' && c != '-') {
        return false;
      }
    }
    span = span.substr(0, percent);
  }
  // INET6_ADDRSTRLEN (46) covers the longest textual form, an IPv4-mapped address included.
  char text[INET6_ADDRSTRLEN];
  if (span.size() < 2 || span.size() >= sizeof text) {
    return false;
  }
  // C++ scopes like `cafe::beef` or `a::b` parse as IPv6; real addresses practically always carry a
  // decimal digit somewhere, so demand one.
  bool has_digit = false;
  for (char c : span) {
    has_digit = has_digit || is_digit(c);
  }
  if (!has_digit) {
    return false;
  }
  std::memcpy(text, span.data(), span.size());
  text[span.size()] = '\0';
  in6_addr address;
  return inet_pton(AF_INET6, text, &address) == 1;
}

}  // namespace sluice::engine::detail
