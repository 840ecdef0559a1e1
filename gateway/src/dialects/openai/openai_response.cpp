// Anthropic responses -> OpenAI chat completions. Text is carried as raw JSON string content (the bytes
// between the quotes): concatenating the insides of JSON strings gives a valid JSON string, so text is
// never unescaped and escaped again.
#include "dialects/openai/openai_response.h"

#include "wire/decimal_text.h"
#include "wire/json_walk.h"
#include "sluice/engine/json_escape.h"
#include "dialects/api_errors.h"

namespace sluice::gateway {

using namespace simdjson;

namespace {

int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
    return (c | 0x20) - 'a' + 10;
  }
  return -1;
}

// The code unit of the \uXXXX escape at inside[i] (i at the backslash), or -1.
long unicode_escape(std::string_view inside, std::size_t i) noexcept {
  if (i + 6 > inside.size() || inside[i] != '\\' || inside[i + 1] != 'u') {
    return -1;
  }
  long unit = 0;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    const int d = hex_digit(inside[k]);
    if (d < 0) {
      return -1;
    }
    unit = unit * 16 + d;
  }
  return unit;
}

// True when the inside of a string token holds only escapes JSON allows (surrogates paired), as a JSON
// parser reading what we write will check. simdjson's on-demand walk does not look inside strings it
// is not asked to unescape, and the translators pass text through as raw tokens, so without this check
// an upstream string with a bad escape would reach the client as invalid JSON (found by dialects_fuzz).
bool escapes_valid(std::string_view inside) noexcept {
  for (std::size_t i = inside.find('\\'); i < inside.size(); i = inside.find('\\', i)) {
    if (i + 1 >= inside.size()) {
      return false;
    }
    const char c = inside[i + 1];
    if (c != 'u') {
      if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' && c != 'n' && c != 'r' && c != 't') {
        return false;
      }
      i += 2;
      continue;
    }
    const long unit = unicode_escape(inside, i);
    if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) {
      return false;
    }
    i += 6;
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const long low = unicode_escape(inside, i);
      if (low < 0xDC00 || low > 0xDFFF) {
        return false;
      }
      i += 6;
    }
  }
  return true;
}

// The inside of a string token (between the quotes); `ok` false when `v` is not a string or holds an
// escape JSON does not allow.
std::string_view string_inside(ondemand::value& v, bool& ok) noexcept {
  std::string_view token = v.raw_json_token();
  ok = !token.empty() && token.front() == '"';
  if (!ok) {
    return {};
  }
  while (token.size() > 1 && token.back() != '"') {
    token.remove_suffix(1);
  }
  if (token.size() < 2 || !escapes_valid(token.substr(1, token.size() - 2))) {
    ok = false;
    return {};
  }
  return token.substr(1, token.size() - 2);
}

// Reads Anthropic's usage object into `usage` (fields absent or null are left alone).
dialect_error read_usage(ondemand::value v, openai_usage& usage) noexcept {
  return for_each_field(
      v, [] { return make_error(dialect_errc::wrong_type, "usage must be an object"); },
      [&](std::string_view key, ondemand::value& fv) -> dialect_error {
        std::uint64_t* target = nullptr;
        if (key == "input_tokens") {
          target = &usage.input_tokens;
        } else if (key == "output_tokens") {
          target = &usage.output_tokens;
        } else if (key == "cache_creation_input_tokens") {
          target = &usage.cache_creation_tokens;
        } else if (key == "cache_read_input_tokens") {
          target = &usage.cache_read_tokens;
        }
        if (target == nullptr) {
          return {};
        }
        ondemand::json_type t;
        if (fv.type().get(t)) {
          return malformed();
        }
        if (t == ondemand::json_type::null) {
          return {};
        }
        if (fv.get_uint64().get(*target)) {
          return make_error(dialect_errc::wrong_type, "token counts must be integers");
        }
        return {};
      });
}

}  // namespace

