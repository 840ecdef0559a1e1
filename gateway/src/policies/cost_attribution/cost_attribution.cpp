// cost-attribution: the team and project a request is billed to (the caller's key first, then the
// x-sluice-team / x-sluice-project headers, then the configured defaults) and its cost from the price
// table once the tokens are known.
#include "policies/cost_attribution/cost_attribution_options.h"
#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"

namespace sluice::gateway {
namespace {

class cost_attribution_filter final : public policy_filter {
 public:
  cost_attribution_filter(const cost_attribution_options& options, policy_id id, const no_state&)
      : options_(options), id_(id) {}

  filter_status on_request(exchange& ex) noexcept override {
    try {
      attribute(ex);
    } catch (...) {
      return filter_status::error;
    }
    ex.add_verdict(id_, "pass", 0);
    return filter_status::proceed;
  }

  void on_complete(exchange& ex) noexcept override {
    try {
      attribute(ex);  // refused requests are attributed too
    } catch (...) {
    }
    const auto& prices = options_.prices;
    auto it = prices.find(ex.model);
    if (it == prices.end()) {
      return;
    }
    ex.cost_usd = (static_cast<double>(ex.input_tokens) * it->second.input_per_mtok +
                   static_cast<double>(ex.output_tokens) * it->second.output_per_mtok) /
                  1e6;
    ex.priced = true;
  }

 private:
  void attribute(exchange& ex) const {
    if (ex.team.empty()) {
      ex.team = ex.header_team.empty() ? options_.default_team : ex.header_team;
    }
    if (ex.project.empty()) {
      ex.project = ex.header_project.empty() ? options_.default_project : ex.header_project;
    }
  }

  const cost_attribution_options& options_;
  policy_id id_;
};

void parse_prices(const YAML::Node& n, const std::string& key, config_reader& r, cost_attribution_options& out) {
  if (!n.IsMap()) {
    r.problem(n, key, "expected a mapping from model name to prices");
    return;
  }
  for (const auto& kv : n) {
    const std::string model = kv.first.Scalar();
    const std::string k = key + "." + model;
    model_price price;
    if (r.expect_map(kv.second, k, {"input_per_mtok", "output_per_mtok"})) {
      if (auto v = kv.second["input_per_mtok"]) {
        r.get_double(v, k + ".input_per_mtok", price.input_per_mtok, 0, 1e6);
      }
      if (auto v = kv.second["output_per_mtok"]) {
        r.get_double(v, k + ".output_per_mtok", price.output_per_mtok, 0, 1e6);
      }
    }
    out.prices[model] = price;
  }
}

void parse(const YAML::Node& n, const std::string& key, config_reader& r, cost_attribution_options& o) {
  if (!r.expect_map(n, key, {"prices", "default_team", "default_project", "fail_open"})) {
    return;
  }
  if (auto v = n["default_team"]) {
    r.get_string(v, key + ".default_team", o.default_team);
  }
  if (auto v = n["default_project"]) {
    r.get_string(v, key + ".default_project", o.default_project);
  }
  if (auto v = n["prices"]) {
    parse_prices(v, key + ".prices", r, o);
  }
}

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const cost_attribution_options& o,
                                             policy_id id, const policy_environment&) {
  return std::make_unique<simple_factory<cost_attribution_filter, cost_attribution_options, no_state>>(config, o, id,
                                                                                                     no_state{});
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor cost_attribution_policy() {
  return describe_policy<cost_attribution_options>({
      .name = "cost-attribution",
      .order = 50,
      .parse = parse,
      .make_factory = make_factory,
  });
}

}  // namespace sluice::gateway
