#include "governance/keys/key_table.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace sluice::gateway {

const secret_slot* key_table::find(const crypto::digest& d) const noexcept {
  // The binary search orders by the digest's first 8 bytes only (a bucket index derived from a
  // one-way hash, nothing secret); the match itself is a constant-time compare of all 32 bytes.
  auto prefix = [](const crypto::digest& x) {
    std::uint64_t v;
    std::memcpy(&v, x.data(), sizeof v);
    return __builtin_bswap64(v);
  };
  const std::uint64_t want = prefix(d);
  auto it = std::lower_bound(slots.begin(), slots.end(), want,
                             [&](const secret_slot& s, std::uint64_t w) { return prefix(s.digest) < w; });
  for (; it != slots.end() && prefix(it->digest) == want; ++it) {
    if (crypto::equal_constant_time(it->digest, d)) {
      return &*it;
    }
  }
  return nullptr;
}

std::shared_ptr<const key_table> build_key_table(const std::vector<key_record>& records,
                                                 const key_table* previous) {
  auto table = std::make_shared<key_table>();
  for (const auto& record : records) {
    auto entry = std::make_shared<detail::key_entry>();
    entry->record = record;
    for (const auto& text : record.ip_allowlist) {
      cidr_block block;
      if (!parse_cidr(text, block)) {
        throw std::invalid_argument("key " + record.id + ": ip_allowlist entry '" + text + "' is not a CIDR");
      }
      entry->allowlist.push_back(block);
    }
    entry->usd_budget_micro = static_cast<std::uint64_t>(std::llround(record.limits.monthly_usd_budget * 1e6));
    if (previous != nullptr) {
      if (const auto it = previous->by_id.find(record.id); it != previous->by_id.end()) {
        entry->counters = it->second->counters;
      }
    }
    if (!entry->counters) {
      entry->counters = std::make_shared<key_counters>();
    }
    if (record.revoked_at_ms != 0) {
      entry->counters->revoked.store(true);
    } else {
      table->has_active_keys = true;
    }
    secret_slot current;
    if (!crypto::from_hex(record.secret_sha256, current.digest)) {
      throw std::invalid_argument("key " + record.id + ": stored secret digest is not 64 hex characters");
    }
    current.key = entry;
    table->slots.push_back(current);
    if (!record.previous_secret_sha256.empty()) {
      secret_slot old;
      if (crypto::from_hex(record.previous_secret_sha256, old.digest)) {
        old.valid_until_ms = record.previous_valid_until_ms;
        old.key = entry;
        table->slots.push_back(old);
      }
    }
    table->by_id[record.id] = std::move(entry);
  }
  std::sort(table->slots.begin(), table->slots.end(),
            [](const secret_slot& a, const secret_slot& b) { return a.digest < b.digest; });
  return table;
}

}  // namespace sluice::gateway
