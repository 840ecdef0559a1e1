// Output policy for streams (see stream_guard.h).
#include "streaming/stream_guard.h"

namespace sluice::gateway {

void stream_guard::begin(exchange& ex, const response_rules& rules) noexcept {
  ex_ = &ex;
  rules_ = &rules;
  pii_found_ = 0;
  content_found_ = 0;
  blocked_ = false;
}

stream_verdict stream_guard::check(const stream_release& release) noexcept {
  stream_verdict v;
  if (ex_ == nullptr || blocked_) {
    return v;
  }
  try {
    if (rules_->pii) {
      for (const auto& f : release.new_findings) {
        if (!rules_->pii_rules.contains(f.rule)) {
          continue;
        }
        ++pii_found_;
        const std::string& entity = ex_->rules->at(f.rule).entity;
        ex_->count_entity(entity);
        if (rules_->pii_action == policy_action::block) {
          message_ = "Response blocked by policy pii-detector: it contains " + entity;
          ex_->refuse(403, "permission_error", "pii-detector", message_);
          blocked_ = true;
          v.block = true;
          v.message = message_;
          return v;
        }
      }
    }
    if (rules_->content) {
      for (const auto& f : release.new_content_hits) {
        if (!rules_->content_rules.contains(f.rule)) {
          continue;
        }
        ++content_found_;
        if (rules_->content_action == policy_action::block) {
          const auto& rule = ex_->rules->at(f.rule);
          message_ = "Response blocked by policy content-filter: category " + rule.entity + " (rule " + rule.id + ")";
          ex_->refuse(403, "permission_error", "content-filter", message_);
          blocked_ = true;
          v.block = true;
          v.message = message_;
          return v;
        }
      }
    }
  } catch (...) {
    // Out of memory building a message: fail closed.
    v.block = true;
    v.error_type = "api_error";
    v.message = "an output policy failed; the response was stopped";
  }
  return v;
}

void stream_guard::finish() noexcept {
  if (ex_ == nullptr || rules_ == nullptr) {
    return;
  }
  if (rules_->pii && pii_found_ > 0) {
    ex_->add_verdict(policy_kind::pii_detector,
                     blocked_ && ex_->refused.policy == "pii-detector" ? "block" : to_string(rules_->pii_action),
                     pii_found_);
  }
  if (rules_->content && content_found_ > 0) {
    ex_->add_verdict(policy_kind::content_filter,
                     rules_->content_action == policy_action::block ? "block" : "flag", content_found_);
  }
  ex_ = nullptr;
}

}  // namespace sluice::gateway
