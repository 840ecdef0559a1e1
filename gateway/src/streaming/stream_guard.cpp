// Output policy for streams (see stream_guard.h): what each decision means is the hooks' (in their
// policies' folders); this only runs them and turns their answers into the filter's verdicts.
#include "streaming/stream_guard.h"

namespace sluice::gateway {

void stream_guard::begin(exchange& ex, const response_rules& rules) noexcept {
  ex_ = &ex;
  rules_ = &rules;
  blocked_ = false;
  try {
    states_.assign(rules.hooks.size(), stream_hook_state{});
  } catch (...) {
    states_.clear();  // out of memory: check() fails closed below
  }
}

stream_verdict stream_guard::check(const stream_release& release) noexcept {
  stream_verdict v;
  if (ex_ == nullptr || blocked_) {
    return v;
  }
  const stream_findings found{release.new_findings, release.new_content_hits};
  const auto& hooks = rules_->hooks;
  for (std::size_t i = 0; i < hooks.size(); ++i) {
    if (i >= states_.size()) {
      v.block = true;
      v.error_type = "api_error";
      v.message = "an output policy failed; the response was stopped";
      return v;
    }
    switch (hooks[i]->check(*ex_, found, states_[i], message_)) {
      case stream_hook_answer::proceed:
        break;
      case stream_hook_answer::block:
        blocked_ = true;
        v.block = true;
        v.message = message_;
        return v;
      case stream_hook_answer::error:
        // Out of memory building a message: fail closed.
        v.block = true;
        v.error_type = "api_error";
        v.message = "an output policy failed; the response was stopped";
        return v;
    }
  }
  return v;
}

void stream_guard::finish() noexcept {
  if (ex_ == nullptr || rules_ == nullptr) {
    return;
  }
  for (std::size_t i = 0; i < rules_->hooks.size() && i < states_.size(); ++i) {
    rules_->hooks[i]->finish(*ex_, states_[i]);
  }
  ex_ = nullptr;
}

}  // namespace sluice::gateway
