// SSE event writing (see sse_writer.h).
#include "wire/sse_writer.h"

#include "wire/decimal_text.h"

namespace sluice::gateway {
namespace detail {
namespace {

void append_data_lines(std::string_view data, std::string& out) {
  while (true) {
    const std::size_t nl = data.find('\n');
    out += "data: ";
    out.append(data.substr(0, nl));
    out.push_back('\n');
    if (nl == std::string_view::npos) {
      break;
    }
    data.remove_prefix(nl + 1);
  }
  out.push_back('\n');
}

}  // namespace

void append_sse_event(const sse_event& like, std::string_view data, std::string& out) {
  if (!like.type.empty()) {
    out += "event: ";
    out.append(like.type);
    out.push_back('\n');
  }
  if (like.has_id) {
    out += "id: ";
    out.append(like.id);
    out.push_back('\n');
  }
  if (like.has_retry) {
    out += "retry: ";
    append_number(out, like.retry_ms);
    out.push_back('\n');
  }
  append_data_lines(data, out);
}

void append_sse_event(std::string_view type, std::string_view data, std::string& out) {
  if (!type.empty()) {
    out += "event: ";
    out.append(type);
    out.push_back('\n');
  }
  append_data_lines(data, out);
}

}  // namespace detail
}  // namespace sluice::gateway
