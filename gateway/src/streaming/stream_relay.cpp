// SSE relay (see stream_relay.h). Events are split at blank lines (LF or CRLF) whatever the read
// boundaries, and passed through in order.
#include "streaming/stream_relay.h"

#include <charconv>

#include "dialects/api_errors.h"
#include "sluice/engine/json_escape.h"

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
  pending_.clear();
  input_tokens_ = output_tokens_ = 0;
  max_index_ = -1;
  appended_ = false;
}

bool stream_relay::feed(std::string_view bytes, std::string& out) {
  pending_.append(bytes);
  std::size_t start = 0;
  for (;;) {
    std::size_t end = pending_.find("\n\n", start);
    std::size_t crlf = pending_.find("\r\n\r\n", start);
    std::size_t sep = 2;
    if (crlf != std::string::npos && (end == std::string::npos || crlf < end)) {
      end = crlf;
      sep = 4;
    }
    if (end == std::string::npos) {
      break;
    }
    on_event(std::string_view(pending_).substr(start, end + sep - start), out);
    start = end + sep;
  }
  pending_.erase(0, start);
  return true;
}

void stream_relay::on_event(std::string_view event, std::string& out) {
  if (event.find("message_start") != std::string_view::npos) {
    find_number(event, "\"input_tokens\"", input_tokens_);
    find_number(event, "\"output_tokens\"", output_tokens_);
  } else if (event.find("\"content_block_start\"") != std::string_view::npos) {
    std::uint64_t index = 0;
    if (find_number(event, "\"index\"", index)) {
      max_index_ = std::max(max_index_, static_cast<int>(index));
    }
  } else if (event.find("\"message_delta\"") != std::string_view::npos) {
    find_number(event, "\"output_tokens\"", output_tokens_);  // cumulative: the last value wins
    if (!appended_ && !ex_->append_text.empty()) {
      appended_ = true;
      const std::string index = std::to_string(max_index_ + 1);
      out += "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":" + index +
             ",\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
      out += "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index +
             ",\"delta\":{\"type\":\"text_delta\",\"text\":";
      engine::append_json_string(out, ex_->append_text);
      out += "}}\n\n";
      out += "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":" + index + "}\n\n";
    }
  }
  out.append(event);
}

void stream_relay::finish(std::string& out) {
  if (!pending_.empty()) {
    out += pending_;
    pending_.clear();
  }
}

void stream_relay::fail(std::string_view message, std::string& out) {
  pending_.clear();
  // The relay speaks the upstream's (Anthropic's) events whatever the client's dialect: an OpenAI
  // client gets them through the stream translator, which turns this event into OpenAI's error chunk.
  append_stream_error_event(api_dialect::anthropic, api_error(api_error_kind::api_error, message), out);
}

}  // namespace sluice::gateway
