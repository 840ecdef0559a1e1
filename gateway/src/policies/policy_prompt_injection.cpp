// prompt-injection: refuses (or flags) a request whose injection score — over the system prompt, every
// message and every tool result — reaches the threshold. The refusal names the signatures that matched.
#include <cstdio>

#include "policies/policies.h"

namespace sluice::gateway {
namespace {

struct no_state {};

class prompt_injection_filter final : public policy_filter {
 public:
  prompt_injection_filter(const policy_config& config, const no_state&) : config_(config) {}

  filter_status on_request(exchange& ex) noexcept override {
    if (ex.scan_failed) {
      return filter_status::error;
    }
    double score = 0;
    std::uint32_t signatures = 0;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      const scanned_text& t = ex.texts[i];
      if (t.injection_score > score) {
        score = t.injection_score;
      }
      signatures += t.injection_end - t.injection_begin;
    }
    const auto& opt = config_.injection;
    if (signatures == 0 || score < opt.threshold) {
      ex.add_verdict(policy_kind::prompt_injection, "pass", signatures);
      return filter_status::proceed;
    }
    if (opt.action == policy_action::flag) {
      ex.add_verdict(policy_kind::prompt_injection, "flag", signatures);
      return filter_status::proceed;
    }
    ex.add_verdict(policy_kind::prompt_injection, "block", signatures);
    try {
      std::string message = "Request blocked by policy prompt-injection: injection score ";
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f reaches the threshold %.2f; signatures: ", score, opt.threshold);
      message += buf;
      bool first = true;
      for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
        const scanned_text& t = ex.texts[i];
        for (std::uint32_t f = t.injection_begin; f < t.injection_end; ++f) {
          const std::string& id = ex.rules->at(ex.injection[f].rule).id;
          if (message.find(id) != std::string::npos) {
            continue;
          }
          message += first ? "" : ", ";
          message += id;
          first = false;
        }
      }
      ex.refuse(403, "permission_error", "prompt-injection", std::move(message));
    } catch (...) {
      return filter_status::error;
    }
    return filter_status::reject;
  }

 private:
  const policy_config& config_;
};

}  // namespace

std::unique_ptr<policy_factory> make_prompt_injection_factory(const policy_config& config,
                                                              const policy_environment&) {
  return std::make_unique<simple_factory<prompt_injection_filter, no_state>>(config, no_state{});
}

}  // namespace sluice::gateway
