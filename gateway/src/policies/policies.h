#pragma once
// The factories behind each policy name; make_policy_factory() picks one.
#include <memory>

#include "policies/policy.h"

namespace sluice::gateway {

std::unique_ptr<policy_factory> make_prompt_injection_factory(const policy_config& config,
                                                              const policy_environment& env);
std::unique_ptr<policy_factory> make_pii_detector_factory(const policy_config& config,
                                                          const policy_environment& env);
std::unique_ptr<policy_factory> make_content_filter_factory(const policy_config& config,
                                                            const policy_environment& env);
std::unique_ptr<policy_factory> make_audit_logger_factory(const policy_config& config,
                                                          const policy_environment& env);
std::unique_ptr<policy_factory> make_cost_attribution_factory(const policy_config& config,
                                                              const policy_environment& env);
std::unique_ptr<policy_factory> make_disclaimer_factory(const policy_config& config,
                                                        const policy_environment& env);

// A factory whose filters are `Filter` objects constructed from (const policy_config&, const State&).
template <class Filter, class State>
class simple_factory final : public policy_factory {
 public:
  simple_factory(const policy_config& config, State state) : config_(config), state_(std::move(state)) {}
  [[nodiscard]] const policy_config& config() const noexcept override { return config_; }
  [[nodiscard]] policy_filter* make(std::pmr::polymorphic_allocator<> arena) const override {
    return arena.new_object<Filter>(config_, state_);
  }

 private:
  policy_config config_;
  State state_;
};

}  // namespace sluice::gateway
