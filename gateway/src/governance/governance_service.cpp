// admit() and settle(): the per-request half of governance. Everything here is noexcept, reads the
// key table through a per-thread snapshot and touches only per-key atomics.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "governance/governance_service.h"

#include "base/time_util.h"
#include "governance/audit/client_ip_mask.h"
#include "governance/key_registry.h"
#include "governance/keys/glob_match.h"
#include "governance/store/fleet_link.h"
#include "governance/store/redis_store.h"
#include "governance/token_prices.h"
#include "governance/usage/usage_ledger.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

namespace detail {

// What a governance_service and every live reservation share: a reservation may be settled or
// released after the service is gone (a stream finishing during shutdown).
struct service_state {
  explicit service_state(const governance_options& options)
      : prices(options.prices.empty() ? default_token_prices() : options.prices),
        require_keys(options.require_keys),
        store_failure_local(options.store_failure_local),
        keys(options),
        ledger(keys.store(), options),
        fleet_target(keys.store().redis()),
        fleet_health(std::make_shared<gateway::fleet_health>()) {}

  // Price of tokens in micro-USD (rounded up), using the first matching model price.
  [[nodiscard]] std::uint64_t price_micro_usd(std::string_view model, std::uint64_t input_tokens,
                                              std::uint64_t output_tokens) const noexcept {
    return gateway::price_micro_usd(prices, model, input_tokens, output_tokens);
  }

  const std::vector<token_price> prices;
  const bool require_keys;
  const bool store_failure_local;
  key_registry keys;
  usage_ledger ledger;  // after keys: destroyed first, its final flush writes to the keys' store
  const redis_target* fleet_target;  // the shared store's server (owned by keys' store), else null
  const std::shared_ptr<gateway::fleet_health> fleet_health;
};

}  // namespace detail

void reservation::text_copy::assign(std::string_view s) noexcept {
  size = static_cast<std::uint8_t>(std::min(s.size(), data.size()));
  if (size != 0) {  // an empty view may hold a null pointer, which memcpy may not be given even for 0 bytes
    std::memcpy(data.data(), s.data(), size);
  }
}

reservation::reservation(reservation&& other) noexcept { *this = std::move(other); }

reservation& reservation::operator=(reservation&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
    key_ = std::move(other.key_);
    caller_ = other.caller_;
    reserved_tokens_ = other.reserved_tokens_;
    reserved_micro_usd_ = other.reserved_micro_usd_;
    reserved_tpm_tokens_ = other.reserved_tpm_tokens_;
    budget_month_ = other.budget_month_;
    fleet_settle_ = other.fleet_settle_;
    fleet_reserved_ = other.fleet_reserved_;
    fleet_budget_ = other.fleet_budget_;
    fleet_tpm_limit_ = other.fleet_tpm_limit_;
    admitted_at_ms_ = other.admitted_at_ms_;
    client_ip_ = other.client_ip_;
    has_client_ip_ = other.has_client_ip_;
    model_ = other.model_;
    team_header_ = other.team_header_;
    project_header_ = other.project_header_;
    // Views into the other reservation's inline copies must now view ours.
    if (caller_.team.data() == other.team_header_.data.data()) {
      caller_.team = team_header_.view();
    }
    if (caller_.project.data() == other.project_header_.data.data()) {
      caller_.project = project_header_.view();
    }
    other.state_.reset();
    other.key_.reset();
  }
  return *this;
}

reservation::~reservation() { release(); }

// Gives back everything reserved: the request never went upstream, so it used nothing.
void reservation::release() noexcept {
  if (state_ && key_) {
    key_counters& c = *key_->counters;
    const auto& limits = key_->record.limits;
    c.tokens_per_minute.adjust(limits.tokens_per_minute, -static_cast<std::int64_t>(reserved_tpm_tokens_));
    const std::uint32_t month = timeutil::month_index(state_->keys.now_ms());
    c.budget_tokens.settle(budget_month_, reserved_tokens_, 0, month);
    c.budget_micro_usd.settle(budget_month_, reserved_micro_usd_, 0, month);
    if (fleet_reserved_) {
      state_->ledger.enqueue_release(settlement(month, 0, 0));
    }
  }
  state_.reset();
  key_.reset();
}

