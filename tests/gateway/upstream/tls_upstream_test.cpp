// The upstream over TLS, as it is in production (https://api.anthropic.com): a local HTTPS server with a
// certificate made for the test, trusted through SSL_CERT_FILE (which OpenSSL's default verify paths
// read), checks that the gateway verifies the certificate and the host name and sends SNI.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include "gateway_harness.h"

namespace sluice::gateway {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// A self-signed certificate for `host_name` (EC P-256), written as PEM files.
void make_certificate(const std::string& host_name, const std::filesystem::path& cert_file,
                      const std::filesystem::path& key_file) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  ASSERT_NE(key, nullptr);
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(host_name.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert, name);
  X509_set_pubkey(cert, key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  const std::string san = "DNS:" + host_name;
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, san.c_str()}, std::pair{NID_basic_constraints, "critical,CA:TRUE"},
                            std::pair{NID_key_usage, "critical,digitalSignature,keyCertSign"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    ASSERT_NE(ext, nullptr);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
  FILE* f = std::fopen(cert_file.c_str(), "w");
  PEM_write_X509(f, cert);
  std::fclose(f);
  f = std::fopen(key_file.c_str(), "w");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  X509_free(cert);
  EVP_PKEY_free(key);
}

// An HTTPS server on 127.0.0.1 that answers every POST with one Messages response (echoing the body
// length) and records the SNI name and the requests it saw.
class tls_upstream {
 public:
  tls_upstream(const std::filesystem::path& cert, const std::filesystem::path& key)
      : tls_(net::ssl::context::tls_server), acceptor_(ioc_, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0)) {
    tls_.use_certificate_chain_file(cert.string());
    tls_.use_private_key_file(key.string(), net::ssl::context::pem);
    SSL_CTX_set_tlsext_servername_callback(tls_.native_handle(), &tls_upstream::on_server_name);
    SSL_CTX_set_tlsext_servername_arg(tls_.native_handle(), this);
    thread_ = std::thread([this] { serve(); });
  }
  ~tls_upstream() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(ioc_);
    poke.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
    thread_.join();
  }
  [[nodiscard]] std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  [[nodiscard]] int requests() const { return requests_.load(); }
  [[nodiscard]] std::string server_name() {
    std::lock_guard lock(mutex_);
    return server_name_;
  }

 private:
  static int on_server_name(SSL* ssl, int*, void* arg) {
    auto* self = static_cast<tls_upstream*>(arg);
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::lock_guard lock(self->mutex_);
    self->server_name_ = name != nullptr ? name : "";
    return SSL_TLSEXT_ERR_OK;
  }

  void serve() {
    while (!stopping_) {
      tcp::socket socket(ioc_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (ec || stopping_) {
        continue;
      }
      net::ssl::stream<tcp::socket> stream(std::move(socket), tls_);
      stream.handshake(net::ssl::stream_base::server, ec);
      boost::beast::flat_buffer buffer;
      while (!ec) {
        http::request<http::string_body> req;
        http::read(stream, buffer, req, ec);
        if (ec) {
          break;
        }
        ++requests_;
        http::response<http::string_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "application/json");
        res.body() = R"({"id":"msg_tls","type":"message","role":"assistant","model":"claude-tls",)"
                     R"("content":[{"type":"text","text":"over tls, )" +
                     std::to_string(req.body().size()) +
                     R"( bytes"}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}})";
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        http::write(stream, res, ec);
        if (!req.keep_alive()) {
          break;
        }
      }
    }
  }

  net::io_context ioc_;
  net::ssl::context tls_;
  tcp::acceptor acceptor_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::string server_name_;
};

// A gateway whose only target is the TLS server at `host`, trusting `trusted_cert` as its CA store.
struct tls_gateway {
  tls_gateway(const std::string& host, std::uint16_t port, const std::filesystem::path& trusted_cert) {
    ::setenv("SSL_CERT_FILE", trusted_cert.c_str(), 1);
    h = std::make_unique<testing::harness>();
    const std::string cfg = "providers:\n  targets:\n    - id: tls\n      provider: anthropic:chat:claude-tls\n"
                            "      base_url: https://" + host + ":" + std::to_string(port) +
                            "\n      secret_key_ref:\n        env: SLUICE_GATEWAY_TEST_KEY\n"
                            "      retry:\n        max_attempts: 1\n";
    h->server().install(parse_config(cfg, "tls.yaml"), testing::test_rules());
  }
  ~tls_gateway() { ::unsetenv("SSL_CERT_FILE"); }
  std::unique_ptr<testing::harness> h;
};

class TlsUpstream : public ::testing::Test {
 protected:
  void SetUp() override {
    cert_ = dir_.path / "localhost.pem";
    key_ = dir_.path / "localhost.key";
    other_cert_ = dir_.path / "other.pem";
    make_certificate("localhost", cert_, key_);
    make_certificate("localhost", other_cert_, dir_.path / "other.key");
  }
  testing::temp_dir dir_;
  std::filesystem::path cert_, key_, other_cert_;
};

TEST_F(TlsUpstream, AVerifiedUpstreamIsReachedWithSniAndKeepAlive) {
  tls_upstream upstream(cert_, key_);
  tls_gateway g("localhost", upstream.port(), cert_);
  for (int i = 0; i < 3; ++i) {
    auto r = g.h->post_messages(testing::messages_body("hello over tls"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_NE(r.body.find("over tls"), std::string::npos) << r.body;
  }
  EXPECT_EQ(upstream.requests(), 3);
  EXPECT_EQ(upstream.server_name(), "localhost");
}

TEST_F(TlsUpstream, AnUntrustedCertificateIsRefusedBeforeAnythingIsSent) {
  tls_upstream upstream(cert_, key_);
  tls_gateway g("localhost", upstream.port(), other_cert_);  // trusts another certificate only
  auto r = g.h->post_messages(testing::messages_body("must not leave"));
  EXPECT_EQ(r.status, 502u) << r.body;
  EXPECT_NE(r.body.find("api_error"), std::string::npos) << r.body;
  EXPECT_EQ(upstream.requests(), 0);
}

TEST_F(TlsUpstream, ACertificateForAnotherHostNameIsRefused) {
  tls_upstream upstream(cert_, key_);
  tls_gateway g("127.0.0.1", upstream.port(), cert_);  // the certificate names localhost only
  auto r = g.h->post_messages(testing::messages_body("must not leave"));
  EXPECT_EQ(r.status, 502u) << r.body;
  EXPECT_EQ(upstream.requests(), 0);
}

}  // namespace
}  // namespace sluice::gateway
