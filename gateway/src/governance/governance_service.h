#pragma once
// governance_service: the face governance shows the pipeline (virtual keys, scopes, IP allowlists,
// rate limits, budgets, usage). One service is shared by every shard thread:
//
//   auto a = service.admit(request);           // before anything is sent upstream
//   if (!a.allowed) { reply a.http_status / a.error_type / a.message (+ retry-after); done }
//   ... forward, stream, apply policies ...
//   service.settle(std::move(a.held), usage);  // exactly once, when the response is over
//
// admit() and settle() are noexcept, thread-safe and lock-free on the hot path: the key table is an
// immutable snapshot (key_registry), per-key counters are atomics, and usage records go to the usage
// ledger's background writer. They do not allocate on the allow path; a refusal builds its message
// string. Behind the service: key_registry.h (keys and their admin operations), usage/usage_ledger.h.
//
// With a shared store (Redis), rate limits and hard budgets are the fleet's, held in Redis: admit()
// then does everything it can locally (key, scopes) and, for a key with such limits, returns an
// admission with `fleet_check` set. The caller asks its shard's fleet_link (make_fleet_link) without
// blocking and hands the verdict to finish_admission(), which decides:
//
//   auto a = service.admit(request);
//   if (a.fleet_check) { service.finish_admission(a, request, co_await link.admit(a.fleet_request, timer)); }
//
// Settling such a request queues its settlement with its usage (one Redis round trip per interval).
// When Redis cannot answer, `on_store_failure` decides: refuse with 503 (closed, the default) or fall
// back to this process's own counters (local).
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "governance/keys/refusal.h"
#include "governance/store/fleet_limits.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace sluice::gateway {

class key_registry;   // governance/key_registry.h
class usage_ledger;   // governance/usage/usage_ledger.h
class fleet_link;     // governance/store/fleet_link.h
struct governance_options;  // sluice/gateway/governance_options.h

namespace detail {
struct key_entry;      // one key as admitted: scopes + limits + live counters (keys/key_table.h)
struct service_state;  // what the service and its live reservations share (governance_service.cpp)
}  // namespace detail

// What the server knows about a request when it asks to admit it. Views need only live for the call.
struct admission_request {
  std::string_view authorization;   // value of `Authorization` ("Bearer sk-sluice-…"); empty if absent
  std::string_view x_api_key;       // value of `x-api-key` ("sk-sluice-…"); empty if absent
  std::string_view client_ip;       // peer address as text: "203.0.113.7" or "2001:db8::1"
  std::string_view endpoint;        // request path without the query: "/v1/messages"
  std::string_view model;           // the body's "model"; empty if none
  // An UPPER bound of the input tokens. Hard budgets are exact only if this is never below the real
  // input count; the request body size in bytes is a safe choice (a token is at least one byte).
  std::uint32_t estimated_input_tokens = 0;
  std::uint32_t max_tokens = 0;     // the max_tokens that will be sent upstream, after defaults
  std::string_view team_header;     // `x-sluice-team`: used only when the key names no team
  std::string_view project_header;  // `x-sluice-project`: used only when the key names no project
};

// Who is calling, as the audit log, usage and cost attribution need it. Views stay valid as long as
// the reservation (or admission) that holds them is alive. Open mode: key fields empty.
struct caller_identity {
  std::string_view key_id;       // public id "key_…" (never the secret); empty in open mode
  std::string_view key_name;
  std::string_view team;         // key's team, else the x-sluice-team header, else empty
  std::string_view project;      // key's project, else the x-sluice-project header, else empty
  std::string_view environment;  // key's environment ("prod", "staging", …)
};

// What an admitted request holds until it is settled: the budget and tokens-per-minute it reserved.
// Move-only. Destroying one without settle() releases everything it reserved and records nothing:
// the right thing for a request refused later in the pipeline (a policy block) before going upstream.
class reservation {
  // A short inline string (truncated at 63 bytes): no allocation on the request path.
  struct text_copy {
    std::array<char, 63> data{};
    std::uint8_t size = 0;
    void assign(std::string_view s) noexcept;
    [[nodiscard]] std::string_view view() const noexcept { return {data.data(), size}; }
  };

