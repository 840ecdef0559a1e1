#pragma once
// Reading the configuration's `governance:` section. The folder that uses the settings owns their
// parsing; server/config.cpp hands it the section's node and its reader.
#include <yaml-cpp/yaml.h>

#include "base/config_reader.h"
#include "sluice/gateway/config.h"

namespace sluice::gateway {

// Reads `n` (the value of `governance:`) into `out` and marks governance enabled; every mistake is
// recorded in `r` with its position and dotted key. Reads the audit signing key now, to check it.
void parse_governance_config(config_reader& r, const YAML::Node& n, governance_config& out);

}  // namespace sluice::gateway
