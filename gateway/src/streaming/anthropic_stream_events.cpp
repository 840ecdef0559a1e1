// Anthropic Messages streaming events through the stream filter:
//   message_start {message:{usage:{input_tokens, output_tokens}}}      usage, passed through
//   content_block_start {index, content_block:{type: text|thinking|tool_use…}}   opens the block's redactor
//   content_block_delta {index, delta:{type: text_delta (text) | thinking_delta (thinking) |
//                        input_json_delta (partial_json) | signature_delta | citations_delta}}
//   content_block_stop {index}                                           flushes what the block held
//   message_delta {delta:{stop_reason…}, usage:{output_tokens}}          cumulative: the last one wins
//   message_stop, ping, error, and event types added later             passed through
// Fields are read in whatever order they come (On-Demand, one pass).

#include "sluice/engine/json_escape.h"
#include "wire/decimal_text.h"
#include "wire/sse_writer.h"
#include "streaming/stream_filter_state.h"

namespace sluice::gateway::detail {
namespace {

namespace od = simdjson::ondemand;

struct anthropic_event {
  std::string_view type;
  std::uint64_t index = 0;
  bool has_index = false;
  std::string_view delta_type;
  std::string_view block_type;
  std::string_view text_field;  // which field `text` came from: text, thinking or partial_json
  json_text text;
  bool has_text = false;
  bool message_has_content = false;
};

// Reads input_tokens / output_tokens of a usage object; other members (cache counts, nulls) are skipped.
simdjson::error_code read_usage(od::value v, stream_usage& usage) noexcept {
  return for_each_field(v, as_error_code, [&](std::string_view key, od::value& value) {
    std::uint64_t n = 0;
    if (key == "input_tokens" && value.get_uint64().get(n) == simdjson::SUCCESS) {
      usage.input_tokens = n;
      usage.has_input = true;
    } else if (key == "output_tokens" && value.get_uint64().get(n) == simdjson::SUCCESS) {
      usage.output_tokens = n;  // cumulative in message_delta: keep the last value, never add
      usage.has_output = true;
    }
    return simdjson::SUCCESS;
  });
}

// The fields of `delta` or `content_block`: its type and the text it carries.
simdjson::error_code read_text_holder(stream_filter_state& s, od::value v, std::string_view& type,
                                      anthropic_event& out) noexcept {
  return for_each_field(v, as_error_code, [&](std::string_view key, od::value& value) {
    if (key == "type") {
      return value.get_string().get(type);
    }
    if (key == "text" || key == "thinking" || key == "partial_json") {
      if (auto e = s.string_value(value, out.text)) {
        return e;
      }
      out.text_field = key == "text" ? "text" : key == "thinking" ? "thinking" : "partial_json";
      out.has_text = true;
    }
    return simdjson::SUCCESS;
  });
}

simdjson::error_code read_message(od::value v, anthropic_event& ev, stream_usage& usage) noexcept {
  return for_each_field(v, as_error_code, [&](std::string_view key, od::value& value) {
    if (key == "usage") {
      return read_usage(value, usage);
    }
    if (key == "content") {
      od::array content;
      if (value.get_array().get(content) == simdjson::SUCCESS) {
        for (auto item : content) {
          (void)item;
          ev.message_has_content = true;
        }
      }
    }
    return simdjson::SUCCESS;
  });
}

simdjson::error_code read_event(stream_filter_state& s, std::string_view data, anthropic_event& ev) noexcept {
  return for_each_event_field(s, data, [&](std::string_view key, od::value& value) {
    simdjson::error_code e = simdjson::SUCCESS;
    if (key == "type") {
      e = value.get_string().get(ev.type);
    } else if (key == "index") {
      e = value.get_uint64().get(ev.index);
      ev.has_index = e == simdjson::SUCCESS;
    } else if (key == "delta") {
      e = read_text_holder(s, value, ev.delta_type, ev);
    } else if (key == "content_block") {
      e = read_text_holder(s, value, ev.block_type, ev);
    } else if (key == "usage") {
      e = read_usage(value, s.usage);
    } else if (key == "message") {
      e = read_message(value, ev, s.usage);
    }
    return e;
  });
}

struct delta_kind {
  text_kind kind;
  std::string_view delta_type;
  std::string_view field;
};

constexpr delta_kind delta_kinds[] = {
    {text_kind::text, "text_delta", "text"},
    {text_kind::thinking, "thinking_delta", "thinking"},
    {text_kind::tool_input, "input_json_delta", "partial_json"},
};

const delta_kind& delta_for(text_kind kind) noexcept {
  for (const delta_kind& d : delta_kinds) {
    if (d.kind == kind) {
      return d;
    }
  }
  return delta_kinds[0];
}

// Appends a content_block_delta carrying `text` for the block `index` of kind `kind`.
void append_delta_event(stream_filter_state& s, std::uint64_t index, text_kind kind, std::string_view text) {
  const delta_kind& d = delta_for(kind);
  std::string& data = s.rewritten;
  data.clear();
  data += R"({"type":"content_block_delta","index":)";
  append_number(data, index);
  data += R"(,"delta":{"type":")";
  data += d.delta_type;
  data += R"(",")";
  data += d.field;
  data += R"(":)";
  engine::append_json_string(data, text);
  data += "}}";
  s.emit("content_block_delta", data);
}

