// content-filter: refuses (or flags) a request or response containing terms or patterns of the
// configured content categories; its stream hook does the same for streamed responses, before the
// term's last word is sent.
#include "policies/content_filter/content_filter_options.h"
#include "policies/policy_findings.h"
#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"
#include "policies/rule_selection.h"

namespace sluice::gateway {
namespace {

rule_selection select_categories(const content_filter_options& options, const policy_environment& env) {
  return select_rules(*env.rules, {engine::rule_kind::content}, options.categories);
}

class content_filter final : public policy_filter {
 public:
  content_filter(const content_filter_options& options, policy_id id, const rule_selection& selection)
      : options_(options), id_(id), selection_(selection) {}

  filter_status on_request(exchange& ex) noexcept override {
    return options_.requests ? apply(ex, "Request") : filter_status::proceed;
  }
  filter_status on_response(exchange& ex) noexcept override {
    return options_.responses ? apply(ex, "Response") : filter_status::proceed;
  }

 private:
  filter_status apply(exchange& ex, const char* what) noexcept {
    if (ex.scan_failed) {
      return filter_status::error;
    }
    std::uint32_t found = 0;
    std::uint32_t first_rule = 0;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      const scanned_text& t = ex.texts[i];
      for (std::uint32_t f = t.content_begin; f < t.content_end; ++f) {
        if (selection_.contains(ex.content[f].rule)) {
          if (found == 0) {
            first_rule = ex.content[f].rule;
          }
          ++found;
        }
      }
    }
    const bool block = options_.action == policy_action::block;
    auto message = [&] {
      const auto& rule = ex.rules->at(first_rule);
      return std::string(what) + " blocked by policy content-filter: category " + rule.entity + " (rule " +
             rule.id + ")";
    };
    return settle_findings(ex, id_, "content-filter", found, block ? "block" : "flag", block, message);
  }

  const content_filter_options& options_;
  policy_id id_;
  const rule_selection& selection_;
};

// Streams: counts the selected terms as the stream filter reports them; block refuses at the first.
class content_filter_stream_hook final : public stream_hook {
 public:
  content_filter_stream_hook(const content_filter_options& options, policy_id id, rule_selection selection)
      : block_(options.action == policy_action::block), id_(id), selection_(std::move(selection)) {}

  [[nodiscard]] stream_hook_answer check(exchange& ex, const stream_findings& found, stream_hook_state& state,
                                         std::string& message) const noexcept override {
    try {
      for (const auto& f : found.content_hits) {
        if (!selection_.contains(f.rule)) {
          continue;
        }
        ++state.found;
        if (block_) {
          const auto& rule = ex.rules->at(f.rule);
          message = "Response blocked by policy content-filter: category " + rule.entity + " (rule " + rule.id + ")";
          ex.refuse(403, "permission_error", "content-filter", message);
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
        ex.add_verdict(id_, block_ ? "block" : "flag", state.found);
      } catch (...) {
      }
    }
  }

 private:
  bool block_;
  policy_id id_;
  rule_selection selection_;
};

void parse(const YAML::Node& n, const std::string& key, config_reader& r, content_filter_options& o) {
  if (!r.expect_map(n, key, {"action", "categories", "requests", "responses", "fail_open"})) {
    return;
  }
  if (auto v = n["action"]) {
    get_action(r, v, key + ".action", o.action, {policy_action::block, policy_action::flag});
  }
  if (auto v = n["categories"]) {
    r.get_names(v, key + ".categories", o.categories, r.vocabulary().categories, "category");
  }
  if (auto v = n["requests"]) {
    r.get_bool(v, key + ".requests", o.requests);
  }
  if (auto v = n["responses"]) {
    r.get_bool(v, key + ".responses", o.responses);
  }
}

void declare_needs(const content_filter_options& o, chain_requirements& needs) {
  needs.scan.content = true;
  needs.response_content = needs.response_content || o.responses;
}

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const content_filter_options& o,
                                             policy_id id, const policy_environment& env) {
  return std::make_unique<simple_factory<content_filter, content_filter_options, rule_selection>>(
      config, o, id, select_categories(o, env));
}

std::unique_ptr<stream_hook> make_stream_hook(const content_filter_options& o, policy_id id,
                                              const policy_environment& env) {
  if (!o.responses) {
    return nullptr;
  }
  return std::make_unique<content_filter_stream_hook>(o, id, select_categories(o, env));
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor content_filter_policy() {
  return describe_policy<content_filter_options>({
      .name = "content-filter",
      .order = 30,
      .parse = parse,
      .make_factory = make_factory,
      .declare_needs = declare_needs,
      .make_stream_hook = make_stream_hook,
  });
}

}  // namespace sluice::gateway
