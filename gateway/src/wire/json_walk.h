#pragma once
// Shared pieces of the On-Demand walkers (request and response readers, stream event readers): walking an
// object's fields, opening a document, collecting a string with its raw position, reading an object's
// `type` before its other fields, and collecting every string value under a value (tool inputs).
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

#include <simdjson.h>

#include "wire/dialect_error.h"
#include "wire/json_strings.h"

namespace sluice::gateway {

[[nodiscard]] inline dialect_error malformed() noexcept {
  return make_error(dialect_errc::malformed_json, "malformed JSON in the request body");
}

// What a field walk returns: on_field's result type, dialect_error or simdjson::error_code.
template <class OnField>
using field_walk_result = std::invoke_result_t<OnField&, std::string_view, simdjson::ondemand::value&>;

// The error a walk returns for broken JSON: the simdjson error itself for the stream readers (they report
// codes), malformed() for the dialect readers.
template <class Result>
[[nodiscard]] Result broken_json(simdjson::error_code code) noexcept {
  if constexpr (std::is_same_v<Result, simdjson::error_code>) {
    return code;
  } else {
    return malformed();
  }
}

// Calls on_field(key, value) for each field of `obj` in document order (keys unescaped), stopping at the
// first error it returns; a field or key that cannot be read stops the walk with broken_json().
template <class OnField>
[[nodiscard]] field_walk_result<OnField> for_each_field(simdjson::ondemand::object& obj,
                                                        OnField&& on_field) noexcept {
  using result = field_walk_result<OnField>;
  for (auto field_result : obj) {
    simdjson::ondemand::field field;
    std::string_view key;
    if (auto code = std::move(field_result).get(field)) {
      return broken_json<result>(code);
    }
    if (auto code = field.unescaped_key().get(key)) {
      return broken_json<result>(code);
    }
    if (auto e = on_field(key, field.value())) {
      return e;
    }
  }
  return result{};
}

// Gets `v` as a Container (object or array) and returns walk(container); when `v` is not one, returns
// not_container(code), or not_container() when it takes no code (called only then: a failure helper may
// record an error parameter).
template <class Container, class NotContainer, class Walk>
[[nodiscard]] auto walk_as(simdjson::ondemand::value v, NotContainer&& not_container, Walk&& walk) noexcept
    -> decltype(walk(std::declval<Container&>())) {
  Container container;
  simdjson::error_code code;
  if constexpr (std::is_same_v<Container, simdjson::ondemand::object>) {
    code = v.get_object().get(container);
  } else {
    code = v.get_array().get(container);
  }
  if (code) {
    if constexpr (std::is_invocable_v<NotContainer&, simdjson::error_code>) {
      return not_container(code);
    } else {
      return not_container();
    }
  }
  return walk(container);
}

// for_each_field on the value `v`, which must be an object (else walk_as's not_container).
template <class NotObject, class OnField>
[[nodiscard]] field_walk_result<OnField> for_each_field(simdjson::ondemand::value v, NotObject&& not_object,
                                                        OnField&& on_field) noexcept {
  return walk_as<simdjson::ondemand::object>(
      v, not_object, [&](simdjson::ondemand::object& obj) { return for_each_field(obj, on_field); });
}

// What an item walk returns: on_item's result type, dialect_error or simdjson::error_code.
template <class OnItem>
using item_walk_result = std::invoke_result_t<OnItem&, simdjson::ondemand::value&>;

// Calls on_item(value) for each item of `arr`, stopping at the first error it returns; an item that
// cannot be read stops the walk with broken_json().
template <class OnItem>
[[nodiscard]] item_walk_result<OnItem> for_each_item(simdjson::ondemand::array& arr, OnItem&& on_item) noexcept {
  using result = item_walk_result<OnItem>;
  for (auto element : arr) {
    simdjson::ondemand::value item;
    if (auto code = element.get(item)) {
      return broken_json<result>(code);
    }
    if (auto e = on_item(item)) {
      return e;
    }
  }
  return result{};
}

// for_each_item on the value `v`, which must be an array (else walk_as's not_container).
template <class NotArray, class OnItem>
[[nodiscard]] item_walk_result<OnItem> for_each_item(simdjson::ondemand::value v, NotArray&& not_array,
                                                     OnItem&& on_item) noexcept {
  return walk_as<simdjson::ondemand::array>(
      v, not_array, [&](simdjson::ondemand::array& arr) { return for_each_item(arr, on_item); });
}

// Calls on_object(object) for each item of the array `v`, stopping at the first error it returns. When
// `v` is not an array the walk returns not_array(), when an item is not an object not_object() (each
// called only then).
template <class NotArray, class NotObject, class OnObject>
[[nodiscard]] dialect_error for_each_object(simdjson::ondemand::value v, NotArray&& not_array, NotObject&& not_object,
                                            OnObject&& on_object) noexcept {
  simdjson::ondemand::array arr;
  if (v.get_array().get(arr)) {
    return not_array();
  }
  for (auto element : arr) {
    simdjson::ondemand::value item;
    simdjson::ondemand::object obj;
    if (element.get(item) || item.get_object().get(obj)) {
      return not_object();
    }
    if (auto e = on_object(obj)) {
      return e;
    }
  }
  return {};
}

// Starts iterating `body` (padded) and gets its root object.
dialect_error begin_document(simdjson::ondemand::parser& parser, std::string_view body,
                             simdjson::ondemand::document& doc, simdjson::ondemand::object& root) noexcept;

// After the root object has been iterated to its end: anything but whitespace after it is an error.
dialect_error end_document(simdjson::ondemand::document& doc) noexcept;

// begin_document, then top(root) -> dialect_error, then end_document.
template <class Top>
[[nodiscard]] dialect_error walk_document(simdjson::ondemand::parser& parser, std::string_view body,
                                          Top&& top) noexcept {
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root;
  if (auto e = begin_document(parser, body, doc, root)) {
    return e;
  }
  if (auto e = top(root)) {
    return e;
  }
  return end_document(doc);
}

struct json_walker {
  std::string_view body;
  json_string_table& strings;

  // Adds the string value `v` (an error if `v` is not a string).
  dialect_error add_string(simdjson::ondemand::value& v, text_source source, std::uint32_t message) noexcept;

  // Reads `obj`'s "type" string into `type` ("" when absent) and rewinds `obj` for a second pass.
  dialect_error find_type(simdjson::ondemand::object& obj, std::string_view& type) noexcept {
    return find_string_field(obj, "type", type);
  }
  // The same for any string field.
  dialect_error find_string_field(simdjson::ondemand::object& obj, std::string_view name,
                                  std::string_view& out) noexcept;

  // Adds every string value under `v` (object values and array items, at any depth up to max_depth).
  dialect_error all_strings(simdjson::ondemand::value v, text_source source, std::uint32_t message,
                            std::uint32_t depth, std::uint32_t max_depth) noexcept;
};

}  // namespace sluice::gateway
