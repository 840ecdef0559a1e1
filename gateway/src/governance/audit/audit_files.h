#pragma once
// Naming and reading of the audit log's day files (audit-YYYYMMDD.jsonl), shared by the writer and
// the verifier.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::gateway {

[[nodiscard]] std::string audit_file_name(int yyyymmdd);
// The day of an audit file path, or 0 when the name is not an audit day file.
[[nodiscard]] int audit_file_day(std::string_view path) noexcept;
// Audit day files in `directory`, oldest first.
[[nodiscard]] std::vector<std::string> audit_files_in(const std::string& directory);
// The last complete line of `path` (empty for an empty file). False when the file does not end with a
// newline (a torn write) or cannot be read.
[[nodiscard]] bool read_last_line(const std::string& path, std::string& line);
// The "seq" member of a record line written by audit_log (it is always the first member).
[[nodiscard]] bool read_seq(std::string_view line, std::uint64_t& seq) noexcept;

}  // namespace sluice::gateway
