// Walks an Anthropic Messages request with simdjson On-Demand. Keys are compared unescaped (a client
// writing "t\u0065xt" means "text", and so does Anthropic's parser), block objects are read in two passes
// (first `type`, then the fields) because JSON does not order keys, and any block's `text` string is
// scanned whatever its type, so a block type added to the API later cannot carry text past the policies.
#include "dialects/anthropic/messages_request.h"

#include "wire/json_walk.h"

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
    return for_each_item(v, [] { return malformed(); }, [&](ondemand::value& item) -> dialect_error {
      ondemand::object obj;
      if (item.get_object().get(obj)) {
        return make_error(dialect_errc::wrong_type, "each content block must be an object");
      }
      return block(obj, source, message, depth + 1);
    });
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
    return for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
      if (key == "text" && !is_signed) {
        ondemand::json_type t;
        if (v.type().get(t)) {
          return malformed();
        }
        if (t == ondemand::json_type::string) {
          return add_string(v, source, message);
        }
        if (type == "text") {
          return make_error(dialect_errc::wrong_type, "a text block's text must be a string");
        }
      } else if (key == "content" && !is_signed) {
        ondemand::json_type t;
        if (v.type().get(t)) {
          return malformed();
        }
        // tool_result content (string or blocks), and any future block that nests blocks.
        if (is_tool_result || t == ondemand::json_type::string || t == ondemand::json_type::array) {
          return content(v, is_tool_result ? text_source::tool_result : source, message, depth + 1);
        }
      } else if (key == "input" && is_tool_use) {
        return all_strings(v, text_source::tool_input, message, depth + 1, limits.max_depth);
      } else if (key == "source" && is_document) {
        return document_source(v, message, depth + 1);
      } else if ((key == "title" || key == "context") && is_document) {
        ondemand::json_type t;
        if (v.type().get(t)) {
          return malformed();
        }
        if (t == ondemand::json_type::string) {
          return add_string(v, text_source::document, message);
        }
      }
      return {};
    });
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
    return for_each_field(obj, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
      if (key == "data" && type == "text") {
        return add_string(fv, text_source::document, message);
      }
      if (key == "content" && type == "content") {
        return content(fv, text_source::document, message, depth + 1);
      }
      return {};
    });
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
    return for_each_field(obj, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
      if (key != "content") {
        return {};
      }
      if (seen_content) {
        return make_error(dialect_errc::duplicate_field, "a message has two content fields");
      }
      seen_content = true;
      return content(fv, source, index, 0);
    });
  }

  dialect_error messages(ondemand::value v) {
    std::uint32_t index = 0;
    auto each_message = [&](ondemand::value& item) -> dialect_error {
      if (auto e = one_message(item, index)) {
        return e;
      }
      ++index;
      return {};
    };
    if (auto e = for_each_item(
            v, [] { return make_error(dialect_errc::wrong_type, "messages must be an array"); }, each_message)) {
      return e;
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
    if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
          if (key == "model") {
            if (once(seen_model)) {
              return make_error(dialect_errc::duplicate_field, "model is given twice");
            }
            return model(v);
          }
          if (key == "stream") {
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
            return system(v);
          } else if (key == "messages") {
            if (once(seen_messages)) {
              return make_error(dialect_errc::duplicate_field, "messages is given twice");
            }
            return messages(v);
          }
          return {};
        })) {
      return e;
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
    return for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
      if (key == "text" && type != "thinking") {
        return add_string(v, text_source::response, 0);
      }
      if (key == "thinking" && type == "thinking") {
        return add_string(v, text_source::thinking, 0);
      }
      if (key == "input" && type.ends_with("tool_use")) {
        return all_strings(v, text_source::tool_input, 0, 1, limits.max_depth);
      }
      return {};
    });
  }

  dialect_error usage(ondemand::value v) {
    return for_each_field(
        v, [] { return make_error(dialect_errc::wrong_type, "usage must be an object"); },
        [&](std::string_view key, ondemand::value& fv) -> dialect_error {
          std::uint64_t* target = key == "input_tokens"                  ? &facts.input_tokens
                                  : key == "output_tokens"               ? &facts.output_tokens
                                  : key == "cache_creation_input_tokens" ? &facts.cache_creation_input_tokens
                                  : key == "cache_read_input_tokens"     ? &facts.cache_read_input_tokens
                                                                         : nullptr;
          ondemand::json_type t;
          if (target != nullptr && !fv.type().get(t) && t == ondemand::json_type::number &&
              fv.get_uint64().get(*target)) {
            return make_error(dialect_errc::wrong_type, "token counts must be integers");
          }
          return {};
        });
  }

  dialect_error top(ondemand::object obj) {
    return for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
      if (key == "content") {
        return for_each_object(
            v, [] { return make_error(dialect_errc::wrong_type, "content must be an array"); },
            [] { return make_error(dialect_errc::wrong_type, "each content block must be an object"); },
            [&](ondemand::object& obj_block) { return block(obj_block); });
      }
      if (key == "usage") {
        return usage(v);
      }
      if (key == "stop_reason") {
        ondemand::json_type t;
        if (!v.type().get(t) && t == ondemand::json_type::string && v.get_string().get(facts.stop_reason)) {
          return malformed();
        }
      }
      return {};
    });
  }
};

// Clears `strings` and `facts`, then walks `body` with a Walker (request_walker or response_walker).
template <class Walker, class Facts>
dialect_error read_with(simdjson::ondemand::parser& parser, std::string_view body, json_string_table& strings,
                        Facts& facts, const messages_read_limits& limits) noexcept {
  strings.clear();
  facts = Facts{};
  Walker walker(body, strings, facts, limits);
  return walk_document(parser, body, [&](simdjson::ondemand::object& obj) { return walker.top(obj); });
}

}  // namespace

dialect_error read_messages_response(simdjson::ondemand::parser& parser, std::string_view body,
                                     json_string_table& strings, messages_response_facts& facts,
                                     const messages_read_limits& limits) noexcept {
  return read_with<response_walker>(parser, body, strings, facts, limits);
}

std::string_view padded_copy(std::string& buffer, std::string_view body) {
  buffer.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  buffer.assign(body);
  return std::string_view(buffer.data(), body.size());
}

dialect_error read_messages_request(simdjson::ondemand::parser& parser, std::string_view body,
                                    json_string_table& strings, messages_request_facts& facts,
                                    const messages_read_limits& limits) noexcept {
  return read_with<request_walker>(parser, body, strings, facts, limits);
}

}  // namespace sluice::gateway
