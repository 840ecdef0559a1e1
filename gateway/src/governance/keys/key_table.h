#pragma once
// The key table the request path reads: an immutable snapshot (secret digests -> key entries) that
// admin changes replace as a whole. Live counters (limiters, budgets, the revoked flag) live in
// key_counters, shared by every snapshot that contains the key, so replacing the table never resets
// a limit and revoking is one atomic store that every thread sees on its next admit.
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "governance/limits/budget_counter.h"
#include "base/crypto_util.h"
#include "governance/keys/ip_allowlist.h"
#include "governance/limits/rate_limiter.h"
#include "governance/keys/refusal.h"
#include "governance/store/key_store.h"

namespace sluice::gateway {

struct key_counters {
  std::atomic<bool> revoked{false};
  minute_limiter requests_per_minute;
  minute_limiter tokens_per_minute;
  budget_counter budget_tokens;
  budget_counter budget_micro_usd;
  // month << 8 | number of alert thresholds already announced this month (budget alerts fire once).
  std::atomic<std::uint32_t> alert_state{0};
  std::array<std::atomic<std::uint64_t>, refusal_count> refused{};
};

namespace detail {
struct key_entry {
  key_record record;
  std::vector<cidr_block> allowlist;
  std::uint64_t usd_budget_micro = 0;  // record.limits.monthly_usd_budget in micro-USD
  std::shared_ptr<key_counters> counters;
};
}  // namespace detail

struct secret_slot {
  crypto::digest digest{};
  std::int64_t valid_until_ms = 0;  // 0: no end (the current secret); else the rotation grace end
  std::shared_ptr<const detail::key_entry> key;
};

struct key_table {
  std::vector<secret_slot> slots;  // sorted by digest: lookup by binary search
  std::map<std::string, std::shared_ptr<const detail::key_entry>, std::less<>> by_id;
  bool has_active_keys = false;    // any key not revoked: open mode ends with the first key

  // The slot whose digest equals `d` (full compare in constant time), or nullptr.
  [[nodiscard]] const secret_slot* find(const crypto::digest& d) const noexcept;
};

// Builds a table from records, reusing the counters of `previous` for keys it already had.
// Throws std::invalid_argument when a record's CIDR or digest is malformed.
[[nodiscard]] std::shared_ptr<const key_table> build_key_table(const std::vector<key_record>& records,
                                                               const key_table* previous);

}  // namespace sluice::gateway