fleet_settlement reservation::settlement(std::uint32_t now_month, std::uint64_t used_tokens,
                                         std::uint64_t used_micro_usd) const noexcept {
  fleet_settlement f;
  f.key_id.assign(key_->record.id);
  f.budget_month = budget_month_;
  f.now_month = now_month;
  if (fleet_reserved_) {
    f.tokens_per_minute = fleet_tpm_limit_;
    f.tpm_reserved = fleet_tpm_limit_ != 0 ? reserved_tokens_ : 0;
    if (fleet_budget_) {
      f.budget_reserved_tokens = reserved_tokens_;
      f.budget_reserved_micro_usd = reserved_micro_usd_;
    }
  }
  f.used_tokens = used_tokens;
  f.used_micro_usd = used_micro_usd;
  // A key with a budget: the fleet counts its month (and reports it back for alerts). This process's
  // own counters, without this request, are where a month Redis has not counted yet starts.
  const key_counters& c = *key_->counters;
  f.budgeted = key_->record.limits.monthly_token_budget != 0 || key_->usd_budget_micro != 0;
  const std::uint64_t own_tokens = c.budget_tokens.used(now_month);
  const std::uint64_t own_micro_usd = c.budget_micro_usd.used(now_month);
  f.known_tokens = own_tokens > used_tokens ? own_tokens - used_tokens : 0;
  f.known_micro_usd = own_micro_usd > used_micro_usd ? own_micro_usd - used_micro_usd : 0;
  return f;
}

namespace {

constexpr std::string_view key_prefix = "sk-sluice-";

bool starts_with_ci(std::string_view text, std::string_view prefix) noexcept {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    const char a = text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] + 32) : text[i];
    if (a != prefix[i]) {
      return false;
    }
  }
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

// The credential to check: a Sluice key from either header wins; otherwise whatever was presented.
std::string_view pick_credential(const admission_request& r) noexcept {
  std::string_view bearer;
  const std::string_view auth = trim(r.authorization);
  if (starts_with_ci(auth, "bearer ")) {
    bearer = trim(auth.substr(7));
  }
  const std::string_view api_key = trim(r.x_api_key);
  if (bearer.substr(0, key_prefix.size()) == key_prefix) {
    return bearer;
  }
  if (api_key.substr(0, key_prefix.size()) == key_prefix) {
    return api_key;
  }
  return !bearer.empty() ? bearer : api_key;
}

void refuse(admission& a, refusal why, std::string message, std::uint32_t retry_after = 0) noexcept {
  a.allowed = false;
  a.reason = why;
  switch (why) {
    case refusal::missing_key:
    case refusal::unknown_key:
    case refusal::revoked_key:
    case refusal::expired_key:
    case refusal::rotated_secret:
      a.http_status = 401;
      a.error_type = "authentication_error";
      break;
    case refusal::model_not_allowed:
    case refusal::endpoint_not_allowed:
    case refusal::ip_not_allowed:
      a.http_status = 403;
      a.error_type = "permission_error";
      break;
    case refusal::rate_limited:
      a.http_status = 429;
      a.error_type = "rate_limit_error";
      break;
    case refusal::budget_exceeded:
      a.http_status = 429;
      a.error_type = "budget_exceeded";
      break;
    case refusal::none:
    case refusal::unavailable:
      a.http_status = 503;
      a.error_type = "api_error";
      break;
  }
  a.retry_after_seconds = a.http_status == 429 ? std::max<std::uint32_t>(1, retry_after) : 0;
  try {
    a.message = std::move(message);
  } catch (...) {
    // keep the empty message: status and type still say what happened
  }
}

std::uint32_t seconds_ceil(std::int64_t ns) noexcept {
  return static_cast<std::uint32_t>(std::max<std::int64_t>(1, (ns + 999'999'999) / 1'000'000'000));
}

// Micro-USD as dollars with the cents and as many further digits as are not zero: 1.5 -> "1.50",
// 0.000125 -> "0.000125".
std::string usd_text(std::uint64_t micro_usd) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llu.%06llu", static_cast<unsigned long long>(micro_usd / 1'000'000),
                static_cast<unsigned long long>(micro_usd % 1'000'000));
  std::string out(buf);
  while (out.size() > out.find('.') + 3 && out.back() == '0') {
    out.pop_back();
  }
  return out;
}