// Ends block `slot`, sending what it still holds as one more delta.
stream_error close_block(stream_filter_state& s, text_slot& slot) noexcept {
  if (const stream_error e = s.write(slot, {}, true); e != stream_error::ok) {
    return e;
  }
  if (!s.released.empty()) {
    append_delta_event(s, slot.key, slot.kind, s.released);
  }
  return stream_error::ok;
}

stream_error close_all_blocks(stream_filter_state& s) noexcept {
  for (text_slot& slot : s.slots) {
    if (slot.open) {
      if (const stream_error e = close_block(s, slot); e != stream_error::ok) {
        return e;
      }
    }
  }
  return stream_error::ok;
}

text_kind block_kind(std::string_view block_type, bool& scanned) noexcept {
  scanned = true;
  if (block_type == "text") {
    return text_kind::text;
  }
  if (block_type == "thinking") {
    return text_kind::thinking;
  }
  if (block_type == "tool_use" || block_type == "server_tool_use" || block_type == "mcp_tool_use") {
    return text_kind::tool_input;
  }
  scanned = false;  // redacted_thinking (encrypted), tool results: nothing of ours to scan
  return text_kind::text;
}

}  // namespace

stream_error on_anthropic_event(stream_filter_state& s, const sse_event& ev) noexcept {
  anthropic_event event;
  if (read_event(s, ev.data, event) != simdjson::SUCCESS) {
    return stream_error::malformed_event;
  }
  const std::string_view type = event.type;
  const bool coalesce = type == "content_block_delta" && s.pending && event.has_index &&
                        event.index == s.pending_block && event.delta_type == s.pending_delta_type &&
                        event.has_text && !ev.has_retry;
  if (coalesce) {
    s.pending_text.append(event.text.text);
    return stream_error::ok;
  }
  if (const stream_error e = flush_pending_deltas(s); e != stream_error::ok) {
    return e;
  }

  if (type == "content_block_delta") {
    if (!event.has_index) {
      return stream_error::malformed_event;
    }
    const delta_kind* kind = nullptr;
    for (const delta_kind& d : delta_kinds) {
      if (d.delta_type == event.delta_type) {
        kind = &d;
      }
    }
    if (kind == nullptr) {
      // signature_delta (an opaque signature) and citations_delta (quotes of the request's documents)
      // carry nothing the model wrote; anything newer might.
      if (event.delta_type == "signature_delta" || event.delta_type == "citations_delta" ||
          s.options.pass_unknown_deltas) {
        s.pass(ev);
        return stream_error::ok;
      }
      return stream_error::unsupported_delta;
    }
    if (!event.has_text || event.text_field != kind->field) {
      return stream_error::malformed_event;
    }
    text_slot* slot = nullptr;
    if (const stream_error e = s.open(event.index, kind->kind, slot); e != stream_error::ok) {
      return e;
    }
    // Held until the read's events are all seen: the following deltas of this block join it.
    s.hold_delta(event.index, ev, event.text);
    s.pending_delta_type.assign(event.delta_type);
    return stream_error::ok;
  }

  if (type == "content_block_start") {
    if (!event.has_index || s.find(event.index) != nullptr) {
      return stream_error::malformed_event;
    }
    bool scanned = false;
    const text_kind kind = block_kind(event.block_type, scanned);
    if (!scanned) {
      s.pass(ev);
      return stream_error::ok;
    }
    text_slot* slot = nullptr;
    if (const stream_error e = s.open(event.index, kind, slot); e != stream_error::ok) {
      return e;
    }
    if (!event.has_text || event.text.text.empty()) {
      s.pass(ev);
      return stream_error::ok;
    }
    // A block that starts with text (not seen in practice, allowed by the format): scan it too.
    if (const stream_error e = s.write(*slot, event.text.text, false); e != stream_error::ok) {
      return e;
    }
    s.splice(event.text, s.released);
    s.emit(ev, s.apply_splices(ev.data));
    return stream_error::ok;
  }

  if (type == "content_block_stop") {
    if (!event.has_index) {
      return stream_error::malformed_event;
    }
    if (text_slot* slot = s.find(event.index); slot != nullptr) {
      if (const stream_error e = close_block(s, *slot); e != stream_error::ok) {
        return e;
      }
    }
    s.pass(ev);
    return stream_error::ok;
  }

  if (type == "message_start") {
    if (event.message_has_content) {
      return stream_error::unsupported_delta;  // prefilled content we would have to scan as a block
    }
    s.pass(ev);
    return stream_error::ok;
  }

  if (type == "message_delta" || type == "message_stop") {
    // Blocks left open would lose their held text: end them first.
    if (const stream_error e = close_all_blocks(s); e != stream_error::ok) {
      return e;
    }
    s.pass(ev);
    s.message_done = s.message_done || type == "message_stop";
    return stream_error::ok;
  }

  if (type == "error") {
    // The upstream gave up: what is held is dropped (it may be half an entity), its error goes through.
    s.drop_all();
    s.pass(ev);
    s.ended = true;
    return stream_error::ok;
  }

  s.pass(ev);  // ping, and event types added after this was written
  return stream_error::ok;
}

bool anthropic_complete(const stream_filter_state& s) noexcept { return s.message_done; }

}  // namespace sluice::gateway::detail
