#include "overhead.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "child_process.h"
#include "scoped_temp_dir.h"
#include "nginx_proxy.h"
#include "open_loop.h"

namespace sluice::bench {

namespace {

constexpr double percentiles[] = {0.5, 0.9, 0.99, 0.999};
constexpr const char* percentile_names[] = {"p50", "p90", "p99", "p99.9"};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string fallback_prose() {
  std::string s;
  while (s.size() < 128 * 1024) {
    s += "The team reviewed the migration plan and agreed on a modest schedule for the spring release. ";
  }
  return s;
}

std::string pad_left(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string size_name(std::size_t bytes) {
  return bytes % 1024 == 0 ? std::to_string(bytes / 1024) + " KiB" : std::to_string(bytes) + " B";
}

std::vector<std::string> chain_of(const std::string& variant) {
  if (variant == "none") {
    return {};
  }
  if (variant == "full") {
    return {"prompt-injection", "pii-detector", "content-filter", "audit-logger"};
  }
  return {variant};
}

std::string policy_block(const std::string& name, const std::filesystem::path& dir) {
  if (name == "prompt-injection") {
    return "    prompt-injection:\n      threshold: 0.8\n      action: block\n";
  }
  if (name == "pii-detector") {
    return "    pii-detector:\n      action: redact\n";
  }
  if (name == "content-filter") {
    return "    content-filter:\n      action: flag\n";
  }
  if (name == "audit-logger") {
    return "    audit-logger:\n      path: " + (dir / "audit.jsonl").string() + "\n";
  }
  return "";
}

// The target's address comes from `gateway run --upstream`, so the file names no base_url.
std::string gateway_config(const std::string& variant, const std::filesystem::path& dir) {
  std::string y =
      "pack:\n  name: sluice-bench\n  version: 1.0.0\n  enabled: true\n"
      "providers:\n  targets:\n    - id: simulator\n      provider: anthropic:chat:claude-sonnet-4-20250514\n"
      "      secret_key_ref:\n        env: ANTHROPIC_API_KEY\n"
      "policies:\n  chain:";
  const auto chain = chain_of(variant);
  if (chain.empty()) {
    y += " []\n";
  } else {
    y += "\n";
    for (const auto& p : chain) {
      y += "    - " + p + "\n";
    }
    y += "  policy:\n";
    for (const auto& p : chain) {
      y += policy_block(p, dir);
    }
  }
  return y;
}

struct run_result {
  load_report report;
  std::string label;
};

load_target target_at(std::uint16_t port, const std::string& body) {
  load_target t;
  t.port = port;
  t.body = body;
  t.headers = {{"x-api-key", "sk-bench"}, {"anthropic-version", "2023-06-01"}};
  return t;
}

void print_header(std::ostream& out, bool streaming) {
  out << pad_left("rate", 8) << "  " << std::string("via      ") << pad_left("achieved", 9);
  for (const char* name : percentile_names) {
    out << pad_left(name, 10);
  }
  out << pad_left("max", 10) << pad_left("errors", 8) << "\n";
  if (streaming) {
    out << "          (streaming rows: latency to the last event; ttfb and per-event gap below)\n";
  }
}

void print_row(std::ostream& out, double rate, const char* via, const load_report& r) {
  char achieved[32];
  std::snprintf(achieved, sizeof achieved, "%.0f/s", r.achieved_rate());
  out << pad_left(rate > 0 ? std::to_string(static_cast<long>(rate)) + "/s" : "", 8) << "  " << via
      << std::string(9 - std::string(via).size(), ' ') << pad_left(achieved, 9);
  for (double p : percentiles) {
    out << pad_left(format_ns(double(r.latency.percentile(p))), 10);
  }
  out << pad_left(format_ns(double(r.latency.max())), 10)
      << pad_left(std::to_string(r.errors + r.non_2xx + r.dropped + r.unfinished), 8) << "\n";
}

void print_added(std::ostream& out, const char* label, const load_report& direct, const load_report& gateway) {
  out << pad_left("", 8) << "  " << label << std::string(9 - std::string(label).size(), ' ') << pad_left("", 9);
  for (double p : percentiles) {
    const double d = double(gateway.latency.percentile(p)) - double(direct.latency.percentile(p));
    out << pad_left((d >= 0 ? "+" : "-") + format_ns(d >= 0 ? d : -d), 10);
  }
  const double dm = double(gateway.latency.max()) - double(direct.latency.max());
  out << pad_left((dm >= 0 ? "+" : "-") + format_ns(dm >= 0 ? dm : -dm), 10) << "\n";
}

// "gateway/nginx added: p50 1.4x  p90 …": each percentile's added latency over the proxy's.
void print_ratio(std::ostream& out, const load_report& direct, const load_report& proxy, const load_report& gateway) {
  out << pad_left("", 8) << "  gateway/nginx added:";
  for (std::size_t i = 0; i < std::size(percentiles); ++i) {
    const double p = percentiles[i];
    const double d = double(direct.latency.percentile(p));
    const double nginx_added = double(proxy.latency.percentile(p)) - d;
    const double gateway_added = double(gateway.latency.percentile(p)) - d;
    char buf[48];
    if (nginx_added > 0) {
      std::snprintf(buf, sizeof buf, " %s %.1fx", percentile_names[i], gateway_added / nginx_added);
    } else {
      std::snprintf(buf, sizeof buf, " %s n/a", percentile_names[i]);
    }
    out << buf;
  }
  out << "\n";
}

std::optional<std::uint16_t> start_and_wait(child_process& child, const std::string& what, std::ostream& out) {
  auto port = child.wait_for_port(std::chrono::seconds(30));
  if (!port) {
    out << "cannot start " << what << "; its output:\n" << child.log_tail() << "\n";
  }
  return port;
}

// One request, to check the path works before timing it.
bool probe(std::uint16_t port, const std::string& body, std::ostream& out, const std::string& what) {
  load_options o;
  o.rate = 10;
  o.duration_s = 0.1;
  o.drain_s = 5;
  const auto r = run_load(target_at(port, body), o);
  if (r.ok == 0) {
    out << what << ": the probe request failed (" << r.non_2xx << " non-2xx";
    if (r.non_2xx > 0) {
      out << ", status " << r.last_error_status;
    }
    out << ", " << r.errors << " errors)\n";
    return false;
  }
  return true;
}

}  // namespace

std::string format_ns(double ns) {
  char buf[32];
  if (ns < 1e3) {
    std::snprintf(buf, sizeof buf, "%.0fns", ns);
  } else if (ns < 1e6) {
    std::snprintf(buf, sizeof buf, "%.1fµs", ns / 1e3);
  } else if (ns < 1e9) {
    std::snprintf(buf, sizeof buf, "%.2fms", ns / 1e6);
  } else {
    std::snprintf(buf, sizeof buf, "%.2fs", ns / 1e9);
  }
  return buf;
}

std::string load_prose(const std::string& path) {
  std::string prose = read_file(path);
  return prose.empty() ? fallback_prose() : prose;
}

std::string messages_body(const std::string& prose, std::size_t bytes, bool stream) {
  std::string text = "Please reply to jane.doe@example.com about the notes below. ";
  std::size_t i = 0;
  while (text.size() < bytes && !prose.empty()) {
    const char c = prose[i++ % prose.size()];
    if (c == '\n') {
      text += "\\n";
    } else if (c == '"' || c == '\\') {
      text += '\\';
      text += c;
    } else if (static_cast<unsigned char>(c) >= 0x20) {
      text += c;
    }
  }
  // Never end inside a multi-byte character or an escape.
  while (!text.empty() && ((static_cast<unsigned char>(text.back()) & 0x80) != 0 || text.back() == '\\')) {
    text.pop_back();
  }
  return std::string("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,") +
         (stream ? "\"stream\":true," : "") + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
}

int run_overhead(const overhead_options& options, std::ostream& out) {
  const std::string prose = load_prose(options.prose_file);
  const scoped_temp_dir temp("sluice-bench-");
  const std::filesystem::path& dir = temp.path();

  // --tokens-per-second paces only streamed answers (one delta per token); whole answers are unaffected.
  child_process sim({options.sluice_path, "upstream-sim", "--port", "0", "--threads",
                     std::to_string(options.sim_threads), "--tokens-per-second",
                     std::to_string(options.stream_tokens_per_second)});
  const auto sim_port = start_and_wait(sim, "the upstream simulator", out);
  if (!sim_port) {
    return 2;
  }
  out << "upstream simulator on 127.0.0.1:" << *sim_port << "; open loop, " << options.duration_s
      << " s per point after " << options.warmup_s << " s warm-up; latency from the intended send time\n";
  std::unique_ptr<nginx_proxy> nginx;
  if (options.baseline == "nginx") {
    try {
      nginx = std::make_unique<nginx_proxy>(nginx_settings{
          options.nginx_program, options.gateway_threads, *sim_port, dir / "nginx"});
    } catch (const std::exception& e) {
      out << e.what() << "\n";
      return 2;
    }
    out << "nginx baseline (reverse proxy, " << options.gateway_threads << " worker"
        << (options.gateway_threads == 1 ? "" : "s") << ", own process) on 127.0.0.1:" << nginx->port() << "\n";
  }

  load_options base;
  base.duration_s = options.duration_s;
  base.warmup_s = options.warmup_s;
  load_options saturation;
  saturation.closed_loop = true;
  saturation.concurrency = options.saturation_concurrency;
  saturation.duration_s = options.saturation_s;

  // Every gateway measurement is paired with a direct one taken just before it, at the same point:
  // on a shared machine the background load drifts within minutes, and a direct baseline measured
  // once at the start made the difference partly a difference in time.
  std::vector<std::size_t> sizes = options.sizes;
  for (std::size_t size : sizes) {
    if (!probe(*sim_port, messages_body(prose, size, false), out, "simulator")) {
      return 2;
    }
    if (nginx && !probe(nginx->port(), messages_body(prose, size, false), out, "nginx")) {
      return 2;
    }
  }
  const std::size_t stream_size = 4096;
  const double stream_rate = options.stream_rate;
  auto stream_options = [&] {
    auto o = base;
    o.rate = stream_rate;
    return o;
  };

  int status = 0;
  for (const auto& variant : options.variants) {
    const auto config_path = dir / ("policy-" + variant + ".yaml");
    std::ofstream(config_path) << gateway_config(variant, dir);
    child_process gateway({options.sluice_path, "gateway", "run", "--listen", "127.0.0.1:0", "--policy-config",
                           config_path.string(), "--threads", std::to_string(options.gateway_threads), "--upstream",
                           "http://127.0.0.1:" + std::to_string(*sim_port)},
                          {"ANTHROPIC_API_KEY=sk-bench"});
    const auto gw_port = start_and_wait(gateway, "the gateway (" + variant + ")", out);
    if (!gw_port) {
      status = 2;
      continue;
    }
    const bool all_sizes = variant == "none" || variant == "full";
    for (std::size_t size : sizes) {
      if (!all_sizes && size != 4096 && sizes.size() > 1) {
        continue;
      }
      const auto body = messages_body(prose, size, false);
      out << "\n== policies: " << variant << ", " << size_name(size) << " prompt, non-streaming\n";
      if (!probe(*gw_port, body, out, "gateway (" + variant + ")")) {
        out << gateway.log_tail() << "\n";
        status = 2;
        break;
      }
      print_header(out, false);
      for (double rate : options.rates) {
        auto o = base;
        o.rate = rate;
        const auto d = run_load(target_at(*sim_port, body), o);
        const auto proxy = nginx ? run_load(target_at(nginx->port(), body), o) : load_report{};
        const auto via = run_load(target_at(*gw_port, body), o);
        print_row(out, rate, "direct", d);
        if (nginx) {
          print_row(out, rate, "nginx", proxy);
        }
        print_row(out, rate, "gateway", via);
        if (nginx) {
          print_added(out, "nginx +", d, proxy);
        }
        print_added(out, "added", d, via);
        if (nginx) {
          print_ratio(out, d, proxy, via);
        }
      }
      const auto direct_saturation = run_load(target_at(*sim_port, body), saturation);
      const auto proxy_saturation = nginx ? run_load(target_at(nginx->port(), body), saturation) : load_report{};
      const auto sat = run_load(target_at(*gw_port, body), saturation);
      char line[320];
      std::snprintf(line, sizeof line,
                    "saturation (%zu connections, closed loop, %.0f s): direct %.0f req/s, gateway %.0f req/s "
                    "(gateway p50 %s, p99 %s; %llu errors)\n",
                    options.saturation_concurrency, options.saturation_s, direct_saturation.achieved_rate(),
                    sat.achieved_rate(), format_ns(double(sat.latency.percentile(0.5))).c_str(),
                    format_ns(double(sat.latency.percentile(0.99))).c_str(),
                    static_cast<unsigned long long>(sat.errors + sat.non_2xx));
      out << line;
      if (nginx) {
        std::snprintf(line, sizeof line,
                      "            nginx %.0f req/s (p50 %s, p99 %s; %llu errors); gateway/nginx requests/s %.2f\n",
                      proxy_saturation.achieved_rate(), format_ns(double(proxy_saturation.latency.percentile(0.5))).c_str(),
                      format_ns(double(proxy_saturation.latency.percentile(0.99))).c_str(),
                      static_cast<unsigned long long>(proxy_saturation.errors + proxy_saturation.non_2xx),
                      proxy_saturation.achieved_rate() > 0 ? sat.achieved_rate() / proxy_saturation.achieved_rate() : 0.0);
        out << line;
      }
      out.flush();
    }
    if (options.streaming && all_sizes && stream_rate > 0) {  // --stream-rate 0: no streaming run
      const auto stream_body = messages_body(prose, stream_size, true);
      const auto direct_stream = run_load(target_at(*sim_port, stream_body), stream_options());
      const auto proxy_stream =
          nginx ? run_load(target_at(nginx->port(), stream_body), stream_options()) : load_report{};
      const auto via = run_load(target_at(*gw_port, stream_body), stream_options());
      out << "\n== policies: " << variant << ", " << size_name(stream_size) << " prompt, streaming at "
          << static_cast<long>(stream_rate) << "/s";
      if (options.stream_tokens_per_second > 0) {
        out << ", simulator paced at " << options.stream_tokens_per_second << " deltas/s";
      }
      out << "\n";
      out << "          " << pad_left("events", 8) << pad_left("ttfb p50", 11) << pad_left("ttfb p99", 11)
          << pad_left("gap p50", 10) << pad_left("gap p99", 10) << pad_left("last p50", 11) << pad_left("last p99", 11)
          << pad_left("errors", 8) << "\n";
      std::vector<std::pair<const char*, const load_report*>> stream_rows{{"direct", &direct_stream}};
      if (nginx) {
        stream_rows.emplace_back("nginx", &proxy_stream);
      }
      stream_rows.emplace_back("gateway", &via);
      for (const auto& [name, r] : stream_rows) {
        out << "  " << name << std::string(8 - std::string(name).size(), ' ')
            << pad_left(std::to_string(r->ok ? r->events / r->ok : 0), 8)
            << pad_left(format_ns(double(r->ttfb.percentile(0.5))), 11)
            << pad_left(format_ns(double(r->ttfb.percentile(0.99))), 11)
            << pad_left(format_ns(double(r->per_event.percentile(0.5))), 10)
            << pad_left(format_ns(double(r->per_event.percentile(0.99))), 10)
            << pad_left(format_ns(double(r->latency.percentile(0.5))), 11)
            << pad_left(format_ns(double(r->latency.percentile(0.99))), 11)
            << pad_left(std::to_string(r->errors + r->non_2xx + r->unfinished), 8) << "\n";
      }
      out.flush();
    }
  }
  return status;
}

}  // namespace sluice::bench
