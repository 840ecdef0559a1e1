#pragma once
// JSON forms of keys and usage for the admin API.
#include <simdjson.h>

#include <string>

#include "governance/store/key_store.h"

namespace sluice::gateway {

// {"id":…,"name":…,…,"limits":{…},"status":"active|revoked|expired",…}. Never the secret or its hash.
void append_key_json(std::string& out, const key_record& key, std::int64_t now_ms);

// Applies the members of `object` to `key` (create: start from defaults; update: from the stored
// key). Returns an empty string, or what is wrong ("unknown field 'rmp'", "limits.requests_per_minute
// must be a non-negative integer", …).
[[nodiscard]] std::string apply_key_json(simdjson::dom::object object, key_record& key);

}  // namespace sluice::gateway
