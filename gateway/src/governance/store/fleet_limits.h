#pragma once
// Rate limits and hard budgets held for the whole fleet (several replicas on one Redis): what an
// admission asks Redis to check and take, what Redis answers, and what a settlement gives back. Plain
// fixed-size values, so the request path builds and queues them without allocating.
#include <cstdint>
#include <string>

#include "base/fixed_text.h"

namespace sluice::gateway {

// One admission, checked and taken atomically by the admission script (redis_scripts.h): the
// requests-per-minute and tokens-per-minute buckets, then the month's budget. Either everything is
// taken or nothing is.
struct fleet_admit_request {
  fixed_text<64> key_id;
  std::uint32_t month = 0;                // budget month (timeutil::month_index of the replica's clock)
  std::uint32_t requests_per_minute = 0;  // 0: no limit
  std::uint32_t tokens_per_minute = 0;    // 0: no limit
  std::uint64_t tokens = 0;               // reserved: input estimate + max_tokens
  std::uint64_t micro_usd = 0;            // reserved: the price of `tokens`
  std::uint64_t token_budget = 0;         // hard monthly token budget; 0: not checked
  std::uint64_t usd_budget_micro = 0;     // hard monthly USD budget in micro-USD; 0: not checked
  // The month's use as this replica knows it (from the usage in the store when it loaded the key):
  // the starting point of a budget Redis has no counter for yet this month.
  std::uint64_t known_tokens = 0;
  std::uint64_t known_micro_usd = 0;
};

enum class fleet_outcome : std::uint8_t {
  admitted,
  requests_per_minute,  // refused: the fleet's requests-per-minute bucket is empty
  tokens_per_minute,    // refused: the fleet's tokens-per-minute bucket holds too little
  token_budget,         // refused: the hard monthly token budget would be passed
  usd_budget,           // refused: the hard monthly USD budget would be passed
  unavailable,          // no answer: Redis unreachable, timed out or failing (on_store_failure decides)
};

struct fleet_verdict {
  fleet_outcome outcome = fleet_outcome::unavailable;
  std::int64_t retry_after_us = 0;  // rate limits: when the bucket will hold enough
};

// What an admitted request reserved in Redis and what it used, applied by the usage writer in the same
// round trip as the usage records (released requests have used nothing).
struct fleet_settlement {
  fixed_text<64> key_id;
  std::uint32_t budget_month = 0;       // month the budget reservation was made in
  std::uint32_t now_month = 0;          // month the usage counts in
  std::uint32_t tokens_per_minute = 0;  // 0: the tokens-per-minute bucket is left alone
  std::uint64_t tpm_reserved = 0;       // what the tokens-per-minute bucket was charged
  std::uint64_t budget_reserved_tokens = 0;     // what the month's budget was charged (0: nothing)
  std::uint64_t budget_reserved_micro_usd = 0;
  std::uint64_t used_tokens = 0;        // input + output; 0 for a released request
  std::uint64_t used_micro_usd = 0;
  // The key has a monthly budget: a month's counter Redis does not have yet is created from known_*
  // (this replica's view of the month's use before this request), and the totals are reported back.
  bool budgeted = false;
  std::uint64_t known_tokens = 0;
  std::uint64_t known_micro_usd = 0;
};

// A key's budget use in a month after a batch was applied (all replicas together), for budget alerts.
struct fleet_budget_use {
  std::string key_id;
  std::uint32_t month = 0;
  std::uint64_t tokens = 0;
  std::uint64_t micro_usd = 0;
};

}  // namespace sluice::gateway
