#pragma once
// The key registry: the virtual keys governance knows, as the store keeps them and as the request path
// reads them (an immutable key_table snapshot, swapped whole on every change), the admin operations
// that change them (create, rotate, revoke, update: each persists, republishes and audits), and the
// clock key lifetimes are measured with. Private to the gateway library (governance_service, the
// admin API, tests).
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock_source.h"
#include "governance/keys/key_table.h"
#include "governance/store/key_store.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {

class audit_log;

class key_registry {
 public:
  // Opens the store, loads the keys and this month's budget use and announced alerts. Throws on load
  // errors (bad store path, negative rotation grace).
  explicit key_registry(const governance_options& options);
  ~key_registry();
  key_registry(const key_registry&) = delete;
  key_registry& operator=(const key_registry&) = delete;

  [[nodiscard]] std::int64_t now_ms() const noexcept { return clock_->now_ms(); }
  // The current key table; lock-free on the hot path (a per-thread cached copy, refreshed when the
  // generation moves).
  [[nodiscard]] const key_table& snapshot() noexcept;
  [[nodiscard]] std::shared_ptr<const key_table> snapshot_shared() const;

  // Admin operations, serialised by admin_mutex_. Each persists, swaps the snapshot and audits.
  struct created_key {
    key_record record;
    std::string secret;  // the only time the secret exists outside the client
  };
  created_key create_key(key_record spec, std::string_view actor);
  std::optional<created_key> rotate_key(std::string_view id, std::optional<std::int64_t> grace_seconds,
                                        std::string_view actor);
  std::optional<key_record> revoke_key(std::string_view id, std::string_view actor);
  std::optional<key_record> update_key(std::string_view id, const key_record& replacement, std::string_view actor);
  [[nodiscard]] std::vector<key_record> list_keys() const;
  [[nodiscard]] std::optional<key_record> find_key(std::string_view id) const;
  // This month's budget use of a key (tokens, micro-USD), as the limiter sees it.
  [[nodiscard]] std::pair<std::uint64_t, std::uint64_t> budget_used(std::string_view id) const;

  // Re-reads every key from the store and swaps the table: keys other processes created, changed or
  // revoked take effect here. Counters of keys already known carry over; a key new to this process
  // starts from this month's usage in the store. Called by the store's watch (shared stores) on its
  // own thread. Throws std::runtime_error on a storage error (the table stays as it was).
  void reload_keys();

  // The store the keys live in; the usage ledger writes its records there too.
  [[nodiscard]] governance_store& store() noexcept { return *store_; }

 private:
  void publish(std::shared_ptr<const key_table> table);
  // Loads this month's budget use and announced alert level from the store into the counters of the
  // keys in `table` that `previous` does not have (all of them when it is null).
  void load_month_state(const key_table& table, const key_table* previous);
  void audit_key_event(std::string_view type, const key_record& key, std::string_view actor);

  const std::int64_t rotation_grace_seconds_;
  const std::shared_ptr<audit_log> audit_;
  const std::shared_ptr<const clock_source> clock_;
  std::unique_ptr<governance_store> store_;
  const std::uint64_t instance_id_;

  mutable std::mutex admin_mutex_;   // serialises admin changes
  mutable std::mutex table_mutex_;   // guards current_
  std::shared_ptr<const key_table> current_;
  std::atomic<std::uint64_t> generation_{1};
  // Last: destroyed first, so the watch's thread stops before anything it reloads goes away.
  std::unique_ptr<key_change_watch> watch_;
};

}  // namespace sluice::gateway
