#include "wire/json_walk.h"

#include <utility>

namespace sluice::gateway {

using namespace simdjson;

dialect_error begin_document(ondemand::parser& parser, std::string_view body, ondemand::document& doc,
                             ondemand::object& root) noexcept {
  if (body.size() >= 0xffffffffu) {
    return make_error(dialect_errc::too_large, "request body too large");
  }
  if (parser.iterate(body.data(), body.size(), body.size() + SIMDJSON_PADDING).get(doc)) {
    return malformed();
  }
  ondemand::json_type type;
  if (doc.type().get(type)) {
    return malformed();
  }
  if (type != ondemand::json_type::object) {
    return make_error(dialect_errc::wrong_type, "the request body must be a JSON object");
  }
  if (doc.get_object().get(root)) {
    return malformed();
  }
  return {};
}

dialect_error end_document(ondemand::document& doc) noexcept {
  // At the end of the document current_location() has nowhere to point: OUT_OF_BOUNDS.
  const char* at = nullptr;
  if (doc.current_location().get(at) == SUCCESS) {
    return make_error(dialect_errc::malformed_json, "malformed JSON: content after the top-level object");
  }
  return {};
}

dialect_error json_walker::add_string(ondemand::value& v, text_source source, std::uint32_t message) noexcept {
  const std::string_view token = v.raw_json_token();
  if (token.empty() || token.front() != '"') {
    return make_error(dialect_errc::wrong_type, "expected a string");
  }
  const auto offset = static_cast<std::size_t>(token.data() - body.data()) + 1;
  return strings.add(body, offset, source, message);
}

dialect_error json_walker::find_string_field(ondemand::object& obj, std::string_view name,
                                             std::string_view& out) noexcept {
  out = {};
  bool seen = false;
  for (auto field_result : obj) {
    ondemand::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
      return malformed();
    }
    if (key != name) {
      continue;
    }
    if (seen) {
      return make_error(dialect_errc::duplicate_field, "an object has the same field twice");
    }
    seen = true;
    ondemand::json_type t;
    if (field.value().type().get(t)) {
      return malformed();
    }
    if (t != ondemand::json_type::string) {
      return make_error(dialect_errc::wrong_type, "a type or role field must be a string");
    }
    if (field.value().get_string().get(out)) {
      return malformed();
    }
  }
  bool rewound = false;
  if (obj.reset().get(rewound)) {
    return malformed();
  }
  return {};
}

dialect_error json_walker::all_strings(ondemand::value v, text_source source, std::uint32_t message,
                                       std::uint32_t depth, std::uint32_t max_depth) noexcept {
  if (depth > max_depth) {
    return make_error(dialect_errc::too_deep, "tool input nested too deeply");
  }
  ondemand::json_type t;
  if (v.type().get(t)) {
    return malformed();
  }
  switch (t) {
    case ondemand::json_type::string:
      return add_string(v, source, message);
    case ondemand::json_type::object: {
      ondemand::object obj;
      if (v.get_object().get(obj)) {
        return malformed();
      }
      for (auto field_result : obj) {
        ondemand::field field;
        if (std::move(field_result).get(field)) {
          return malformed();
        }
        if (auto e = all_strings(field.value(), source, message, depth + 1, max_depth)) {
          return e;
        }
      }
      return {};
    }
    case ondemand::json_type::array:
      return for_each_item(v, [] { return malformed(); }, [&](ondemand::value& item) {
        return all_strings(item, source, message, depth + 1, max_depth);
      });
    default:
      return {};  // numbers, booleans, null: nothing to scan
  }
}

}  // namespace sluice::gateway
