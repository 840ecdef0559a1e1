#pragma once
// Appends a JSON string literal (with quotes) for UTF-8 text: the one escaper every JSON writer in
// Sluice uses (CLI output, re-emitted SSE deltas, error bodies, audit records).
#include <string>
#include <string_view>

namespace sluice::engine {

// Escapes ", \ and control characters (U+0000–U+001F as \n, \t… or \u00XX); also U+2028/U+2029 so the
// output is safe inside JavaScript. Bytes >= 0x80 are copied as they are: the input must be valid UTF-8.
void append_json_string(std::string& out, std::string_view text);

}  // namespace sluice::engine