// The client's network as the audit log may keep it ("203.0.113.0/24"); never the address itself.
std::string masked_or_unparsed(std::string_view ip) {
  std::string masked = mask_client_ip(ip);
  return masked.empty() ? std::string("an unparsed address") : masked;
}

std::string with_key(std::string_view text, const key_record& k) {
  std::string out(text);
  out += " (key ";
  out += k.id;
  out += ')';
  return out;
}

void refuse_key(admission& a, key_counters& counters, refusal why, std::string message,
                std::uint32_t retry = 0) noexcept {
  counters.refused[static_cast<std::size_t>(why)].fetch_add(1, std::memory_order_relaxed);
  refuse(a, why, std::move(message), retry);
}

std::string tpm_message(std::uint64_t tokens, std::uint32_t limit, const char* whose) {
  return tokens > limit ? "this request may use " + std::to_string(tokens) +
                              " tokens (input estimate + max_tokens), more than the key's limit of " +
                              std::to_string(limit) + " tokens per minute; lower max_tokens"
                        : "rate limit of " + std::to_string(limit) + " tokens per minute reached" + whose;
}

// Says what is true: what is left of the budget and the most this request could use (a budget with room
// left still refuses a request whose maximum does not fit). `used` is what this process counts as used or
// reserved this month; with fleet-wide limits (used < 0) only Redis knows the fleet's, so the message
// says the request does not fit.
std::string budget_message(bool tokens_exhausted, const detail::key_entry& key, std::uint64_t tokens,
                           std::uint64_t micro_usd, std::int64_t used) {
  const char* advice = ": lower max_tokens or wait for the month to roll over";
  if (tokens_exhausted) {
    const std::uint64_t budget = key.record.limits.monthly_token_budget;
    const std::string ask = "this request may use up to " + std::to_string(tokens) + " (input estimate + max_tokens)";
    if (used < 0) {
      return "monthly token budget of " + std::to_string(budget) + " tokens has less left across the fleet than " +
             ask + advice;
    }
    const auto u = static_cast<std::uint64_t>(used);
    const std::uint64_t left = u < budget ? budget - u : 0;
    return "monthly token budget of " + std::to_string(budget) + " tokens has " + std::to_string(left) + " left (" +
           std::to_string(u) + " used or reserved); " + ask + (left > 0 ? advice : "");
  }
  const std::uint64_t budget = key.usd_budget_micro;
  const std::string ask = "this request may cost up to $" + usd_text(micro_usd);
  if (used < 0) {
    return "monthly budget of $" + usd_text(budget) + " has less left across the fleet than " + ask + advice;
  }
  const auto u = static_cast<std::uint64_t>(used);
  const std::uint64_t left = u < budget ? budget - u : 0;
  return "monthly budget of $" + usd_text(budget) + " has $" + usd_text(left) + " left ($" + usd_text(u) +
         " used or reserved); " + ask + (left > 0 ? advice : "");
}

std::uint32_t seconds_to_next_month(std::uint32_t month, std::int64_t now) noexcept {
  const std::int64_t next_month_ms = timeutil::month_start_ms(month + 1);
  return seconds_ceil((next_month_ms - now) * 1'000'000);
}

// Keys whose admission the fleet decides: any rate limit or a hard budget.
bool needs_fleet(const detail::key_entry& key) noexcept {
  const key_limits& l = key.record.limits;
  return l.requests_per_minute != 0 || l.tokens_per_minute != 0 ||
         (l.hard_budget && (l.monthly_token_budget != 0 || key.usd_budget_micro != 0));
}

constexpr const char* fleet_suffix = " (shared by all replicas)";

}  // namespace

governance_service::governance_service() : governance_service(governance_options{}) {}

governance_service::governance_service(const governance_options& options)
    : state_(std::make_shared<detail::service_state>(options)) {}

governance_service::~governance_service() = default;

key_registry& governance_service::keys() noexcept { return state_->keys; }

usage_ledger& governance_service::ledger() noexcept { return state_->ledger; }

bool governance_service::open_mode() const noexcept {
  return !state_->require_keys && !state_->keys.snapshot().has_active_keys;
}

