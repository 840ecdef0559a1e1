#include "governance/usage/anomaly_detector.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>

#include "governance/audit/client_ip_mask.h"

namespace sluice::gateway {

namespace {
std::string masked(const ip_bytes& ip) {
  char text[INET6_ADDRSTRLEN] = {};
  const bool v4 = std::all_of(ip.begin(), ip.begin() + 10, [](std::uint8_t b) { return b == 0; }) &&
                  ip[10] == 0xff && ip[11] == 0xff;
  if (v4) {
    ::inet_ntop(AF_INET, ip.data() + 12, text, sizeof text);
  } else {
    ::inet_ntop(AF_INET6, ip.data(), text, sizeof text);
  }
  return mask_client_ip(text);
}

std::string format(const char* fmt, double a, double b) {
  char buf[160];
  std::snprintf(buf, sizeof buf, fmt, a, b);
  return buf;
}
}  // namespace

// Folds the finished minute (and any idle minutes after it) into the moving averages.
void anomaly_detector::close_minutes(key_state& s, std::int64_t minute) {
  if (s.minute < 0) {
    s.minute = minute;
    return;
  }
  const double a = settings_.smoothing;
  auto fold = [&](double requests, double tokens) {
    if (s.history_minutes == 0) {
      s.baseline_requests = requests;
      s.baseline_tokens = tokens;
    } else {
      s.baseline_requests = (1 - a) * s.baseline_requests + a * requests;
      s.baseline_tokens = (1 - a) * s.baseline_tokens + a * tokens;
    }
    ++s.history_minutes;
  };
  fold(static_cast<double>(s.minute_requests), static_cast<double>(s.minute_tokens));
  const std::int64_t idle = std::min<std::int64_t>(minute - s.minute - 1, 120);
  for (std::int64_t i = 0; i < idle; ++i) {
    fold(0, 0);
  }
  s.minute = minute;
  s.minute_requests = 0;
  s.minute_tokens = 0;
  s.spike_reported = false;
}

void anomaly_detector::observe(const std::string& key_id, std::int64_t ts_ms, std::uint64_t tokens,
                               const ip_bytes* ip, std::vector<anomaly>& out) {
  key_state& s = keys_[key_id];
  const std::int64_t minute = ts_ms / 60'000;
  if (minute > s.minute) {
    close_minutes(s, minute);
  }
  ++s.minute_requests;
  s.minute_tokens += tokens;
  if (!s.spike_reported && s.history_minutes >= settings_.min_history_minutes) {
    const bool requests_spike = s.minute_requests >= settings_.min_spike_requests &&
                                static_cast<double>(s.minute_requests) > 2 * s.baseline_requests;
    const bool tokens_spike = s.minute_tokens >= settings_.min_spike_tokens &&
                              static_cast<double>(s.minute_tokens) > 2 * s.baseline_tokens;
    if (requests_spike || tokens_spike) {
      s.spike_reported = true;
      out.push_back({"usage_spike",
                     requests_spike
                         ? format("%.0f requests this minute, more than twice the moving average of %.1f",
                                  static_cast<double>(s.minute_requests), s.baseline_requests)
                         : format("%.0f tokens this minute, more than twice the moving average of %.1f",
                                  static_cast<double>(s.minute_tokens), s.baseline_tokens)});
    }
  }
  if (ip != nullptr && std::find(s.ips.begin(), s.ips.end(), *ip) == s.ips.end() &&
      s.ips.size() < settings_.max_ips_per_key) {
    if (!s.ips.empty()) {
      out.push_back({"new_ip", "first use from " + masked(*ip)});
    }
    s.ips.push_back(*ip);
  }
  const auto hour = static_cast<std::size_t>((ts_ms / 3'600'000) % 24);
  if (s.total >= settings_.min_hour_history &&
      static_cast<double>(s.hours[hour]) < settings_.rare_hour_fraction * static_cast<double>(s.total) &&
      s.last_hour_alert != ts_ms / 3'600'000) {
    s.last_hour_alert = ts_ms / 3'600'000;
    out.push_back({"unusual_hour", format("activity at %02.0f:00 UTC, an hour with %.0f earlier requests",
                                          static_cast<double>(hour), static_cast<double>(s.hours[hour]))});
  }
  ++s.hours[hour];
  ++s.total;
}

}  // namespace sluice::gateway
