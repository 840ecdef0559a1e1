// TEMPORARY, to be deleted by the `injection` engineer when the real normalizer lands: normalizes
// nothing, so the engine links and runs before then. (A duplicate-symbol link error after merging main
// means: delete this file.)
#include "sluice/engine/normalizer.h"

namespace sluice::engine {

errc normalizer::normalize(std::string_view, normalized_text& out) const noexcept {
  out.changed = false;
  out.text.clear();
  out.origin.clear();
  return errc::ok;
}

}  // namespace sluice::engine