admission governance_service::admit(const admission_request& request) noexcept {
  admission a;
  detail::service_state& state = *state_;
  const key_table& table = state.keys.snapshot();
  const std::string_view credential = pick_credential(request);
  const bool keyed = state.require_keys || table.has_active_keys;
  const bool sluice_key = credential.substr(0, key_prefix.size()) == key_prefix;
  const std::int64_t now = state.keys.now_ms();

  auto count_keyless = [&](refusal r) { state.ledger.count_keyless_refusal(r); };

  if (!sluice_key && !keyed) {
    // Open mode: admitted; team and project come from the headers.
    a.allowed = true;
    reservation& held = a.held;
    held.state_ = state_;
    held.admitted_at_ms_ = now;
    held.model_.assign(request.model);
    held.team_header_.assign(request.team_header);
    held.project_header_.assign(request.project_header);
    held.caller_.team = held.team_header_.view();
    held.caller_.project = held.project_header_.view();
    held.has_client_ip_ = parse_ip(request.client_ip, held.client_ip_);
    a.caller.team = request.team_header;
    a.caller.project = request.project_header;
    return a;
  }
  if (credential.empty()) {
    count_keyless(refusal::missing_key);
    refuse(a, refusal::missing_key,
           "this gateway requires a Sluice key: send `Authorization: Bearer sk-sluice-…` or `x-api-key: sk-sluice-…`");
    return a;
  }
  if (!sluice_key) {
    count_keyless(refusal::unknown_key);
    refuse(a, refusal::unknown_key,
           "the credential is not a Sluice key (sk-sluice-…); the upstream provider key stays inside the gateway");
    return a;
  }
  const secret_slot* slot = table.find(crypto::sha256(credential));
  if (slot == nullptr) {
    count_keyless(refusal::unknown_key);
    refuse(a, refusal::unknown_key, "unknown Sluice key");
    return a;
  }
  const detail::key_entry& key = *slot->key;
  key_counters& counters = *key.counters;
  const key_limits& limits = key.record.limits;
  a.key_pin = slot->key;
  a.caller.key_id = key.record.id;
  a.caller.key_name = key.record.name;
  a.caller.team = key.record.team.empty() ? request.team_header : std::string_view(key.record.team);
  a.caller.project = key.record.project.empty() ? request.project_header : std::string_view(key.record.project);
  a.caller.environment = key.record.environment;
  auto deny = [&](refusal why, std::string message, std::uint32_t retry = 0) {
    refuse_key(a, counters, why, std::move(message), retry);
  };

  if (slot->valid_until_ms != 0 && now >= slot->valid_until_ms) {
    deny(refusal::rotated_secret,
               with_key("this secret was replaced by a rotation and its grace period ended at " +
                            timeutil::iso8601(slot->valid_until_ms) + "; use the new secret",
                        key.record));
    return a;
  }
  if (counters.revoked.load(std::memory_order_acquire)) {
    deny(refusal::revoked_key, with_key("this Sluice key has been revoked", key.record));
    return a;
  }
  if (key.record.expires_at_ms != 0 && now >= key.record.expires_at_ms) {
    deny(refusal::expired_key,
               with_key("this Sluice key expired at " + timeutil::iso8601(key.record.expires_at_ms), key.record));
    return a;
  }
  ip_bytes ip{};
  const bool has_ip = parse_ip(request.client_ip, ip);
  if (!key.allowlist.empty()) {
    const bool inside = has_ip && std::any_of(key.allowlist.begin(), key.allowlist.end(),
                                              [&](const cidr_block& b) { return cidr_contains(b, ip); });
    if (!inside) {
      // The client sees its own address; the audit log keeps only its network (/24, /48).
      deny(refusal::ip_not_allowed,
                 with_key("client address " + std::string(request.client_ip) + " is not in this key's IP allowlist",
                          key.record));
      try {
        a.logged_message = with_key("client address in " + masked_or_unparsed(request.client_ip) +
                                        " is not in this key's IP allowlist",
                                    key.record);
      } catch (...) {
        a.logged_message = "client address is not in this key's IP allowlist";  // never the address itself
      }
      return a;
    }
  }
  const auto& endpoints = key.record.allowed_endpoints;
  if (!endpoints.empty() && std::none_of(endpoints.begin(), endpoints.end(), [&](const std::string& g) {
        return glob_match(g, request.endpoint);
      })) {
    deny(refusal::endpoint_not_allowed,
               with_key("endpoint " + std::string(request.endpoint) + " is outside this key's allowed endpoints",
                        key.record));
    return a;
  }
  const auto& models = key.record.allowed_models;
  if (!request.model.empty() && !models.empty() &&
      std::none_of(models.begin(), models.end(), [&](const std::string& g) { return glob_match(g, request.model); })) {
    deny(refusal::model_not_allowed,
               with_key("model " + std::string(request.model) + " is outside this key's allowed models", key.record));
    return a;
  }

  const std::uint64_t tokens = std::uint64_t{request.estimated_input_tokens} + request.max_tokens;
  const std::uint32_t month = timeutil::month_index(now);
  const std::uint64_t micro_usd = state.price_micro_usd(request.model, request.estimated_input_tokens, request.max_tokens);
  if (state.fleet_target != nullptr && needs_fleet(key)) {
    // The fleet's limits decide: the caller asks Redis and calls finish_admission().
    a.fleet_check = true;
    a.fleet_key = slot->key;
    fleet_admit_request& f = a.fleet_request;
    f.key_id.assign(key.record.id);
    f.month = month;
    f.requests_per_minute = limits.requests_per_minute;
    f.tokens_per_minute = limits.tokens_per_minute;
    f.tokens = tokens;
    f.micro_usd = micro_usd;
    f.token_budget = limits.hard_budget ? limits.monthly_token_budget : 0;
    f.usd_budget_micro = limits.hard_budget ? key.usd_budget_micro : 0;
    f.known_tokens = counters.budget_tokens.used(month);
    f.known_micro_usd = counters.budget_micro_usd.used(month);
    return a;
  }
  if (!limit_locally(a, key, tokens, micro_usd, month, now)) {
    return a;
  }
  grant(a, request, slot->key, tokens, micro_usd, month, now);
  return a;
}

