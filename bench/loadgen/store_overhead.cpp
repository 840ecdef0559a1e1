#include "store_overhead.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <thread>

#include "child_process.h"
#include "scoped_temp_dir.h"
#include "open_loop.h"
#include "overhead.h"

namespace sluice::bench {

namespace {

constexpr const char* admin_token = "sluice-bench-admin-token-0123456789";

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// `store` empty: no governance section.
std::string gateway_config(const std::string& store, std::uint16_t admin_port) {
  std::string y =
      "providers:\n  targets:\n    - id: simulator\n      provider: anthropic:chat:claude-sonnet-4-20250514\n"
      "      secret_key_ref:\n        env: ANTHROPIC_API_KEY\n";
  if (!store.empty()) {
    y += "governance:\n  require_keys: true\n  store: " + store + "\n  admin:\n    listen: 127.0.0.1:" +
         std::to_string(admin_port) + "\n    token_env: SLUICE_BENCH_ADMIN_TOKEN\n";
  }
  return y;
}

// Creates the benchmark's key through `sluice keys create` against the gateway's admin API; returns its
// secret, or "" (with the command's output in `why`).
std::string create_key(const std::string& sluice, std::uint16_t admin_port, std::string& why) {
  const std::string cmd = "SLUICE_ADMIN_TOKEN=" + std::string(admin_token) + " '" + sluice +
                          "' keys create --admin-url http://127.0.0.1:" + std::to_string(admin_port) +
                          " --name bench --rpm 4000000000 --budget-tokens 1000000000000 2>&1";
  for (int attempt = 0; attempt < 50; ++attempt) {  // the admin API may still be starting
    std::string output;
    if (FILE* f = ::popen(cmd.c_str(), "r")) {
      char buf[4096];
      std::size_t n = 0;
      while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
        output.append(buf, n);
      }
      ::pclose(f);
    }
    // The secret itself, not the hint ("secret_hint":"sk-sluice-AbCd…") printed beside it.
    const auto field = output.find("\"secret\":\"sk-sluice-");
    if (field != std::string::npos) {
      const auto at = field + 10;
      return output.substr(at, output.find('"', at) - at);
    }
    why = output;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return {};
}

}  // namespace

int run_store_overhead(const store_overhead_options& options, std::ostream& out) {
  const std::string prose = load_prose("corpora/prose/clean_en.txt");
  const scoped_temp_dir temp("sluice-bench-store-");
  const std::filesystem::path& dir = temp.path();

  child_process sim({options.sluice_path, "upstream-sim", "--port", "0", "--threads", std::to_string(options.sim_threads)});
  const auto sim_port = sim.wait_for_port(std::chrono::seconds(30));
  if (!sim_port) {
    out << "cannot start the simulator:\n" << sim.log_tail() << "\n";
    return 2;
  }
  const std::string body = messages_body(prose, options.prompt_bytes, false);
  out << "governance store overhead: " << options.prompt_bytes << " B prompt, closed loop, " << options.duration_s
      << " s per point after " << options.warmup_s << " s warm-up, gateway " << options.gateway_threads
      << " shard(s)\n";
  out << "  via                   clients    req/s      p50      p99   added p50   added p99  errors\n";

  struct variant {
    const char* name;
    std::string store;
  };
  const std::vector<variant> variants{{"no governance", ""},
                                      {"governance, SQLite", (dir / "keys.db").string()},
                                      {"governance, Redis", options.redis_url}};
  std::vector<load_report> direct;
  for (std::size_t clients : options.clients) {
    load_options o;
    o.closed_loop = true;
    o.concurrency = clients;
    o.duration_s = options.duration_s;
    o.warmup_s = options.warmup_s;
    load_target t;
    t.port = *sim_port;
    t.body = body;
    t.headers = {{"x-api-key", "sk-bench"}, {"anthropic-version", "2023-06-01"}};
    direct.push_back(run_load(t, o));
    const load_report& d = direct.back();
    char line[256];
    std::snprintf(line, sizeof line, "  %-20s %8zu %8.0f %8s %8s %11s %11s %7llu\n", "direct", clients,
                  d.achieved_rate(), format_ns(double(d.latency.percentile(0.5))).c_str(),
                  format_ns(double(d.latency.percentile(0.99))).c_str(), "", "",
                  static_cast<unsigned long long>(d.errors + d.non_2xx));
    out << line;
  }
  int status = 0;
  for (const auto& v : variants) {
    const std::uint16_t admin_port = free_port();
    const auto config_path = dir / (std::string("store-") + std::to_string(&v - variants.data()) + ".yaml");
    std::ofstream(config_path) << gateway_config(v.store, admin_port);
    child_process gateway({options.sluice_path, "gateway", "run", "--listen", "127.0.0.1:0", "--policy-config",
                           config_path.string(), "--threads", std::to_string(options.gateway_threads), "--upstream",
                           "http://127.0.0.1:" + std::to_string(*sim_port)},
                          {"ANTHROPIC_API_KEY=sk-bench", std::string("SLUICE_BENCH_ADMIN_TOKEN=") + admin_token});
    const auto gw_port = gateway.wait_for_port(std::chrono::seconds(30));
    if (!gw_port) {
      out << "cannot start the gateway (" << v.name << "):\n" << gateway.log_tail() << "\n";
      status = 2;
      continue;
    }
    std::string secret = "sk-bench";
    if (!v.store.empty()) {
      std::string why;
      secret = create_key(options.sluice_path, admin_port, why);
      if (secret.empty()) {
        out << "cannot create the benchmark key (" << v.name << "): " << why << "\n";
        status = 2;
        continue;
      }
    }
    for (std::size_t i = 0; i < options.clients.size(); ++i) {
      load_options o;
      o.closed_loop = true;
      o.concurrency = options.clients[i];
      o.duration_s = options.duration_s;
      o.warmup_s = options.warmup_s;
      load_target t;
      t.port = *gw_port;
      t.body = body;
      t.headers = {{"x-api-key", secret}, {"anthropic-version", "2023-06-01"}};
      const load_report r = run_load(t, o);
      const load_report& d = direct[i];
      const double p50 = double(r.latency.percentile(0.5));
      const double p99 = double(r.latency.percentile(0.99));
      char line[256];
      std::snprintf(line, sizeof line, "  %-20s %8zu %8.0f %8s %8s %11s %11s %7llu\n", v.name, options.clients[i],
                    r.achieved_rate(), format_ns(p50).c_str(), format_ns(p99).c_str(),
                    format_ns(p50 - double(d.latency.percentile(0.5))).c_str(),
                    format_ns(p99 - double(d.latency.percentile(0.99))).c_str(),
                    static_cast<unsigned long long>(r.errors + r.non_2xx));
      out << line;
      if (r.non_2xx > 0) {
        out << "    (last refusal: HTTP " << r.last_error_status << ")\n";
      }
      out.flush();
    }
  }
  return status;
}

}  // namespace sluice::bench
