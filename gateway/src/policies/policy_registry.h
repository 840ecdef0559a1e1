#pragma once
// Every policy the gateway knows, by the name the configuration uses. Each policy describes itself in
// its own folder (policies/<name>/<name>.cpp): its options parser, its filter factory and, when it acts
// on streams, its stream hook live together there. The built-in ones are named in one list
// (builtin_policies.cpp, which says why a list rather than static registrars); a policy compiled into
// an executable (a test's) may register itself with a static policy_registrar.
//
// Configuration loading (server/config.cpp) asks the registry to parse each policy's options; the chain
// (policy_chain.h) asks it for factories, stream hooks and what the policies need from the scanner.
//
// Order: the registry keeps its entries sorted by `order` (then name), the same in every process
// whatever the link order. A policy's id is its position, and listings follow it: the known names in
// "unknown policy" messages, the policy rows of /metrics, the stream hooks (so a stream reports its
// verdicts in the same order as a whole response).
//
// The registry is filled on first use with the built-in list; registrars add theirs during static
// initialization (finding the built-ins already there), so ids are stable once main() runs. add() is
// not synchronized: nothing may call it after that.
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "base/config_reader.h"
#include "policies/policy.h"
#include "policies/stream_hook.h"

namespace sluice::gateway {

// One policy, type-erased.
struct policy_descriptor {
  std::string_view name;  // as written in policies.chain
  int order = 0;
  // Reads the policy's options from its section `node` at `key` on top of `base` (null: the defaults;
  // a policy given options both under policies.policy and at the top level reads the second over the
  // first), reporting problems to `reader`. An undefined or null node leaves `base` as it is. Always
  // returns options (the previous value where a value was wrong).
  std::function<std::shared_ptr<const policy_options>(const YAML::Node& node, const std::string& key,
                                                      config_reader& reader, const policy_options* base)>
      parse_options;
  // What the policy needs from the scanner and the pipeline (may be empty).
  std::function<void(const policy_options&, chain_requirements&)> declare_needs;
  // Settings the policy decides for the whole gateway (the audit-logger's log; may be empty).
  std::function<void(const policy_options&, gateway_config&)> configure_gateway;
  // The filter factory. Throws std::runtime_error on an option the ruleset cannot honour.
  std::function<std::unique_ptr<policy_factory>(const policy_config&, policy_id, const policy_environment&)>
      make_factory;
  // The streaming half (may be empty, or return null when the options leave streams alone).
  std::function<std::unique_ptr<stream_hook>(const policy_options&, policy_id, const policy_environment&)>
      make_stream_hook;
};

class policy_registry {
 public:
  // Adds a policy. Throws std::logic_error when the name is taken (a programming error, found at start).
  static void add(policy_descriptor policy);

  // Every registered policy, in registry order (index = policy_id).
  [[nodiscard]] static std::span<const policy_descriptor> all() noexcept;
  [[nodiscard]] static const policy_descriptor* find(std::string_view name) noexcept;
  [[nodiscard]] static std::optional<policy_id> id_of(std::string_view name) noexcept;
  // The name of policy `id` ("unknown" when out of range).
  [[nodiscard]] static std::string_view name_of(policy_id id) noexcept;
  // "prompt-injection, pii-detector, …", for error messages.
  [[nodiscard]] static std::string known_names();
};

// The options of a configured policy, as the policy's own type. Throws std::logic_error when `config`
// holds another policy's options (load time only).
template <class Options>
[[nodiscard]] const Options& options_of(const policy_config& config) {
  const auto* options = dynamic_cast<const Options*>(config.options.get());
  if (options == nullptr) {
    throw std::logic_error("policy '" + config.name + "' holds options of another type");
  }
  return *options;
}

// What a policy's own file gives to register it, with its options type known.
template <class Options>
struct policy_registration {
  std::string_view name;
  int order = 0;  // position in listings; the shipped policies use 10, 20, … 60, tests 1000 and up
  // Reads a non-null options section into `out` (which holds the defaults, or what an earlier section
  // of the same policy set).
  void (*parse)(const YAML::Node& node, const std::string& key, config_reader& reader, Options& out) = nullptr;
  std::unique_ptr<policy_factory> (*make_factory)(const policy_config& config, const Options& options, policy_id id,
                                                  const policy_environment& env) = nullptr;
  void (*declare_needs)(const Options& options, chain_requirements& needs) = nullptr;
  std::unique_ptr<stream_hook> (*make_stream_hook)(const Options& options, policy_id id,
                                                   const policy_environment& env) = nullptr;
  void (*configure_gateway)(const Options& options, gateway_config& config) = nullptr;
};

// The type-erased descriptor of a policy given with its options type. A built-in policy's folder
// returns it from `policy_descriptor <name>_policy()`, which policies/builtin_policies.cpp lists.
template <class Options>
[[nodiscard]] policy_descriptor describe_policy(const policy_registration<Options>& r) {
  static_assert(std::is_base_of_v<policy_options, Options>);
  policy_descriptor d;
  d.name = r.name;
  d.order = r.order;
  d.parse_options = [parse = r.parse](const YAML::Node& node, const std::string& key, config_reader& reader,
                                      const policy_options* base) {
    const auto* previous = dynamic_cast<const Options*>(base);
    auto options = previous != nullptr ? std::make_shared<Options>(*previous) : std::make_shared<Options>();
    if (node && !node.IsNull() && parse != nullptr) {
      parse(node, key, reader, *options);
    }
    return std::shared_ptr<const policy_options>(std::move(options));
  };
  d.make_factory = [make = r.make_factory](const policy_config& config, policy_id id, const policy_environment& env) {
    return make(config, options_of<Options>(config), id, env);
  };
  if (r.declare_needs != nullptr) {
    d.declare_needs = [declare = r.declare_needs](const policy_options& o, chain_requirements& needs) {
      declare(static_cast<const Options&>(o), needs);
    };
  }
  if (r.make_stream_hook != nullptr) {
    d.make_stream_hook = [make = r.make_stream_hook](const policy_options& o, policy_id id,
                                                     const policy_environment& env) {
      return make(static_cast<const Options&>(o), id, env);
    };
  }
  if (r.configure_gateway != nullptr) {
    d.configure_gateway = [configure = r.configure_gateway](const policy_options& o, gateway_config& c) {
      configure(static_cast<const Options&>(o), c);
    };
  }
  return d;
}

// Registers a policy from a static object: `static const policy_registrar<my_options> registered{{…}};`.
// Only for code linked into the executable as object files (a test, an embedder's own policy): in a
// static library nothing references the registrar's object file, so the linker would leave it out.
// The built-in policies are listed in builtin_policies.cpp instead.
template <class Options>
class policy_registrar {
 public:
  explicit policy_registrar(const policy_registration<Options>& r) { policy_registry::add(describe_policy(r)); }
};

}  // namespace sluice::gateway
