// The audit-log verifier (`sluice audit verify`) on arbitrary files: it must answer with a result
// (a problem and where, or the head) and never crash, leak, hang or hit UB, whatever the files hold.
// Input layout: first byte = flags (bit 0: verify with the checkpoint key the seeds were signed with,
// bit 1: expect the SHA-256 of the input's last line as the head), the rest = the files' bytes, split
// into consecutive day files at each form feed (\f).
// The files live in a directory of this process's own under the system's temporary directory.
// ctest replays tests/fuzz/corpus/audit_verify; `make fuzz` runs the libFuzzer build.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "base/crypto_util.h"
#include "sluice/gateway/audit_verify.h"

using namespace sluice::gateway;

namespace {

const std::filesystem::path& scratch_dir() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("sluice-audit-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

// Removes the scratch directory when the process ends normally.
struct cleanup {
  ~cleanup() {
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir(), ec);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static cleanup at_exit;
  if (size < 1) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  std::error_code ec;
  for (const auto& old : std::filesystem::directory_iterator(scratch_dir(), ec)) {
    std::filesystem::remove(old.path(), ec);
  }
  std::vector<std::string> files;
  std::size_t begin = 0;
  for (int day = 10; begin <= input.size() && day < 40; ++day) {
    std::size_t end = input.find('\f', begin);
    if (end == std::string_view::npos) {
      end = input.size();
    }
    const std::string name = (scratch_dir() / ("audit-202603" + std::to_string(day) + ".jsonl")).string();
    std::ofstream(name, std::ios::binary).write(input.data() + begin, static_cast<std::streamsize>(end - begin));
    files.push_back(name);
    begin = end + 1;
  }
  std::string head;
  if ((data[0] & 2) != 0) {
    std::string_view last = input.substr(0, input.size() - (input.ends_with('\n') ? 1 : 0));
    last = last.substr(last.rfind('\n') == std::string_view::npos ? 0 : last.rfind('\n') + 1);
    head = crypto::to_hex(crypto::sha256(last));
  }
  const std::string key = (data[0] & 1) != 0 ? "fuzz-checkpoint-key" : "";
  const audit_verify_result r = verify_audit_files(files, head, key);
  if (r.ok() != (r.problem == audit_problem::none) || (!r.ok() && r.message.empty())) {
    std::abort();
  }
  // The directory form expands to the same files.
  const audit_verify_result again = verify_audit_files({scratch_dir().string()}, head, key);
  if (again.problem != r.problem || again.records != r.records) {
    std::fprintf(stderr, "directory and file list verify differently: %s vs %s\n", to_string(again.problem),
                 to_string(r.problem));
    std::abort();
  }
  return 0;
}
