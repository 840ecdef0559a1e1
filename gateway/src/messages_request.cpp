// Walks an Anthropic Messages request with simdjson On-Demand. Keys are compared unescaped (a client
// writing "t\u0065xt" means "text", and so does Anthropic's parser), block objects are read in two passes
// (first `type`, then the fields) because JSON does not order keys, and any block's `text` string is
// scanned whatever its type, so a block type added to the API later cannot carry text past the policies.
#include "sluice/gateway/messages_request.h"

#include <utility>

#include "json_walk.h"

namespace sluice::gateway {
namespace {

using namespace simdjson;

struct request_walker : json_walker {
  messages_request_facts& facts;
  const messages_read_limits& limits;

  request_walker(std::string_view b, json_string_table& s, messages_request_facts& f,
                 const messages_read_limits& l)
      : json_walker{b, s}, facts(f), limits(l) {}

  // A `content` value: a string, or an array of blocks.
  dialect_error content(ondemand::value v, text_source source, std::uint32_t message, std::uint32_t depth) {
    if (depth > limits.max_depth) {
      return make_error(dialect_errc::too_deep, "content nested too deeply");
    }
    ondemand::json_type type;
    if (v.type().get(type)) {
      return malformed();
    }
    if (type == ondemand::json_type::string) {
      return add_string(v, source, message);
    }
    if (type != ondemand::json_type::array) {
      return make_error(dialect_errc::wrong_type, "content must be a string or an array of content blocks");
    }
    ondemand::array blocks;
    if (v.get_array().get(blocks)) {
      return malformed();
    }
    for (auto element : blocks) {
      ondemand::value item;
      if (element.get(item)) {
        return malformed();
      }
      ondemand::object obj;
      if (item.get_object().get(obj)) {
        return make_error(dialect_errc::wrong_type, "each content block must be an object");
      }
      if (auto e = block(obj, source, message, depth + 1)) {
        return e;
      }
    }
    return {};
  }

  // One content block.
  dialect_error block(ondemand::object obj, text_source source, std::uint32_t message, std::uint32_t depth) {
    std::string_view type;
    if (auto e = find_type(obj, type)) {
      return e;
    }
    const bool is_tool_result = type == "tool_result";
    const bool is_tool_use = type.ends_with("tool_use");  // tool_use, server_tool_use, mcp_tool_use
    const bool is_document = type == "document";
    const bool is_signed = type == "thinking" || type == "redacted_thinking";
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      ondemand::value v = field.value();
      if (key == "text" && !is_signed) {
        ondemand::json_type t;
        if (v.type().get(t)) {
          return malformed();
        }
        if (t == ondemand::json_type::string) {
          if (auto e = add_string(v, source, message)) {
            return e;
          }
        } else if (type == "text") {
          return make_error(dialect_errc::wrong_type, "a text block's text must be a string");
        }
      } else if (key == "content" && !is_signed) {
        ondemand::json_type t;
        if (v.type().get(t)) {
          return malformed();
        }
        // tool_result content (string or blocks), and any future block that nests blocks.
        if (is_tool_result || t == ondemand::json_type::string || t == ondemand::json_type::array) {
          if (auto e = content(v, is_tool_result ? text_source::tool_result : source, message, depth + 1)) {
            return e;
          }
        }
      } else if (key == "input" && is_tool_use) {
        if (auto e = all_strings(v, text_source::tool_input, message, depth + 1, limits.max_depth)) {
          return e;
        }
      } else if (key == "source" && is_document) {
        if (auto e = document_source(v, message, depth + 1)) {
          return e;
        }
      } else if ((key == "title" || key == "context") && is_document) {
        ondemand::json_type t;
        if (v.type().get(t)) {
          return malformed();
        }
        if (t == ondemand::json_type::string) {
          if (auto e = add_string(v, text_source::document, message)) {
            return e;
          }
        }
      }
    }
    return {};
  }

