// disclaimer: asks for the configured text to be appended to every successful response. It has no
// stream hook of its own: it leaves the text in exchange::append_text, which the pipeline appends to a
// whole response (exchange_texts) and the stream relay writes as a final text block before
// message_delta; both serve any policy that fills append_text, and the SSE framing of that block
// belongs to the streaming layer, above this one.
#include "policies/disclaimer/disclaimer_options.h"
#include "policies/builtin_policies.h"
#include "policies/policy_registry.h"

namespace sluice::gateway {
namespace {

class disclaimer_filter final : public policy_filter {
 public:
  disclaimer_filter(const disclaimer_options& options, policy_id id, const no_state&) : options_(options), id_(id) {}

  filter_status on_request(exchange& ex) noexcept override {
    try {
      ex.append_text += options_.text;
    } catch (...) {
      return filter_status::error;
    }
    ex.add_verdict(id_, "annotate", 0);
    return filter_status::proceed;
  }

 private:
  const disclaimer_options& options_;
  policy_id id_;
};

void parse(const YAML::Node& n, const std::string& key, config_reader& r, disclaimer_options& o) {
  if (!r.expect_map(n, key, {"text", "fail_open"})) {
    return;
  }
  if (auto v = n["text"]) {
    r.get_string(v, key + ".text", o.text);
  }
  if (o.text.empty()) {
    r.problem(n, key + ".text", "missing: the disclaimer text to append");
  }
}

std::unique_ptr<policy_factory> make_factory(const policy_config& config, const disclaimer_options& o, policy_id id,
                                             const policy_environment&) {
  return std::make_unique<simple_factory<disclaimer_filter, disclaimer_options, no_state>>(config, o, id, no_state{});
}

}  // namespace

// Declared in policies/builtin_policies.h, listed in builtin_policies.cpp.
policy_descriptor disclaimer_policy() {
  return describe_policy<disclaimer_options>({
      .name = "disclaimer",
      .order = 60,
      .parse = parse,
      .make_factory = make_factory,
  });
}

}  // namespace sluice::gateway
