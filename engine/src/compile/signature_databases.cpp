#include "compile/signature_databases.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <unistd.h>

namespace sluice::engine::detail {
namespace {

// Bundle layout: repeated [u32 rule][u64 size][size bytes of hs_serialize_database output].
bool read_bundle(const std::filesystem::path& file, const std::vector<signature_source>& sources,
                 std::vector<hs_database_t*>& by_rule, std::vector<hs_database_t*>& owned) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return false;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t at = 0;
  std::vector<hs_database_t*> loaded;
  for (const auto& src : sources) {
    std::uint32_t rule = 0;
    std::uint64_t size = 0;
    if (at + sizeof rule + sizeof size > bytes.size()) break;
    std::memcpy(&rule, bytes.data() + at, sizeof rule);
    std::memcpy(&size, bytes.data() + at + sizeof rule, sizeof size);
    at += sizeof rule + sizeof size;
    hs_database_t* db = nullptr;
    if (rule != src.rule || at + size > bytes.size() ||
        hs_deserialize_database(bytes.data() + at, size, &db) != HS_SUCCESS) {
      break;
    }
    at += size;
    loaded.push_back(db);
  }
  if (loaded.size() != sources.size()) {
    for (auto* db : loaded) hs_free_database(db);
    return false;
  }
  for (std::size_t i = 0; i < sources.size(); ++i) {
    by_rule[sources[i].rule] = loaded[i];
    owned.push_back(loaded[i]);
  }
  return true;
}

void write_bundle(const std::filesystem::path& file, const std::vector<signature_source>& sources,
                  const std::vector<hs_database_t*>& by_rule) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  const auto tmp = file.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    for (const auto& src : sources) {
      char* bytes = nullptr;
      std::size_t length = 0;
      if (hs_serialize_database(by_rule[src.rule], &bytes, &length) != HS_SUCCESS) {
        out.close();
        std::filesystem::remove(tmp, ec);
        return;
      }
      const std::uint64_t size = length;
      out.write(reinterpret_cast<const char*>(&src.rule), sizeof src.rule);
      out.write(reinterpret_cast<const char*>(&size), sizeof size);
      out.write(bytes, static_cast<std::streamsize>(length));
      std::free(bytes);
    }
  }
  std::filesystem::rename(tmp, file, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
  }
}

}  // namespace

bool uses_start_anchor(const std::string& pattern) noexcept {
  bool in_class = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']' || pattern[i - 1] == '[' || (pattern[i - 1] == '^' && pattern[i - 2] == '[');
    } else if (c == '[') {
      in_class = true;
    } else if (c == '^') {
      return true;
    }
  }
  return false;
}

void signature_databases::build(const std::vector<signature_source>& sources, std::size_t rule_count,
                                const std::filesystem::path& cache_file, bool& loaded_from_cache) {
  by_rule_.assign(rule_count, nullptr);
  line_anchored_.assign(rule_count, 0);
  for (const auto& src : sources) {
    line_anchored_[src.rule] = uses_start_anchor(src.pattern) ? 1 : 0;
  }
  loaded_from_cache = !cache_file.empty() && read_bundle(cache_file, sources, by_rule_, owned_);
  if (loaded_from_cache || sources.empty()) {
    loaded_from_cache = true;
    return;
  }
  for (const auto& src : sources) {
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile(src.pattern.c_str(), src.flags, HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
      const std::string message = err != nullptr ? err->message : "compile failed";
      hs_free_compile_error(err);
      throw std::runtime_error("rule #" + std::to_string(src.rule) + ": " + message);
    }
    by_rule_[src.rule] = db;
    owned_.push_back(db);
  }
  if (!cache_file.empty()) {
    write_bundle(cache_file, sources, by_rule_);
  }
}

signature_databases::~signature_databases() {
  for (auto* db : owned_) {
    hs_free_database(db);
  }
}

bool signature_databases::grow_scratch(hs_scratch_t** scratch) const noexcept {
  for (auto* db : owned_) {
    if (hs_alloc_scratch(db, scratch) != HS_SUCCESS) {
      return false;
    }
  }
  return true;
}

std::size_t signature_databases::total_bytes() const noexcept {
  std::size_t total = 0;
  for (auto* db : owned_) {
    std::size_t size = 0;
    hs_database_size(db, &size);
    total += size;
  }
  return total;
}

}  // namespace sluice::engine::detail
