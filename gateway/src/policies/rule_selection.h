#pragma once
// Which rules of the ruleset a policy acts on, decided once when the factory is built (by entity or
// category name), so the request path only indexes a vector.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sluice/engine/ruleset.h"

namespace sluice::gateway {

struct rule_selection {
  std::vector<bool> selected;  // by rule id

  [[nodiscard]] bool contains(std::uint32_t rule) const noexcept {
    return rule < selected.size() && selected[rule];
  }
};

// Rules of the given kinds whose entity (category) is in `names`; every rule of those kinds when empty.
[[nodiscard]] inline rule_selection select_rules(const engine::ruleset& rules,
                                                 std::initializer_list<engine::rule_kind> kinds,
                                                 const std::set<std::string>& names) {
  rule_selection s;
  s.selected.resize(rules.size(), false);
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules.at(i);
    bool kind_ok = false;
    for (auto k : kinds) {
      kind_ok = kind_ok || r.kind == k;
    }
    s.selected[i] = kind_ok && (names.empty() || names.contains(r.entity));
  }
  return s;
}

}  // namespace sluice::gateway
