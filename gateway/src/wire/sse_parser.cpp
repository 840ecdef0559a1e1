// SSE framing (see sse_parser.h). Field offsets are kept relative to the event's first byte so that
// compacting the buffer on feed() never has to fix them up.
#include "wire/sse_parser.h"

#include <algorithm>
#include <cstring>

namespace sluice::gateway {
namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

}  // namespace

std::string_view to_string(sse_error e) noexcept {
  switch (e) {
    case sse_error::ok: return "ok";
    case sse_error::event_too_large: return "event_too_large";
    case sse_error::truncated: return "truncated";
  }
  return "unknown";
}

sse_parser::sse_parser(const sse_limits& limits) : limits_(limits) {
  data_.reserve(8);
}

void sse_parser::reset() noexcept {
  buffer_.clear();
  event_start_ = 0;
  raw_start_ = 0;
  cursor_ = 0;
  skip_lf_ = false;
  at_stream_start_ = true;
  error_ = sse_error::ok;
  lf_known_ = false;
  start_event();
}

void sse_parser::start_event() noexcept {
  type_ = {};
  id_ = {};
  data_.clear();
  retry_ms_ = 0;
  has_type_ = has_id_ = has_retry_ = false;
  lines_ = 0;
}

void sse_parser::feed(std::string_view bytes) {
  if (error_ != sse_error::ok) {
    return;
  }
  // Drop what earlier events consumed; the unfinished event moves to the front.
  if (raw_start_ > 0) {
    buffer_.erase(0, raw_start_);
    cursor_ -= raw_start_;
    event_start_ -= raw_start_;
    raw_start_ = 0;
  }
  buffer_.append(bytes);
  lf_known_ = false;
}

std::size_t sse_parser::find_line_end(std::size_t from) noexcept {
  // Two memchr calls instead of a byte loop; the LF position is remembered so that a stream of CR-only
  // lines does not rescan the rest of the buffer for an LF on every line.
  const char* base = buffer_.data();
  if (!lf_known_ || (next_lf_ != std::string::npos && next_lf_ < from)) {
    const void* lf = std::memchr(base + from, '\n', buffer_.size() - from);
    next_lf_ = lf == nullptr ? std::string::npos : static_cast<const char*>(lf) - base;
    lf_known_ = true;
  }
  const std::size_t limit = next_lf_ == std::string::npos ? buffer_.size() : next_lf_;
  const void* cr = std::memchr(base + from, '\r', limit - from);
  return cr == nullptr ? next_lf_ : static_cast<std::size_t>(static_cast<const char*>(cr) - base);
}

void sse_parser::on_line(std::size_t begin, std::size_t end) noexcept {
  ++lines_;
  const std::string_view line(buffer_.data() + begin, end - begin);
  if (line.front() == ':') {
    return;  // comment
  }
  const std::size_t colon = line.find(':');
  const std::string_view name = line.substr(0, colon);
  std::size_t value_begin = begin + line.size();
  if (colon != std::string_view::npos) {
    value_begin = begin + colon + 1;
    if (value_begin < end && buffer_[value_begin] == ' ') {
      ++value_begin;
    }
  }
  const span value{static_cast<std::uint32_t>(value_begin - event_start_),
                   static_cast<std::uint32_t>(end - event_start_)};
  const std::string_view text(buffer_.data() + value_begin, end - value_begin);
  if (name == "data") {
    data_.push_back(value);
  } else if (name == "event") {
    type_ = value;
    has_type_ = true;
  } else if (name == "id") {
    if (text.find('\0') == std::string_view::npos) {
      id_ = value;
      has_id_ = true;
    }
  } else if (name == "retry") {
    if (!text.empty() && text.size() <= 9 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      std::uint32_t ms = 0;
      for (const char c : text) {
        ms = ms * 10 + static_cast<std::uint32_t>(c - '0');
      }
      retry_ms_ = ms;
      has_retry_ = true;
    }
  }
}

