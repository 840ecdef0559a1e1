// content-filter: refuses (or flags) a request or response containing terms or patterns of the
// configured content categories.
#include "policies/policies.h"
#include "policies/policy_findings.h"
#include "policies/rule_selection.h"

namespace sluice::gateway {
namespace {

class content_filter final : public policy_filter {
 public:
  content_filter(const policy_config& config, const rule_selection& selection)
      : config_(config), selection_(selection) {}

  filter_status on_request(exchange& ex) noexcept override {
    return config_.content.requests ? apply(ex, "Request") : filter_status::proceed;
  }
  filter_status on_response(exchange& ex) noexcept override {
    return config_.content.responses ? apply(ex, "Response") : filter_status::proceed;
  }

 private:
  filter_status apply(exchange& ex, const char* what) noexcept {
    if (ex.scan_failed) {
      return filter_status::error;
    }
    std::uint32_t found = 0;
    std::uint32_t first_rule = 0;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      const scanned_text& t = ex.texts[i];
      for (std::uint32_t f = t.content_begin; f < t.content_end; ++f) {
        if (selection_.contains(ex.content[f].rule)) {
          if (found == 0) {
            first_rule = ex.content[f].rule;
          }
          ++found;
        }
      }
    }
    const bool block = config_.content.action == policy_action::block;
    auto message = [&] {
      const auto& rule = ex.rules->at(first_rule);
      return std::string(what) + " blocked by policy content-filter: category " + rule.entity + " (rule " +
             rule.id + ")";
    };
    return settle_findings(ex, policy_kind::content_filter, "content-filter", found, block ? "block" : "flag", block,
                           message);
  }

  const policy_config& config_;
  const rule_selection& selection_;
};

}  // namespace

std::unique_ptr<policy_factory> make_content_filter_factory(const policy_config& config,
                                                            const policy_environment& env) {
  return std::make_unique<simple_factory<content_filter, rule_selection>>(
      config, select_rules(*env.rules, {engine::rule_kind::content}, config.content.categories));
}

}  // namespace sluice::gateway