bool governance_service::limit_locally(admission& a, const detail::key_entry& key, std::uint64_t tokens,
                                       std::uint64_t micro_usd, std::uint32_t month, std::int64_t now) noexcept {
  // Limits, then budgets. Each step that fails gives back what the earlier steps took, so a refused
  // request consumes nothing.
  key_counters& counters = *key.counters;
  const key_limits& limits = key.record.limits;
  const std::int64_t now_ns = now * 1'000'000;
  if (const std::int64_t wait = counters.requests_per_minute.try_acquire(now_ns, limits.requests_per_minute, 1)) {
    refuse_key(a, counters, refusal::rate_limited,
               with_key("rate limit of " + std::to_string(limits.requests_per_minute) + " requests per minute reached",
                        key.record),
               seconds_ceil(wait));
    return false;
  }
  if (const std::int64_t wait = counters.tokens_per_minute.try_acquire(now_ns, limits.tokens_per_minute, tokens)) {
    counters.requests_per_minute.adjust(limits.requests_per_minute, -1);
    refuse_key(a, counters, refusal::rate_limited, with_key(tpm_message(tokens, limits.tokens_per_minute, ""), key.record),
               seconds_ceil(wait));
    return false;
  }
  const bool hard = limits.hard_budget;
  const bool tokens_ok = counters.budget_tokens.reserve(month, tokens, hard ? limits.monthly_token_budget : 0);
  const bool usd_ok = tokens_ok && counters.budget_micro_usd.reserve(month, micro_usd, hard ? key.usd_budget_micro : 0);
  if (!tokens_ok || !usd_ok) {
    if (tokens_ok) {
      counters.budget_tokens.settle(month, tokens, 0, month);
    }
    counters.tokens_per_minute.adjust(limits.tokens_per_minute, -static_cast<std::int64_t>(tokens));
    counters.requests_per_minute.adjust(limits.requests_per_minute, -1);
    refuse_key(a, counters, refusal::budget_exceeded,
               with_key(budget_message(!tokens_ok, key, tokens, micro_usd,
                                       !tokens_ok ? counters.budget_tokens.used(month)
                                                  : counters.budget_micro_usd.used(month)),
                        key.record),
               seconds_to_next_month(month, now));
    return false;
  }
  return true;
}