std::string_view openai_finish_reason(std::string_view stop_reason) noexcept {
  if (stop_reason == "max_tokens") {
    return "length";
  }
  if (stop_reason == "tool_use") {
    return "tool_calls";
  }
  if (stop_reason == "refusal") {
    return "content_filter";
  }
  return "stop";  // end_turn, stop_sequence, pause_turn, and anything new
}

void append_openai_usage(const openai_usage& usage, std::string& out) {
  out += R"({"prompt_tokens":)";
  append_number(out, usage.prompt_tokens());
  out += R"(,"completion_tokens":)";
  append_number(out, usage.output_tokens);
  out += R"(,"total_tokens":)";
  append_number(out, usage.total_tokens());
  out += R"(,"prompt_tokens_details":{"cached_tokens":)";
  append_number(out, usage.cache_read_tokens);
  out += "}}";
}

struct openai_response_walker : json_walker {
  openai_response_translator& t;
  int tool_count = 0;

  openai_response_walker(std::string_view b, json_string_table& s, openai_response_translator& tr)
      : json_walker{b, s}, t(tr) {}

  dialect_error block(ondemand::object obj) {
    std::string_view type;
    if (auto e = find_type(obj, type)) {
      return e;
    }
    if (type == "text") {
      return for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
        if (key == "text") {
          bool ok = false;
          const std::string_view inside = string_inside(v, ok);
          if (!ok) {
            return make_error(dialect_errc::wrong_type, "a text block's text must be a string");
          }
          t.content_ += inside;
        }
        return {};
      });
    }
    if (type != "tool_use") {
      return {};  // thinking, redacted_thinking, server tool blocks: no chat-completions counterpart
    }
    std::string_view id_token, name_token, input;
    if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
          bool ok = true;
          if (key == "id") {
            id_token = string_inside(v, ok);
          } else if (key == "name") {
            name_token = string_inside(v, ok);
          } else if (key == "input") {
            ondemand::object in;
            ok = !v.get_object().get(in) && !in.raw_json().get(input);
          }
          return ok ? dialect_error{} : make_error(dialect_errc::wrong_type, "malformed tool_use block");
        })) {
      return e;
    }
    if (!t.tool_calls_.empty()) {
      t.tool_calls_ += ',';
    }
    t.tool_calls_ += R"({"id":")";
    t.tool_calls_ += id_token;
    t.tool_calls_ += R"(","type":"function","function":{"name":")";
    t.tool_calls_ += name_token;
    t.tool_calls_ += R"(","arguments":)";
    engine::append_json_string(t.tool_calls_, input.empty() ? std::string_view("{}") : input);
    t.tool_calls_ += "}}";
    ++tool_count;
    return {};
  }

  dialect_error top(ondemand::object obj) {
    return for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
      bool ok = true;
      if (key == "id") {
        t.id_.assign(string_inside(v, ok));
      } else if (key == "model") {
        t.model_.assign(string_inside(v, ok));
      } else if (key == "stop_reason") {
        std::string_view reason;
        ondemand::json_type type;
        if (v.type().get(type)) {
          return malformed();
        }
        if (type == ondemand::json_type::string && !v.get_string().get(reason)) {
          t.finish_reason_.assign(openai_finish_reason(reason));
        }
      } else if (key == "usage") {
        return read_usage(v, t.usage_);
      } else if (key == "content") {
        return for_each_object(
            v, [] { return make_error(dialect_errc::wrong_type, "content must be an array"); },
            [] { return make_error(dialect_errc::wrong_type, "content blocks must be objects"); },
            [&](ondemand::object& block_obj) { return block(block_obj); });
      }
      return ok ? dialect_error{} : make_error(dialect_errc::wrong_type, "id and model must be strings");
    });
  }
};

