// The policies shipped with the gateway. Adding one: its folder policies/<name>/ defines
// `policy_descriptor <name>_policy()` (docs/policies-dev.md), declared in builtin_policies.h and
// called here.
//
// Why a list and not a static registrar in each policy's file: the policies are compiled into the
// static library sluice::gateway, and a linker takes an object file out of a static archive only when
// something already linked references one of its symbols. Nothing references a self-registering
// policy's file, so the executables would silently lose every policy. The alternatives each cost more
// than this list: --whole-archive for the policies' objects (a separate archive every consumer links
// whole; CMake repeats it on the link line when the two libraries depend on each other, and the
// registrars then run twice) or an OBJECT library (its objects reach only targets that link it
// directly, not the consumers of sluice::gateway). Calling each policy's function from here makes the
// linker keep it, with no flags, and the registry test checks the list against the documented names.
#include "policies/builtin_policies.h"

namespace sluice::gateway {

std::vector<policy_descriptor> builtin_policies() {
  return {
      prompt_injection_policy(), pii_detector_policy(),      content_filter_policy(),
      audit_logger_policy(),     cost_attribution_policy(), disclaimer_policy(),
  };
}

}  // namespace sluice::gateway