void governance_service::grant(admission& a, const admission_request& request,
                               std::shared_ptr<const detail::key_entry> key, std::uint64_t tokens,
                               std::uint64_t micro_usd, std::uint32_t month, std::int64_t now) noexcept {
  a.allowed = true;
  a.reason = refusal::none;
  a.http_status = 200;
  reservation& held = a.held;
  held.state_ = state_;
  held.reserved_tpm_tokens_ = tokens;
  held.reserved_tokens_ = tokens;
  held.reserved_micro_usd_ = micro_usd;
  held.budget_month_ = month;
  held.admitted_at_ms_ = now;
  held.has_client_ip_ = parse_ip(request.client_ip, held.client_ip_);
  held.model_.assign(request.model);
  held.team_header_.assign(request.team_header);
  held.project_header_.assign(request.project_header);
  held.caller_ = a.caller;
  if (key->record.team.empty()) {
    held.caller_.team = held.team_header_.view();
  }
  if (key->record.project.empty()) {
    held.caller_.project = held.project_header_.view();
  }
  // A shared store counts every use of a key with a budget, whoever admitted it.
  const key_limits& l = key->record.limits;
  held.fleet_settle_ = state_->fleet_target != nullptr && (l.monthly_token_budget != 0 || key->usd_budget_micro != 0);
  held.key_ = std::move(key);
}

void governance_service::finish_admission(admission& a, const admission_request& request,
                                          const fleet_verdict& verdict) noexcept {
  if (!a.fleet_check || !a.fleet_key) {
    return;
  }
  a.fleet_check = false;
  std::shared_ptr<const detail::key_entry> key_ptr = std::move(a.fleet_key);
  const detail::key_entry& key = *key_ptr;
  key_counters& counters = *key.counters;
  const key_limits& limits = key.record.limits;
  const fleet_admit_request& f = a.fleet_request;
  const std::int64_t now = state_->keys.now_ms();
  switch (verdict.outcome) {
    case fleet_outcome::admitted:
      // This process's own budget counters follow what it admits (budget alerts, and the starting point
      // of local limits if Redis goes away); the rate limiters are the fleet's.
      (void)counters.budget_tokens.reserve(f.month, f.tokens, 0);
      (void)counters.budget_micro_usd.reserve(f.month, f.micro_usd, 0);
      grant(a, request, std::move(key_ptr), f.tokens, f.micro_usd, f.month, now);
      a.held.reserved_tpm_tokens_ = 0;
      a.held.fleet_settle_ = true;
      a.held.fleet_reserved_ = true;
      a.held.fleet_budget_ = f.token_budget != 0 || f.usd_budget_micro != 0;
      a.held.fleet_tpm_limit_ = f.tokens_per_minute;
      return;
    case fleet_outcome::requests_per_minute:
      refuse_key(a, counters, refusal::rate_limited,
                 with_key("rate limit of " + std::to_string(limits.requests_per_minute) +
                              " requests per minute reached" + fleet_suffix,
                          key.record),
                 seconds_ceil(verdict.retry_after_us * 1000));
      return;
    case fleet_outcome::tokens_per_minute:
      refuse_key(a, counters, refusal::rate_limited,
                 with_key(tpm_message(f.tokens, limits.tokens_per_minute, fleet_suffix), key.record),
                 seconds_ceil(verdict.retry_after_us * 1000));
      return;
    case fleet_outcome::token_budget:
    case fleet_outcome::usd_budget:
      refuse_key(a, counters, refusal::budget_exceeded,
                 with_key(budget_message(verdict.outcome == fleet_outcome::token_budget, key, f.tokens, f.micro_usd, -1),
                          key.record),
                 seconds_to_next_month(f.month, now));
      return;
    case fleet_outcome::unavailable:
      break;
  }
  if (!state_->store_failure_local) {
    std::string where = "the governance store";
    if (const redis_target* t = state_->fleet_target) {
      where += " (redis://" + t->host + ":" + std::to_string(t->port) + ")";
    }
    refuse_key(a, counters, refusal::unavailable,
               with_key("this key's rate limits and budgets are kept in " + where +
                            ", which cannot be reached; its requests are refused until it is back "
                            "(governance.on_store_failure: closed)",
                        key.record));
    return;
  }
  // on_store_failure: local. This process's own counters decide; the use still reaches the fleet's
  // budget when the usage is written.
  if (!limit_locally(a, key, f.tokens, f.micro_usd, f.month, now)) {
    return;
  }
  grant(a, request, std::move(key_ptr), f.tokens, f.micro_usd, f.month, now);
}

