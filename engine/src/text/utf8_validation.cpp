// is_valid_utf8: simdjson's validator (SIMD, its own runtime dispatch), which rejects overlong forms,
// surrogates and values above U+10FFFF.
#include <simdjson.h>

#include "sluice/engine/normalizer.h"

namespace sluice::engine {

bool is_valid_utf8(std::string_view s) noexcept { return simdjson::validate_utf8(s.data(), s.size()); }

}  // namespace sluice::engine
