// OpenAI chat-completions request -> Anthropic Messages request. Strings are copied as their raw JSON
// tokens wherever they pass through unchanged (both APIs use JSON strings), so escapes survive exactly
// and nothing is unescaped and escaped again; only values that change form (data: URLs, tool-call
// arguments that become objects) are decoded.
#include "dialects/openai/openai_request.h"

#include "wire/decimal_text.h"
#include "wire/json_walk.h"
#include "sluice/engine/json_escape.h"

namespace sluice::gateway {

using namespace simdjson;

namespace {

// The raw JSON token of a string value, quotes included, without the whitespace that may follow it.
// Empty when `v` is not a string.
std::string_view raw_string(ondemand::value& v) noexcept {
  std::string_view token = v.raw_json_token();
  if (token.empty() || token.front() != '"') {
    return {};
  }
  while (token.size() > 1 && token.back() != '"') {
    token.remove_suffix(1);
  }
  return token;
}

// The raw token of a scalar (number), without trailing whitespace.
std::string_view raw_scalar(ondemand::value& v) noexcept {
  std::string_view token = v.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return token;
}

bool type_of(ondemand::value& v, ondemand::json_type& t) noexcept { return !v.type().get(t); }

bool is_null(ondemand::value& v) noexcept {
  ondemand::json_type t;
  return type_of(v, t) && t == ondemand::json_type::null;
}

void comma(std::string& out) {
  if (!out.empty()) {
    out.push_back(',');
  }
}

constexpr dialect_error wrong(std::string_view message) noexcept {
  return make_error(dialect_errc::wrong_type, message);
}

}  // namespace

struct openai_request_walker : json_walker {
  openai_request_translator& t;
  openai_request_facts& facts;
  std::string_view open_role;  // role of the Anthropic message being built in messages_ ("" none)
  std::string_view model_raw;
  bool has_max_tokens = false;
  std::uint64_t max_tokens = 0;
  bool stream = false;
  // tool_choice, assembled at the end because parallel_tool_calls may come after it.
  std::string_view choice_type;  // none | auto | any | tool ("" not given)
  std::string_view choice_name;  // raw JSON string for type tool
  bool disable_parallel = false;

  openai_request_walker(std::string_view b, json_string_table& s, openai_request_translator& tr,
                        openai_request_facts& f)
      : json_walker{b, s}, t(tr), facts(f) {}

  dialect_error fail(dialect_errc code, std::string_view message, std::string_view param) noexcept {
    facts.error_param = param;
    return make_error(code, message);
  }

  // Validates that `text` is one JSON object, using the translator's own DOM parser (the On-Demand
  // parser is busy with the outer document).
  bool is_json_object(std::string_view text) noexcept {
    t.json_buffer_.reserve(text.size() + SIMDJSON_PADDING);
    t.json_buffer_.assign(text);
    dom::element element;
    if (t.nested_parser_.parse(t.json_buffer_.data(), text.size(), false).get(element)) {
      return false;
    }
    return element.type() == dom::element_type::OBJECT;
  }

  // Ends the current block list as a message of `role`; consecutive messages of one role are merged
  // (Anthropic expects tool results of parallel calls in one user turn).
  void push_message(std::string_view role) {
    if (t.blocks_.empty()) {
      return;
    }
    if (open_role == role) {
      t.messages_.push_back(',');
    } else {
      if (!open_role.empty()) {
        t.messages_ += "]},";
      }
      t.messages_ += R"({"role":")";
      t.messages_ += role;
      t.messages_ += R"(","content":[)";
      open_role = role;
    }
    t.messages_ += t.blocks_;
    t.blocks_.clear();
  }

  void text_block(std::string& out, std::string_view raw) {
    if (raw.size() <= 2) {
      return;  // "" : Anthropic refuses empty text blocks
    }
    comma(out);
    out += R"({"type":"text","text":)";
    out += raw;
    out += '}';
  }