std::unique_ptr<fleet_link> governance_service::make_fleet_link(boost::asio::io_context& ioc) const {
  if (state_->fleet_target == nullptr) {
    return nullptr;
  }
  return std::make_unique<fleet_link>(ioc, *state_->fleet_target, state_->fleet_health);
}

bool governance_service::store_ready(std::string* why) const noexcept {
  if (state_->fleet_target == nullptr || state_->store_failure_local || state_->fleet_health->up()) {
    return true;
  }
  if (why != nullptr) {
    try {
      *why = "governance store redis://" + state_->fleet_target->host + ":" +
             std::to_string(state_->fleet_target->port) + " unreachable";
    } catch (...) {
    }
  }
  return false;
}

void governance_service::settle(reservation&& held, const usage_report& usage) noexcept {
  if (!held.state_) {
    return;
  }
  detail::service_state& shared = *held.state_;
  const std::int64_t now = shared.keys.now_ms();
  const std::string_view model = usage.model.empty() ? held.model_.view() : usage.model;
  const std::uint64_t tokens = std::uint64_t{usage.input_tokens} + usage.output_tokens;
  const std::uint64_t micro_usd = usage.cost_usd >= 0 ? static_cast<std::uint64_t>(usage.cost_usd * 1e6 + 0.5)
                                                      : shared.price_micro_usd(model, usage.input_tokens, usage.output_tokens);
  pending_usage record;
  if (held.key_) {
    const detail::key_entry& key = *held.key_;
    key_counters& c = *key.counters;
    const key_limits& limits = key.record.limits;
    const std::uint32_t month = timeutil::month_index(now);
    c.tokens_per_minute.adjust(limits.tokens_per_minute,
                               static_cast<std::int64_t>(tokens) - static_cast<std::int64_t>(held.reserved_tpm_tokens_));
    c.budget_tokens.settle(held.budget_month_, held.reserved_tokens_, tokens, month);
    c.budget_micro_usd.settle(held.budget_month_, held.reserved_micro_usd_, micro_usd, month);
    // Budget alerts: announce each threshold once per month, from whichever thread crosses it first.
    // With a shared store the usage writer does it from the fleet's totals instead (usage_ledger).
    const double fraction = std::max(
        limits.monthly_token_budget ? static_cast<double>(c.budget_tokens.used(month)) / limits.monthly_token_budget : 0.0,
        key.usd_budget_micro ? static_cast<double>(c.budget_micro_usd.used(month)) / key.usd_budget_micro : 0.0);
    const auto& thresholds = limits.alert_thresholds;
    std::uint32_t state = c.alert_state.load(std::memory_order_acquire);
    for (; !held.fleet_settle_;) {
      const std::uint32_t announced = (state >> 8) == (month & 0xFFFFFF) ? (state & 0xFF) : 0;
      std::uint32_t reach = 0;
      while (reach < thresholds.size() && fraction >= thresholds[reach]) {
        ++reach;
      }
      if (reach <= announced) {
        break;
      }
      if (c.alert_state.compare_exchange_weak(state, (month & 0xFFFFFF) << 8 | reach, std::memory_order_acq_rel)) {
        shared.ledger.enqueue_alert(pending_alert{held.key_, month, thresholds[reach - 1], fraction});
        break;
      }
    }
    record.key = held.key_;
  }
  record.ts_ms = now;
  record.model.assign(model);
  record.team.assign(held.caller_.team);
  record.project.assign(held.caller_.project);
  record.verdicts.assign(usage.verdicts);
  record.ip = held.client_ip_;
  record.has_ip = held.has_client_ip_;
  record.input_tokens = usage.input_tokens;
  record.output_tokens = usage.output_tokens;
  record.cost_micro_usd = static_cast<std::int64_t>(micro_usd);
  record.http_status = usage.http_status;
  record.latency_us = usage.latency_us;
  record.added_latency_us = usage.added_latency_us;
  if (held.key_ && held.fleet_settle_) {
    const fleet_settlement f = held.settlement(timeutil::month_index(now), tokens, micro_usd);
    shared.ledger.enqueue(std::move(record), &f);
  } else {
    shared.ledger.enqueue(std::move(record));
  }
  // Settled: nothing left to give back.
  held.state_.reset();
  held.key_.reset();
}

void governance_service::append_metrics(std::string& out) const {
  state_->ledger.append_metrics(out, *state_->keys.snapshot_shared());
}

}  // namespace sluice::gateway