dialect_error openai_response_translator::translate(ondemand::parser& parser, std::string_view body,
                                                    const openai_response_context& context,
                                                    std::string& out) noexcept {
  out.clear();
  content_.clear();
  tool_calls_.clear();
  id_.clear();
  model_.clear();
  finish_reason_ = "stop";
  usage_ = {};
  json_string_table unused;
  openai_response_walker walker(body, unused, *this);
  if (auto e = walk_document(parser, body, [&](ondemand::object& obj) { return walker.top(obj); })) {
    return e;
  }
  out += R"({"id":")";
  out += id_.empty() ? std::string_view("chatcmpl-sluice") : std::string_view(id_);
  out += R"(","object":"chat.completion","created":)";
  append_signed(out, context.created);
  out += R"(,"model":)";
  if (model_.empty()) {
    engine::append_json_string(out, context.model);
  } else {
    out += '"';
    out += model_;  // raw string content: already escaped
    out += '"';
  }
  out += R"(,"choices":[{"index":0,"message":{"role":"assistant","content":)";
  if (content_.empty() && !tool_calls_.empty()) {
    out += "null";
  } else {
    out += '"';
    out += content_;
    out += '"';
  }
  out += R"(,"refusal":null)";
  if (!tool_calls_.empty()) {
    out += R"(,"tool_calls":[)";
    out += tool_calls_;
    out += ']';
  }
  out += R"(},"logprobs":null,"finish_reason":")";
  out += finish_reason_;
  out += R"("}],"usage":)";
  append_openai_usage(usage_, out);
  out += '}';
  return {};
}

// ---- streaming ----

void openai_stream_translator::start(std::string_view model, std::int64_t created, bool include_usage) {
  id_ = "chatcmpl-sluice";
  model_.clear();
  engine::append_json_string(model_, model);  // kept as a JSON string literal
  created_ = created;
  include_usage_ = include_usage;
  started_ = false;
  finished_ = false;
  tool_index_.clear();
  next_tool_ = 0;
  finish_reason_.clear();
  usage_ = {};
}

void openai_stream_translator::chunk_begin(std::string& out) const {
  out += R"(data: {"id":")";
  out += id_;
  out += R"(","object":"chat.completion.chunk","created":)";
  append_signed(out, created_);
  out += R"(,"model":)";
  out += model_;
  out += R"(,"choices":[{"index":0,"delta":)";
}

void openai_stream_translator::chunk_end(std::string& out, std::string_view finish_reason) const {
  out += R"(,"logprobs":null,"finish_reason":)";
  if (finish_reason.empty()) {
    out += "null";
  } else {
    out += '"';
    out += finish_reason;
    out += '"';
  }
  out += '}';
  out += ']';
  if (include_usage_) {
    out += R"(,"usage":null)";
  }
  out += "}\n\n";
}

void openai_stream_translator::ensure_started(std::string& out) {
  if (started_) {
    return;
  }
  started_ = true;
  chunk_begin(out);
  out += R"({"role":"assistant","content":"","refusal":null})";
  chunk_end(out, {});
}

struct openai_stream_walker {
  openai_stream_translator& t;
  std::string& out;

  dialect_error message_start(ondemand::value v) {
    return for_each_field(
        v, [] { return make_error(dialect_errc::wrong_type, "message_start without a message"); },
        [&](std::string_view key, ondemand::value& fv) -> dialect_error {
          bool ok = true;
          if (key == "id") {
            const std::string_view id = string_inside(fv, ok);
            if (ok && !id.empty()) {
              t.id_.assign(id);
            }
          } else if (key == "model") {
            const std::string_view model = string_inside(fv, ok);
            if (ok && !model.empty()) {
              t.model_.assign("\"").append(model).append("\"");
            }
          } else if (key == "usage") {
            return read_usage(fv, t.usage_);
          }
          return ok ? dialect_error{} : make_error(dialect_errc::wrong_type, "id and model must be strings");
        });
  }

  int tool_of(std::uint64_t index) const {
    return index < t.tool_index_.size() ? t.tool_index_[index] : -1;
  }

