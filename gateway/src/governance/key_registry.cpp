// key_registry: loading, the snapshot, and the admin operations on keys.
#include "governance/key_registry.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "base/crypto_util.h"
#include "base/time_util.h"
#include "governance/audit/json_fields.h"
#include "sluice/gateway/audit_log.h"

namespace sluice::gateway {

namespace {

std::atomic<std::uint64_t> next_instance_id{1};

std::string base64url(const std::uint8_t* data, std::size_t size) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = buffer << 8 | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(alphabet[(buffer >> bits) & 0x3F]);
    }
  }
  if (bits > 0) {
    out.push_back(alphabet[(buffer << (6 - bits)) & 0x3F]);
  }
  return out;
}

// "sk-sluice-" + 43 characters of base64url (256 random bits).
std::string new_secret() {
  std::uint8_t bytes[32];
  crypto::random_bytes(bytes, sizeof bytes);
  return "sk-sluice-" + base64url(bytes, sizeof bytes);
}

std::string new_key_id() {
  std::uint8_t bytes[8];
  crypto::random_bytes(bytes, sizeof bytes);
  return "key_" + crypto::to_hex(bytes, sizeof bytes);
}

std::string hint_of(const std::string& secret) {
  return secret.substr(0, 14) + "..." + secret.substr(secret.size() - 4);
}

bool has_control_chars(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20) {
      return true;
    }
  }
  return false;
}

// Checks what a user can get wrong in a key's settings; throws std::invalid_argument saying what.
void validate(const key_record& k) {
  if (k.name.empty()) {
    throw std::invalid_argument("name is required");
  }
  for (const auto* field : {&k.name, &k.description, &k.team, &k.project, &k.environment}) {
    if (field->size() > 256 || has_control_chars(*field)) {
      throw std::invalid_argument("text fields must be at most 256 characters without control characters");
    }
  }
  auto check_list = [](const std::vector<std::string>& items, const char* what) {
    for (const auto& item : items) {
      if (item.empty() || item.size() > 256 || has_control_chars(item)) {
        throw std::invalid_argument(std::string(what) + " entries must be non-empty, at most 256 characters");
      }
    }
  };
  check_list(k.allowed_models, "allowed_models");
  check_list(k.allowed_endpoints, "allowed_endpoints");
  check_list(k.ip_allowlist, "ip_allowlist");
  for (const auto& text : k.ip_allowlist) {
    cidr_block block;
    if (!parse_cidr(text, block)) {
      throw std::invalid_argument("ip_allowlist entry '" + text + "' is not an IPv4 or IPv6 address or CIDR");
    }
  }
  const auto& l = k.limits;
  if (!(l.monthly_usd_budget >= 0) || l.monthly_usd_budget > 1e8) {
    throw std::invalid_argument("monthly_usd_budget must be between 0 and 100000000");
  }
  if (l.monthly_token_budget > (std::uint64_t{1} << 47)) {
    throw std::invalid_argument("monthly_token_budget is too large");
  }
  double last = 0;
  for (const double t : l.alert_thresholds) {
    if (!(t > last) || t > 10) {
      throw std::invalid_argument("alert_thresholds must be increasing fractions of the budget, e.g. [0.8, 1.0]");
    }
    last = t;
  }
  if (l.alert_thresholds.size() > 16) {
    throw std::invalid_argument("at most 16 alert_thresholds");
  }
}

}  // namespace

key_registry::key_registry(const governance_options& options)
    : rotation_grace_seconds_(options.rotation_grace_seconds),
      audit_(options.audit),
      clock_(options.clock ? options.clock : system_clock_source()),
      instance_id_(next_instance_id.fetch_add(1)) {
  if (rotation_grace_seconds_ < 0) {
    throw std::invalid_argument("rotation grace must not be negative");
  }
  store_ = open_governance_store(options.store_path, options.store_password, options.store_key_prefix,
                                 options.store_tls);
  const auto records = store_->load_keys();
  auto table = build_key_table(records, nullptr);
  // Budgets continue from what this month already used, as recorded in the store.
  load_month_state(*table, nullptr);
  current_ = std::move(table);
  // A shared store (Redis) tells this process about key changes made through other replicas.
  watch_ = store_->watch_key_changes([this] { reload_keys(); });
}

