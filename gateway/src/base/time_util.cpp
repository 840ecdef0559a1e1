#include "base/time_util.h"

#include <cstdio>
#include <cstdlib>

namespace sluice::gateway::timeutil {

namespace {
// Howard Hinnant's days-from-civil and civil-from-days (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) noexcept {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

constexpr std::int64_t ms_per_day = 86'400'000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
}  // namespace

civil to_civil(std::int64_t unix_ms) noexcept {
  const std::int64_t days = floor_div(unix_ms, ms_per_day);
  const std::int64_t rest = unix_ms - days * ms_per_day;
  civil c{};
  civil_from_days(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(rest / 3'600'000);
  c.minute = static_cast<int>(rest / 60'000 % 60);
  c.second = static_cast<int>(rest / 1000 % 60);
  c.millisecond = static_cast<int>(rest % 1000);
  return c;
}

std::int64_t from_civil(int year, int month, int day) noexcept {
  return days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * ms_per_day;
}

namespace {
// `v` (0..99) as two digits.
void append_2(std::string& out, int v) {
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
}
}  // namespace

void append_iso8601(std::string& out, std::int64_t unix_ms) {
  const civil c = to_civil(unix_ms);
  append_2(out, c.year / 100 % 100);
  append_2(out, c.year % 100);
  out += '-';
  append_2(out, c.month);
  out += '-';
  append_2(out, c.day);
  out += 'T';
  append_2(out, c.hour);
  out += ':';
  append_2(out, c.minute);
  out += ':';
  append_2(out, c.second);
  out += '.';
  out += static_cast<char>('0' + c.millisecond / 100);
  append_2(out, c.millisecond % 100);
  out += 'Z';
}

std::string iso8601(std::int64_t unix_ms) {
  std::string out;
  append_iso8601(out, unix_ms);
  return out;
}

bool parse_time(const std::string& text, std::int64_t& unix_ms) noexcept {
  if (text.empty()) {
    return false;
  }
  bool digits = true;
  for (const char c : text) {
    digits = digits && c >= '0' && c <= '9';
  }
  if (digits && text.size() <= 12) {
    unix_ms = std::strtoll(text.c_str(), nullptr, 10) * 1000;
    return true;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) {
    return false;
  }
  std::int64_t ms = from_civil(y, mo, d);
  if (text.size() > 10) {
    int more = 0;
    if ((text[10] != 'T' && text[10] != ' ') ||
        std::sscanf(text.c_str() + 11, "%2d:%2d:%2d%n", &h, &mi, &s, &more) != 3 || h > 23 || mi > 59 ||
        s > 60) {
      return false;
    }
    ms += (h * 3600LL + mi * 60LL + s) * 1000;
  }
  unix_ms = ms;
  return true;
}

int yyyymmdd(std::int64_t unix_ms) noexcept {
  const civil c = to_civil(unix_ms);
  return c.year * 10000 + c.month * 100 + c.day;
}

std::uint32_t month_index(std::int64_t unix_ms) noexcept {
  const civil c = to_civil(unix_ms);
  return static_cast<std::uint32_t>((c.year - 1970) * 12 + (c.month - 1));
}

std::int64_t month_start_ms(std::uint32_t index) noexcept {
  return from_civil(1970 + static_cast<int>(index / 12), static_cast<int>(index % 12) + 1, 1);
}

}  // namespace sluice::gateway::timeutil
