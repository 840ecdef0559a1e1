#pragma once
// Shared pieces of the On-Demand walkers (request and response readers): opening a document, collecting a
// string with its raw position, reading an object's `type` before its other fields, and collecting every
// string value under a value (tool inputs).
#include <cstdint>
#include <string_view>

#include <simdjson.h>

#include "sluice/gateway/dialect_error.h"
#include "sluice/gateway/json_strings.h"

namespace sluice::gateway {

[[nodiscard]] inline dialect_error malformed() noexcept {
  return make_error(dialect_errc::malformed_json, "malformed JSON in the request body");
}

// Starts iterating `body` (padded) and gets its root object.
dialect_error begin_document(simdjson::ondemand::parser& parser, std::string_view body,
                             simdjson::ondemand::document& doc, simdjson::ondemand::object& root) noexcept;

// After the root object has been iterated to its end: anything but whitespace after it is an error.
dialect_error end_document(simdjson::ondemand::document& doc) noexcept;

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
