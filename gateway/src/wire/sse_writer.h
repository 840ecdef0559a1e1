#pragma once
// Writes SSE events for the client: field lines in the order the spec reads them, data split into one
// `data:` line per '\n' so that any payload round-trips through a conforming parser.
#include <cstdint>
#include <string>
#include <string_view>

#include "wire/sse_parser.h"

namespace sluice::gateway::detail {

// Appends an event with `data`, keeping `like`'s event type, id and retry fields.
void append_sse_event(const sse_event& like, std::string_view data, std::string& out);
// Appends an event with the given type (empty: no event line) and data.
void append_sse_event(std::string_view type, std::string_view data, std::string& out);

}  // namespace sluice::gateway::detail