  // A document block's source: plain text in `data`, or content blocks in `content`.
  dialect_error document_source(ondemand::value v, std::uint32_t message, std::uint32_t depth) {
    ondemand::object obj;
    if (v.get_object().get(obj)) {
      return make_error(dialect_errc::wrong_type, "a document's source must be an object");
    }
    std::string_view type;
    if (auto e = find_type(obj, type)) {
      return e;
    }
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      ondemand::value fv = field.value();
      if (key == "data" && type == "text") {
        if (auto e = add_string(fv, text_source::document, message)) {
          return e;
        }
      } else if (key == "content" && type == "content") {
        if (auto e = content(fv, text_source::document, message, depth + 1)) {
          return e;
        }
      }
    }
    return {};
  }

  dialect_error one_message(ondemand::value v, std::uint32_t index) {
    ondemand::object obj;
    if (v.get_object().get(obj)) {
      return make_error(dialect_errc::wrong_type, "each message must be an object");
    }
    std::string_view role;
    if (auto e = find_string_field(obj, "role", role)) {
      return e;
    }
    const text_source source = role == "assistant" ? text_source::assistant : text_source::user;
    bool seen_content = false;
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      if (key == "content") {
        if (seen_content) {
          return make_error(dialect_errc::duplicate_field, "a message has two content fields");
        }
        seen_content = true;
        if (auto e = content(field.value(), source, index, 0)) {
          return e;
        }
      }
    }
    return {};
  }

  dialect_error messages(ondemand::value v) {
    ondemand::array arr;
    if (v.get_array().get(arr)) {
      return make_error(dialect_errc::wrong_type, "messages must be an array");
    }
    std::uint32_t index = 0;
    for (auto element : arr) {
      ondemand::value item;
      if (element.get(item)) {
        return malformed();
      }
      if (auto e = one_message(item, index)) {
        return e;
      }
      ++index;
    }
    facts.message_count = index;
    return {};
  }

  dialect_error system(ondemand::value v) {
    ondemand::json_type t;
    if (v.type().get(t)) {
      return malformed();
    }
    if (t == ondemand::json_type::string) {
      return add_string(v, text_source::system, 0);
    }
    if (t != ondemand::json_type::array) {
      return make_error(dialect_errc::wrong_type, "system must be a string or an array of text blocks");
    }
    return content(v, text_source::system, 0, 0);
  }

  dialect_error model(ondemand::value v) {
    const std::string_view token = v.raw_json_token();
    if (token.empty() || token.front() != '"') {
      return make_error(dialect_errc::wrong_type, "model must be a string");
    }
    if (v.get_string().get(facts.model)) {
      return make_error(dialect_errc::malformed_json, "malformed JSON: invalid string for model");
    }
    facts.has_model = true;
    facts.model_raw.begin = static_cast<std::uint32_t>(token.data() + 1 - body.data());
    std::size_t end = token.size();
    while (end > 0 && token[end - 1] != '"') {
      --end;
    }
    facts.model_raw.end = static_cast<std::uint32_t>(token.data() + end - 1 - body.data());
    return {};
  }

  dialect_error top(ondemand::object obj) {
    bool seen_model = false, seen_stream = false, seen_max = false, seen_system = false, seen_messages = false;
    auto once = [](bool& seen) {
      const bool twice = seen;
      seen = true;
      return twice;
    };
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      ondemand::value v = field.value();
      if (key == "model") {
        if (once(seen_model)) {
          return make_error(dialect_errc::duplicate_field, "model is given twice");
        }
        if (auto e = model(v)) {
          return e;
        }
      } else if (key == "stream") {
        if (once(seen_stream)) {
          return make_error(dialect_errc::duplicate_field, "stream is given twice");
        }
        if (v.get_bool().get(facts.stream)) {
          return make_error(dialect_errc::wrong_type, "stream must be true or false");
        }
      } else if (key == "max_tokens") {
        if (once(seen_max)) {
          return make_error(dialect_errc::duplicate_field, "max_tokens is given twice");
        }
        if (v.get_uint64().get(facts.max_tokens)) {
          return make_error(dialect_errc::wrong_type, "max_tokens must be a positive integer");
        }
        facts.has_max_tokens = true;
      } else if (key == "system") {
        if (once(seen_system)) {
          return make_error(dialect_errc::duplicate_field, "system is given twice");
        }
        if (auto e = system(v)) {
          return e;
        }
      } else if (key == "messages") {
        if (once(seen_messages)) {
          return make_error(dialect_errc::duplicate_field, "messages is given twice");
        }
        if (auto e = messages(v)) {
          return e;
        }
      }
    }
    if (!seen_messages) {
      return make_error(dialect_errc::missing_field, "messages: field required");
    }
    return {};
  }
};

