// SSE relay (see stream_relay.h). Events arrive framed; they are passed on in order, byte for byte.
#include "streaming/stream_relay.h"

#include <charconv>

#include "dialects/api_errors.h"
#include "sluice/engine/json_escape.h"
#include "wire/decimal_text.h"

namespace sluice::gateway {
namespace {

// The number after `"key":` in `s`, if any.
bool find_number(std::string_view s, std::string_view key, std::uint64_t& value) {
  const auto pos = s.find(key);
  if (pos == std::string_view::npos) {
    return false;
  }
  std::size_t i = pos + key.size();
  while (i < s.size() && (s[i] == ' ' || s[i] == ':')) {
    ++i;
  }
  auto [ptr, ec] = std::from_chars(s.data() + i, s.data() + s.size(), value);
  return ec == std::errc();
}

}  // namespace

void stream_relay::begin(exchange& ex) {
  ex_ = &ex;
  input_tokens_ = output_tokens_ = 0;
  max_index_ = -1;
  appended_ = false;
  saw_end_ = false;
}

void stream_relay::emit(std::string_view type, stream_event_sink& next) {
  raw_.assign("event: ");
  raw_ += type;
  raw_ += "\ndata: ";
  raw_ += data_;
  raw_ += "\n\n";
  stream_event ev;
  ev.type = type;
  ev.data = data_;
  ev.raw = raw_;
  ev.has_data = true;
  next.on_event(ev);
}

void stream_relay::on_event(const stream_event& event, stream_event_sink& next) {
  // The event's bytes are searched as they are, as the relay always did (usage is where the API puts it).
  const std::string_view bytes = event.raw;
  if (bytes.find("message_start") != std::string_view::npos) {
    find_number(bytes, "\"input_tokens\"", input_tokens_);
    find_number(bytes, "\"output_tokens\"", output_tokens_);
  } else if (bytes.find("\"content_block_start\"") != std::string_view::npos) {
    std::uint64_t index = 0;
    if (find_number(bytes, "\"index\"", index)) {
      max_index_ = std::max(max_index_, static_cast<int>(index));
    }
  } else if (bytes.find("\"message_delta\"") != std::string_view::npos) {
    find_number(bytes, "\"output_tokens\"", output_tokens_);  // cumulative: the last value wins
    if (!appended_ && !ex_->append_text.empty()) {
      appended_ = true;
      const auto index = static_cast<std::uint64_t>(max_index_ + 1);
      data_.assign(R"({"type":"content_block_start","index":)");
      append_number(data_, index);
      data_ += R"(,"content_block":{"type":"text","text":""}})";
      emit("content_block_start", next);
      data_.assign(R"({"type":"content_block_delta","index":)");
      append_number(data_, index);
      data_ += R"(,"delta":{"type":"text_delta","text":)";
      engine::append_json_string(data_, ex_->append_text);
      data_ += "}}";
      emit("content_block_delta", next);
      data_.assign(R"({"type":"content_block_stop","index":)");
      append_number(data_, index);
      data_ += "}";
      emit("content_block_stop", next);
    }
  }
  if (event.type == "message_stop" || event.type == "error") {
    saw_end_ = true;
  }
  next.on_event(event);
}

void stream_relay::fail(std::string_view message, stream_event_sink& next) {
  // The relay speaks the upstream's (Anthropic's) events whatever the client's dialect: an OpenAI
  // client gets them through the stream translator, which turns this event into OpenAI's error chunk.
  data_.clear();
  append_error_body(api_dialect::anthropic, api_error(api_error_kind::api_error, message), data_);
  emit("error", next);
}

}  // namespace sluice::gateway
