// OpenAI chat-completions chunks through the stream filter:
//   data: {"id","object":"chat.completion.chunk","created","model","choices":[{"index","delta":{"role",
//          "content","refusal","reasoning_content","tool_calls":[{"index","id","type","function":{"name",
//          "arguments"}}],"function_call":{"name","arguments"}},"logprobs","finish_reason"}],"usage"}
//   data: [DONE]
// Each text field of each choice is its own stream (a slot keyed (choice << 32) | field). A choice's
// texts end at its finish_reason, or at [DONE]. logprobs repeat the text token by token, so they are
// replaced by null. A chunk whose only content was text that is still held back is not sent.
#include <array>

#include "wire/decimal_text.h"
#include "sluice/engine/json_escape.h"
#include "wire/sse_writer.h"
#include "streaming/stream_filter_state.h"

namespace sluice::gateway::detail {
namespace {

namespace od = simdjson::ondemand;

// Field slots within a choice.
constexpr std::uint32_t slot_content = 0;
constexpr std::uint32_t slot_refusal = 1;
constexpr std::uint32_t slot_reasoning_content = 2;
constexpr std::uint32_t slot_reasoning = 3;
constexpr std::uint32_t slot_function_call = 4;
constexpr std::uint32_t slot_tool_call = 16;  // + the tool call's index

constexpr std::size_t max_fields = 64;  // text fields in one chunk
constexpr std::uint64_t max_choices = 1u << 16;

struct chunk_field {
  std::uint32_t slot = 0;
  json_text where;
};

struct chunk_choice {
  std::uint64_t index = 0;
  bool finished = false;
  std::size_t fields_begin = 0;
  std::size_t fields_end = 0;
};

struct chunk {
  std::array<chunk_field, max_fields> fields;
  std::size_t field_count = 0;
  std::array<chunk_choice, 16> choices;
  std::size_t choice_count = 0;
  bool other = false;  // carries something besides held text (role, ids, finish, usage…): always sent
  bool upstream_error = false;
};

text_kind kind_of(std::uint32_t slot) noexcept {
  switch (slot) {
    case slot_content: return text_kind::text;
    case slot_refusal: return text_kind::refusal;
    case slot_reasoning_content:
    case slot_reasoning: return text_kind::thinking;
    default: return text_kind::tool_input;
  }
}

std::string_view trim(std::string_view token) noexcept {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  return token;
}

simdjson::error_code add_field(stream_filter_state& s, chunk& c, std::uint32_t slot, od::value v) noexcept {
  bool is_null = false;
  if (auto e = v.is_null().get(is_null)) {
    return e;
  }
  if (is_null) {
    return simdjson::SUCCESS;
  }
  if (c.field_count == max_fields) {
    return simdjson::CAPACITY;
  }
  chunk_field& f = c.fields[c.field_count];
  f.slot = slot;
  if (auto e = s.string_value(v, f.where)) {
    return e;
  }
  ++c.field_count;
  return simdjson::SUCCESS;
}

// {"name", "arguments"} of a function or function_call; sets `slot_of_args` for tool calls later.
simdjson::error_code read_function(stream_filter_state& s, chunk& c, od::value v, std::uint32_t slot) noexcept {
  return for_each_field(v, as_error_code, [&](std::string_view key, od::value& value) {
    if (key == "arguments") {
      return add_field(s, c, slot, value);
    }
    c.other = true;  // the function's name
    return simdjson::SUCCESS;
  });
}

simdjson::error_code read_tool_calls(stream_filter_state& s, chunk& c, od::value v) noexcept {
  return for_each_item(v, as_error_code, [&](od::value& item) {
    od::object call;
    if (auto e = item.get_object().get(call)) {
      return e;
    }
    const std::size_t first = c.field_count;
    std::uint64_t index = 0;
    if (auto e = for_each_field(call, [&](std::string_view key, od::value& value) {
          if (key == "index") {
            return value.get_uint64().get(index);
          }
          if (key == "function") {
            return read_function(s, c, value, slot_tool_call);
          }
          c.other = true;  // id, type
          return simdjson::SUCCESS;
        })) {
      return e;
    }
    if (index > 0xffffu) {
      return simdjson::NUMBER_OUT_OF_RANGE;
    }
    // The index may come after the arguments: key them now.
    for (std::size_t i = first; i < c.field_count; ++i) {
      c.fields[i].slot = slot_tool_call + static_cast<std::uint32_t>(index);
    }
    return simdjson::SUCCESS;
  });
}

simdjson::error_code read_delta(stream_filter_state& s, chunk& c, od::value v) noexcept {
  return for_each_field(v, as_error_code, [&](std::string_view key, od::value& value) {
    simdjson::error_code e = simdjson::SUCCESS;
    if (key == "content") {
      e = add_field(s, c, slot_content, value);
    } else if (key == "refusal") {
      e = add_field(s, c, slot_refusal, value);
    } else if (key == "reasoning_content") {
      e = add_field(s, c, slot_reasoning_content, value);
    } else if (key == "reasoning") {
      e = add_field(s, c, slot_reasoning, value);
    } else if (key == "tool_calls") {
      bool is_null = false;
      e = value.is_null().get(is_null);
      if (e == simdjson::SUCCESS && !is_null) {
        e = read_tool_calls(s, c, value);
      }
    } else if (key == "function_call") {
      bool is_null = false;
      e = value.is_null().get(is_null);
      if (e == simdjson::SUCCESS && !is_null) {
        e = read_function(s, c, value, slot_function_call);
      }
    } else {
      c.other = true;  // role, and fields added later
    }
    return e;
  });
}

simdjson::error_code read_choice(stream_filter_state& s, chunk& c, od::value v) noexcept {
  if (c.choice_count == c.choices.size()) {
    return simdjson::CAPACITY;
  }
  chunk_choice& choice = c.choices[c.choice_count];
  choice = {};
  choice.fields_begin = c.field_count;
  const simdjson::error_code walked = for_each_field(v, as_error_code, [&](std::string_view key, od::value& value) {
    simdjson::error_code e = simdjson::SUCCESS;
    if (key == "index") {
      e = value.get_uint64().get(choice.index);
      if (e == simdjson::SUCCESS && choice.index >= max_choices) {
        e = simdjson::NUMBER_OUT_OF_RANGE;
      }
    } else if (key == "delta") {
      e = read_delta(s, c, value);
    } else if (key == "finish_reason") {
      bool is_null = false;
      e = value.is_null().get(is_null);
      choice.finished = !is_null;
    } else if (key == "logprobs") {
      // Log probabilities spell out the text token by token: never send them past the redactor.
      od::json_type type;
      e = value.type().get(type);
      if (e == simdjson::SUCCESS && type != od::json_type::null) {
        std::string_view raw;
        if (type == od::json_type::object) {
          od::object o;
          e = value.get_object().get(o);
          if (e == simdjson::SUCCESS) {
            e = o.raw_json().get(raw);
          }
        } else if (type == od::json_type::array) {
          od::array a;
          e = value.get_array().get(a);
          if (e == simdjson::SUCCESS) {
            e = a.raw_json().get(raw);
          }
        } else {
          raw = trim(value.raw_json_token());
        }
        if (e == simdjson::SUCCESS) {
          raw = trim(raw);
          const auto begin = static_cast<std::uint32_t>(raw.data() - s.json.data());
          s.splice_raw(begin, begin + static_cast<std::uint32_t>(raw.size()), "null");
        }
      }
    } else {
      c.other = true;
    }
    return e;
  });
  if (walked != simdjson::SUCCESS) {
    return walked;
  }
  choice.fields_end = c.field_count;
  ++c.choice_count;
  return simdjson::SUCCESS;
}

simdjson::error_code read_chunk(stream_filter_state& s, std::string_view data, chunk& c) noexcept {
  return for_each_event_field(s, data, [&](std::string_view key, od::value& value) {
    simdjson::error_code e = simdjson::SUCCESS;
    if (key == "id") {
      s.chunk_id.assign(trim(value.raw_json_token()));
    } else if (key == "created") {
      s.chunk_created.assign(trim(value.raw_json_token()));
    } else if (key == "model") {
      s.chunk_model.assign(trim(value.raw_json_token()));
    } else if (key == "choices") {
      bool is_null = false;
      e = value.is_null().get(is_null);
      if (e == simdjson::SUCCESS && !is_null) {
        e = for_each_item(value, as_error_code, [&](od::value& choice) { return read_choice(s, c, choice); });
      }
    } else if (key == "usage") {
      od::json_type type;
      e = value.type().get(type);
      if (e == simdjson::SUCCESS && type == od::json_type::object) {
        c.other = true;
        e = for_each_field(value, as_error_code, [&](std::string_view name, od::value& u) {
          std::uint64_t n = 0;
          if (name == "prompt_tokens" && u.get_uint64().get(n) == simdjson::SUCCESS) {
            s.usage.input_tokens = n;
            s.usage.has_input = true;
          } else if (name == "completion_tokens" && u.get_uint64().get(n) == simdjson::SUCCESS) {
            s.usage.output_tokens = n;
            s.usage.has_output = true;
          }
          return simdjson::SUCCESS;
        });
      }
    } else if (key == "error") {
      c.upstream_error = true;
    }
    return e;
  });
}

// Appends a chunk of our own carrying `text` for `slot`'s field, with the latest chunk's identity.
void append_text_chunk(stream_filter_state& s, std::uint64_t key, std::string_view text) {
  const auto choice = key >> 32;
  const auto slot = static_cast<std::uint32_t>(key & 0xffffffffu);
  std::string& data = s.rewritten;
  data.clear();
  data += R"({"id":)";
  data += s.chunk_id;
  data += R"(,"object":"chat.completion.chunk","created":)";
  data += s.chunk_created;
  data += R"(,"model":)";
  data += s.chunk_model;
  data += R"(,"choices":[{"index":)";
  append_number(data, choice);
  data += R"(,"delta":{)";
  switch (slot) {
    case slot_content: data += R"("content":)"; break;
    case slot_refusal: data += R"("refusal":)"; break;
    case slot_reasoning_content: data += R"("reasoning_content":)"; break;
    case slot_reasoning: data += R"("reasoning":)"; break;
    case slot_function_call: data += R"("function_call":{"arguments":)"; break;
    default:
      data += R"("tool_calls":[{"index":)";
      append_number(data, slot - slot_tool_call);
      data += R"(,"function":{"arguments":)";
  }
  engine::append_json_string(data, text);
  if (slot == slot_function_call) {
    data += "}";
  } else if (slot >= slot_tool_call) {
    data += "}}]";
  }
  data += R"(},"finish_reason":null}]})";
  append_sse_event(std::string_view(), data, s.events);
}

// Ends the open slots of `choice` (every choice if `all`), sending what they hold as chunks.
stream_error close_slots(stream_filter_state& s, std::uint64_t choice, bool all) noexcept {
  for (text_slot& slot : s.slots) {
    if (!slot.open || (!all && (slot.key >> 32) != choice)) {
      continue;
    }
    if (const stream_error e = s.write(slot, {}, true); e != stream_error::ok) {
      return e;
    }
    if (!s.released.empty()) {
      append_text_chunk(s, slot.key, s.released);
    }
  }
  return stream_error::ok;
}

bool is_done(std::string_view data) noexcept {
  while (!data.empty() && (data.front() == ' ' || data.front() == '\t')) {
    data.remove_prefix(1);
  }
  return trim(data) == "[DONE]";
}

}  // namespace

stream_error on_openai_event(stream_filter_state& s, const sse_event& ev) noexcept {
  if (is_done(ev.data)) {
    if (const stream_error e = flush_pending_deltas(s); e != stream_error::ok) {
      return e;
    }
    if (const stream_error e = close_slots(s, 0, true); e != stream_error::ok) {
      return e;
    }
    s.events.append(ev.raw);
    s.message_done = true;
    return stream_error::ok;
  }
  chunk c;
  if (read_chunk(s, ev.data, c) != simdjson::SUCCESS) {
    return stream_error::malformed_event;
  }
  // A chunk with one text field and nothing else joins the held chunks of the same field.
  const bool pure = !c.other && !c.upstream_error && c.choice_count == 1 && c.field_count == 1 &&
                    !c.choices[0].finished && s.splices.empty();
  if (pure) {
    const chunk_choice& choice = c.choices[0];
    const chunk_field& f = c.fields[0];
    const std::uint64_t key = (choice.index << 32) | f.slot;
    if (choice.index < 64) {
      s.choices_seen |= std::uint64_t{1} << choice.index;
    }
    if (s.pending && s.pending_block == key) {
      s.pending_text.append(f.where.text);
      return stream_error::ok;
    }
    if (const stream_error e = flush_pending_deltas(s); e != stream_error::ok) {
      return e;
    }
    text_slot* slot = nullptr;
    if (const stream_error e = s.open(key, kind_of(f.slot), slot); e != stream_error::ok) {
      return e;
    }
    s.hold_delta(key, ev, f.where);
    s.pending_delta_type.clear();
    return stream_error::ok;
  }
  if (const stream_error e = flush_pending_deltas(s); e != stream_error::ok) {
    return e;
  }
  if (c.upstream_error) {
    s.drop_all();  // held text may be half an entity: dropped, the upstream's error goes through
    s.events.append(ev.raw);
    s.ended = true;
    return stream_error::ok;
  }
  bool sent_text = false;
  for (std::size_t ci = 0; ci < c.choice_count; ++ci) {
    const chunk_choice& choice = c.choices[ci];
    if (choice.index < 64) {
      s.choices_seen |= std::uint64_t{1} << choice.index;
      if (choice.finished) {
        s.choices_finished |= std::uint64_t{1} << choice.index;
      }
    }
    for (std::size_t fi = choice.fields_begin; fi < choice.fields_end; ++fi) {
      const chunk_field& f = c.fields[fi];
      const std::uint64_t key = (choice.index << 32) | f.slot;
      text_slot* slot = nullptr;
      if (const stream_error e = s.open(key, kind_of(f.slot), slot); e != stream_error::ok) {
        return e;
      }
      // The choice's last chunk carries everything its field still holds.
      if (const stream_error e = s.write(*slot, f.where.text, choice.finished); e != stream_error::ok) {
        return e;
      }
      sent_text = sent_text || !s.released.empty();
      s.splice(f.where, s.released);
    }
    if (choice.finished) {
      // Fields that held text but had no piece in this chunk: their rest goes out just before it.
      if (const stream_error e = close_slots(s, choice.index, false); e != stream_error::ok) {
        return e;
      }
      c.other = true;
    }
  }
  if (!c.other && !sent_text && c.field_count > 0) {
    return stream_error::ok;  // only held-back text: nothing to send yet
  }
  if (s.splices.empty()) {
    s.events.append(ev.raw);
  } else {
    append_sse_event(ev, s.apply_splices(ev.data), s.events);
  }
  return stream_error::ok;
}

bool openai_complete(const stream_filter_state& s) noexcept {
  if (s.message_done) {
    return true;
  }
  for (const text_slot& slot : s.slots) {
    if (slot.open) {
      return false;
    }
  }
  return s.choices_seen != 0 && s.choices_seen == s.choices_finished;
}

}  // namespace sluice::gateway::detail
