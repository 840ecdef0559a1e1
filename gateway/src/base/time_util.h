#pragma once
// Calendar arithmetic in UTC on Unix milliseconds, without locale or time-zone state (thread-safe).
#include <cstdint>
#include <string>

namespace sluice::gateway::timeutil {

struct civil {
  int year, month, day, hour, minute, second, millisecond;
};
[[nodiscard]] civil to_civil(std::int64_t unix_ms) noexcept;
[[nodiscard]] std::int64_t from_civil(int year, int month, int day) noexcept;  // midnight UTC, ms
// "2026-11-23T19:50:01.123Z"
[[nodiscard]] std::string iso8601(std::int64_t unix_ms);
// The same text appended to `out` (per-request records: no temporary, no format string to parse).
void append_iso8601(std::string& out, std::int64_t unix_ms);
// Parses "2026-11-23", "2026-11-23T19:50:01Z" (fraction optional) or a plain Unix-seconds integer.
// Returns false when the text is none of these.
[[nodiscard]] bool parse_time(const std::string& text, std::int64_t& unix_ms) noexcept;
// 20261123
[[nodiscard]] int yyyymmdd(std::int64_t unix_ms) noexcept;
// Months since January 1970 (the budget period index) and the first ms of the next month.
[[nodiscard]] std::uint32_t month_index(std::int64_t unix_ms) noexcept;
[[nodiscard]] std::int64_t month_start_ms(std::uint32_t month_index) noexcept;

}  // namespace sluice::gateway::timeutil
