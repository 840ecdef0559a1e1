// The YAML configuration loader on arbitrary text: parse_config either returns a configuration or
// throws config_error (the one exception its callers catch to print the problems); any other
// exception, a crash, a leak or UB is a finding. Both scopes are read: `gateway` (sluice gateway run,
// config validate) and `governance` (sluice admin serve).
// ctest replays tests/fuzz/corpus/config; `make fuzz` runs the libFuzzer build.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "sluice/gateway/config.h"

using namespace sluice::gateway;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  for (const config_scope scope : {config_scope::gateway, config_scope::governance}) {
    try {
      (void)parse_config(text, "fuzz.yaml", {}, scope);
    } catch (const config_error&) {
      // the documented refusal
    } catch (const std::exception& e) {
      std::fprintf(stderr, "parse_config threw something other than config_error: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
