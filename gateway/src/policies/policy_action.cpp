// Policy actions (see policy_action.h).
#include "policies/policy_action.h"

namespace sluice::gateway {

std::string_view to_string(policy_action a) noexcept {
  switch (a) {
    case policy_action::block: return "block";
    case policy_action::flag: return "flag";
    case policy_action::redact: return "redact";
  }
  return "unknown";
}

void get_action(config_reader& r, const YAML::Node& n, const std::string& key, policy_action& out,
                std::initializer_list<policy_action> allowed) {
  std::string s;
  if (!r.get_string(n, key, s)) {
    return;
  }
  std::string list;
  for (policy_action a : allowed) {
    if (to_string(a) == s) {
      out = a;
      return;
    }
    list += list.empty() ? "" : ", ";
    list += to_string(a);
  }
  r.problem(n, key, "unknown action '" + s + "' (expected " + list + ")");
}

}  // namespace sluice::gateway
