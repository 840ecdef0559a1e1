#include "sluice/engine/rule.h"

namespace sluice::engine {

std::string_view to_string(rule_kind k) noexcept {
  switch (k) {
    case rule_kind::pii: return "pii";
    case rule_kind::secret: return "secret";
    case rule_kind::injection: return "injection";
    case rule_kind::content: return "content";
    case rule_kind::encoded: return "encoded";
    case rule_kind::context: return "context";
  }
  return "unknown";
}

}  // namespace sluice::engine
