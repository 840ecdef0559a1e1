// prompt-injection: refuses (or flags) a request whose injection score — the higher of the learned
// model's probability and the signatures' score, over every text that can carry an attack — reaches the
// threshold. The refusal says the score, where it was found and the strongest evidence: the signatures
// that matched and the model's heaviest features.
#include <cstdio>
#include <filesystem>
#include <string>

#include "sluice/engine/normalizer.h"

#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"
#include "policies/prompt_injection/prompt_injection_options.h"

namespace sluice::gateway {
namespace {

// Texts that can carry an attack: what users send, tool results and documents (the indirect path),
// earlier turns and tool inputs sent back; the operator's system prompt only with scan_system.
bool scored(const scanned_text& t, const prompt_injection_options& o) noexcept {
  return t.origin != text_source::system || o.scan_system;
}

void append_score(std::string& out, const char* format, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, value);
  out += buf;
}

class prompt_injection_filter final : public policy_filter {
 public:
  prompt_injection_filter(const prompt_injection_options& options, policy_id id, const no_state&)
      : options_(options), id_(id) {}

  filter_status on_request(exchange& ex) noexcept override {
    if (ex.scan_failed) {
      return filter_status::error;
    }
    const auto& opt = options_;
    double score = 0;
    std::uint32_t best = 0xffffffffu;
    std::uint32_t signatures = 0;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      const scanned_text& t = ex.texts[i];
      if (!scored(t, opt)) {
        continue;
      }
      if (t.injection_score > score) {
        score = t.injection_score;
        best = i;
      }
      signatures += t.injection_end - t.injection_begin;
    }
    // The count behind the verdict: the signatures that matched, or 1 for the model alone.
    const std::uint32_t evidence_count = signatures > 0 ? signatures : 1;
    if (best == 0xffffffffu || score < opt.threshold) {
      ex.add_verdict(id_, "pass", signatures);
      return filter_status::proceed;
    }
    if (opt.action == policy_action::flag) {
      ex.add_verdict(id_, "flag", evidence_count);
      return filter_status::proceed;
    }
    ex.add_verdict(id_, "block", evidence_count);
    try {
      ex.refuse(403, "permission_error", "prompt-injection", block_message(ex, best, score));
    } catch (...) {
      return filter_status::error;
    }
    return filter_status::reject;
  }

 private:
  // "injection score 0.97 reaches the threshold 0.80 (model 0.97, signatures 0.00) in a tool result;
  // signatures: …; model evidence: "…", "…"". Built only for a refusal (it allocates).
  std::string block_message(const exchange& ex, std::uint32_t best, double score) const {
    const auto& opt = options_;
    const scanned_text& top = ex.texts[best];
    std::string message = "Request blocked by policy prompt-injection: injection score ";
    append_score(message, "%.2f", score);
    message += " reaches the threshold ";
    append_score(message, "%.2f", opt.threshold);
    if (opt.loaded_model) {
      message += " (model ";
      append_score(message, "%.2f", top.model_score);
      message += ", signatures ";
      append_score(message, "%.2f", top.signature_score);
      message += ") in ";
      message += describe(top.origin);
    }
    bool first = true;
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      const scanned_text& t = ex.texts[i];
      if (!scored(t, opt)) {
        continue;
      }
      for (std::uint32_t f = t.injection_begin; f < t.injection_end; ++f) {
        const std::string& id = ex.rules->at(ex.injection[f].rule).id;
        if (message.find(id) != std::string::npos) {
          continue;
        }
        message += first ? "; signatures: " : ", ";
        message += id;
        first = false;
      }
    }
    if (opt.loaded_model && top.model_score >= opt.threshold) {
      append_model_evidence(top.text, message);
    }
    return message;
  }

  // The features of the best window with the largest weights, as the model saw them (normalized).
  void append_model_evidence(std::string_view text, std::string& message) const {
    engine::model_scratch scratch;
    engine::normalizer norm;
    if (norm.normalize(text, scratch.normalized) != engine::errc::ok) {
      return;
    }
    const std::string_view normalized =
        scratch.normalized.changed ? std::string_view(scratch.normalized.text) : text;
    const auto items = options_.loaded_model->evidence(normalized, 5, scratch);
    for (std::size_t i = 0; i < items.size(); ++i) {
      message += i == 0 ? "; model evidence: " : ", ";
      message += '"';
      for (const char c : items[i].feature) {
        // Features are folded bytes of the text: keep them on one line and free of quotes.
        message += (c == '"' || static_cast<unsigned char>(c) < 0x20) ? ' ' : c;
      }
      message += '"';
    }
  }

  static const char* describe(text_source s) noexcept {
    switch (s) {
      case text_source::system: return "the system prompt";
      case text_source::user: return "a user message";
      case text_source::assistant: return "an assistant turn";
      case text_source::tool_result: return "a tool result";
      case text_source::tool_input: return "a tool input";
      case text_source::document: return "a document";
      case text_source::response:
      case text_source::thinking: return "the response";
    }
    return "a text";
  }

  const prompt_injection_options& options_;
  policy_id id_;
};

void parse(const YAML::Node& n, const std::string& key, config_reader& r, prompt_injection_options& o) {
  if (!r.expect_map(n, key, {"threshold", "action", "fail_open", "model", "scan_system"})) {
    return;
  }
  if (auto v = n["threshold"]) {
    r.get_double(v, key + ".threshold", o.threshold, 0.0, 1.0);
  }
  if (auto v = n["action"]) {
    get_action(r, v, key + ".action", o.action, {policy_action::block, policy_action::flag});
  }
  if (auto v = n["scan_system"]) {
    r.get_bool(v, key + ".scan_system", o.scan_system);
  }
  YAML::Node at = n;
  if (auto v = n["model"]) {
    at = v;
    r.get_string(v, key + ".model", o.model);
  }
  o.loaded_model.reset();
  if (o.model == "none") {
    return;
  }
  const std::filesystem::path file =
      o.model == "default" ? engine::injection_model::default_model_path() : std::filesystem::path(o.model);
  try {
    o.loaded_model = engine::injection_model::load(file);
  } catch (const engine::model_error& e) {
    r.problem(at, key + ".model", std::string(e.what()) + " (model: none scores with the signatures alone)");
  }
}

void declare_needs(const prompt_injection_options& o, chain_requirements& needs) {
  needs.scan.injection = true;
  if (o.loaded_model) {
    needs.scan.model = o.loaded_model.get();
  }
}

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const prompt_injection_options& o,
                                             policy_id id, const policy_environment&) {
  return std::make_unique<simple_factory<prompt_injection_filter, prompt_injection_options, no_state>>(config, o, id,
                                                                                                     no_state{});
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor prompt_injection_policy() {
  return describe_policy<prompt_injection_options>({
      .name = "prompt-injection",
      .order = 10,
      .parse = parse,
      .make_factory = make_factory,
      .declare_needs = declare_needs,
  });
}

}  // namespace sluice::gateway