void key_registry::load_month_state(const key_table& table, const key_table* previous) {
  const std::int64_t now = now_ms();
  const std::uint32_t month = timeutil::month_index(now);
  const std::int64_t from = timeutil::month_start_ms(month);
  const std::int64_t to = timeutil::month_start_ms(month + 1);
  for (const auto& [id, entry] : table.by_id) {
    if (previous != nullptr && previous->by_id.contains(id)) {
      continue;  // its counters carried over
    }
    const usage_total used = store_->usage_of_key(id, from, to);
    entry->counters->budget_tokens.load(month, used.input_tokens + used.output_tokens);
    entry->counters->budget_micro_usd.load(month, static_cast<std::uint64_t>(std::max<std::int64_t>(0, used.cost_micro_usd)));
    const std::string state = store_->get_state("budget_alert/" + id);
    const auto colon = state.find(':');
    if (colon != std::string::npos &&
        std::strtoul(state.substr(0, colon).c_str(), nullptr, 10) == month) {
      const auto level = std::strtoul(state.substr(colon + 1).c_str(), nullptr, 10);
      entry->counters->alert_state.store((month & 0xFFFFFF) << 8 | (level & 0xFF));
    }
  }
}

void key_registry::reload_keys() {
  std::lock_guard admin(admin_mutex_);  // after an admin change of this process, never interleaved
  const auto previous = snapshot_shared();
  auto table = build_key_table(store_->load_keys(), previous.get());
  load_month_state(*table, previous.get());
  publish(std::move(table));
}

key_registry::~key_registry() = default;

const key_table& key_registry::snapshot() noexcept {
  struct cache {
    std::uint64_t instance = 0;
    std::uint64_t generation = 0;
    std::shared_ptr<const key_table> table;
  };
  thread_local cache local;
  const std::uint64_t generation = generation_.load(std::memory_order_acquire);
  if (local.instance != instance_id_ || local.generation != generation) {
    std::lock_guard lock(table_mutex_);
    local.table = current_;
    local.instance = instance_id_;
    local.generation = generation_.load(std::memory_order_relaxed);
  }
  return *local.table;
}

std::shared_ptr<const key_table> key_registry::snapshot_shared() const {
  std::lock_guard lock(table_mutex_);
  return current_;
}

