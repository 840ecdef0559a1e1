#pragma once
// How `sluice keys` and `sluice usage` reach the admin API: URL and token options shared by both.
#include <CLI/CLI.hpp>

#include <string>

namespace sluice::cli {

struct admin_connection {
  std::string url;         // default $SLUICE_ADMIN_URL or http://127.0.0.1:41003
  std::string token_file;  // default: $SLUICE_ADMIN_TOKEN
  void add_options(CLI::App& cmd);
  // Sends the request and prints the JSON answer to stdout (errors to stderr). Returns the exit
  // status: 0 for 2xx, 1 otherwise.
  int call(const std::string& method, const std::string& path, const std::string& body) const;
};

// Percent-encodes a query or path component.
[[nodiscard]] std::string url_encode(const std::string& text);

}  // namespace sluice::cli
