// The injection model loader (injection_model::parse / load, engine/src/model) on arbitrary bytes: a model
// file is either accepted or refused with a model_error naming the problem; never a crash, another
// exception, a leak or UB. A model it accepts must also be usable: it serializes back to exactly the
// bytes it was read from, and scores any text to a probability in [0, 1].
//
// A file of random bytes stops at the magic, the size or the SHA-256 at its end, so most inputs are
// turned into files whose checksum is right, to reach every check after it. Input layout:
//   byte 0: flags. bit 0 clear: the rest is the file, as it is.
//                  bit 0 set: the rest is a header (up to 152 bytes; a shorter one keeps the shipped
//                  model's bytes after it) followed by weight bytes, repeated to the number of weights
//                  the header claims (at most 2^20, beyond which the file is left short); the SHA-256
//                  of it all is appended. The weight bytes are also the text scored.
//                  bit 1 set: read through load() from a file instead of parse().
// The seeds (tests/fuzz/make_seeds.py) are the shipped model's header with a few weights, and small
// raw files. ctest replays tests/fuzz/corpus/model_file; `make fuzz` runs the libFuzzer build.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "base/crypto_util.h"
#include "model/model_file.h"
#include "sluice/engine/injection_model.h"

using namespace sluice::engine;

namespace {

// The header of a valid model: what a short header in the input is completed with.
std::string valid_header() {
  std::ifstream in(std::filesystem::path(SLUICE_SOURCE_DIR) / "engine/models/injection.model", std::ios::binary);
  std::string header(detail::model_header_bytes, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(header.size()))) {
    std::abort();  // the shipped model is part of the source tree
  }
  return header;
}

const std::filesystem::path& scratch_file() {
  static const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("sluice-model-fuzz-" + std::to_string(::getpid()) + ".model");
  return file;
}

std::shared_ptr<const injection_model> read(const std::string& bytes, bool through_file) {
  if (!through_file) {
    return injection_model::parse(bytes, "fuzz");
  }
  {
    std::ofstream out(scratch_file(), std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  return injection_model::load(scratch_file());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string header_template = valid_header();
  static std::string file;
  static model_scratch scratch;
  if (size == 0) {
    return 0;
  }
  const std::uint8_t flags = data[0];
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string_view text = rest;
  if ((flags & 1u) == 0) {
    file.assign(rest);
  } else {
    const std::size_t header_bytes = std::min<std::size_t>(rest.size(), detail::model_header_bytes);
    file = header_template;
    file.replace(0, header_bytes, rest.substr(0, header_bytes));
    const std::string_view weights = rest.substr(header_bytes);
    std::uint64_t count = 0;
    std::memcpy(&count, file.data() + 144, sizeof(count));
    if (count > (std::uint64_t{1} << 20)) {
      count = weights.size();
    }
    // Whole copies of the weight bytes at a time: a byte-by-byte loop over 2^18..2^20 weights is most
    // of an execution's time under ASan and the coverage counters.
    if (weights.empty()) {
      file.append(count, '\0');
    } else {
      for (std::uint64_t left = count; left > 0;) {
        const std::size_t n = std::min<std::uint64_t>(left, weights.size());
        file.append(weights.substr(0, n));
        left -= n;
      }
    }
    const auto digest = sluice::gateway::crypto::sha256(file);
    file.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    text = weights;
  }

  std::shared_ptr<const injection_model> model;
  try {
    model = read(file, (flags & 2u) != 0);
  } catch (const model_error&) {
    return 0;  // refused with a message: what a bad file must get
  }
  if (model == nullptr || model->serialize() != file) {
    std::abort();
  }
  model_score score;
  if (model->score(text, scratch, score) == errc::ok) {
    const std::string_view normalized = scratch.normalized.changed ? std::string_view(scratch.normalized.text) : text;
    if (!(score.probability >= 0 && score.probability <= 1)) {
      std::abort();
    }
    if (score.window_start > score.window_end || score.window_end > normalized.size()) {
      std::abort();
    }
    (void)model->evidence(normalized, 4, scratch);
  }
  return 0;
}
