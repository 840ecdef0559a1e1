// JSON Web Tokens: three base64url segments whose first decodes to a JSON object naming its signing
// algorithm. Many things look like `xxx.yyy.zzz` (file names, hostnames, version triples); only a
// JOSE header makes it a token.
#include <simdjson.h>

#include <cstdint>
#include <cstring>

#include "text/base64url.h"
#include "validators/validator_checks.h"

namespace sluice::engine::detail {
namespace {

// Real headers are tens of bytes; ones carrying a certificate chain ("x5c") reach a few KiB. Larger
// headers are not confirmed rather than allocated for.
constexpr std::size_t max_header = 4096;

simdjson::dom::parser* thread_parser() noexcept {
  try {
    // One parser per thread, sized once for the largest header we accept (no per-call allocation).
    thread_local simdjson::dom::parser parser;
    thread_local bool ready = parser.allocate(max_header) == simdjson::SUCCESS;
    return ready ? &parser : nullptr;
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

bool valid_jwt(std::string_view span) noexcept {
  const std::size_t first = span.find('.');
  if (first == std::string_view::npos) {
    return false;
  }
  const std::size_t second = span.find('.', first + 1);
  if (second == std::string_view::npos || span.find('.', second + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view header = span.substr(0, first);
  const std::string_view payload = span.substr(first + 1, second - first - 1);
  const std::string_view signature = span.substr(second + 1);  // empty for "alg": "none"
  if (header.empty() || payload.empty() || !is_base64url(payload) || !is_base64url(signature)) {
    return false;
  }
  alignas(64) std::uint8_t json[max_header + simdjson::SIMDJSON_PADDING];
  const long n = decode_base64url(header, json, max_header);
  if (n <= 0) {
    return false;
  }
  std::memset(json + n, 0, simdjson::SIMDJSON_PADDING);  // simdjson reads past the end; keep it defined
  simdjson::dom::parser* parser = thread_parser();
  if (parser == nullptr) {
    return false;
  }
  simdjson::dom::element root;
  if (parser->parse(json, static_cast<std::size_t>(n), false).get(root) != simdjson::SUCCESS) {
    return false;
  }
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) {
    return false;
  }
  std::string_view alg;
  if (object["alg"].get_string().get(alg) != simdjson::SUCCESS) {
    return false;
  }
  return !alg.empty();
}

}  // namespace sluice::engine::detail