sse_status sse_parser::next(sse_event& out) noexcept {
  if (error_ != sse_error::ok) {
    return sse_status::error;
  }
  if (at_stream_start_) {
    const std::string_view head(buffer_.data() + cursor_, std::min<std::size_t>(3, buffer_.size() - cursor_));
    if (head.size() < 3 && bom.starts_with(head) && !head.empty()) {
      return sse_status::need_more;  // could still be a byte order mark
    }
    if (head.empty()) {
      return sse_status::need_more;
    }
    if (head == bom) {
      cursor_ += 3;
      event_start_ = cursor_;
    }
    at_stream_start_ = false;
  }
  while (cursor_ < buffer_.size()) {
    if (skip_lf_) {
      skip_lf_ = false;
      if (buffer_[cursor_] == '\n') {
        ++cursor_;
        if (lines_ == 0) {
          event_start_ = cursor_;  // the tail of the blank line that ended the previous event
        }
        continue;
      }
    }
    const std::size_t eol = find_line_end(cursor_);
    if (eol == std::string::npos) {
      break;
    }
    const std::size_t line_begin = cursor_;
    cursor_ = eol + 1;
    if (buffer_[eol] == '\r') {
      if (cursor_ < buffer_.size()) {
        if (buffer_[cursor_] == '\n') {
          ++cursor_;
        }
      } else {
        skip_lf_ = true;  // an LF may still come in the next read
      }
    }
    if (cursor_ - event_start_ > limits_.max_event_bytes) {
      error_ = sse_error::event_too_large;
      return sse_status::error;
    }
    if (eol > line_begin) {
      on_line(line_begin, eol);
      continue;
    }
    // A blank line ends the event. Blank lines with nothing before them are not events.
    if (lines_ == 0) {
      event_start_ = cursor_;
      if (event_start_ - raw_start_ > limits_.max_event_bytes) {
        error_ = sse_error::event_too_large;  // blank lines without end: bounded like an event
        return sse_status::error;
      }
      continue;
    }
    const char* base = buffer_.data() + event_start_;
    out.type = has_type_ ? std::string_view(base + type_.begin, type_.end - type_.begin) : std::string_view();
    out.id = has_id_ ? std::string_view(base + id_.begin, id_.end - id_.begin) : std::string_view();
    out.has_id = has_id_;
    out.retry_ms = retry_ms_;
    out.has_retry = has_retry_;
    out.data_lines = static_cast<std::uint32_t>(data_.size());
    if (data_.empty()) {
      out.data = {};
    } else if (data_.size() == 1) {
      out.data = std::string_view(base + data_[0].begin, data_[0].end - data_[0].begin);
    } else {
      joined_.clear();
      for (std::size_t i = 0; i < data_.size(); ++i) {
        if (i > 0) {
          joined_.push_back('\n');
        }
        joined_.append(base + data_[i].begin, data_[i].end - data_[i].begin);
      }
      out.data = joined_;
    }
    out.raw = std::string_view(buffer_.data() + raw_start_, cursor_ - raw_start_);
    event_start_ = cursor_;
    raw_start_ = cursor_;
    start_event();
    return sse_status::event;
  }
  if (buffer_.size() - event_start_ > limits_.max_event_bytes) {
    error_ = sse_error::event_too_large;
    return sse_status::error;
  }
  return sse_status::need_more;
}

sse_error sse_parser::finish() noexcept {
  if (error_ != sse_error::ok) {
    return error_;
  }
  // Field lines of an undispatched event, or half a line, mean the stream was cut mid-event. Trailing
  // comments (keep-alives) without a blank line lose nothing.
  const bool partial_line = cursor_ < buffer_.size();
  const bool pending_fields = !data_.empty() || has_type_ || has_id_ || has_retry_;
  if (partial_line || pending_fields) {
    error_ = sse_error::truncated;
  }
  return error_;
}

}  // namespace sluice::gateway
