// pii-detector: acts on the configured entity types found in the request (before it leaves) and in the
// response (before the client sees it): redact marks them for the splice, block refuses naming the entity
// types (never the values), flag only records the verdict. Streamed responses get the same decisions
// release by release from its stream hook.
#include "policies/pii_detector/pii_detector_options.h"
#include "policies/policy_findings.h"
#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"
#include "policies/rule_selection.h"

namespace sluice::gateway {
namespace {

rule_selection select_entities(const pii_detector_options& options, const policy_environment& env) {
  return select_rules(*env.rules, {engine::rule_kind::pii, engine::rule_kind::secret}, options.entities);
}

class pii_detector_filter final : public policy_filter {
 public:
  pii_detector_filter(const pii_detector_options& options, policy_id id, const rule_selection& selection)
      : options_(options), id_(id), selection_(selection) {}

  filter_status on_request(exchange& ex) noexcept override {
    if (!options_.requests) {
      ex.add_verdict(id_, "skip", 0);
      return filter_status::proceed;
    }
    return apply(ex, "Request");
  }

  filter_status on_response(exchange& ex) noexcept override {
    if (!options_.responses) {
      return filter_status::proceed;
    }
    return apply(ex, "Response");
  }

 private:
  filter_status apply(exchange& ex, const char* what) noexcept {
    if (ex.scan_failed) {
      return filter_status::error;
    }
    std::uint32_t found = 0;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      scanned_text& t = ex.texts[i];
      for (std::uint32_t f = t.entities_begin; f < t.entities_end; ++f) {
        marked_finding& m = ex.entities[f];
        if (!selection_.contains(m.where.rule)) {
          continue;
        }
        ++found;
        try {
          ex.count_entity(ex.rules->at(m.where.rule).entity);
        } catch (...) {
          return filter_status::error;
        }
        if (options_.action == policy_action::redact) {
          m.redact = true;
          t.redact = true;
        }
      }
    }
    auto message = [&] {
      std::string text = std::string(what) + " blocked by policy pii-detector: it contains ";
      bool first = true;
      for (const auto& c : ex.entity_counts) {
        text += first ? "" : ", ";
        text += std::to_string(c.count) + " " + std::string(c.entity);
        first = false;
      }
      return text;
    };
    return settle_findings(ex, id_, "pii-detector", found, to_string(options_.action),
                           options_.action == policy_action::block, message);
  }

  const pii_detector_options& options_;
  policy_id id_;
  const rule_selection& selection_;
};

// Streams: counts the selected entities as they are released; block refuses at the first one (naming
// its type), before its text is sent.
class pii_detector_stream_hook final : public stream_hook {
 public:
  pii_detector_stream_hook(const pii_detector_options& options, policy_id id, rule_selection selection)
      : action_(options.action), id_(id), selection_(std::move(selection)) {}

  [[nodiscard]] const std::vector<bool>* redaction_mask() const noexcept override {
    return action_ == policy_action::redact ? &selection_.selected : nullptr;
  }

  [[nodiscard]] stream_hook_answer check(exchange& ex, const stream_findings& found, stream_hook_state& state,
                                         std::string& message) const noexcept override {
    try {
      for (const auto& f : found.entities) {
        if (!selection_.contains(f.rule)) {
          continue;
        }
        ++state.found;
        const std::string& entity = ex.rules->at(f.rule).entity;
        ex.count_entity(entity);
        if (action_ == policy_action::block) {
          message = "Response blocked by policy pii-detector: it contains " + entity;
          ex.refuse(403, "permission_error", "pii-detector", message);
          state.blocked = true;
          return stream_hook_answer::block;
        }
      }
    } catch (...) {
      return stream_hook_answer::error;
    }
    return stream_hook_answer::proceed;
  }

  void finish(exchange& ex, const stream_hook_state& state) const noexcept override {
    if (state.found > 0) {
      try {
        ex.add_verdict(id_, state.blocked && ex.refused.policy == "pii-detector" ? "block" : to_string(action_),
                       state.found);
      } catch (...) {
      }
    }
  }

