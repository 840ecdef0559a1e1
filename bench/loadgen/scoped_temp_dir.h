#pragma once
// A fresh directory under the system's temporary directory, removed with everything in it when the
// run that made it ends (by return or by exception).
#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace sluice::bench {

class scoped_temp_dir {
 public:
  explicit scoped_temp_dir(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~scoped_temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  scoped_temp_dir(const scoped_temp_dir&) = delete;
  scoped_temp_dir& operator=(const scoped_temp_dir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace sluice::bench