struct response_walker : json_walker {
  messages_response_facts& facts;
  const messages_read_limits& limits;

  response_walker(std::string_view b, json_string_table& s, messages_response_facts& f,
                  const messages_read_limits& l)
      : json_walker{b, s}, facts(f), limits(l) {}

  dialect_error block(ondemand::object obj) {
    std::string_view type;
    if (auto e = find_type(obj, type)) {
      return e;
    }
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      ondemand::value v = field.value();
      if (key == "text" && type != "thinking") {
        if (auto e = add_string(v, text_source::response, 0)) {
          return e;
        }
      } else if (key == "thinking" && type == "thinking") {
        if (auto e = add_string(v, text_source::thinking, 0)) {
          return e;
        }
      } else if (key == "input" && type.ends_with("tool_use")) {
        if (auto e = all_strings(v, text_source::tool_input, 0, 1, limits.max_depth)) {
          return e;
        }
      }
    }
    return {};
  }

  dialect_error usage(ondemand::value v) {
    ondemand::object obj;
    if (v.get_object().get(obj)) {
      return make_error(dialect_errc::wrong_type, "usage must be an object");
    }
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      std::uint64_t* target = key == "input_tokens"                  ? &facts.input_tokens
                              : key == "output_tokens"               ? &facts.output_tokens
                              : key == "cache_creation_input_tokens" ? &facts.cache_creation_input_tokens
                              : key == "cache_read_input_tokens"     ? &facts.cache_read_input_tokens
                                                                     : nullptr;
      ondemand::json_type t;
      if (target != nullptr && !field.value().type().get(t) && t == ondemand::json_type::number &&
          field.value().get_uint64().get(*target)) {
        return make_error(dialect_errc::wrong_type, "token counts must be integers");
      }
    }
    return {};
  }

  dialect_error top(ondemand::object obj) {
    for (auto field_result : obj) {
      ondemand::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
        return malformed();
      }
      ondemand::value v = field.value();
      if (key == "content") {
        ondemand::array arr;
        if (v.get_array().get(arr)) {
          return make_error(dialect_errc::wrong_type, "content must be an array");
        }
        for (auto element : arr) {
          ondemand::value item;
          ondemand::object obj_block;
          if (element.get(item) || item.get_object().get(obj_block)) {
            return make_error(dialect_errc::wrong_type, "each content block must be an object");
          }
          if (auto e = block(obj_block)) {
            return e;
          }
        }
      } else if (key == "usage") {
        if (auto e = usage(v)) {
          return e;
        }
      } else if (key == "stop_reason") {
        ondemand::json_type t;
        if (!v.type().get(t) && t == ondemand::json_type::string && v.get_string().get(facts.stop_reason)) {
          return malformed();
        }
      }
    }
    return {};
  }
};

}  // namespace

dialect_error read_messages_response(simdjson::ondemand::parser& parser, std::string_view body,
                                     json_string_table& strings, messages_response_facts& facts,
                                     const messages_read_limits& limits) noexcept {
  strings.clear();
  facts = messages_response_facts{};
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (auto e = begin_document(parser, body, doc, obj)) {
    return e;
  }
  response_walker walker(body, strings, facts, limits);
  if (auto e = walker.top(obj)) {
    return e;
  }
  return end_document(doc);
}

std::string_view padded_copy(std::string& buffer, std::string_view body) {
  buffer.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(body);
  return std::string_view(buffer.data(), body.size());
}

dialect_error read_messages_request(simdjson::ondemand::parser& parser, std::string_view body,
                                    json_string_table& strings, messages_request_facts& facts,
                                    const messages_read_limits& limits) noexcept {
  strings.clear();
  facts = messages_request_facts{};
  simdjson::ondemand::document doc;
  simdjson::ondemand::object obj;
  if (auto e = begin_document(parser, body, doc, obj)) {
    return e;
  }
  request_walker walker(body, strings, facts, limits);
  if (auto e = walker.top(obj)) {
    return e;
  }
  return end_document(doc);
}

}  // namespace sluice::gateway
