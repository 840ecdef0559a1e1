// Adapts the dialect library's Messages readers and JSON splicer to the exchange the policy chain works
// on (see exchange_texts.h).
#include "pipeline/exchange_texts.h"

#include "dialects/anthropic/messages_request.h"

namespace sluice::gateway {
namespace {

// One scanned text per string of `table`, appended to the exchange in body order.
void add_texts(exchange& ex, const json_string_table& table) {
  for (std::uint32_t i = 0; i < table.size(); ++i) {
    scanned_text t;
    t.string_index = i;
    t.text = table.text(i);
    t.origin = table[i].source;
    ex.texts.push_back(t);
  }
}

bool fail(std::string& error, const dialect_error& e) noexcept {
  try {
    error.assign(e.message);
  } catch (...) {
    // the message stays empty; the status still says what happened
  }
  return false;
}

}  // namespace

bool extract_request_texts(simdjson::ondemand::parser& parser, std::string_view body, exchange& ex,
                           request_facts& facts, std::string& error) noexcept {
  messages_request_facts f;
  if (const dialect_error e = read_messages_request(parser, body, ex.request_strings, f); e) {
    return fail(error, e);
  }
  try {
    ex.model.assign(f.model);
    add_texts(ex, ex.request_strings);
  } catch (...) {
    return fail(error, make_error(dialect_errc::too_large, "out of memory reading the request"));
  }
  facts.stream = f.stream;
  facts.has_max_tokens = f.has_max_tokens;
  facts.max_tokens = f.max_tokens;
  if (f.has_model) {
    // The whole string token, quotes included: a target that forces its model replaces all of it.
    facts.model_raw_begin = f.model_raw.begin - 1;
    facts.model_raw_end = f.model_raw.end + 1;
  }
  return true;
}

bool extract_response_texts(simdjson::ondemand::parser& parser, std::string_view body, exchange& ex,
                            response_facts& facts, std::string& error) noexcept {
  messages_response_facts f;
  if (const dialect_error e = read_messages_response(parser, body, ex.response_strings, f); e) {
    return fail(error, e);
  }
  try {
    add_texts(ex, ex.response_strings);
  } catch (...) {
    return fail(error, make_error(dialect_errc::too_large, "out of memory reading the response"));
  }
  facts.input_tokens = f.input_tokens + f.cache_creation_input_tokens + f.cache_read_input_tokens;
  facts.output_tokens = f.output_tokens;
  return true;
}

dialect_error rewrite_texts(std::string_view body, exchange& ex, engine::redactor& redactor, std::string_view append,
                            std::string& out, std::string* joined_text) noexcept {
  thread_local std::vector<engine::finding> selected;
  thread_local std::string plain;
  try {
    const json_string_table& table =
        ex.phase == exchange_phase::request ? ex.request_strings : ex.response_strings;
    ex.splicer.reset(body, table);
    const std::uint32_t begin = ex.phase_begin();
    // The disclaimer goes after the answer's last text block. An answer with no text block (only tool
    // calls) has no place for it without inventing a block, and goes out without it.
    std::uint32_t append_to = static_cast<std::uint32_t>(ex.texts.size());
    if (!append.empty() && ex.phase == exchange_phase::response) {
      for (std::uint32_t i = begin; i < ex.texts.size(); ++i) {
        if (ex.texts[i].origin == text_source::response) {
          append_to = i;
        }
      }
    }
    for (std::uint32_t i = begin; i < ex.texts.size(); ++i) {
      const scanned_text& t = ex.texts[i];
      const bool add = i == append_to;
      if (!t.redact && !add && joined_text == nullptr) {
        continue;
      }
      selected.clear();
      if (t.redact) {
        for (std::uint32_t f = t.entities_begin; f < t.entities_end; ++f) {
          if (ex.entities[f].redact) {
            selected.push_back(ex.entities[f].where);
          }
        }
        if (const dialect_error e = ex.splicer.redact(t.string_index, selected, *ex.rules, redactor); e) {
          return e;
        }
      }
      if (add) {
        const auto end = static_cast<std::uint32_t>(t.text.size());
        if (const dialect_error e = ex.splicer.replace(t.string_index, end, end, append); e) {
          return e;
        }
      }
      if (joined_text != nullptr) {
        plain.clear();
        redactor.redact(t.text, selected, *ex.rules, plain);  // same placeholders as the splice
        if (add) {
          plain += append;
        }
        if (!joined_text->empty()) {
          *joined_text += '\n';
        }
        *joined_text += plain;
      }
    }
    return ex.splicer.finish(out);
  } catch (...) {
    return make_error(dialect_errc::too_large, "out of memory rewriting the body");
  }
}

}  // namespace sluice::gateway
