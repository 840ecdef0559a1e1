#pragma once
// The two server-side Lua scripts that make rate limits and hard budgets exact across replicas. Redis
// runs a script atomically, so concurrent admissions from any number of replicas are applied one at a
// time against the same counters. Both read the time from Redis (TIME), so the replicas' clocks never
// disagree about a bucket.
//
// Layout under the store's prefix P:
//   P fleet:<key id>            hash: r, ra (requests-per-minute bucket level and when it was taken),
//                               t, ta (tokens-per-minute); gone after the buckets would be full again
//   P budget:<key id>:<month>   hash: t (tokens), u (micro-USD) used or reserved in that month;
//                               created by the first admission of the month that checks a hard budget
//   P settled:<batch id>        marks a usage batch whose settlements were applied (replays skip it)
//
// Buckets are token buckets holding one minute of the limit, refilled continuously, with the level kept
// as a double: the same semantics as the in-process limiter (limits/rate_limiter.h) without its
// nanosecond rounding.
#include <string_view>

namespace sluice::gateway {

// KEYS: P fleet:<id>, P budget:<id>:<month>
// ARGV: requests_per_minute, tokens_per_minute, tokens, micro_usd, token_budget, usd_budget_micro,
//       known_tokens, known_micro_usd (every number in decimal; limits and budgets 0 when absent)
// Returns {code, retry_after_us}: 0 admitted, 1 requests per minute, 2 tokens per minute, 3 token
// budget, 4 USD budget. Takes everything or nothing.
[[nodiscard]] std::string_view fleet_admit_script() noexcept;

// KEYS: P settled:<batch id>
// ARGV: P, then per settlement 12 values: key id, budget month, now month, tokens_per_minute,
//       tokens-per-minute reserved, budget tokens reserved, budget micro-USD reserved, used tokens,
//       used micro-USD, budgeted (1/0), known tokens, known micro-USD (the order of fleet_settlement)
// Returns {1, id, month, tokens, micro_usd, …} (each budgeted key's month after the batch) when
// applied, {0} when this batch was applied before (a replay after a lost reply).
[[nodiscard]] std::string_view fleet_settle_script() noexcept;

// KEYS: P state. ARGV: "budget_alert/<key id>", month, level. Raises the month's announced alert level
// if `level` is higher; returns the level announced before (0 in a new month). One replica announces each
// threshold.
[[nodiscard]] std::string_view fleet_alert_script() noexcept;

}  // namespace sluice::gateway
