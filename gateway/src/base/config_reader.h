#pragma once
// Walks a policy-config YAML document strictly, remembering where each value came from and collecting
// every problem (file, line, column, dotted key) instead of stopping at the first. server/config.cpp
// reads the whole file with it; it lives in base/, below server/, because the owners of sections read
// theirs with it too: each policy's options parser (policies/<name>/) and the governance section's
// (governance/governance_config.cpp), which sits below policies/. Load time only: never on the
// request path.
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/gateway/config.h"

namespace sluice::gateway {

class config_reader {
 public:
  // `vocabulary`: the rule catalog's entity and category names (empty sets: not checked). Not owned.
  config_reader(std::string file, const config_vocabulary& vocabulary)
      : file_(std::move(file)), vocabulary_(&vocabulary) {}

  [[nodiscard]] std::vector<config_problem>& problems() { return problems_; }
  [[nodiscard]] const config_vocabulary& vocabulary() const noexcept { return *vocabulary_; }

  // Records a problem at `at`'s position.
  void problem(const YAML::Node& at, const std::string& key, std::string message);

  // Reports every key of `map` not in `allowed`. Returns false when `map` is not a map.
  bool expect_map(const YAML::Node& map, const std::string& key, std::initializer_list<std::string_view> allowed);

  [[nodiscard]] static std::string join(const std::string& parent, const std::string& child) {
    return parent.empty() ? child : parent + "." + child;
  }

  // Each get_* reads a scalar into `out` and returns true, or records a problem, leaves `out` alone and
  // returns false.
  bool get_string(const YAML::Node& n, const std::string& key, std::string& out);
  bool get_bool(const YAML::Node& n, const std::string& key, bool& out);
  bool get_double(const YAML::Node& n, const std::string& key, double& out, double lo, double hi);
  bool get_ms(const YAML::Node& n, const std::string& key, milliseconds& out);
  bool get_string_list(const YAML::Node& n, const std::string& key,
                       std::vector<std::pair<std::string, YAML::Node>>& out);
  // A list of names each of which must be in `known` (unless `known` is empty); `what` names one in
  // the message ("entity", "category").
  void get_names(const YAML::Node& n, const std::string& key, std::set<std::string>& out,
                 const std::set<std::string, std::less<>>& known, const char* what);

  template <class Int>
  bool get_int(const YAML::Node& n, const std::string& key, Int& out, long long lo, long long hi) {
    long long v = 0;
    if (!get_integer(n, key, v, lo, hi)) {
      return false;
    }
    out = static_cast<Int>(v);
    return true;
  }

 private:
  bool get_integer(const YAML::Node& n, const std::string& key, long long& out, long long lo, long long hi);

  std::string file_;
  const config_vocabulary* vocabulary_;
  std::vector<config_problem> problems_;
};

}  // namespace sluice::gateway
