#pragma once
// Private: the model file's byte layout (docs/injection.md, "Model file"). Little-endian throughout:
//
//   offset  size  field
//        0     8  magic "SLUICEIM"
//        8     4  format version (1)
//       12     4  header size in bytes (152 in version 1): where the weights start
//       16     4  character n-gram lengths, bit n = n-grams of n bytes
//       20     4  word features: bit 0 unigrams, bit 1 bigrams
//       24     4  bucket bits (2^bits weights)
//       28     4  hash seed
//       32     4  window bytes
//       36     4  window stride bytes
//       40     4  normalizer version (2: leetspeak words may have up to twice as many digits as letters
//                 when the two alternate; 1: at most as many)
//       44     4  weight type (1: int8)
//       48     8  weight scale (double): weight = scale * int8
//       56     8  bias (double)
//       64    16  calibration a, b (doubles): p = 1 / (1 + exp(-(a z + b)))
//       80    24  probability thresholds at 1 %, 0.5 %, 0.1 % benign false positives (doubles)
//      104     8  training texts, of which attacks (u32 each)
//      112    32  SHA-256 of the training data list (file names and contents)
//      144     8  weight count (u64, must be 2^bits)
//      152     n  the weights
//    152+n    32  SHA-256 of every byte before it
#include <cstddef>
#include <cstdint>

namespace sluice::engine::detail {

constexpr char model_magic[8] = {'S', 'L', 'U', 'I', 'C', 'E', 'I', 'M'};
constexpr std::uint32_t model_header_bytes = 152;
constexpr std::uint32_t model_normalizer_version = 2;
constexpr std::uint32_t model_weight_int8 = 1;
constexpr std::size_t model_checksum_bytes = 32;
// Zero bytes kept after the weights in memory: bucket 2^bits reads 0 (the SIMD kernels send invalid lanes
// there).
constexpr std::size_t model_weight_padding = 64;

}  // namespace sluice::engine::detail