 private:
  policy_action action_;
  policy_id id_;
  rule_selection selection_;
};

void parse(const YAML::Node& n, const std::string& key, config_reader& r, pii_detector_options& o) {
  if (!r.expect_map(n, key, {"action", "entities", "redaction", "requests", "responses", "phone_region", "phone_regions", "fail_open"})) {
    return;
  }
  if (auto v = n["action"]) {
    get_action(r, v, key + ".action", o.action, {policy_action::redact, policy_action::block, policy_action::flag});
  }
  if (auto v = n["entities"]) {
    r.get_names(v, key + ".entities", o.entities, r.vocabulary().entities, "entity");
  }
  if (auto v = n["redaction"]) {
    std::string style;
    if (r.get_string(v, key + ".redaction", style)) {
      if (style == "numbered") {
        o.numbered = true;
      } else if (style != "tag") {
        r.problem(v, key + ".redaction", "expected tag or numbered");
      }
    }
  }
  if (auto v = n["requests"]) {
    r.get_bool(v, key + ".requests", o.requests);
  }
  if (auto v = n["responses"]) {
    r.get_bool(v, key + ".responses", o.responses);
  }
  if (auto v = n["phone_region"]) {
    std::string region;
    if (r.get_string(v, key + ".phone_region", region)) {
      const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
      if (region.size() == 2 && letter(region[0]) && letter(region[1])) {
        o.phone_region = {static_cast<char>(region[0] & ~0x20), static_cast<char>(region[1] & ~0x20)};
      } else {
        r.problem(v, key + ".phone_region", "expected a two-letter ISO 3166 region such as US or GB");
      }
    }
  }
  if (auto v = n["phone_regions"]) {
    // Regions a national number outside phone_region may belong to, counted only where the text gives
    // the region away (docs/entities.md): a list of two-letter codes, or one string "DE, ES, JP".
    std::string list;
    if (v.IsSequence()) {
      for (const auto& item : v) {
        list += (list.empty() ? "" : ",") + (item.IsScalar() ? item.Scalar() : std::string("?"));
      }
    } else if (!r.get_string(v, key + ".phone_regions", list)) {
      return;
    }
    engine::validator_options check;
    if (check.set_phone_regions(list)) {
      o.phone_regions = list;
    } else {
      r.problem(v, key + ".phone_regions", "expected at most 48 two-letter ISO 3166 regions such as [DE, ES, JP]");
    }
  }
}

void declare_needs(const pii_detector_options& o, chain_requirements& needs) {
  needs.scan.entities = true;
  // National phone numbers (without +CC) are read in this region; the parser checked its shape.
  needs.scan.validators.default_region[0] = o.phone_region[0];
  needs.scan.validators.default_region[1] = o.phone_region[1];
  if (!o.phone_regions.empty()) {
    (void)needs.scan.validators.set_phone_regions(o.phone_regions);  // checked when parsed
  }
  needs.response_entities = needs.response_entities || o.responses;
  needs.redacts = needs.redacts || o.action == policy_action::redact;
  if (o.numbered) {
    needs.redaction = engine::redaction_style::numbered;
  }
}

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const pii_detector_options& o, policy_id id,
                                             const policy_environment& env) {
  return std::make_unique<simple_factory<pii_detector_filter, pii_detector_options, rule_selection>>(
      config, o, id, select_entities(o, env));
}

std::unique_ptr<stream_hook> make_stream_hook(const pii_detector_options& o, policy_id id,
                                              const policy_environment& env) {
  if (!o.responses) {
    return nullptr;
  }
  return std::make_unique<pii_detector_stream_hook>(o, id, select_entities(o, env));
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor pii_detector_policy() {
  return describe_policy<pii_detector_options>({
      .name = "pii-detector",
      .order = 20,
      .parse = parse,
      .make_factory = make_factory,
      .declare_needs = declare_needs,
      .make_stream_hook = make_stream_hook,
  });
}

}  // namespace sluice::gateway
