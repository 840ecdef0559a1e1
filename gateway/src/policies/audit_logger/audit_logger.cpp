// audit-logger: one JSON line per request — time, request id, caller, model, each policy's verdict,
// entity counts, tokens, latency — appended to the shard's audit buffer (the writer thread puts it on
// disk). Raw prompt text never goes in; with include_text the redacted text does.
#include <charconv>

#include "base/time_util.h"
#include "governance/audit/client_ip_mask.h"
#include "policies/audit_logger/audit_logger_options.h"
#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"
#include "sluice/engine/json_escape.h"
#include "wire/decimal_text.h"

namespace sluice::gateway {
namespace {

// A number with `decimals` digits after the point, as printf's "%.<decimals>f" writes it.
void append_fixed(std::string& out, double v, int decimals) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
  out.append(buf, r.ptr);
}

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += ",\"";
  out += name;
  out += "\":";
  engine::append_json_string(out, value);
}

class audit_logger_filter final : public policy_filter {
 public:
  audit_logger_filter(const audit_logger_options& options, policy_id, const no_state&) : options_(options) {}

  void on_record(const exchange& ex) noexcept override {
    if (ex.audit_out == nullptr) {
      return;
    }
    std::string& out = *ex.audit_out;
    const std::size_t rollback = out.size();
    try {
      // The members of one JSON object without its braces: the audit log adds seq, ts, type and the
      // hash of the previous record around them.
      out += "\"time\":";
      out += '"';
      timeutil::append_iso8601(
          out, std::chrono::duration_cast<std::chrono::milliseconds>(ex.wall_started.time_since_epoch()).count());
      out += '"';
      append_field(out, "request_id", ex.request_id);
      append_field(out, "caller", ex.caller);
      if (!ex.key_id.empty()) {
        append_field(out, "key_id", ex.key_id);  // names need not be unique; `GET /admin/audit?key_id=` finds these
      }
      append_field(out, "team", ex.team);
      append_field(out, "project", ex.project);
      append_field(out, "client", mask_client_ip(ex.client_address));
      append_field(out, "endpoint", ex.endpoint);
      append_field(out, "dialect", ex.dialect == api_dialect::openai ? "openai" : "anthropic");
      append_field(out, "model", ex.model);
      append_field(out, "target", ex.target);
      out += ",\"stream\":";
      out += ex.stream ? "true" : "false";
      out += ",\"status\":";
      append_number(out, ex.status);
      if (ex.is_refused()) {
        append_field(out, "refused_by", ex.refused.policy);
        if (!ex.refused.reason.empty()) {
          append_field(out, "refusal_reason", ex.refused.reason);
        }
        append_field(out, "refusal",
                     ex.refused.logged_message.empty() ? ex.refused.message : ex.refused.logged_message);
      }
      out += ",\"verdicts\":[";
      for (std::size_t i = 0; i < ex.verdicts.size(); ++i) {
        const auto& v = ex.verdicts[i];
        out += i == 0 ? "{\"policy\":\"" : ",{\"policy\":\"";
        out += policy_registry::name_of(v.policy);
        out += "\",\"action\":\"";
        out += v.action;
        out += "\",\"count\":";
        append_number(out, v.count);
        out += '}';
      }
      out += "],\"entities\":{";
      for (std::size_t i = 0; i < ex.entity_counts.size(); ++i) {
        if (i > 0) {
          out += ',';
        }
        engine::append_json_string(out, ex.entity_counts[i].entity);
        out += ':';
        append_number(out, ex.entity_counts[i].count);
      }
      out += "},\"tokens\":{\"input\":";
      append_number(out, ex.input_tokens);
      out += ",\"output\":";
      append_number(out, ex.output_tokens);
      out += '}';
      if (ex.priced) {
        out += ",\"cost_usd\":";
        append_fixed(out, ex.cost_usd, 6);
      }
      out += ",\"latency_ms\":";
      append_fixed(out, ex.latency_ms(), 3);
      if (options_.include_text) {
        append_field(out, "request_text", ex.redacted_request_text);
        append_field(out, "response_text", ex.redacted_response_text);
      }
      out += "\n";
    } catch (...) {
      out.resize(rollback);  // never a half line
    }
  }

 private:
  const audit_logger_options& options_;
};

void parse(const YAML::Node& n, const std::string& key, config_reader& r, audit_logger_options& o) {
  if (!r.expect_map(n, key, {"directory", "path", "immutable", "retention_days", "log_all_access", "include_text",
                             "flush_interval_ms", "fail_open"})) {
    return;
  }
  if (auto v = n["directory"]) {
    r.get_string(v, key + ".directory", o.log.directory);
  } else if (auto path = n["path"]) {
    // Older configurations name a file; the chained log needs a directory: use it as one.
    r.get_string(path, key + ".path", o.log.directory);
  }
  if (auto v = n["immutable"]) {
    r.get_bool(v, key + ".immutable", o.log.immutable);
  }
  if (auto v = n["retention_days"]) {
    r.get_int(v, key + ".retention_days", o.log.retention_days, 0, 100 * 365);
  }
  if (auto v = n["log_all_access"]) {
    r.get_bool(v, key + ".log_all_access", o.log_all_access);
  }
  if (auto v = n["include_text"]) {
    r.get_bool(v, key + ".include_text", o.include_text);
  }
  if (auto v = n["flush_interval_ms"]) {
    r.get_ms(v, key + ".flush_interval_ms", o.log.flush_interval);
  }
}

void declare_needs(const audit_logger_options& o, chain_requirements& needs) { needs.wants_text = o.include_text; }

// The log is the gateway's one audit chain: the server opens and flushes it, governance.audit must agree.
void configure_gateway(const audit_logger_options& o, gateway_config& config) { config.audit_log = o.log; }

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const audit_logger_options& o, policy_id id,
                                             const policy_environment&) {
  return std::make_unique<simple_factory<audit_logger_filter, audit_logger_options, no_state>>(config, o, id,
                                                                                             no_state{});
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor audit_logger_policy() {
  return describe_policy<audit_logger_options>({
      .name = "audit-logger",
      .order = 40,
      .parse = parse,
      .make_factory = make_factory,
      .declare_needs = declare_needs,
      .configure_gateway = configure_gateway,
  });
}

}  // namespace sluice::gateway
