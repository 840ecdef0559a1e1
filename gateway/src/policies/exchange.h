#pragma once
// The state of one request/response exchange as the policy chain sees it. A session owns one exchange and
// reuses it for every request on its connection (clear() keeps the buffers), so the request path does not
// allocate once the buffers have grown.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/engine/finding.h"
#include "sluice/engine/ruleset.h"
#include "sluice/gateway/config.h"
#include "policies/policy_id.h"
#include "wire/dialect_error.h"
#include "wire/json_strings.h"

namespace sluice::gateway {

struct scanned_text {
  std::uint32_t string_index = 0;  // in the phase's json_string_table (exchange::request_strings…)
  std::string_view text;           // unescaped (valid until the phase's table is refilled)
  text_source origin = text_source::user;
  // Ranges into exchange::entities / content / injection.
  std::uint32_t entities_begin = 0, entities_end = 0;
  std::uint32_t content_begin = 0, content_end = 0;
  std::uint32_t injection_begin = 0, injection_end = 0;
  double injection_score = 0;  // the higher of the two below (engine::scan_result)
  double signature_score = 0;
  double model_score = 0;
  bool redact = false;  // some entity in it is marked for redaction
};

// A finding plus what the chain decided to do with it.
struct marked_finding {
  engine::finding where;
  bool redact = false;
};

// One policy's decision, in chain order.
struct policy_verdict {
  policy_id policy = 0;  // policy_registry::name_of() names it
  std::string_view action = "pass";  // pass | flag | redact | block | error | skip
  std::uint32_t count = 0;            // findings behind the action
};

struct entity_count {
  std::string_view entity;  // points into the ruleset (alive for the exchange)
  std::uint32_t count = 0;
};

// A refusal produced by a policy (or by the gateway itself), rendered in the client's dialect.
struct policy_refusal {
  unsigned status = 0;       // 0: none
  std::string type;          // Anthropic error type: invalid_request_error, permission_error…
  std::string message;
  std::string policy;        // the policy that refused, if any
  std::uint32_t retry_after_s = 0;
  std::string_view reason;   // governance's refusal reason ("rotated_secret"…; static); empty otherwise
  std::string logged_message;  // what the audit log keeps instead of `message` (addresses masked); empty: message
};

enum class exchange_phase : std::uint8_t { request, response };

struct exchange {
  // Who and what.
  std::string request_id;
  api_dialect dialect = api_dialect::anthropic;
  std::string caller = "anonymous";  // virtual key name, or anonymous in open mode (names need not be unique)
  std::string key_id;                // the virtual key's id "key_…" (unique); empty in open mode
  std::string team;
  std::string project;
  std::string model;
  std::string target;  // id of the upstream target that answered
  std::string endpoint;  // "/v1/messages"…
  std::string client_address;
  std::string header_team;     // x-sluice-team, if sent
  std::string header_project;  // x-sluice-project, if sent
  bool stream = false;
  std::chrono::steady_clock::time_point started;
  std::chrono::system_clock::time_point wall_started;

  // What the policies scan: request texts first, then (in the response phase) response texts.
  exchange_phase phase = exchange_phase::request;
  const engine::ruleset* rules = nullptr;
  std::vector<scanned_text> texts;
  // Every string of the request and of a whole response, unescaped, with their places in the body
  // (the texts above point into them); the splicer writes redactions back into the original bytes.
  json_string_table request_strings;
  json_string_table response_strings;
  json_splicer splicer;
  std::uint32_t response_texts_begin = 0;  // index of the first response text
  std::vector<marked_finding> entities;
  std::vector<engine::finding> content;
  std::vector<engine::finding> injection;
  bool scan_failed = false;  // the engine refused a text (internal error): scanning policies fail

  // Decisions.
  std::vector<policy_verdict> verdicts;
  std::vector<entity_count> entity_counts;
  policy_refusal refused;
  std::string append_text;  // disclaimer text to add at the end of the response

  // Outcome.
  unsigned status = 0;
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
  double cost_usd = 0;
  bool priced = false;
  std::string redacted_request_text;   // only when the audit log asks for text
  std::string redacted_response_text;

  // Where the audit logger appends its JSON lines: the shard's buffer, handed to the writer thread off
  // the request path. Set by the session; clear() leaves it alone.
  std::string* audit_out = nullptr;

  void clear() noexcept;
  [[nodiscard]] bool is_refused() const noexcept { return refused.status != 0; }
  // Texts of the current phase.
  [[nodiscard]] std::uint32_t phase_begin() const noexcept {
    return phase == exchange_phase::request ? 0 : response_texts_begin;
  }
  void refuse(unsigned status, std::string_view type, std::string_view policy, std::string message);
  void add_verdict(policy_id policy, std::string_view action, std::uint32_t count);
  void count_entity(std::string_view entity);
  [[nodiscard]] double latency_ms() const noexcept;
};

}  // namespace sluice::gateway