  dialect_error block_start(std::uint64_t index, ondemand::value v) {
    ondemand::object block;
    if (v.get_object().get(block)) {
      return make_error(dialect_errc::wrong_type, "content_block must be an object");
    }
    std::string_view type;
    json_string_table unused;
    json_walker walker{{}, unused};
    if (auto e = walker.find_type(block, type)) {
      return e;
    }
    if (index > 4096) {
      return make_error(dialect_errc::invalid_value, "content block index out of range");
    }
    if (t.tool_index_.size() <= index) {
      t.tool_index_.resize(index + 1, -1);
    }
    if (type == "text") {
      return for_each_field(block, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
        bool ok = true;
        if (key == "text") {
          const std::string_view text = string_inside(fv, ok);
          if (ok && !text.empty()) {
            text_delta(text);
          }
        }
        return ok ? dialect_error{} : make_error(dialect_errc::wrong_type, "text must be a string");
      });
    }
    if (type != "tool_use") {
      return {};
    }
    std::string_view id, name;
    if (auto e = for_each_field(block, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
          bool ok = true;
          if (key == "id") {
            id = string_inside(fv, ok);
          } else if (key == "name") {
            name = string_inside(fv, ok);
          }
          return ok ? dialect_error{} : make_error(dialect_errc::wrong_type, "id and name must be strings");
        })) {
      return e;
    }
    const int tool = t.next_tool_++;
    t.tool_index_[index] = tool;
    t.chunk_begin(out);
    out += R"({"tool_calls":[{"index":)";
    append_number(out, static_cast<std::uint64_t>(tool));
    out += R"(,"id":")";
    out += id;
    out += R"(","type":"function","function":{"name":")";
    out += name;
    out += R"(","arguments":""}}]})";
    t.chunk_end(out, {});
    return {};
  }

  void text_delta(std::string_view inside) {
    t.chunk_begin(out);
    out += R"({"content":")";
    out += inside;
    out += R"("})";
    t.chunk_end(out, {});
  }

  dialect_error block_delta(std::uint64_t index, ondemand::value v) {
    ondemand::object delta;
    if (v.get_object().get(delta)) {
      return make_error(dialect_errc::wrong_type, "delta must be an object");
    }
    std::string_view type;
    json_string_table unused;
    json_walker walker{{}, unused};
    if (auto e = walker.find_type(delta, type)) {
      return e;
    }
    const std::string_view wanted = type == "text_delta"         ? "text"
                                    : type == "input_json_delta" ? "partial_json"
                                                                 : "";
    if (wanted.empty()) {
      return {};  // thinking_delta, signature_delta, citations_delta: not part of chat completions
    }
    return for_each_field(delta, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
      if (key != wanted) {
        return {};
      }
      bool ok = false;
      const std::string_view inside = string_inside(fv, ok);
      if (!ok) {
        return make_error(dialect_errc::wrong_type, "delta text must be a string");
      }
      if (inside.empty()) {
        return {};
      }
      if (type == "text_delta") {
        text_delta(inside);
        return {};
      }
      const int tool = tool_of(index);
      if (tool < 0) {
        return {};  // arguments for a block that did not start as tool_use: nothing to attach them to
      }
      t.chunk_begin(out);
      out += R"({"tool_calls":[{"index":)";
      append_number(out, static_cast<std::uint64_t>(tool));
      out += R"(,"function":{"arguments":")";
      out += inside;
      out += R"("}}]})";
      t.chunk_end(out, {});
      return {};
    });
  }

  dialect_error message_delta(ondemand::object& obj) {
    return for_each_field(obj, [&](std::string_view key, ondemand::value& fv) -> dialect_error {
      if (key == "usage") {
        return read_usage(fv, t.usage_);
      }
      if (key == "delta") {
        return for_each_field(
            fv, [] { return make_error(dialect_errc::wrong_type, "delta must be an object"); },
            [&](std::string_view dkey, ondemand::value& dv) -> dialect_error {
              std::string_view reason;
              ondemand::json_type type;
              if (dkey == "stop_reason" && !dv.type().get(type) && type == ondemand::json_type::string &&
                  !dv.get_string().get(reason)) {
                t.finish_reason_.assign(openai_finish_reason(reason));
              }
              return {};
            });
      }
      return {};
    });
  }

  void finish() {
    if (t.include_usage_) {
      out += R"(data: {"id":")";
      out += t.id_;
      out += R"(","object":"chat.completion.chunk","created":)";
      append_signed(out, t.created_);
      out += R"(,"model":)";
      out += t.model_;
      out += R"(,"choices":[],"usage":)";
      append_openai_usage(t.usage_, out);
      out += "}\n\n";
    }
    out += "data: [DONE]\n\n";
    t.finished_ = true;
  }
};

