// cost-attribution: the team and project a request is billed to (the caller's key first, then the
// x-sluice-team / x-sluice-project headers, then the configured defaults) and its cost from the price
// table once the tokens are known.
#include "policies/policies.h"

namespace sluice::gateway {
namespace {

struct no_state {};

class cost_attribution_filter final : public policy_filter {
 public:
  cost_attribution_filter(const policy_config& config, const no_state&) : config_(config) {}

  filter_status on_request(exchange& ex) noexcept override {
    try {
      attribute(ex);
    } catch (...) {
      return filter_status::error;
    }
    ex.add_verdict(policy_kind::cost_attribution, "pass", 0);
    return filter_status::proceed;
  }

  void on_complete(exchange& ex) noexcept override {
    try {
      attribute(ex);  // refused requests are attributed too
    } catch (...) {
    }
    const auto& prices = config_.cost.prices;
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
      ex.team = ex.header_team.empty() ? config_.cost.default_team : ex.header_team;
    }
    if (ex.project.empty()) {
      ex.project = ex.header_project.empty() ? config_.cost.default_project : ex.header_project;
    }
  }

  const policy_config& config_;
};

}  // namespace

std::unique_ptr<policy_factory> make_cost_attribution_factory(const policy_config& config,
                                                              const policy_environment&) {
  return std::make_unique<simple_factory<cost_attribution_filter, no_state>>(config, no_state{});
}

}  // namespace sluice::gateway
