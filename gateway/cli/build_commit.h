#pragma once
// The git commit this binary was built from ("<hash>" or "<hash>-dirty"; "unknown" outside a git
// checkout). Defined in a source the build generates (cmake/build_commit.cmake).
#include <string_view>

namespace sluice::cli {
[[nodiscard]] std::string_view build_commit() noexcept;
}  // namespace sluice::cli
