#include "admin_client.h"

#include <cstdlib>
#include <iostream>

#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/http_client.h"

namespace sluice::cli {

void admin_connection::add_options(CLI::App& cmd) {
  cmd.add_option("--admin-url", url, "Admin API base URL (default: $SLUICE_ADMIN_URL or http://127.0.0.1:41003)");
  cmd.add_option("--admin-token-file", token_file, "File holding the admin token (default: $SLUICE_ADMIN_TOKEN)");
}

int admin_connection::call(const std::string& method, const std::string& path, const std::string& body) const {
  std::string base = url;
  if (base.empty()) {
    const char* env = std::getenv("SLUICE_ADMIN_URL");
    base = env != nullptr && *env != '\0' ? env : "http://127.0.0.1:41003";
  }
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  std::string token;
  try {
    token = gateway::load_admin_token("SLUICE_ADMIN_TOKEN", token_file);
  } catch (const std::exception& e) {
    std::cerr << "sluice: " << e.what() << " (use --admin-token-file)\n";
    return 1;
  }
  const auto result = gateway::http_request(
      method, base + path, {{"authorization", "Bearer " + token}, {"content-type", "application/json"}}, body,
      std::chrono::seconds(30));
  if (result.status == 0) {
    std::cerr << "sluice: cannot reach the admin API at " << base << ": " << result.error << '\n';
    return 1;
  }
  if (result.status >= 200 && result.status < 300) {
    std::cout << result.body << '\n';
    return 0;
  }
  std::cerr << "sluice: admin API answered " << result.status << ": " << result.body << '\n';
  return 1;
}

std::string url_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace sluice::cli
