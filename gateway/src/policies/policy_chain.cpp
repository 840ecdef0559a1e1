// Builds the configured filters and runs them in order (see policy.h for each call's contract).
#include "policies/policy_chain.h"

namespace sluice::gateway {

policy_chain::policy_chain(const gateway_config& config, const policy_environment& env) {
  scan_options_.entities = false;
  scan_options_.injection = false;
  scan_options_.content = false;
  for (const auto& p : config.chain) {
    factories_.push_back(make_policy_factory(p, env));
    switch (p.kind) {
      case policy_kind::prompt_injection:
        scan_options_.injection = true;
        break;
      case policy_kind::pii_detector:
        scan_options_.entities = true;
        // National phone numbers (without +CC) are read in this region; config.cpp checked its shape.
        scan_options_.validators.default_region[0] = p.pii.phone_region[0];
        scan_options_.validators.default_region[1] = p.pii.phone_region[1];
        scans_responses_ = scans_responses_ || p.pii.responses;
        redacts_ = redacts_ || p.pii.action == policy_action::redact;
        break;
      case policy_kind::content_filter:
        scan_options_.content = true;
        scans_responses_ = scans_responses_ || p.content.responses;
        break;
      case policy_kind::audit_logger:
        wants_text_ = p.audit.include_text;
        break;
      default:
        break;
    }
  }
  scans_ = scan_options_.entities || scan_options_.injection || scan_options_.content;
}

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
    const policy_config& cfg = chain_->factories()[i]->config();
    ex.add_verdict(cfg.kind, "error", 0);
    if (cfg.fail_open) {
      continue;
    }
    try {
      ex.refuse(500, "api_error", to_string(cfg.kind),
                "Policy " + std::string(to_string(cfg.kind)) +
                    " failed to evaluate this request; it was refused (fail closed)");
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
    }
  } catch (...) {
    ex.scan_failed = true;  // out of memory growing a buffer
  }
}

}  // namespace sluice::gateway
