#include "sluice/gateway/version.h"

namespace sluice::gateway {
std::string_view version() noexcept { return "0.1.0"; }
}  // namespace sluice::gateway
