// The event-independent part of the stream filter (see stream_filter.h): SSE framing, text slots with
// their stream redactors, the output policy, JSON splicing, and how a stream ends.
#include "streaming/stream_filter.h"

#include <algorithm>
#include <cstring>
#include <new>

#include "dialects/api_errors.h"
#include "sluice/engine/json_escape.h"
#include "wire/sse_writer.h"
#include "streaming/stream_filter_state.h"

namespace sluice::gateway {

std::string_view to_string(stream_error e) noexcept {
  switch (e) {
    case stream_error::ok: return "ok";
    case stream_error::event_too_large: return "event_too_large";
    case stream_error::truncated: return "truncated";
    case stream_error::malformed_event: return "malformed_event";
    case stream_error::unsupported_delta: return "unsupported_delta";
    case stream_error::too_many_blocks: return "too_many_blocks";
    case stream_error::engine_failure: return "engine_failure";
    case stream_error::blocked: return "blocked";
    case stream_error::upstream_failed: return "upstream_failed";
    case stream_error::ended: return "ended";
  }
  return "unknown";
}

std::string_view to_string(text_kind k) noexcept {
  switch (k) {
    case text_kind::text: return "text";
    case text_kind::thinking: return "thinking";
    case text_kind::tool_input: return "tool_input";
    case text_kind::refusal: return "refusal";
  }
  return "unknown";
}

namespace detail {
namespace {

// One On-Demand parser per thread, as the engine has one scratch per thread.
simdjson::ondemand::parser& thread_parser() {
  thread_local simdjson::ondemand::parser parser;
  return parser;
}

std::string_view error_message(stream_error e) noexcept {
  switch (e) {
    case stream_error::event_too_large: return "the upstream sent a stream event over the size limit";
    case stream_error::truncated: return "the upstream stream ended before the message was complete";
    case stream_error::malformed_event: return "the upstream sent a malformed stream event";
    case stream_error::unsupported_delta:
      return "the upstream sent a content delta of a type the gateway cannot scan";
    case stream_error::too_many_blocks: return "the upstream opened too many content blocks at once";
    case stream_error::engine_failure: return "the response could not be scanned";
    default: return "the stream failed";
  }
}

}  // namespace

text_slot* stream_filter_state::find(std::uint64_t key) noexcept {
  for (text_slot& slot : slots) {
    if (slot.open && slot.key == key) {
      return &slot;
    }
  }
  return nullptr;
}

stream_error stream_filter_state::open(std::uint64_t key, text_kind kind, text_slot*& slot) noexcept {
  slot = find(key);
  if (slot != nullptr) {
    return stream_error::ok;
  }
  for (text_slot& candidate : slots) {
    if (!candidate.open) {
      slot = &candidate;
      break;
    }
  }
  if (slot == nullptr) {
    if (slots.size() >= options.max_open_blocks) {
      return stream_error::too_many_blocks;
    }
    try {
      slots.emplace_back();
      slots.back().redactor =
          std::make_unique<engine::stream_redactor>(rules, scratch, *placeholders, options.validators);
      slots.back().redactor->set_redaction_mask(options.redaction_mask);
    } catch (...) {
      if (!slots.empty() && !slots.back().redactor) {
        slots.pop_back();
      }
      return stream_error::engine_failure;
    }
    slot = &slots.back();
  } else if (slot->redactor->reset() != engine::errc::ok) {
    return stream_error::engine_failure;
  }
  slot->key = key;
  slot->kind = kind;
  slot->open = true;
  slot->findings_seen = 0;
  slot->content_seen = 0;
  return stream_error::ok;
}

stream_error stream_filter_state::write(text_slot& slot, std::string_view piece, bool last) noexcept {
  released.clear();
  if (!piece.empty() && slot.redactor->write(piece, released) != engine::errc::ok) {
    return stream_error::engine_failure;
  }
  if (last) {
    slot.open = false;
    if (slot.redactor->finish(released) != engine::errc::ok) {
      return stream_error::engine_failure;
    }
  }
  const auto findings = slot.redactor->findings();
  const auto content = slot.redactor->content_hits();
  const auto new_findings = findings.subspan(std::min(slot.findings_seen, findings.size()));
  const auto new_content = content.subspan(std::min(slot.content_seen, content.size()));
  slot.findings_seen = findings.size();
  slot.content_seen = content.size();
  redactions += new_findings.size();
  if (policy != nullptr && (!released.empty() || !new_findings.empty() || !new_content.empty() || last)) {
    stream_release release;
    release.block = slot.key;
    release.kind = slot.kind;
    release.text = released;
    release.new_findings = new_findings;
    release.new_content_hits = new_content;
    release.block_end = last;
    const stream_verdict verdict = policy->check(release);
    if (verdict.block) {
      block_type.assign(verdict.error_type);
      block_message.assign(verdict.message);
      return stream_error::blocked;
    }
  }
  return stream_error::ok;
}

void stream_filter_state::drop_all() noexcept {
  for (text_slot& slot : slots) {
    slot.open = false;
  }
  pending = false;
}

simdjson::error_code stream_filter_state::parse(std::string_view data,
                                                simdjson::ondemand::document& doc) noexcept {
  json.resize(data.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(json.data(), data.data(), data.size());
  return thread_parser().iterate(json.data(), data.size(), json.size()).get(doc);
}

simdjson::error_code stream_filter_state::string_value(simdjson::ondemand::value v, json_text& out) noexcept {
  std::string_view token = v.raw_json_token();
  while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  if (token.size() < 2 || token.front() != '"' || token.back() != '"') {
    return simdjson::INCORRECT_TYPE;
  }
  out.begin = static_cast<std::uint32_t>(token.data() - json.data());
  out.end = out.begin + static_cast<std::uint32_t>(token.size());
  return v.get_string().get(out.text);
}

void stream_filter_state::splice(const json_text& where, std::string_view text) {
  const auto begin = static_cast<std::uint32_t>(replacements.size());
  engine::append_json_string(replacements, text);
  splices.push_back({where.begin, where.end, begin, static_cast<std::uint32_t>(replacements.size())});
}

void stream_filter_state::splice_raw(std::uint32_t begin, std::uint32_t end, std::string_view raw_json) {
  const auto at = static_cast<std::uint32_t>(replacements.size());
  replacements.append(raw_json);
  splices.push_back({begin, end, at, static_cast<std::uint32_t>(replacements.size())});
}

std::string_view stream_filter_state::apply_splices(std::string_view data) {
  std::sort(splices.begin(), splices.end(),
            [](const json_splice& a, const json_splice& b) { return a.begin < b.begin; });
  rewritten.clear();
  std::uint32_t at = 0;
  for (const json_splice& s : splices) {
    rewritten.append(data.substr(at, s.begin - at));
    rewritten.append(std::string_view(replacements).substr(s.replacement_begin, s.replacement_end - s.replacement_begin));
    at = s.end;
  }
  rewritten.append(data.substr(at));
  return rewritten;
}

void stream_filter_state::hold_delta(std::uint64_t key, const sse_event& ev, const json_text& where) {
  pending = true;
  pending_block = key;
  pending_text.assign(where.text);
  pending_data.assign(ev.data);
  pending_where = where;
  pending_where.text = {};
  pending_type.assign(ev.type);
  pending_id.assign(ev.id);
  pending_has_id = ev.has_id;
  pending_retry_ms = ev.retry_ms;
  pending_has_retry = ev.has_retry;
}

stream_error flush_pending_deltas(stream_filter_state& s) noexcept {
  if (!s.pending) {
    return stream_error::ok;
  }
  s.pending = false;
  text_slot* slot = s.find(s.pending_block);
  if (slot == nullptr) {
    return stream_error::ok;
  }
  if (const stream_error e = s.write(*slot, s.pending_text, false); e != stream_error::ok) {
    return e;
  }
  if (s.released.empty()) {
    return stream_error::ok;  // all of it is held back: nothing to send yet
  }
  sse_event like;
  like.type = s.pending_type;
  like.id = s.pending_id;
  like.has_id = s.pending_has_id;
  like.retry_ms = s.pending_retry_ms;
  like.has_retry = s.pending_has_retry;
  // Spliced by hand: the event being handled may have queued splices of its own.
  const std::string_view data = s.pending_data;
  s.rewritten.clear();
  s.rewritten.append(data.substr(0, s.pending_where.begin));
  engine::append_json_string(s.rewritten, s.released);
  s.rewritten.append(data.substr(s.pending_where.end));
  s.emit(like, s.rewritten);
  return stream_error::ok;
}

void stream_filter_state::pass(const sse_event& ev) {
  emitted_event e;
  e.raw_begin = static_cast<std::uint32_t>(events.size());
  events.append(ev.raw);
  e.raw_end = static_cast<std::uint32_t>(events.size());
  e.type_begin = static_cast<std::uint32_t>(emitted_data.size());
  emitted_data.append(ev.type);
  e.type_end = static_cast<std::uint32_t>(emitted_data.size());
  emitted_data.append(ev.data);
  e.data_end = static_cast<std::uint32_t>(emitted_data.size());
  e.has_data = ev.data_lines > 0;
  emitted.push_back(e);
}

void stream_filter_state::emit(const sse_event& like, std::string_view data) {
  emitted_event e;
  e.raw_begin = static_cast<std::uint32_t>(events.size());
  append_sse_event(like, data, events);
  e.raw_end = static_cast<std::uint32_t>(events.size());
  e.type_begin = static_cast<std::uint32_t>(emitted_data.size());
  emitted_data.append(like.type);
  e.type_end = static_cast<std::uint32_t>(emitted_data.size());
  emitted_data.append(data);
  e.data_end = static_cast<std::uint32_t>(emitted_data.size());
  e.has_data = true;
  emitted.push_back(e);
}

void stream_filter_state::emit(std::string_view type, std::string_view data) {
  sse_event like;
  like.type = type;
  emit(like, data);
}

void stream_filter_state::emit_comment() {
  emitted_event e;
  e.raw_begin = static_cast<std::uint32_t>(events.size());
  events += ":\n\n";
  e.raw_end = static_cast<std::uint32_t>(events.size());
  e.type_begin = e.type_end = e.data_end = static_cast<std::uint32_t>(emitted_data.size());
  emitted.push_back(e);
}

void stream_filter_state::send(stream_event_sink& out) const {
  const std::string_view raw(events);
  const std::string_view fields(emitted_data);
  for (const emitted_event& e : emitted) {
    stream_event ev;
    ev.raw = raw.substr(e.raw_begin, e.raw_end - e.raw_begin);
    ev.type = fields.substr(e.type_begin, e.type_end - e.type_begin);
    ev.data = fields.substr(e.type_end, e.data_end - e.type_end);
    ev.has_data = e.has_data;
    out.on_event(ev);
  }
}

void stream_filter_state::clear_event() noexcept {
  events.clear();
  emitted.clear();
  emitted_data.clear();
  splices.clear();
  replacements.clear();
}

}  // namespace detail

namespace {

// Ends the stream: what is held is dropped (never sent unscanned) and the client gets an Anthropic
// error event (dialects/api_errors.h writes it; an OpenAI client gets it translated).
stream_error end_with_error(detail::stream_filter_state& s, stream_error e, const api_error& error,
                            stream_event_sink& out) {
  s.drop_all();
  s.ended = true;
  s.error = e;
  s.clear_event();
  std::string& body = s.rewritten;
  body.clear();
  append_error_body(api_dialect::anthropic, error, body);
  s.emit("error", body);
  s.send(out);
  s.clear_event();
  return e;
}

stream_error end_with_error(detail::stream_filter_state& s, stream_error e, stream_event_sink& out) {
  if (e == stream_error::blocked) {
    return end_with_error(s, e, gateway_error(0, s.block_type, s.block_message), out);
  }
  return end_with_error(s, e, api_error(api_error_kind::api_error, detail::error_message(e)), out);
}

// Standalone use (feed() with bytes): the client's bytes appended to a string.
class append_raw final : public stream_event_sink {
 public:
  explicit append_raw(std::string& out) noexcept : out_(out) {}
  void on_event(const stream_event& event) override { out_.append(event.raw); }

