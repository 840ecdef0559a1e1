// The policy registry (see policy_registry.h).
#include "policies/policy_registry.h"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "policies/builtin_policies.h"

namespace sluice::gateway {
namespace {

bool before(const policy_descriptor& a, const policy_descriptor& b) noexcept {
  return a.order != b.order ? a.order < b.order : a.name < b.name;
}

// The built-in policies, sorted; constructed on first use, since registrars in other files may run
// during static initialization in an order the language leaves open.
std::vector<policy_descriptor> initial_entries() {
  std::vector<policy_descriptor> all = builtin_policies();
  std::stable_sort(all.begin(), all.end(), before);
  return all;
}

std::vector<policy_descriptor>& entries() {
  static std::vector<policy_descriptor> all = initial_entries();
  return all;
}

}  // namespace

void policy_registry::add(policy_descriptor policy) {
  auto& all = entries();
  for (const auto& p : all) {
    if (p.name == policy.name) {
      throw std::logic_error("policy '" + std::string(policy.name) + "' is registered twice");
    }
  }
  if (all.size() >= max_policies) {
    throw std::logic_error("too many policies registered");
  }
  const auto at = std::upper_bound(all.begin(), all.end(), policy, before);
  all.insert(at, std::move(policy));
}

std::span<const policy_descriptor> policy_registry::all() noexcept { return entries(); }

const policy_descriptor* policy_registry::find(std::string_view name) noexcept {
  for (const auto& p : entries()) {
    if (p.name == name) {
      return &p;
    }
  }
  return nullptr;
}

std::optional<policy_id> policy_registry::id_of(std::string_view name) noexcept {
  const auto& all = entries();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].name == name) {
      return static_cast<policy_id>(i);
    }
  }
  return std::nullopt;
}

std::string_view policy_registry::name_of(policy_id id) noexcept {
  const auto& all = entries();
  return id < all.size() ? all[id].name : std::string_view("unknown");
}

std::string policy_registry::known_names() {
  std::string s;
  for (const auto& p : entries()) {
    if (!s.empty()) {
      s += ", ";
    }
    s += p.name;
  }
  return s;
}

}  // namespace sluice::gateway
