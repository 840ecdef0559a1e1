// pii-detector: acts on the configured entity types found in the request (before it leaves) and in the
// response (before the client sees it): redact marks them for the splice, block refuses naming the entity
// types (never the values), flag only records the verdict.
#include "policies/policies.h"
#include "policies/policy_findings.h"
#include "policies/rule_selection.h"

namespace sluice::gateway {
namespace {

class pii_detector_filter final : public policy_filter {
 public:
  pii_detector_filter(const policy_config& config, const rule_selection& selection)
      : config_(config), selection_(selection) {}

  filter_status on_request(exchange& ex) noexcept override {
    if (!config_.pii.requests) {
      ex.add_verdict(policy_kind::pii_detector, "skip", 0);
      return filter_status::proceed;
    }
    return apply(ex, "Request");
  }

  filter_status on_response(exchange& ex) noexcept override {
    if (!config_.pii.responses) {
      return filter_status::proceed;
    }
    return apply(ex, "Response");
  }

 private:
  filter_status apply(exchange& ex, const char* what) noexcept {
    if (ex.scan_failed) {
      return filter_status::error;
    }
    const auto& opt = config_.pii;
    std::uint32_t found = 0;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      scanned_text& t = ex.texts[i];
      for (std::uint32_t f = t.entities_begin; f < t.entities_end; ++f) {
        marked_finding& m = ex.entities[f];
        if (!selection_.contains(m.where.rule)) {
          continue;
        }
        ++found;
        try {
          ex.count_entity(ex.rules->at(m.where.rule).entity);
        } catch (...) {
          return filter_status::error;
        }
        if (opt.action == policy_action::redact) {
          m.redact = true;
          t.redact = true;
        }
      }
    }
    auto message = [&] {
      std::string text = std::string(what) + " blocked by policy pii-detector: it contains ";
      bool first = true;
      for (const auto& c : ex.entity_counts) {
        text += first ? "" : ", ";
        text += std::to_string(c.count) + " " + std::string(c.entity);
        first = false;
      }
      return text;
    };
    return settle_findings(ex, policy_kind::pii_detector, "pii-detector", found, to_string(opt.action),
                           opt.action == policy_action::block, message);
  }

  const policy_config& config_;
  const rule_selection& selection_;
};

}  // namespace

std::unique_ptr<policy_factory> make_pii_detector_factory(const policy_config& config,
                                                          const policy_environment& env) {
  return std::make_unique<simple_factory<pii_detector_filter, rule_selection>>(
      config, select_rules(*env.rules, {engine::rule_kind::pii, engine::rule_kind::secret}, config.pii.entities));
}

}  // namespace sluice::gateway
