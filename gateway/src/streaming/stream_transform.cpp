// One pass over each upstream read of a stream (see stream_transform.h).
#include "streaming/stream_transform.h"

#include "dialects/api_errors.h"

namespace sluice::gateway {

void stream_transform::begin(exchange& ex, stream_filter* filter, openai_stream_translator* translator,
                             simdjson::ondemand::parser& parser, const sse_limits& limits) {
  if (limits.max_event_bytes != limits_.max_event_bytes) {
    limits_ = limits;
    framer_ = sse_parser(limits_);  // only when the limit changes (a reload), not per stream
  } else {
    framer_.reset();
  }
  relay_.begin(ex);
  filter_ = filter;
  translator_ = translator;
  parser_ = &parser;
  ended_ = false;
  translation_failed_ = false;
}

void stream_transform::to_relay::on_event(const stream_event& event) { t_.relay_.on_event(event, t_.to_client_); }

void stream_transform::to_client::on_event(const stream_event& event) {
  std::string& out = *t_.out_;
  if (t_.translator_ == nullptr) {
    out.append(event.raw);
    return;
  }
  if (t_.translation_failed_ || !event.has_data) {
    return;
  }
  if (t_.translator_->on_event(*t_.parser_, event.data, out)) {
    t_.translation_failed_ = true;
    append_stream_error_event(api_dialect::openai,
                              api_error(api_error_kind::api_error, "the upstream stream could not be translated"), out);
  }
}

void stream_transform::event_too_large() {
  ended_ = true;
  if (filter_ != nullptr) {
    (void)filter_->event_too_large(to_relay_);
  } else {
    relay_.fail("the upstream sent a stream event over the size limit", to_client_);
  }
}

bool stream_transform::feed(std::string_view bytes, std::string& out) {
  out_ = &out;
  if (ended_ || (filter_ != nullptr && filter_->ended())) {
    // Over: an error event ended it, or the upstream's own error event went through the filter.
    ended_ = true;
    return false;
  }
  framer_.feed(bytes);
  sse_event ev;
  // After the upstream's error event the filter takes nothing more (the rest of the read is dropped).
  while (filter_ == nullptr || !filter_->ended()) {
    const sse_status st = framer_.next(ev);
    if (st == sse_status::need_more) {
      break;
    }
    if (st == sse_status::error) {
      event_too_large();
      break;
    }
    if (filter_ != nullptr) {
      if (filter_->on_event(ev, to_relay_) != stream_error::ok) {
        ended_ = true;
        break;
      }
    } else {
      stream_event event;
      event.type = ev.type;
      event.data = ev.data;
      event.raw = ev.raw;
      event.has_data = ev.data_lines > 0;
      relay_.on_event(event, to_client_);
    }
  }
  if (!ended_ && filter_ != nullptr && filter_->end_read(to_relay_) != stream_error::ok) {
    ended_ = true;
  }
  // A failed translation ends the stream too; the filter still saw the whole read, as its policies must.
  ended_ = ended_ || translation_failed_;
  return !ended_;
}

bool stream_transform::finish(std::string& out) {
  out_ = &out;
  const bool whole_events = framer_.finish() == sse_error::ok;
  if (filter_ != nullptr) {
    return filter_->finish(whole_events, to_relay_) == stream_error::ok;
  }
  // Unfiltered, events pass byte for byte. A body that ends before message_stop (or the upstream's
  // own error event) is not a whole answer: the tail of a cut-off event is dropped (a client's SSE
  // parser would choke on it or take it for the end) and an Anthropic client gets an error event, as
  // a filtered stream does; an OpenAI client's stream gets its error chunk in close(). After the end,
  // whatever trails (a line end split from its event) goes on as it came.
  if (!relay_.saw_end()) {
    if (translator_ == nullptr) {
      relay_.fail("the upstream stream ended before the message was complete", to_client_);
    }
    return false;
  }
  if (!framer_.pending_raw().empty()) {
    stream_event tail;
    tail.raw = framer_.pending_raw();
    to_client_.on_event(tail);
  }
  return true;
}

void stream_transform::fail(std::string_view message, std::string& out) {
  out_ = &out;
  if (filter_ != nullptr) {
    filter_->fail(message, to_relay_);
  } else {
    relay_.fail(message, to_client_);
  }
}

void stream_transform::close(std::string& out) {
  if (translator_ != nullptr && !translator_->finished()) {
    // The Anthropic stream stopped before message_stop without an error event of its own.
    append_stream_error_event(api_dialect::openai,
                              api_error(api_error_kind::api_error, "the upstream stream ended before the message was complete"),
                              out);
  }
}

}  // namespace sluice::gateway