 private:
  std::string& out_;
};

}  // namespace

stream_filter::stream_filter(std::shared_ptr<const engine::ruleset> rules, hs_scratch_t* scratch,
                             engine::redactor& placeholders, const stream_filter_options& options)
    : state_(std::make_unique<detail::stream_filter_state>(std::move(rules), scratch, placeholders, options)) {}

stream_filter::~stream_filter() = default;

void stream_filter::set_policy(stream_output_policy* policy) noexcept { state_->policy = policy; }

const sse_limits& stream_filter::limits() const noexcept { return state_->options.limits; }

stream_error stream_filter::on_event(const sse_event& ev, stream_event_sink& out) noexcept {
  detail::stream_filter_state& s = *state_;
  if (s.ended) {
    return stream_error::ended;
  }
  s.clear_event();
  if (ev.data_lines == 0) {
    s.emit_comment();  // comments only (a keep-alive): keep the connection warm, not the text
  } else if (const stream_error e = detail::on_anthropic_event(s, ev); e != stream_error::ok) {
    return end_with_error(s, e, out);
  }
  s.send(out);
  s.clear_event();
  return stream_error::ok;
}

stream_error stream_filter::end_read(stream_event_sink& out) noexcept {
  detail::stream_filter_state& s = *state_;
  if (s.ended || !s.pending) {
    return stream_error::ok;
  }
  s.clear_event();
  if (const stream_error e = detail::flush_pending_deltas(s); e != stream_error::ok) {
    return end_with_error(s, e, out);
  }
  s.send(out);
  s.clear_event();
  return stream_error::ok;
}

stream_error stream_filter::event_too_large(stream_event_sink& out) noexcept {
  detail::stream_filter_state& s = *state_;
  if (s.ended) {
    return stream_error::ended;
  }
  return end_with_error(s, stream_error::event_too_large, out);
}

stream_error stream_filter::finish(bool whole_events, stream_event_sink& out) noexcept {
  detail::stream_filter_state& s = *state_;
  if (s.ended) {
    return s.error == stream_error::ok ? stream_error::ok : stream_error::ended;
  }
  if (!whole_events || !detail::anthropic_complete(s)) {
    return end_with_error(s, stream_error::truncated, out);
  }
  s.ended = true;
  return stream_error::ok;
}

void stream_filter::fail(std::string_view message, stream_event_sink& out) noexcept {
  detail::stream_filter_state& s = *state_;
  if (s.ended) {
    return;
  }
  (void)end_with_error(s, stream_error::upstream_failed, api_error(api_error_kind::api_error, message), out);
}

stream_error stream_filter::feed(std::string_view bytes, std::string& out) noexcept {
  detail::stream_filter_state& s = *state_;
  if (s.ended) {
    return stream_error::ended;
  }
  append_raw sink(out);
  s.parser.feed(bytes);
  sse_event ev;
  while (!s.ended) {
    const sse_status st = s.parser.next(ev);
    if (st == sse_status::need_more) {
      break;
    }
    if (st == sse_status::error) {
      return event_too_large(sink);
    }
    if (const stream_error e = on_event(ev, sink); e != stream_error::ok) {
      return e;
    }
  }
  return end_read(sink);
}

stream_error stream_filter::finish(std::string& out) noexcept {
  append_raw sink(out);
  return finish(state_->parser.finish() == sse_error::ok, sink);
}

void stream_filter::fail(std::string_view message, std::string& out) noexcept {
  append_raw sink(out);
  fail(message, sink);
}

void stream_filter::reset() noexcept {
  detail::stream_filter_state& s = *state_;
  s.parser.reset();
  s.drop_all();
  s.usage = {};
  s.error = stream_error::ok;
  s.ended = false;
  s.message_done = false;
  s.redactions = 0;
  s.clear_event();
}

bool stream_filter::ended() const noexcept { return state_->ended; }

stream_error stream_filter::error() const noexcept { return state_->error; }

const stream_usage& stream_filter::usage() const noexcept { return state_->usage; }

std::size_t stream_filter::held_bytes() const noexcept {
  std::size_t held = 0;
  for (const detail::text_slot& slot : state_->slots) {
    if (slot.open) {
      held += slot.redactor->held_bytes();
    }
  }
  return held;
}

std::uint64_t stream_filter::redactions() const noexcept { return state_->redactions; }

}  // namespace sluice::gateway
