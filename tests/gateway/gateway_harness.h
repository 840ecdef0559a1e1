#pragma once
// Test support: a simulator and a gateway on loopback (ports chosen by the OS), a tiny rule catalog of
// our own so the tests do not depend on the shipped catalog, and a blocking HTTP client.
#include <gtest/gtest.h>

#include <boost/beast/http.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sluice/engine/ruleset.h"
#include "sluice/gateway/config.h"
#include "sluice/gateway/server.h"
#include "sluice/sim/upstream_sim.h"

namespace sluice::gateway::testing {

struct http_reply {
  unsigned status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  bool connection_closed = false;              // nothing came back
  [[nodiscard]] std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

using header_list = std::vector<std::pair<std::string, std::string>>;

// One request on a new connection.
http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target,
                     const std::string& body = {}, const header_list& headers = {},
                     const std::string& content_type = "application/json");

// Sends raw bytes and returns whatever comes back until the peer closes (or `wait_ms` passes).
std::string raw_exchange(std::uint16_t port, const std::string& bytes, int wait_ms = 5000);

// Two POST /v1/messages requests with `body` for one connection, the second asking to close it.
std::string keep_alive_then_close(const std::string& body);

// Parses one HTTP response from `raw` at `pos` (advanced past it); false on a parse error or when the
// response is incomplete.
bool parse_response(const std::string& raw, std::size_t& pos,
                    boost::beast::http::response_parser<boost::beast::http::string_body>& parser);

// The compiled test catalog: EMAIL, PHONE (3-3-4 digits, confirmed by libphonenumber), an injection
// signature ("ignore previous instructions", weight 0.95), a weaker one ("you are now", 0.3) and a
// content term ("forbidden-widget", category WEAPONS).
std::shared_ptr<const engine::ruleset> test_rules();

// A Messages request body whose last user message is `text`.
std::string messages_body(const std::string& text, bool stream = false, const std::string& extra = {});

// Base64 of `text`, for SIM_REPLY64.
std::string base64(const std::string& text);

// The value of the first string field `"name":"…"` in `json`, as written (ids and secrets need no
// unescaping), or "" when there is none.
std::string json_field(const std::string& json, const std::string& name);

// The "request" records of an audit log directory, in file order.
std::vector<std::string> audit_requests(const std::filesystem::path& directory);

// A unique temporary directory, removed at destruction.
struct temp_dir {
  temp_dir();
  ~temp_dir();
  std::filesystem::path path;
};

struct harness_options {
  std::string policies;      // YAML placed under `policies:` (chain and policy), may be empty
  std::string target_extra;  // extra YAML lines for the first target, indented 6 spaces
  std::string server;        // YAML placed under `server:`
  std::string extra_targets; // whole extra target entries (after the simulator one)
  std::string governance;    // YAML placed under `governance:`, may be empty (no section)
  simulator_options sim;
  unsigned threads = 1;
};

// Simulator + gateway. The gateway's first target is the simulator.
class harness {
 public:
  explicit harness(harness_options options = {});
  ~harness();
  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] upstream_simulator& sim() { return *sim_; }
  [[nodiscard]] gateway_server& server() { return *server_; }
  [[nodiscard]] const std::filesystem::path& dir() const { return dir_.path; }
  [[nodiscard]] std::string config_text() const { return config_text_; }
  // Builds a configuration text for this harness with other options (for reload tests).
  [[nodiscard]] std::string make_config(const harness_options& options) const;

  http_reply post_messages(const std::string& body, const header_list& headers = {}) {
    return http_call(port(), "POST", "/v1/messages", body, headers);
  }

 private:
  temp_dir dir_;
  std::unique_ptr<upstream_simulator> sim_;
  std::unique_ptr<gateway_server> server_;
  std::string config_text_;
};

}  // namespace sluice::gateway::testing
