#pragma once
// How the stores keep a key's lists in one text field: items one per line (globs, paths and CIDRs never
// contain a newline: validated when a key is created or updated), numbers comma-separated in decimal
// with every digit a double needs to read back exactly. Shared by every backend, so a key reads the
// same whichever store wrote it.
#include <string>
#include <string_view>
#include <vector>

namespace sluice::gateway {

[[nodiscard]] std::string join_lines(const std::vector<std::string>& items);
[[nodiscard]] std::vector<std::string> split_lines(std::string_view text);
[[nodiscard]] std::string double_text(double v);
[[nodiscard]] std::string join_numbers(const std::vector<double>& values);
[[nodiscard]] std::vector<double> split_numbers(const std::string& text);

}  // namespace sluice::gateway
