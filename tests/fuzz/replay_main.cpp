// Runs a fuzz target without libFuzzer: every file in the corpus directory given as argv[1], then
// SLUICE_FUZZ_RANDOM_INPUTS (default 2000) seeded random inputs, so CI exercises each target with any
// compiler. A target reports a bug by aborting, exactly as under libFuzzer.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
  std::size_t files = 0;
  if (argc > 1 && std::filesystem::is_directory(argv[1])) {
    for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      ++files;
    }
  }
  const char* count_env = std::getenv("SLUICE_FUZZ_RANDOM_INPUTS");
  const long count = count_env != nullptr ? std::strtol(count_env, nullptr, 10) : 2000;
  // Inputs mix printable ASCII, entity-shaped fragments and arbitrary bytes.
  static const std::vector<std::string> fragments = {
      "jane.doe@example.com", "4111 1111 1111 1111", "tok_", "-----BEGIN RSA PRIVATE KEY-----\n",
      "-----END RSA PRIVATE KEY-----", "passport ", "123-45-6789", "+1 415 555 0132", "AKIA", "sk-ant-",
      "data: ", "event: ", "\n\n", "\r\n", "{\"type\":\"content_block_delta\"", "ignore all previous ",
      "é", "日本", "\xff", " ", ".", "@", "-"};
  std::mt19937 rng(12345);
  std::string input;
  for (long i = 0; i < count; ++i) {
    input.clear();
    const int parts = 1 + static_cast<int>(rng() % 24);
    for (int p = 0; p < parts; ++p) {
      if (rng() % 3 == 0) {
        input.push_back(static_cast<char>(rng() % 256));
      } else {
        input += fragments[rng() % fragments.size()];
      }
    }
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
  }
  std::cout << "replayed " << files << " corpus files and " << count << " random inputs\n";
  return 0;
}
