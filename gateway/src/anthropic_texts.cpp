// Walks Messages JSON with simdjson On-Demand. Any content block's "text" string is scanned (whatever
// its type), and a block's "content" (tool_result) is scanned as a string or as a list of blocks, so a
// new block type carrying text cannot slip past the policies.
#include "anthropic_texts.h"

#include <algorithm>

#include "sluice/engine/json_escape.h"

namespace sluice::gateway {
namespace {

using namespace simdjson;

struct walker {
  std::string_view body;
  exchange& ex;
  std::string& error;

  bool fail(simdjson::error_code e, const char* where) {
    error = std::string("malformed request body (") + where + "): " + simdjson::error_message(e);
    return false;
  }

  // Records the string `v` (a JSON string) as a text of `origin`.
  bool add_text(ondemand::value v, text_origin origin) {
    std::string_view raw = v.raw_json_token();
    std::string_view text;
    if (auto e = v.get_string().get(text); e) {
      return fail(e, "string");
    }
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
      raw.remove_suffix(1);
    }
    scanned_text t;
    t.raw_begin = static_cast<std::uint32_t>(raw.data() - body.data());
    t.raw_end = t.raw_begin + static_cast<std::uint32_t>(raw.size());
    t.text = text;
    t.origin = origin;
    ex.texts.push_back(t);
    return true;
  }

  // A "content" value: a string, or a list of blocks.
  bool add_content(ondemand::value v, text_origin origin, int depth) {
    ondemand::json_type type;
    if (auto e = v.type().get(type); e) {
      return fail(e, "content");
    }
    if (type == ondemand::json_type::string) {
      return add_text(v, origin);
    }
    if (type != ondemand::json_type::array) {
      return true;  // other shapes are the API's business to reject
    }
    ondemand::array blocks;
    if (auto e = v.get_array().get(blocks); e) {
      return fail(e, "content");
    }
    for (auto block : blocks) {
      ondemand::value bv;
      if (auto e = block.get(bv); e) {
        return fail(e, "content block");
      }
      if (!add_block(bv, origin, depth)) {
        return false;
      }
    }
    return true;
  }

  bool add_block(ondemand::value bv, text_origin origin, int depth) {
    ondemand::json_type type;
    if (auto e = bv.type().get(type); e) {
      return fail(e, "content block");
    }
    if (type == ondemand::json_type::string) {
      return add_text(bv, origin);
    }
    if (type != ondemand::json_type::object) {
      return true;
    }
    ondemand::object obj;
    if (auto e = bv.get_object().get(obj); e) {
      return fail(e, "content block");
    }
    for (auto field : obj) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) {
        return fail(e, "content block key");
      }
      ondemand::value fv;
      if (auto e = field.value().get(fv); e) {
        return fail(e, "content block value");
      }
      if (key == "text" || key == "thinking") {
        ondemand::json_type t;
        if (fv.type().get(t) == SUCCESS && t == ondemand::json_type::string && !add_text(fv, origin)) {
          return false;
        }
      } else if (key == "content" && depth < 4) {
        if (!add_content(fv, text_origin::tool_result, depth + 1)) {
          return false;
        }
      }
    }
    return true;
  }
};

}  // namespace

bool extract_request_texts(ondemand::parser& parser, std::string_view body, exchange& ex, request_facts& facts,
                           std::string& error) noexcept {
  try {
    walker w{body, ex, error};
    ondemand::document doc;
    if (auto e = parser.iterate(padded_string_view(body.data(), body.size(), body.size() + SIMDJSON_PADDING)).get(doc);
        e) {
      return w.fail(e, "document");
    }
    ondemand::object root;
    if (auto e = doc.get_object().get(root); e) {
      error = "the request body must be a JSON object";
      return false;
    }
    bool saw_messages = false;
    for (auto field : root) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) {
        return w.fail(e, "key");
      }
      ondemand::value v;
      if (auto e = field.value().get(v); e) {
        return w.fail(e, "value");
      }
      if (key == "model") {
        std::string_view raw = v.raw_json_token();
        std::string_view model;
        if (v.get_string().get(model) != SUCCESS) {
          error = "model: expected a string";
          return false;
        }
        while (!raw.empty() && raw.back() != '"') {
          raw.remove_suffix(1);
        }
        facts.model_raw_begin = static_cast<std::uint32_t>(raw.data() - body.data());
        facts.model_raw_end = facts.model_raw_begin + static_cast<std::uint32_t>(raw.size());
        ex.model.assign(model);
      } else if (key == "stream") {
        if (v.get_bool().get(facts.stream) != SUCCESS) {
          error = "stream: expected true or false";
          return false;
        }
      } else if (key == "max_tokens") {
        facts.has_max_tokens = true;
        if (v.get_uint64().get(facts.max_tokens) != SUCCESS) {
          error = "max_tokens: expected a positive integer";
          return false;
        }
      } else if (key == "system") {
        if (!w.add_content(v, text_origin::system, 0)) {
          return false;
        }
      } else if (key == "messages") {
        saw_messages = true;
        ondemand::array messages;
        if (v.get_array().get(messages) != SUCCESS) {
          error = "messages: expected an array";
          return false;
        }
        for (auto m : messages) {
          ondemand::object msg;
          if (m.get_object().get(msg) != SUCCESS) {
            error = "messages: every message must be an object";
            return false;
          }
          const std::size_t first = ex.texts.size();
          text_origin role = text_origin::user;
          for (auto mf : msg) {
            std::string_view mkey;
            if (auto e = mf.unescaped_key().get(mkey); e) {
              return w.fail(e, "message key");
            }
            ondemand::value mv;
            if (auto e = mf.value().get(mv); e) {
              return w.fail(e, "message value");
            }
            if (mkey == "role") {
              std::string_view r;
              if (mv.get_string().get(r) == SUCCESS && r == "assistant") {
                role = text_origin::assistant;
              }
            } else if (mkey == "content") {
              if (!w.add_content(mv, text_origin::user, 0)) {
                return false;
              }
            }
          }
          for (std::size_t i = first; i < ex.texts.size(); ++i) {
            if (ex.texts[i].origin == text_origin::user) {
              ex.texts[i].origin = role;
            }
          }
        }
      }
    }
    if (!saw_messages) {
      error = "messages: field required";
      return false;
    }
    return true;
  } catch (...) {
    error = "out of memory reading the request";
    return false;
  }
}

