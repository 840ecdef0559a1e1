// Open-mode access controller (first landing): admits everything. Keys, limits and budgets follow.
#include <stdexcept>

#include "sluice/gateway/access_control.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

namespace detail {
struct key_entry {};
class controller_core {
 public:
  bool require_keys = false;
};
}  // namespace detail

std::string_view to_string(refusal r) noexcept {
  switch (r) {
    case refusal::none: return "none";
    case refusal::missing_key: return "missing_key";
    case refusal::unknown_key: return "unknown_key";
    case refusal::revoked_key: return "revoked_key";
    case refusal::expired_key: return "expired_key";
    case refusal::model_not_allowed: return "model_not_allowed";
    case refusal::endpoint_not_allowed: return "endpoint_not_allowed";
    case refusal::ip_not_allowed: return "ip_not_allowed";
    case refusal::rate_limited: return "rate_limited";
    case refusal::budget_exceeded: return "budget_exceeded";
    case refusal::unavailable: return "unavailable";
  }
  return "unknown";
}

reservation::reservation(reservation&& other) noexcept { *this = std::move(other); }

reservation& reservation::operator=(reservation&& other) noexcept {
  if (this != &other) {
    release();
    core_ = std::move(other.core_);
    key_ = std::move(other.key_);
    caller_ = other.caller_;
    reserved_tokens_ = other.reserved_tokens_;
    reserved_micro_usd_ = other.reserved_micro_usd_;
    reserved_tpm_tokens_ = other.reserved_tpm_tokens_;
    budget_month_ = other.budget_month_;
    admitted_at_ms_ = other.admitted_at_ms_;
    other.core_.reset();
    other.key_.reset();
  }
  return *this;
}

reservation::~reservation() { release(); }

void reservation::release() noexcept {
  core_.reset();
  key_.reset();
}

access_controller::access_controller() : core_(std::make_shared<detail::controller_core>()) {}

access_controller::access_controller(const governance_options& options)
    : core_(std::make_shared<detail::controller_core>()) {
  core_->require_keys = options.require_keys;
}

access_controller::~access_controller() = default;

admission access_controller::admit(const admission_request& request) noexcept {
  admission a;
  if (core_->require_keys) {
    a.reason = refusal::missing_key;
    a.http_status = 401;
    a.error_type = "authentication_error";
    a.message = "an sk-sluice- key is required (Authorization: Bearer or x-api-key)";
    return a;
  }
  a.allowed = true;
  a.held.core_ = core_;
  a.held.caller_.team = request.team_header;
  a.held.caller_.project = request.project_header;
  a.caller = a.held.caller_;
  return a;
}

void access_controller::settle(reservation&& held, const usage_report& usage) noexcept { held.release(); }

void access_controller::append_metrics(std::string& out) const {}

bool access_controller::open_mode() const noexcept { return !core_->require_keys; }

std::vector<model_price> default_model_prices() {
  // USD per million tokens, Anthropic list prices.
  return {
      {"claude-opus-4*", 15.0, 75.0},   {"claude-3-opus*", 15.0, 75.0},
      {"claude-sonnet-4*", 3.0, 15.0},  {"claude-3-7-sonnet*", 3.0, 15.0},
      {"claude-3-5-sonnet*", 3.0, 15.0}, {"claude-3-5-haiku*", 0.8, 4.0},
      {"claude-haiku-4*", 1.0, 5.0},    {"claude-3-haiku*", 0.25, 1.25},
      {"*", 15.0, 75.0},  // unknown models are priced like the most expensive, so budgets hold
  };
}

}  // namespace sluice::gateway