 public:
  reservation() noexcept = default;
  reservation(reservation&& other) noexcept;
  reservation& operator=(reservation&& other) noexcept;
  reservation(const reservation&) = delete;
  reservation& operator=(const reservation&) = delete;
  ~reservation();

  // True while it holds something to settle (admitted and not yet settled or released).
  [[nodiscard]] bool active() const noexcept { return state_ != nullptr; }
  [[nodiscard]] const caller_identity& caller() const noexcept { return caller_; }

 private:
  friend class governance_service;
  void release() noexcept;
  // What to tell the shared store when this reservation ends having used `used_*`.
  [[nodiscard]] fleet_settlement settlement(std::uint32_t now_month, std::uint64_t used_tokens,
                                            std::uint64_t used_micro_usd) const noexcept;

  std::shared_ptr<detail::service_state> state_;  // null when empty
  std::shared_ptr<const detail::key_entry> key_;   // null in open mode
  caller_identity caller_;
  std::uint64_t reserved_tokens_ = 0;        // counted against the monthly token budget
  std::uint64_t reserved_micro_usd_ = 0;     // counted against the monthly USD budget
  std::uint64_t reserved_tpm_tokens_ = 0;    // charged to the tokens-per-minute limiter
  std::uint32_t budget_month_ = 0;           // month the budget reservation was made in
  // Shared store: settling sends a settlement (fleet_settle_); Redis holds this request's reservation
  // (fleet_reserved_, admitted by the fleet script) or holds nothing (admitted locally while Redis was
  // unreachable, or a key without fleet limits: the settlement then only counts the use).
  bool fleet_settle_ = false;
  bool fleet_reserved_ = false;
  bool fleet_budget_ = false;             // the fleet script charged the month's budget
  std::uint32_t fleet_tpm_limit_ = 0;     // the tokens-per-minute limit the fleet script charged
  std::int64_t admitted_at_ms_ = 0;
  // Copies kept so settle() needs nothing from the request (which may be gone by then).
  std::array<std::uint8_t, 16> client_ip_{};
  bool has_client_ip_ = false;
  text_copy model_;
  text_copy team_header_;     // caller_.team views this when the key names no team
  text_copy project_header_;  // likewise for caller_.project
};

// The answer to admit(). When allowed, `held` must eventually be settled (or dropped, see above).
// When refused, `http_status`, `error_type` and `message` are ready to send in the client's dialect:
//   401 "authentication_error"  missing/unknown/revoked/expired key, an old secret past its rotation grace
//   403 "permission_error"      model, endpoint or client address outside the key's scope
//   429 "rate_limit_error"      per-minute limit; send `retry-after: <retry_after_seconds>`
//   429 "budget_exceeded"       hard monthly budget; `retry-after` = seconds until the month rolls over
//   503 "api_error"             governance unavailable (fails closed), e.g. the Redis store unreachable
struct admission {
  bool allowed = false;
  refusal reason = refusal::none;
  std::uint16_t http_status = 200;
  std::string_view error_type;            // static string; empty when allowed
  std::string message;                    // says what is wrong; never contains a secret
  // The message as the audit log may keep it, when it must differ from what the client sees (an IP
  // allowlist refusal names the client's address to the client, only its /24 or /48 to the log).
  // Empty: log `message`.
  std::string logged_message;
  std::uint32_t retry_after_seconds = 0;  // >= 1 for 429, else 0
  reservation held;                       // active() when allowed
  // Who called, also on refusals once the key is known (for the audit record). Key fields stay valid
  // while this admission lives; team/project taken from headers view the request's headers. After
  // moving `held` elsewhere, use held.caller(), which owns copies.
  caller_identity caller;
  std::shared_ptr<const void> key_pin;    // keeps the key that `caller` views alive
  // Set (and `allowed` false) when the fleet's limits must decide: ask Redis for `fleet_request`, then
  // call finish_admission().
  bool fleet_check = false;
  fleet_admit_request fleet_request;
  std::shared_ptr<const detail::key_entry> fleet_key;  // the key being checked
};

