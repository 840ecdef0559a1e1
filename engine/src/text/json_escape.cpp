#include "sluice/engine/json_escape.h"

namespace sluice::engine {

void append_json_string(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the current run of bytes that need no escaping
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const char* escape = nullptr;
    char unicode[7] = {'\\', 'u', '0', '0', 0, 0, 0};
    if (c == '"') escape = "\\\"";
    else if (c == '\\') escape = "\\\\";
    else if (c == '\n') escape = "\\n";
    else if (c == '\r') escape = "\\r";
    else if (c == '\t') escape = "\\t";
    else if (c == '\b') escape = "\\b";
    else if (c == '\f') escape = "\\f";
    else if (c < 0x20) {
      unicode[4] = hex[c >> 4];
      unicode[5] = hex[c & 15];
      escape = unicode;
    } else if (c == 0xe2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(text[i + 2]) == 0xa8 ||
                static_cast<unsigned char>(text[i + 2]) == 0xa9)) {
      out.append(text.substr(run, i - run));
      out += static_cast<unsigned char>(text[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
      i += 2;
      run = i + 1;
      continue;
    }
    if (escape != nullptr) {
      out.append(text.substr(run, i - run));
      out += escape;
      run = i + 1;
    }
  }
  out.append(text.substr(run));
  out.push_back('"');
}

}  // namespace sluice::engine
