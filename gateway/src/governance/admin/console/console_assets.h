#pragma once
// The console's page, stylesheet and scripts (gateway/console/), compiled into the binary: the build
// turns each file into a byte array (cmake/embed_console_assets.cmake writes console_assets_data.cpp),
// so the listener never reads a file at run time and the page never loads anything from elsewhere.
#include <span>
#include <string_view>

namespace sluice::gateway {

struct console_asset {
  std::string_view name;          // file name: "index.html", "console.js", …
  std::string_view content_type;  // from the extension
  std::string_view body;
};

// Every embedded file (defined in the generated source).
[[nodiscard]] std::span<const console_asset> console_assets() noexcept;

// The asset called `name`, or nullptr.
[[nodiscard]] const console_asset* find_console_asset(std::string_view name) noexcept;

}  // namespace sluice::gateway
