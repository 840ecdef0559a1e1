// disclaimer: asks for the configured text to be appended to every successful response (as a final
// text delta when streaming).
#include "policies/policies.h"

namespace sluice::gateway {
namespace {

struct no_state {};

class disclaimer_filter final : public policy_filter {
 public:
  disclaimer_filter(const policy_config& config, const no_state&) : config_(config) {}

  filter_status on_request(exchange& ex) noexcept override {
    try {
      ex.append_text += config_.disclaimer.text;
    } catch (...) {
      return filter_status::error;
    }
    ex.add_verdict(policy_kind::disclaimer, "annotate", 0);
    return filter_status::proceed;
  }

 private:
  const policy_config& config_;
};

}  // namespace

std::unique_ptr<policy_factory> make_disclaimer_factory(const policy_config& config, const policy_environment&) {
  return std::make_unique<simple_factory<disclaimer_filter, no_state>>(config, no_state{});
}

}  // namespace sluice::gateway
