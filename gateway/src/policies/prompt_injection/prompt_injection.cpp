// prompt-injection: refuses (or flags) a request whose injection score — over the system prompt, every
// message and every tool result — reaches the threshold. The refusal names the signatures that matched.
#include <cstdio>

#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"
#include "policies/prompt_injection/prompt_injection_options.h"

namespace sluice::gateway {
namespace {

class prompt_injection_filter final : public policy_filter {
 public:
  prompt_injection_filter(const prompt_injection_options& options, policy_id id, const no_state&)
      : options_(options), id_(id) {}

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
    const auto& opt = options_;
    if (signatures == 0 || score < opt.threshold) {
      ex.add_verdict(id_, "pass", signatures);
      return filter_status::proceed;
    }
    if (opt.action == policy_action::flag) {
      ex.add_verdict(id_, "flag", signatures);
      return filter_status::proceed;
    }
    ex.add_verdict(id_, "block", signatures);
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
  const prompt_injection_options& options_;
  policy_id id_;
};

void parse(const YAML::Node& n, const std::string& key, config_reader& r, prompt_injection_options& o) {
  if (!r.expect_map(n, key, {"threshold", "action", "fail_open"})) {
    return;
  }
  if (auto v = n["threshold"]) {
    r.get_double(v, key + ".threshold", o.threshold, 0.0, 1.0);
  }
  if (auto v = n["action"]) {
    get_action(r, v, key + ".action", o.action, {policy_action::block, policy_action::flag});
  }
}

void declare_needs(const prompt_injection_options&, chain_requirements& needs) { needs.scan.injection = true; }

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const prompt_injection_options& o,
                                             policy_id id, const policy_environment&) {
  return std::make_unique<simple_factory<prompt_injection_filter, prompt_injection_options, no_state>>(config, o, id,
                                                                                                     no_state{});
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor prompt_injection_policy() {
  return describe_policy<prompt_injection_options>({
      .name = "prompt-injection",
      .order = 10,
      .parse = parse,
      .make_factory = make_factory,
      .declare_needs = declare_needs,
  });
}

}  // namespace sluice::gateway