// What the request actually used, reported once at the end (streams: after the last event).
struct usage_report {
  std::uint32_t input_tokens = 0;    // from the upstream `usage` (0 if it never answered)
  std::uint32_t output_tokens = 0;
  double cost_usd = -1.0;            // < 0: priced with the controller's price table
  std::uint16_t http_status = 0;     // status the client saw; 499 if the client went away
  std::uint32_t latency_us = 0;      // whole request, as the client saw it
  std::uint32_t added_latency_us = 0;  // the gateway's own share
  std::string_view model;            // model that answered; empty = the requested one
  std::string_view verdicts;         // short policy summary, e.g. "pii-detector:redact" (no PII)
};

class governance_service {
 public:
  // Open mode: no keys, everything admitted, usage only counted in metrics.
  governance_service();
  // Keys, limits and budgets from options (store opened, keys loaded, usage writer started).
  // Throws std::runtime_error with a clear message at load time (bad store path, bad options).
  explicit governance_service(const governance_options& options);
  ~governance_service();
  governance_service(const governance_service&) = delete;
  governance_service& operator=(const governance_service&) = delete;

  // Decide one request. Thread-safe, noexcept. Open mode (no keys and require_keys false) admits
  // everything, including requests that present no credential; a request that presents an
  // sk-sluice- credential is always checked, so a bad key never passes silently.
  [[nodiscard]] admission admit(const admission_request& request) noexcept;

  // Completes an admission that came back with `fleet_check`, given what Redis answered (`unavailable`
  // when it could not: on_store_failure decides). `request` is the one given to admit().
  void finish_admission(admission& a, const admission_request& request, const fleet_verdict& verdict) noexcept;

  // A shard's connection to the shared store for fleet checks, on `ioc` (the shard's own), or nullptr
  // when the store is not shared. Call on the shard's thread; destroy it before the io_context.
  [[nodiscard]] std::unique_ptr<fleet_link> make_fleet_link(boost::asio::io_context& ioc) const;

  // False when requests are being refused because the shared store is unreachable (on_store_failure:
  // closed); `why` then says so. Always true with the embedded store.
  [[nodiscard]] bool store_ready(std::string* why = nullptr) const noexcept;

  // Report what an admitted request used and release its reservation: unused budget and
  // tokens-per-minute are given back, the real usage is counted and queued for the store.
  // Settling an empty (or already settled) reservation does nothing.
  void settle(reservation&& held, const usage_report& usage) noexcept;

  // Append Prometheus text (HELP/TYPE + samples) for per key/team/model counters to `out`.
  // Called from the /metrics handler; takes a short lock, not on the request path.
  void append_metrics(std::string& out) const;

  // True when no credential is required (open mode).
  [[nodiscard]] bool open_mode() const noexcept;

  // The keys and their admin operations, for the admin API and tests in the same process.
  [[nodiscard]] key_registry& keys() noexcept;
  // The usage on its way to the store (flush() before reading usage back).
  [[nodiscard]] usage_ledger& ledger() noexcept;

 private:
  // Takes the limits and budgets from this process's own counters; false (and `a` refused) when one is
  // reached. A refused request takes nothing.
  bool limit_locally(admission& a, const detail::key_entry& key, std::uint64_t tokens, std::uint64_t micro_usd,
                     std::uint32_t month, std::int64_t now) noexcept;
  // Marks `a` admitted and fills its reservation.
  void grant(admission& a, const admission_request& request, std::shared_ptr<const detail::key_entry> key,
             std::uint64_t tokens, std::uint64_t micro_usd, std::uint32_t month, std::int64_t now) noexcept;

  std::shared_ptr<detail::service_state> state_;
};

}  // namespace sluice::gateway
