#include "governance/audit/audit_files.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sluice::gateway {

namespace fs = std::filesystem;

std::string audit_file_name(int yyyymmdd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "audit-%08d.jsonl", yyyymmdd);
  return buf;
}

int audit_file_day(std::string_view path) noexcept {
  const auto slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (name.size() != 20 || name.substr(0, 6) != "audit-" || name.substr(14) != ".jsonl") {
    return 0;
  }
  int day = 0;
  const auto r = std::from_chars(name.data() + 6, name.data() + 14, day);
  return r.ec == std::errc{} && r.ptr == name.data() + 14 ? day : 0;
}

std::vector<std::string> audit_files_in(const std::string& directory) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(directory, ec)) {
    const std::string path = entry.path().string();
    if (entry.is_regular_file() && audit_file_day(path) != 0) {
      out.push_back(path);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool read_last_line(const std::string& path, std::string& line) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) {
    return false;
  }
  const std::streamoff size = in.tellg();
  line.clear();
  if (size == 0) {
    return true;
  }
  // Read backwards in blocks until the newline that precedes the last line.
  std::string tail;
  std::streamoff pos = size;
  constexpr std::streamoff block = 4096;
  for (;;) {
    const std::streamoff start = pos > block ? pos - block : 0;
    std::string chunk(static_cast<std::size_t>(pos - start), '\0');
    in.seekg(start);
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    tail.insert(0, chunk);
    pos = start;
    if (tail.back() != '\n') {
      return false;
    }
    if (tail.size() == 1) {
      return pos == 0;  // the file is a lone newline: no record
    }
    const auto nl = tail.find_last_of('\n', tail.size() - 2);
    if (nl != std::string::npos || pos == 0) {
      line = tail.substr(nl == std::string::npos ? 0 : nl + 1);
      line.pop_back();
      return true;
    }
  }
}

bool read_seq(std::string_view line, std::uint64_t& seq) noexcept {
  constexpr std::string_view prefix = "{\"seq\":";
  if (line.substr(0, prefix.size()) != prefix) {
    return false;
  }
  const char* begin = line.data() + prefix.size();
  const auto r = std::from_chars(begin, line.data() + line.size(), seq);
  return r.ec == std::errc{} && r.ptr != begin;
}

}  // namespace sluice::gateway
