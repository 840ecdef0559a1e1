// The nginx baseline of `sluice-bench overhead`: the configuration it writes, and (where nginx is
// installed) a started proxy that accepts connections and stops with its owner.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "nginx_proxy.h"

namespace sluice::bench {
namespace {

TEST(NginxBaseline, ConfigurationIsAPlainKeepAliveProxyThatDoesNotBufferStreams) {
  nginx_settings s;
  s.workers = 2;
  s.upstream_port = 41234;
  s.dir = "/tmp/somewhere";
  const std::string c = nginx_config(s, 52000);
  EXPECT_NE(c.find("worker_processes 2;"), std::string::npos);
  EXPECT_NE(c.find("listen 127.0.0.1:52000"), std::string::npos);
  EXPECT_NE(c.find("server 127.0.0.1:41234; keepalive"), std::string::npos);
  EXPECT_NE(c.find("proxy_buffering off;"), std::string::npos);
  EXPECT_NE(c.find("proxy_http_version 1.1;"), std::string::npos);
  EXPECT_NE(c.find("access_log off;"), std::string::npos);
  EXPECT_NE(c.find("pid /tmp/somewhere/nginx.pid;"), std::string::npos);
  EXPECT_NE(c.find("daemon off;"), std::string::npos);
}

TEST(NginxBaseline, AMissingProgramIsAClearError) {
  nginx_settings s;
  s.program = "no-such-nginx-program";
  s.dir = std::filesystem::temp_directory_path() / ("nginx-missing-" + std::to_string(::getpid()));
  try {
    nginx_proxy proxy(s);
    FAIL() << "started a program that does not exist";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("is not installed"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(s.dir);
}

TEST(NginxBaseline, StartsListensAndStopsWithItsOwner) {
  if (find_program("nginx").empty()) {
    GTEST_SKIP() << "nginx is not installed";
  }
  nginx_settings s;
  s.upstream_port = 9;  // nothing behind it: this test only checks the proxy's own life cycle
  s.dir = std::filesystem::temp_directory_path() / ("nginx-proxy-test-" + std::to_string(::getpid()));
  std::uint16_t port = 0;
  {
    nginx_proxy proxy(s);
    port = proxy.port();
    EXPECT_TRUE(accepts_connections(port));
  }
  EXPECT_FALSE(accepts_connections(port));
  std::filesystem::remove_all(s.dir);
}

}  // namespace
}  // namespace sluice::bench