  // Text-only content (system, developer, tool, assistant): a string or an array of text parts.
  dialect_error text_content(ondemand::value v, std::string& out, std::string_view param) {
    ondemand::json_type type;
    if (!type_of(v, type)) {
      return malformed();
    }
    if (type == ondemand::json_type::null) {
      return {};
    }
    if (type == ondemand::json_type::string) {
      text_block(out, raw_string(v));
      return {};
    }
    if (type != ondemand::json_type::array) {
      return fail(dialect_errc::wrong_type, "content must be a string or an array of content parts", param);
    }
    return for_each_object(
        v, [] { return malformed(); },
        [&] { return fail(dialect_errc::wrong_type, "each content part must be an object", param); },
        [&](ondemand::object& part) -> dialect_error {
          std::string_view part_type;
          if (auto e = find_type(part, part_type)) {
            return e;
          }
          if (part_type != "text" && part_type != "refusal") {
            return fail(dialect_errc::unsupported, "only text content parts are supported in this message role",
                        param);
          }
          return for_each_field(part, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
            if (key == part_type) {  // "text": "...", or "refusal": "..."
              const std::string_view raw = raw_string(fv);
              if (raw.empty()) {
                return fail(dialect_errc::wrong_type, "a text part's text must be a string", param);
              }
              text_block(out, raw);
            }
            return {};
          });
        });
  }

  // Writes a `type` block (image, document) with the base64 source of `data_url`
  // ("data:<media type>;base64,<data>", ";base64," at `marker`).
  void base64_block(std::string_view type, std::string_view data_url, std::size_t marker) {
    t.blocks_ += R"({"type":")";
    t.blocks_ += type;
    t.blocks_ += R"(","source":{"type":"base64","media_type":)";
    engine::append_json_string(t.blocks_, data_url.substr(5, marker - 5));
    t.blocks_ += R"(,"data":)";
    engine::append_json_string(t.blocks_, data_url.substr(marker + 8));
    t.blocks_ += "}}";
  }

  // An image_url part: data: URLs become base64 sources, http(s) URLs url sources.
  dialect_error image(ondemand::value v) {
    std::string_view url;
    ondemand::json_type type;
    if (!type_of(v, type)) {
      return malformed();
    }
    if (type == ondemand::json_type::string) {
      if (v.get_string().get(url)) {
        return malformed();
      }
    } else if (type == ondemand::json_type::object) {
      ondemand::object obj;
      if (v.get_object().get(obj) || find_string_field(obj, "url", url)) {
        return fail(dialect_errc::wrong_type, "image_url.url must be a string", "messages");
      }
    } else {
      return fail(dialect_errc::wrong_type, "image_url must be an object with a url", "messages");
    }
    comma(t.blocks_);
    if (url.starts_with("data:")) {
      const auto marker = url.find(";base64,");
      if (marker == std::string_view::npos || marker <= 5) {
        return fail(dialect_errc::invalid_value, "image data URLs must be base64 (data:<media type>;base64,...)",
                    "messages");
      }
      base64_block("image", url, marker);
      return {};
    }
    if (url.starts_with("https://") || url.starts_with("http://")) {
      t.blocks_ += R"({"type":"image","source":{"type":"url","url":)";
      engine::append_json_string(t.blocks_, url);
      t.blocks_ += "}}";
      return {};
    }
    return fail(dialect_errc::invalid_value, "image_url.url must be an http(s) URL or a base64 data: URL",
                "messages");
  }

  // A file part: inline base64 data (PDF and other documents) becomes a document block.
  dialect_error file(ondemand::value v) {
    ondemand::object obj;
    if (v.get_object().get(obj)) {
      return fail(dialect_errc::wrong_type, "file must be an object", "messages");
    }
    std::string_view data;
    if (auto e = find_string_field(obj, "file_data", data)) {
      return e;
    }
    const auto marker = data.find(";base64,");
    if (!data.starts_with("data:") || marker == std::string_view::npos || marker <= 5) {
      return fail(dialect_errc::unsupported,
                  "file parts must carry file_data as a base64 data: URL (file_id is not supported)", "messages");
    }
    comma(t.blocks_);
    base64_block("document", data, marker);
    return {};
  }

  dialect_error user_content(ondemand::value v) {
    ondemand::json_type type;
    if (!type_of(v, type)) {
      return malformed();
    }
    if (type != ondemand::json_type::array) {
      return text_content(v, t.blocks_, "messages");
    }
    return for_each_object(
        v, [] { return malformed(); },
        [&] { return fail(dialect_errc::wrong_type, "each content part must be an object", "messages"); },
        [&](ondemand::object& part) -> dialect_error {
          std::string_view part_type;
          if (auto e = find_type(part, part_type)) {
            return e;
          }
          if (part_type == "input_audio") {
            return fail(dialect_errc::unsupported, "audio input is not supported by Anthropic models", "messages");
          }
          if (part_type != "text" && part_type != "image_url" && part_type != "file") {
            return fail(dialect_errc::unsupported, "unsupported content part type", "messages");
          }
          return for_each_field(part, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
            if (key != part_type) {
              return {};
            }
            if (part_type == "text") {
              const std::string_view raw = raw_string(fv);
              if (raw.empty()) {
                return fail(dialect_errc::wrong_type, "a text part's text must be a string", "messages");
              }
              text_block(t.blocks_, raw);
              return {};
            }
            return part_type == "image_url" ? image(fv) : file(fv);
          });
        });
  }

  // Writes one tool_use block from an OpenAI tool call's pieces.
  dialect_error tool_use(std::string_view id_raw, std::string_view name_raw, std::string_view arguments) {
    if (id_raw.empty() || name_raw.empty()) {
      return fail(dialect_errc::missing_field, "each tool call needs an id and a function name", "messages");
    }
    while (!arguments.empty() && (arguments.front() == ' ' || arguments.front() == '\n' ||
                                  arguments.front() == '\t' || arguments.front() == '\r')) {
      arguments.remove_prefix(1);
    }
    while (!arguments.empty() && (arguments.back() == ' ' || arguments.back() == '\n' ||
                                  arguments.back() == '\t' || arguments.back() == '\r')) {
      arguments.remove_suffix(1);
    }
    if (arguments.empty()) {
      arguments = "{}";
    } else if (!is_json_object(arguments)) {
      return fail(dialect_errc::invalid_value, "tool call arguments must be a JSON object", "messages");
    }
    comma(t.tool_uses_);
    t.tool_uses_ += R"({"type":"tool_use","id":)";
    t.tool_uses_ += id_raw;
    t.tool_uses_ += R"(,"name":)";
    t.tool_uses_ += name_raw;
    t.tool_uses_ += R"(,"input":)";
    t.tool_uses_ += arguments;
    t.tool_uses_ += '}';
    return {};
  }

  // {"name":…, "arguments":"…"}: the function of a tool call (or a legacy function_call).
  dialect_error function_of_call(ondemand::value v, std::string_view& name_raw, std::string_view& arguments) {
    return for_each_field(
        v, [&] { return fail(dialect_errc::wrong_type, "a tool call's function must be an object", "messages"); },
        [&](std::string_view key, ondemand::value& fv) -> dialect_error {
          if (key == "name") {
            name_raw = raw_string(fv);
          } else if (key == "arguments") {
            if (fv.get_string().get(arguments)) {
              return fail(dialect_errc::wrong_type, "a tool call's arguments must be a string", "messages");
            }
          }
          return {};
        });
  }

  dialect_error tool_calls(ondemand::value v) {
    if (is_null(v)) {
      return {};
    }
    return for_each_object(
        v, [&] { return fail(dialect_errc::wrong_type, "tool_calls must be an array", "messages"); },
        [&] { return fail(dialect_errc::wrong_type, "each tool call must be an object", "messages"); },
        [&](ondemand::object& call) -> dialect_error {
          std::string_view id_raw, name_raw, arguments;
          if (auto e = for_each_field(call, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
                if (key == "id") {
                  id_raw = raw_string(fv);
                } else if (key == "type") {
                  std::string_view type;
                  if (fv.get_string().get(type) || type != "function") {
                    return fail(dialect_errc::unsupported, "only function tool calls are supported", "messages");
                  }
                } else if (key == "function") {
                  return function_of_call(fv, name_raw, arguments);
                }
                return {};
              })) {
            return e;
          }
          return tool_use(id_raw, name_raw, arguments);
        });
  }

  dialect_error one_message(ondemand::value v) {
    ondemand::object obj;
    if (v.get_object().get(obj)) {
      return fail(dialect_errc::wrong_type, "each message must be an object", "messages");
    }
    std::string_view role;
    if (auto e = find_string_field(obj, "role", role)) {
      facts.error_param = "messages";
      return e;
    }
    if (role == "system" || role == "developer") {
      return for_each_field(obj, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
        return key == "content" ? text_content(fv, t.system_, "messages") : dialect_error{};
      });
    }
    if (role == "user") {
      if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
            return key == "content" ? user_content(fv) : dialect_error{};
          })) {
        return e;
      }
      push_message("user");
      return {};
    }
    if (role == "assistant") {
      t.tool_uses_.clear();
      auto assistant_field = [&](std::string_view key, ondemand::value& fv) -> dialect_error {
        if (key == "content") {
          return text_content(fv, t.blocks_, "messages");
        }
        if (key == "tool_calls") {
          return tool_calls(fv);
        }
        if (key == "function_call" && !is_null(fv)) {
          std::string_view name_raw, arguments;
          if (auto e = function_of_call(fv, name_raw, arguments)) {
            return e;
          }
          // Legacy calls have no id: the function name stands in, as legacy function results use it.
          return tool_use(name_raw, name_raw, arguments);
        }
        return {};
      };
      if (auto e = for_each_field(obj, assistant_field)) {
        return e;
      }
      if (!t.tool_uses_.empty()) {
        comma(t.blocks_);
        t.blocks_ += t.tool_uses_;
      }
      push_message("assistant");
      return {};
    }
    if (role == "tool" || role == "function") {
      // tool: {"tool_call_id", "content"}; legacy function: {"name", "content"}.
      std::string_view id;
      if (auto e = find_string_field(obj, role == "tool" ? "tool_call_id" : "name", id)) {
        facts.error_param = "messages";
        return e;
      }
      if (id.empty()) {
        return fail(dialect_errc::missing_field, "a tool message needs its tool_call_id", "messages");
      }
      comma(t.blocks_);
      t.blocks_ += R"({"type":"tool_result","tool_use_id":)";
      engine::append_json_string(t.blocks_, id);
      t.scratch_.clear();
      if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
            return key == "content" ? text_content(fv, t.scratch_, "messages") : dialect_error{};
          })) {
        return e;
      }
      if (!t.scratch_.empty()) {
        t.blocks_ += R"(,"content":[)";
        t.blocks_ += t.scratch_;
        t.blocks_ += ']';
      }
      t.blocks_ += '}';
      push_message("user");
      return {};
    }
    return fail(dialect_errc::invalid_value, "unknown message role (expected system, developer, user, assistant or tool)",
                "messages");
  }

  dialect_error messages(ondemand::value v) {
    if (auto e = for_each_item(
            v, [&] { return fail(dialect_errc::wrong_type, "messages must be an array", "messages"); },
            [&](ondemand::value& item) { return one_message(item); })) {
      return e;
    }
    if (!open_role.empty()) {
      t.messages_ += "]}";
    }
    return {};
  }

  // One tool definition: {"name", "description", "parameters"} (the function object).
  dialect_error function_definition(ondemand::value v) {
    std::string_view name_raw, description_raw, parameters;
    if (auto e = for_each_field(
            v, [&] { return fail(dialect_errc::wrong_type, "a tool's function must be an object", "tools"); },
            [&](std::string_view key, ondemand::value& fv) -> dialect_error {
              if (key == "name") {
                name_raw = raw_string(fv);
              } else if (key == "description") {
                description_raw = raw_string(fv);
              } else if (key == "parameters" && !is_null(fv)) {
                ondemand::object schema;
                if (fv.get_object().get(schema) || schema.raw_json().get(parameters)) {
                  return fail(dialect_errc::wrong_type, "a tool's parameters must be a JSON Schema object", "tools");
                }
              }
              return {};
            })) {
      return e;
    }
    if (name_raw.empty()) {
      return fail(dialect_errc::missing_field, "each tool needs a function name", "tools");
    }
    if (!parameters.empty() && !is_json_object(parameters)) {
      return fail(dialect_errc::malformed_json, "a tool's parameters are not valid JSON", "tools");
    }
    comma(t.tools_);
    t.tools_ += R"({"name":)";
    t.tools_ += name_raw;
    if (!description_raw.empty()) {
      t.tools_ += R"(,"description":)";
      t.tools_ += description_raw;
    }
    t.tools_ += R"(,"input_schema":)";
    t.tools_ += parameters.empty() ? std::string_view(R"({"type":"object","properties":{}})") : parameters;
    t.tools_ += '}';
    return {};
  }

  // tools: [{"type":"function","function":{…}}]; legacy functions: [{…}].
  dialect_error tools(ondemand::value v, bool legacy) {
    if (is_null(v)) {
      return {};
    }
    return for_each_item(
        v, [&] { return fail(dialect_errc::wrong_type, "tools must be an array", "tools"); },
        [&](ondemand::value& item) -> dialect_error {
          if (legacy) {
            return function_definition(item);
          }
          ondemand::object tool;
          if (item.get_object().get(tool)) {
            return fail(dialect_errc::wrong_type, "each tool must be an object", "tools");
          }
          std::string_view type;
          if (auto e = find_type(tool, type)) {
            facts.error_param = "tools";
            return e;
          }
          if (type != "function") {
            return fail(dialect_errc::unsupported, "only function tools are supported", "tools");
          }
          bool seen = false;
          if (auto e = for_each_field(tool, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
                if (key != "function") {
                  return {};
                }
                seen = true;
                return function_definition(fv);
              })) {
            return e;
          }
          if (!seen) {
            return fail(dialect_errc::missing_field, "each tool needs a function", "tools");
          }
          return {};
        });
  }

  // tool_choice: "none" | "auto" | "required" | {"type":"function","function":{"name":…}};
  // legacy function_call: "none" | "auto" | {"name":…}.
  dialect_error tool_choice(ondemand::value v, bool legacy) {
    const std::string_view param = legacy ? "function_call" : "tool_choice";
    ondemand::json_type type;
    if (!type_of(v, type)) {
      return malformed();
    }
    if (type == ondemand::json_type::null) {
      return {};
    }
    if (type == ondemand::json_type::string) {
      std::string_view s;
      if (v.get_string().get(s)) {
        return malformed();
      }
      if (s == "none" || s == "auto") {
        choice_type = s == "none" ? "none" : "auto";
      } else if (s == "required" && !legacy) {
        choice_type = "any";
      } else {
        return fail(dialect_errc::invalid_value, "tool_choice must be none, auto, required or a function", param);
      }
      return {};
    }
    if (auto e = for_each_field(
            v, [&] { return fail(dialect_errc::wrong_type, "tool_choice must be a string or an object", param); },
            [&](std::string_view key, ondemand::value& fv) -> dialect_error {
              if (legacy && key == "name") {
                choice_name = raw_string(fv);
              } else if (!legacy && key == "function") {
                return for_each_field(
                    fv, [&] { return fail(dialect_errc::wrong_type, "tool_choice.function must be an object", param); },
                    [&](std::string_view inner_key, ondemand::value& inner) -> dialect_error {
                      if (inner_key == "name") {
                        choice_name = raw_string(inner);
                      }
                      return {};
                    });
              } else if (!legacy && key == "type") {
                std::string_view s;
                if (fv.get_string().get(s) || s != "function") {
                  return fail(dialect_errc::unsupported, "only function tool choices are supported", param);
                }
              }
              return {};
            })) {
      return e;
    }
    if (choice_name.empty()) {
      return fail(dialect_errc::missing_field, "tool_choice names no function", param);
    }
    choice_type = "tool";
    return {};
  }

  dialect_error stop(ondemand::value v) {
    ondemand::json_type type;
    if (!type_of(v, type)) {
      return malformed();
    }
    if (type == ondemand::json_type::null) {
      return {};
    }
    if (type == ondemand::json_type::string) {
      comma(t.stop_);
      t.stop_ += raw_string(v);
      return {};
    }
    auto not_strings = [&] {
      return fail(dialect_errc::wrong_type, "stop must be a string or an array of strings", "stop");
    };
    return for_each_item(v, not_strings, [&](ondemand::value& item) -> dialect_error {
      const std::string_view raw = raw_string(item);
      if (raw.empty()) {
        return not_strings();
      }
      comma(t.stop_);
      t.stop_ += raw;
      return {};
    });
  }

  dialect_error number_field(ondemand::value v, std::string& out, std::string_view param, double max,
                             std::string_view too_big) {
    if (is_null(v)) {
      return {};
    }
    double d = 0;
    const std::string_view raw = raw_scalar(v);
    if (v.get_double().get(d)) {
      return fail(dialect_errc::wrong_type, "expected a number", param);
    }
    if (d < 0 || d > max) {
      return fail(dialect_errc::invalid_value, too_big, param);
    }
    out.assign(raw);
    return {};
  }

  dialect_error top(ondemand::object obj, const openai_request_options& options) {
    bool seen_messages = false;
    bool has_completion_tokens = false;
    if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
          if (key == "model") {
            model_raw = raw_string(v);
            std::string_view model;
            if (model_raw.empty() || v.get_string().get(model)) {
              return fail(dialect_errc::wrong_type, "model must be a string", "model");
            }
            facts.model.assign(model);
          } else if (key == "messages") {
            if (seen_messages) {
              return fail(dialect_errc::duplicate_field, "messages is given twice", "messages");
            }
            seen_messages = true;
            return messages(v);
          } else if (key == "max_tokens" || key == "max_completion_tokens") {
            const bool completion = key == "max_completion_tokens";
            if (is_null(v)) {
              return {};
            }
            std::uint64_t n = 0;
            if (v.get_uint64().get(n) || n == 0) {
              return fail(dialect_errc::wrong_type, "max_tokens must be a positive integer",
                          completion ? "max_completion_tokens" : "max_tokens");
            }
            // max_completion_tokens is the newer name and wins when both are given.
            if (completion || !has_completion_tokens) {
              max_tokens = n;
              has_max_tokens = true;
            }
            has_completion_tokens = has_completion_tokens || completion;
          } else if (key == "temperature") {
            return number_field(v, t.temperature_, "temperature", 1.0,
                                "temperature must be between 0 and 1 for Anthropic models");
          } else if (key == "top_p") {
            return number_field(v, t.top_p_, "top_p", 1.0, "top_p must be between 0 and 1");
          } else if (key == "stop") {
            return stop(v);
          } else if (key == "stream") {
            if (!is_null(v) && v.get_bool().get(stream)) {
              return fail(dialect_errc::wrong_type, "stream must be true or false", "stream");
            }
          } else if (key == "stream_options") {
            return stream_options(v);
          } else if (key == "n") {
            std::uint64_t n = 1;
            if (!is_null(v) && (v.get_uint64().get(n) || n == 0)) {
              return fail(dialect_errc::wrong_type, "n must be a positive integer", "n");
            }
            if (n > 1) {
              return fail(dialect_errc::unsupported, "n > 1 is not supported: Anthropic models return one choice",
                          "n");
            }
          } else if (key == "tools" || key == "functions") {
            return tools(v, key == "functions");
          } else if (key == "tool_choice" || key == "function_call") {
            return tool_choice(v, key == "function_call");
          } else if (key == "parallel_tool_calls") {
            bool parallel = true;
            if (!is_null(v) && v.get_bool().get(parallel)) {
              return fail(dialect_errc::wrong_type, "parallel_tool_calls must be true or false",
                          "parallel_tool_calls");
            }
            disable_parallel = !parallel;
          } else if (key == "user") {
            const std::string_view raw = raw_string(v);
            if (!raw.empty()) {
              t.user_.assign(raw);
            }
          } else if (key == "response_format") {
            return response_format(v);
          } else if (key == "logprobs") {
            bool want = false;
            if (!is_null(v) && !v.get_bool().get(want) && want) {
              return fail(dialect_errc::unsupported, "logprobs are not supported by Anthropic models", "logprobs");
            }
          } else if (key == "top_logprobs") {
            std::uint64_t n = 0;
            if (!is_null(v) && !v.get_uint64().get(n) && n > 0) {
              return fail(dialect_errc::unsupported, "logprobs are not supported by Anthropic models",
                          "top_logprobs");
            }
          } else if (key == "audio") {
            if (!is_null(v)) {
              return fail(dialect_errc::unsupported, "audio output is not supported by Anthropic models", "audio");
            }
          } else if (key == "modalities") {
            return modalities(v);
          }
          // Everything else (seed, presence_penalty, frequency_penalty, logit_bias, store, metadata,
          // service_tier, reasoning_effort, prediction…) has no Anthropic counterpart and is dropped.
          return {};
        })) {
      return e;
    }
    if (model_raw.empty()) {
      return fail(dialect_errc::missing_field, "model: field required", "model");
    }
    if (!seen_messages) {
      return fail(dialect_errc::missing_field, "messages: field required", "messages");
    }
    if (!has_max_tokens) {
      if (options.default_max_tokens == 0) {
        return fail(dialect_errc::invalid_value,
                    "max_tokens is required: Anthropic's Messages API needs it and this gateway has no "
                    "default_max_tokens configured",
                    "max_tokens");
      }
      max_tokens = options.default_max_tokens;
    }
    return {};
  }

  dialect_error stream_options(ondemand::value v) {
    if (is_null(v)) {
      return {};
    }
    return for_each_field(
        v, [&] { return fail(dialect_errc::wrong_type, "stream_options must be an object", "stream_options"); },
        [&](std::string_view key, ondemand::value& fv) -> dialect_error {
          if (key == "include_usage" && !is_null(fv) && fv.get_bool().get(facts.include_usage)) {
            return fail(dialect_errc::wrong_type, "include_usage must be true or false", "stream_options");
          }
          return {};
        });
  }

  dialect_error response_format(ondemand::value v) {
    if (is_null(v)) {
      return {};
    }
    ondemand::object obj;
    std::string_view type;
    if (v.get_object().get(obj) || find_type(obj, type)) {
      return fail(dialect_errc::wrong_type, "response_format must be an object with a type", "response_format");
    }
    if (type != "text") {
      return fail(dialect_errc::unsupported,
                  "response_format json_object and json_schema are not supported: describe the format in "
                  "the prompt or use a tool",
                  "response_format");
    }
    return {};
  }

  dialect_error modalities(ondemand::value v) {
    if (is_null(v)) {
      return {};
    }
    ondemand::array arr;
    if (v.get_array().get(arr)) {
      return fail(dialect_errc::wrong_type, "modalities must be an array", "modalities");
    }
    for (auto element : arr) {
      std::string_view m;
      if (element.get_string().get(m)) {
        return fail(dialect_errc::wrong_type, "modalities must be an array of strings", "modalities");
      }
      if (m != "text") {
        return fail(dialect_errc::unsupported, "only text output is supported by Anthropic models", "modalities");
      }
    }
    return {};
  }

  void write(std::string& out) {
    out += R"({"model":)";
    out += model_raw;
    out += R"(,"max_tokens":)";
    append_number(out, max_tokens);
    if (!t.system_.empty()) {
      out += R"(,"system":[)";
      out += t.system_;
      out += ']';
    }
    out += R"(,"messages":[)";
    out += t.messages_;
    out += ']';
    if (!t.tools_.empty()) {
      out += R"(,"tools":[)";
      out += t.tools_;
      out += ']';
    }
    if (choice_type.empty() && disable_parallel && !t.tools_.empty()) {
      choice_type = "auto";
    }
    if (!choice_type.empty()) {
      out += R"(,"tool_choice":{"type":")";
      out += choice_type;
      out += '"';
      if (choice_type == "tool") {
        out += R"(,"name":)";
        out += choice_name;
      }
      if (disable_parallel && choice_type != "none") {
        out += R"(,"disable_parallel_tool_use":true)";
      }
      out += '}';
    }
    if (!t.stop_.empty()) {
      out += R"(,"stop_sequences":[)";
      out += t.stop_;
      out += ']';
    }
    if (!t.temperature_.empty()) {
      out += R"(,"temperature":)";
      out += t.temperature_;
    }
    if (!t.top_p_.empty()) {
      out += R"(,"top_p":)";
      out += t.top_p_;
    }
    if (stream) {
      out += R"(,"stream":true)";
    }
    if (!t.user_.empty()) {
      out += R"(,"metadata":{"user_id":)";
      out += t.user_;
      out += '}';
    }
    out += '}';
  }
};

dialect_error openai_request_translator::translate(ondemand::parser& parser, std::string_view body,
                                                   const openai_request_options& options, std::string& out,
                                                   openai_request_facts& facts) noexcept {
  out.clear();
  facts.model.clear();
  facts.stream = false;
  facts.include_usage = false;
  facts.max_tokens = 0;
  facts.error_param = {};
  for (std::string* s : {&system_, &messages_, &blocks_, &tool_uses_, &tools_, &tool_choice_, &stop_,
                         &temperature_, &top_p_, &user_, &scratch_}) {
    s->clear();
  }
  json_string_table unused;  // the walker's string table is not used on this path
  openai_request_walker walker(body, unused, *this, facts);
  if (auto e = walk_document(parser, body, [&](ondemand::object& obj) { return walker.top(obj, options); })) {
    return e;
  }
  facts.stream = walker.stream;
  facts.max_tokens = walker.max_tokens;
  facts.include_usage = facts.include_usage && walker.stream;
  walker.write(out);
  return {};
}

}  // namespace sluice::gateway
