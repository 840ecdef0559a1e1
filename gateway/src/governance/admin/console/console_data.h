#pragma once
// The JSON answers the console needs beyond the key and audit routes: usage per day, a snapshot of the
// process's governance metrics and the audit chain check. The admin API routes to these
// (GET /admin/usage/daily, /admin/metrics, /admin/audit/verify); any admin client may use them.
#include <cstdint>
#include <string>
#include <string_view>

#include "governance/store/key_store.h"
#include "sluice/gateway/audit_verify.h"

namespace sluice::gateway {

// The most days one /admin/usage/daily answer covers (a year and a bit).
inline constexpr std::int64_t max_usage_days = 400;

// {"group_by":…,"from":…,"to":…,"days":["2026-12-01",…],"rows":[{"day":…,"group":…,"requests":…,
//  "input_tokens":…,"output_tokens":…,"cost_usd":…},…]}: the store's totals per UTC day in [from, to),
// days with no usage left out of "rows". Throws std::invalid_argument when the range spans more than
// max_usage_days, std::runtime_error on a storage error.
[[nodiscard]] std::string usage_daily_json(governance_store& store, usage_grouping grouping,
                                           std::string_view group_by, std::int64_t from_ms, std::int64_t to_ms);

// Folds the Prometheus text of governance_service::append_metrics into
// {"ts":…,"requests_total":N,"requests_by_status":{"2xx":N,…},"refusals":{"reason":N,…},
//  "verdicts":{"policy:action":N,…},"alerts_total":N,"added_latency":{"count":N,"p50_ms":…,"p99_ms":…,
//  "buckets":[{"le_ms":…,"count":N},…]}}. Rates are the reader's business: poll twice and divide.
[[nodiscard]] std::string metrics_snapshot_json(std::string_view prometheus, std::int64_t now_ms);

// {"ok":true|false,"problem":"none|modified|…","message":…,"records":N,"first_seq":N,"head":…,
//  "file":…,"line":N,"seq":N}: what `sluice audit verify` prints, as JSON.
[[nodiscard]] std::string audit_verify_json(const audit_verify_result& result);

}  // namespace sluice::gateway
