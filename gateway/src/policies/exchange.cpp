// Per-request state shared by the policy chain; clear() keeps every buffer for the next request.
#include "policies/exchange.h"

namespace sluice::gateway {

void exchange::clear() noexcept {
  request_id.clear();
  dialect = api_dialect::anthropic;
  caller.assign("anonymous");
  key_id.clear();
  team.clear();
  project.clear();
  model.clear();
  target.clear();
  endpoint.clear();
  client_address.clear();
  header_team.clear();
  header_project.clear();
  stream = false;
  phase = exchange_phase::request;
  rules = nullptr;
  texts.clear();
  response_texts_begin = 0;
  entities.clear();
  content.clear();
  injection.clear();
  scan_failed = false;
  verdicts.clear();
  entity_counts.clear();
  refused.status = 0;
  refused.type.clear();
  refused.message.clear();
  refused.policy.clear();
  refused.retry_after_s = 0;
  refused.reason = {};
  refused.logged_message.clear();
  append_text.clear();
  status = 0;
  input_tokens = 0;
  output_tokens = 0;
  cost_usd = 0;
  priced = false;
  redacted_request_text.clear();
  redacted_response_text.clear();
}

void exchange::refuse(unsigned code, std::string_view type, std::string_view policy, std::string message) {
  refused.status = code;
  refused.type.assign(type);
  refused.policy.assign(policy);
  refused.message = std::move(message);
}

void exchange::add_verdict(policy_id policy, std::string_view action, std::uint32_t count) {
  verdicts.push_back({policy, action, count});
}

void exchange::count_entity(std::string_view entity) {
  for (auto& c : entity_counts) {
    if (c.entity == entity) {
      ++c.count;
      return;
    }
  }
  entity_counts.push_back({entity, 1});
}

double exchange::latency_ms() const noexcept {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace sluice::gateway
