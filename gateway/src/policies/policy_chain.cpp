// Builds the configured filters and runs them in order (see policy.h for each call's contract).
#include "policies/policy_chain.h"

#include <algorithm>
#include <stdexcept>

#include "policies/policy_registry.h"

namespace sluice::gateway {

policy_chain::policy_chain(const gateway_config& config, const policy_environment& env) {
  // Hooks in registry order, not chain order: a stream then reports (and, when two policies would
  // block the same release, refuses) in the same fixed order whatever order the chain lists them in.
  std::vector<std::pair<policy_id, std::unique_ptr<stream_hook>>> hooks;
  for (const auto& p : config.chain) {
    const policy_descriptor* policy = policy_registry::find(p.name);
    const std::optional<policy_id> id = policy_registry::id_of(p.name);
    if (policy == nullptr || !id || !p.options) {
      throw std::runtime_error("unknown policy '" + p.name + "' (known: " + policy_registry::known_names() + ")");
    }
    factories_.push_back(policy->make_factory(p, *id, env));
    if (policy->declare_needs) {
      policy->declare_needs(*p.options, needs_);
    }
    if (policy->make_stream_hook) {
      if (auto hook = policy->make_stream_hook(*p.options, *id, env)) {
        hooks.emplace_back(*id, std::move(hook));
      }
    }
  }
  std::stable_sort(hooks.begin(), hooks.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [id, hook] : hooks) {
    stream_rules_.hooks.push_back(hook.get());
    hooks_.push_back(std::move(hook));
  }
  scans_ = needs_.scan.entities || needs_.scan.injection || needs_.scan.content;
  // The request's options (validators, limits) with only the response-side checks switched on.
  response_scan_ = needs_.scan;
  response_scan_.entities = needs_.response_entities;
  response_scan_.content = needs_.response_content;
  response_scan_.injection = false;
  response_scan_.model = nullptr;
}

policy_chain::~policy_chain() = default;

chain_run::chain_run() : arena_(initial_, sizeof initial_) { filters_.reserve(8); }

chain_run::~chain_run() { end(); }

void chain_run::begin(const policy_chain& chain) {
  end();
  chain_ = &chain;
  std::pmr::polymorphic_allocator<> alloc(&arena_);
  for (const auto& f : chain.factories()) {
    filters_.push_back(f->make(alloc));
  }
}

void chain_run::end() noexcept {
  for (policy_filter* f : filters_) {
    f->~policy_filter();
  }
  filters_.clear();
  arena_.release();
  chain_ = nullptr;
}

bool chain_run::run(exchange& ex, bool request_phase) noexcept {
  for (std::size_t i = 0; i < filters_.size(); ++i) {
    const filter_status s = request_phase ? filters_[i]->on_request(ex) : filters_[i]->on_response(ex);
    if (s == filter_status::proceed) {
      continue;
    }
    if (s == filter_status::reject) {
      return false;
    }
    const policy_factory& factory = *chain_->factories()[i];
    const policy_config& cfg = factory.config();
    ex.add_verdict(factory.id(), "error", 0);
    if (cfg.fail_open) {
      continue;
    }
    try {
      ex.refuse(500, "api_error", cfg.name,
                "Policy " + cfg.name + " failed to evaluate this request; it was refused (fail closed)");
    } catch (...) {
      ex.refused.status = 500;
    }
    return false;
  }
  return true;
}

bool chain_run::request(exchange& ex) noexcept { return run(ex, true); }

bool chain_run::response(exchange& ex) noexcept { return run(ex, false); }

void chain_run::complete(exchange& ex) noexcept {
  for (policy_filter* f : filters_) {
    f->on_complete(ex);
  }
  for (policy_filter* f : filters_) {
    f->on_record(ex);
  }
}

void scan_texts(engine::scanner& scanner, engine::scan_result& r, const engine::scan_options& options,
                exchange& ex) noexcept {
  ex.rules = &scanner.rules();
  try {
    for (std::uint32_t i = ex.phase_begin(); i < ex.texts.size(); ++i) {
      scanned_text& t = ex.texts[i];
      const engine::errc e = scanner.scan(t.text, r, options);
      t.entities_begin = t.entities_end = static_cast<std::uint32_t>(ex.entities.size());
      t.content_begin = t.content_end = static_cast<std::uint32_t>(ex.content.size());
      t.injection_begin = t.injection_end = static_cast<std::uint32_t>(ex.injection.size());
      if (e != engine::errc::ok) {
        ex.scan_failed = true;
        continue;
      }
      for (const auto& f : r.entities) {
        ex.entities.push_back({f, false});
      }
      ex.content.insert(ex.content.end(), r.content.begin(), r.content.end());
      ex.injection.insert(ex.injection.end(), r.injection.begin(), r.injection.end());
      t.entities_end = static_cast<std::uint32_t>(ex.entities.size());
      t.content_end = static_cast<std::uint32_t>(ex.content.size());
      t.injection_end = static_cast<std::uint32_t>(ex.injection.size());
      t.injection_score = r.injection_score;
      t.signature_score = r.signature_score;
      t.model_score = r.model_score;
    }
  } catch (...) {
    ex.scan_failed = true;  // out of memory growing a buffer
  }
}

}  // namespace sluice::gateway
