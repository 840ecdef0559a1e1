// Test support (see gateway_harness.h).
#include "gateway_harness.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>

#include "sluice/engine/rule_catalog.h"

namespace sluice::gateway::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

http_reply http_call(std::uint16_t port, const std::string& method, const std::string& target, const std::string& body,
                     const header_list& headers, const std::string& content_type) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(std::chrono::seconds(20));
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!body.empty() || method == "POST") {
    req.set(http::field::content_type, content_type);
  }
  for (const auto& [k, v] : headers) {
    req.set(k, v);
  }
  req.body() = body;
  req.prepare_payload();
  http_reply reply;
  beast::error_code ec;
  http::write(stream, req, ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser, ec);
  if (ec) {
    reply.connection_closed = true;
    return reply;
  }
  auto& res = parser.get();
  reply.status = res.result_int();
  reply.body = res.body();
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (char& c : name) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    reply.headers[name] = std::string(f.value());
  }
  return reply;
}

std::string keep_alive_then_close(const std::string& body) {
  const std::string request = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                              "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string closing = request;
  closing.insert(closing.find("\r\n\r\n"), "\r\nConnection: close");
  return request + closing;
}

bool parse_response(const std::string& raw, std::size_t& pos,
                    boost::beast::http::response_parser<boost::beast::http::string_body>& parser) {
  parser.eager(true);
  boost::beast::error_code ec;
  pos += parser.put(boost::asio::buffer(raw.data() + pos, raw.size() - pos), ec);
  return !ec && parser.is_done();
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, int wait_ms) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  beast::error_code ec;
  net::write(stream, net::buffer(bytes), ec);
  std::string out;
  char buf[4096];
  stream.expires_after(std::chrono::milliseconds(wait_ms));
  for (;;) {
    const std::size_t n = stream.read_some(net::buffer(buf), ec);
    out.append(buf, n);
    if (ec) {
      break;
    }
  }
  return out;
}

std::shared_ptr<const engine::ruleset> test_rules() {
  static const std::shared_ptr<const engine::ruleset> rules = [] {
    const std::string yaml = R"(
rules:
  - id: pii.email
    kind: pii
    entity: EMAIL
    pattern: '\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b'
    validator: email
    stream:
      charset: '[A-Za-z0-9._%+@-]'
      max_width: 254
  - id: pii.phone.national
    kind: pii
    entity: PHONE
    pattern: '\b\d{3} \d{3} \d{4}\b'
    validator: phone
    stream:
      charset: '[0-9 ]'
  - id: injection.ignore_previous
    kind: injection
    entity: instruction_override
    pattern: 'ignore\s+(all\s+)?previous\s+instructions'
    weight: 0.95
  - id: injection.you_are_now
    kind: injection
    entity: role_play
    pattern: 'you\s+are\s+now'
    weight: 0.3
  - id: content.forbidden_widget
    kind: content
    entity: WEAPONS
    pattern: 'forbidden-widget'
)";
    return engine::ruleset::compile(engine::parse_rule_file(yaml, "gateway-test-rules.yaml"));
  }();
  return rules;
}

std::string messages_body(const std::string& text, bool stream, const std::string& extra) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') {
      escaped += '\\';
    }
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  std::string body = R"({"model":"claude-sim-1","max_tokens":64,)";
  if (stream) {
    body += R"("stream":true,)";
  }
  body += extra;
  body += R"("messages":[{"role":"user","content":")" + escaped + R"("}]})";
  return body;
}

std::string json_field(const std::string& json, const std::string& name) {
  const auto at = json.find("\"" + name + "\":\"");
  if (at == std::string::npos) {
    return {};
  }
  const auto start = at + name.size() + 4;
  return json.substr(start, json.find('"', start) - start);
}

std::string base64(const std::string& text) {
  std::string out(4 * ((text.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::vector<std::string> audit_requests(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(directory)) {
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::ifstream in(f);
    for (std::string line; std::getline(in, line);) {
      if (line.find("\"type\":\"request\"") != std::string::npos) {
        out.push_back(line);
      }
    }
  }
  return out;
}

temp_dir::temp_dir() {
  std::random_device rd;
  path = std::filesystem::temp_directory_path() /
         ("sluice-gw-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  std::filesystem::create_directories(path);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string harness::make_config(const harness_options& o) const {
  std::string cfg = "providers:\n  targets:\n";
  cfg += "    - id: sim\n";
  cfg += "      provider: anthropic:chat:claude-sim-1\n";
  cfg += "      base_url: http://127.0.0.1:" + std::to_string(sim_->port()) + "\n";
  cfg += "      secret_key_ref:\n        env: SLUICE_GATEWAY_TEST_KEY\n";
  cfg += "      retry:\n        max_attempts: 3\n        backoff_ms: 1\n        max_backoff_ms: 5\n";
  cfg += o.target_extra;
  cfg += o.extra_targets;
  if (!o.policies.empty()) {
    cfg += "policies:\n" + o.policies;
  }
  if (!o.server.empty()) {
    cfg += "server:\n" + o.server;
  }
  if (!o.governance.empty()) {
    cfg += "governance:\n" + o.governance;
  }
  return cfg;
}

harness::harness(harness_options o) {
  ::setenv("SLUICE_GATEWAY_TEST_KEY", "test-upstream-key", 1);
  sim_ = std::make_unique<upstream_simulator>(o.sim);
  sim_->start();
  config_text_ = make_config(o);
  // Paths in the policies may name the temporary directory as @DIR@.
  for (std::size_t pos; (pos = config_text_.find("@DIR@")) != std::string::npos;) {
    config_text_.replace(pos, 5, dir_.path.string());
  }
  auto cfg = parse_config(config_text_, "test.yaml");
  server_settings settings;
  settings.threads = o.threads;
  server_ = std::make_unique<gateway_server>(settings, cfg, test_rules());
  server_->start();
}

harness::~harness() {
  server_->shutdown();
  server_->wait();
  sim_->stop();
}

}  // namespace sluice::gateway::testing