dialect_error openai_stream_translator::on_event(ondemand::parser& parser, std::string_view data,
                                                 std::string& out) noexcept {
  if (finished_) {
    return {};
  }
  data_.reserve(data.size() + SIMDJSON_PADDING);
  data_.assign(data);
  const std::string_view body(data_.data(), data.size());
  ondemand::document doc;
  ondemand::object obj;
  if (auto e = begin_document(parser, body, doc, obj)) {
    return e;
  }
  std::string_view type;
  json_string_table unused;
  json_walker finder{body, unused};
  if (auto e = finder.find_type(obj, type)) {
    return e;
  }
  openai_stream_walker walker{*this, out};
  if (type == "message_start") {
    if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
          return key == "message" ? walker.message_start(v) : dialect_error{};
        })) {
      return e;
    }
    ensure_started(out);
    return {};
  }
  if (type == "content_block_start" || type == "content_block_delta") {
    // index and the block/delta may come in either order: read index first.
    std::uint64_t index = 0;
    bool has_index = false;
    if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
          if (key == "index") {
            has_index = !v.get_uint64().get(index);
          }
          return {};
        })) {
      return e;
    }
    bool rewound = false;
    if (!has_index || obj.reset().get(rewound)) {
      return make_error(dialect_errc::wrong_type, "content block event without an index");
    }
    ensure_started(out);
    const std::string_view wanted = type == "content_block_start" ? "content_block" : "delta";
    return for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
      if (key != wanted) {
        return {};
      }
      return type == "content_block_start" ? walker.block_start(index, v) : walker.block_delta(index, v);
    });
  }
  if (type == "message_delta") {
    if (auto e = walker.message_delta(obj)) {
      return e;
    }
    ensure_started(out);
    chunk_begin(out);
    out += "{}";
    chunk_end(out, finish_reason_.empty() ? std::string_view("stop") : std::string_view(finish_reason_));
    return {};
  }
  if (type == "message_stop") {
    ensure_started(out);
    walker.finish();
    return {};
  }
  if (type == "error") {
    std::string_view error_type, message;
    if (auto e = for_each_field(obj, [&](std::string_view key, ondemand::value& v) -> dialect_error {
          if (key != "error") {
            return {};
          }
          return for_each_field(
              v, [] { return dialect_error{}; },  // an error that is no object: the generic message
              [&](std::string_view ekey, ondemand::value& ev) -> dialect_error {
                if (ekey == "type" && ev.get_string().get(error_type)) {
                  error_type = {};
                } else if (ekey == "message" && ev.get_string().get(message)) {
                  message = {};
                }
                return {};
              });
        })) {
      return e;
    }
    api_error error(error_kind_for_anthropic_type(error_type, 500),
                    message.empty() ? std::string_view("the upstream stream failed") : message);
    append_stream_error_event(api_dialect::openai, error, out);
    finished_ = true;
    return {};
  }
  return {};  // ping, content_block_stop, and event types added later
}

}  // namespace sluice::gateway
