// Lookup over the embedded console files (the table itself is generated at build time).
#include "governance/admin/console/console_assets.h"

namespace sluice::gateway {

const console_asset* find_console_asset(std::string_view name) noexcept {
  for (const auto& asset : console_assets()) {
    if (asset.name == name) {
      return &asset;
    }
  }
  return nullptr;
}

}  // namespace sluice::gateway
