// The request-id source (see call_context.h).
#include "pipeline/call_context.h"

#include <cstdio>

namespace sluice::gateway {

void request_ids::next(std::string& out) {
  char id[48];
  std::snprintf(id, sizeof id, "req_sluice_%u_%llu", shard_, static_cast<unsigned long long>(++count_));
  out = id;
}

}  // namespace sluice::gateway