bool extract_response_texts(ondemand::parser& parser, std::string_view body, exchange& ex, response_facts& facts,
                            std::string& error) noexcept {
  try {
    walker w{body, ex, error};
    ondemand::document doc;
    if (auto e = parser.iterate(padded_string_view(body.data(), body.size(), body.size() + SIMDJSON_PADDING)).get(doc);
        e) {
      return w.fail(e, "document");
    }
    ondemand::object root;
    if (doc.get_object().get(root) != SUCCESS) {
      error = "upstream response is not a JSON object";
      return false;
    }
    for (auto field : root) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key); e) {
        return w.fail(e, "key");
      }
      ondemand::value v;
      if (auto e = field.value().get(v); e) {
        return w.fail(e, "value");
      }
      if (key == "content") {
        if (!w.add_content(v, text_origin::response, 0)) {
          return false;
        }
      } else if (key == "usage") {
        ondemand::object usage;
        if (v.get_object().get(usage) != SUCCESS) {
          continue;
        }
        for (auto uf : usage) {
          std::string_view ukey;
          if (uf.unescaped_key().get(ukey) != SUCCESS) {
            break;
          }
          std::uint64_t n = 0;
          if (ukey == "input_tokens" && uf.value().get_uint64().get(n) == SUCCESS) {
            facts.input_tokens = n;
          } else if (ukey == "output_tokens" && uf.value().get_uint64().get(n) == SUCCESS) {
            facts.output_tokens = n;
          }
        }
      }
    }
    return true;
  } catch (...) {
    error = "out of memory reading the response";
    return false;
  }
}

void rewrite_texts(std::string_view body, exchange& ex, engine::redactor& redactor, std::string_view append,
                   std::string& out, std::string* joined_text) {
  thread_local std::vector<engine::finding> selected;
  thread_local std::string plain;
  out.clear();
  std::size_t copied = 0;
  const std::uint32_t begin = ex.phase_begin();
  std::uint32_t last_text = begin;
  bool has_text = false;
  for (std::uint32_t i = begin; i < ex.texts.size(); ++i) {
    if (ex.texts[i].origin != text_origin::system || ex.phase == exchange_phase::request) {
      last_text = i;
      has_text = true;
    }
  }
  for (std::uint32_t i = begin; i < ex.texts.size(); ++i) {
    const scanned_text& t = ex.texts[i];
    const bool add = has_text && i == last_text && !append.empty();
    if (!t.redact && !add && joined_text == nullptr) {
      continue;
    }
    plain.clear();
    if (t.redact) {
      selected.clear();
      for (std::uint32_t f = t.entities_begin; f < t.entities_end; ++f) {
        if (ex.entities[f].redact) {
          selected.push_back(ex.entities[f].where);
        }
      }
      redactor.redact(t.text, selected, *ex.rules, plain);
    } else {
      plain.assign(t.text);
    }
    if (add) {
      plain += append;
    }
    if (joined_text != nullptr) {
      if (!joined_text->empty()) {
        *joined_text += '\n';
      }
      *joined_text += plain;
    }
    if (!t.redact && !add) {
      continue;
    }
    out.append(body.substr(copied, t.raw_begin - copied));
    engine::append_json_string(out, plain);
    copied = t.raw_end;
  }
  out.append(body.substr(copied));
}

}  // namespace sluice::gateway