void key_registry::publish(std::shared_ptr<const key_table> table) {
  std::lock_guard lock(table_mutex_);
  current_ = std::move(table);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

void key_registry::audit_key_event(std::string_view type, const key_record& key, std::string_view actor) {
  if (!audit_) {
    return;
  }
  json_fields f;
  f.add("key_id", key.id).add("name", key.name).add("team", key.team).add("project", key.project);
  f.add("environment", key.environment).add("actor", actor);
  f.add("rpm", key.limits.requests_per_minute).add("tpm", key.limits.tokens_per_minute);
  f.add("monthly_token_budget", key.limits.monthly_token_budget).add("monthly_usd_budget", key.limits.monthly_usd_budget);
  f.add("hard_budget", key.limits.hard_budget);
  if (key.previous_valid_until_ms != 0 && type == "key.rotated") {
    f.add("previous_valid_until", timeutil::iso8601(key.previous_valid_until_ms));
  }
  audit_->append(type, f.str());
}

key_registry::created_key key_registry::create_key(key_record spec, std::string_view actor) {
  validate(spec);
  std::lock_guard admin(admin_mutex_);
  created_key out;
  out.secret = new_secret();
  spec.id = new_key_id();
  spec.created_at_ms = now_ms();
  spec.rotated_at_ms = 0;
  spec.revoked_at_ms = 0;
  spec.secret_sha256 = crypto::to_hex(crypto::sha256(out.secret));
  spec.secret_hint = hint_of(out.secret);
  spec.previous_secret_sha256.clear();
  spec.previous_valid_until_ms = 0;
  auto records = store_->load_keys();
  store_->save_key(spec);
  records.push_back(spec);
  publish(build_key_table(records, snapshot_shared().get()));
  audit_key_event("key.created", spec, actor);
  out.record = std::move(spec);
  return out;
}

std::optional<key_registry::created_key> key_registry::rotate_key(std::string_view id,
                                                                        std::optional<std::int64_t> grace_seconds,
                                                                        std::string_view actor) {
  const std::int64_t grace = grace_seconds.value_or(rotation_grace_seconds_);
  if (grace < 0 || grace > 30LL * 86400) {
    throw std::invalid_argument("grace_seconds must be between 0 and 2592000 (30 days)");
  }
  std::lock_guard admin(admin_mutex_);
  auto records = store_->load_keys();
  for (auto& k : records) {
    if (k.id != id) {
      continue;
    }
    if (k.revoked_at_ms != 0) {
      throw std::invalid_argument("key " + k.id + " is revoked; a revoked key cannot be rotated");
    }
    created_key out;
    out.secret = new_secret();
    const std::int64_t now = now_ms();
    k.previous_secret_sha256 = k.secret_sha256;
    // Grace 0 still needs a non-zero end time: 0 means "no end" in the table.
    k.previous_valid_until_ms = std::max<std::int64_t>(1, now + grace * 1000);
    k.secret_sha256 = crypto::to_hex(crypto::sha256(out.secret));
    k.secret_hint = hint_of(out.secret);
    k.rotated_at_ms = now;
    store_->save_key(k);
    publish(build_key_table(records, snapshot_shared().get()));
    audit_key_event("key.rotated", k, actor);
    out.record = k;
    return out;
  }
  return std::nullopt;
}

std::optional<key_record> key_registry::revoke_key(std::string_view id, std::string_view actor) {
  std::lock_guard admin(admin_mutex_);
  // Immediate on every thread: flip the shared atomic first, then persist and republish.
  const auto table = snapshot_shared();
  const auto it = table->by_id.find(id);
  if (it == table->by_id.end()) {
    return std::nullopt;
  }
  it->second->counters->revoked.store(true, std::memory_order_release);
  auto records = store_->load_keys();
  for (auto& k : records) {
    if (k.id == id) {
      if (k.revoked_at_ms == 0) {
        k.revoked_at_ms = now_ms();
        store_->save_key(k);
        audit_key_event("key.revoked", k, actor);
      }
      publish(build_key_table(records, table.get()));
      return k;
    }
  }
  return std::nullopt;
}

std::optional<key_record> key_registry::update_key(std::string_view id, const key_record& replacement,
                                                      std::string_view actor) {
  validate(replacement);
  std::lock_guard admin(admin_mutex_);
  auto records = store_->load_keys();
  for (auto& k : records) {
    if (k.id != id) {
      continue;
    }
    // Identity, secrets and lifecycle times are not updatable.
    key_record next = replacement;
    next.id = k.id;
    next.created_at_ms = k.created_at_ms;
    next.rotated_at_ms = k.rotated_at_ms;
    next.revoked_at_ms = k.revoked_at_ms;
    next.secret_hint = k.secret_hint;
    next.secret_sha256 = k.secret_sha256;
    next.previous_secret_sha256 = k.previous_secret_sha256;
    next.previous_valid_until_ms = k.previous_valid_until_ms;
    k = next;
    store_->save_key(k);
    publish(build_key_table(records, snapshot_shared().get()));
    audit_key_event("key.updated", k, actor);
    return k;
  }
  return std::nullopt;
}

std::vector<key_record> key_registry::list_keys() const {
  std::vector<key_record> out;
  for (const auto& [id, entry] : snapshot_shared()->by_id) {
    out.push_back(entry->record);
  }
  return out;
}

std::optional<key_record> key_registry::find_key(std::string_view id) const {
  const auto table = snapshot_shared();
  const auto it = table->by_id.find(id);
  if (it == table->by_id.end()) {
    return std::nullopt;
  }
  return it->second->record;
}

std::pair<std::uint64_t, std::uint64_t> key_registry::budget_used(std::string_view id) const {
  const auto table = snapshot_shared();
  const auto it = table->by_id.find(id);
  if (it == table->by_id.end()) {
    return {0, 0};
  }
  const std::uint32_t month = timeutil::month_index(now_ms());
  return {it->second->counters->budget_tokens.used(month), it->second->counters->budget_micro_usd.used(month)};
}

}  // namespace sluice::gateway
