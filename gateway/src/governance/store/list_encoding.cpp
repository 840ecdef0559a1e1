// A key's lists as text fields (see list_encoding.h).
#include "governance/store/list_encoding.h"

#include <cstdio>
#include <cstdlib>

namespace sluice::gateway {

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out.push_back('\n');
    }
    out += item;
  }
  return out;
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) {
      break;
    }
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string double_text(double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string join_numbers(const std::vector<double>& values) {
  std::string out;
  for (const double v : values) {
    if (!out.empty()) {
      out.push_back(',');
    }
    out += double_text(v);
  }
  return out;
}

std::vector<double> split_numbers(const std::string& text) {
  std::vector<double> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(',', pos);
    if (end == std::string::npos) {
      end = text.size();
    }
    out.push_back(std::strtod(text.substr(pos, end - pos).c_str(), nullptr));
    pos = end + 1;
  }
  return out;
}

}  // namespace sluice::gateway
