#pragma once
// What a model call borrows from its shard: the current configuration generation (with the shard's
// scanner for it), the upstream pool and keys, the metrics, the parsers and translators, the scan
// result, the audit buffer and the request-id source. The shard owns every object and fills one
// context for all its connections; everything in it is touched only by the shard's own thread (the
// metrics' counters are also read by a scrape on any shard). The pipeline sees this, never the shard.
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>

#include "dialects/openai/openai_request.h"
#include "dialects/openai/openai_response.h"
#include "pipeline/config_generation.h"
#include "governance/store/fleet_link.h"
#include "pipeline/metrics.h"
#include "sluice/engine/scanner.h"
#include "upstream/upstream_client.h"
#include "upstream/upstream_keys.h"

namespace sluice::gateway {

// One configuration generation on one shard: the generation and the shard's scanner for its rules.
// A request holds the one it started on until its last byte, whatever reloads happen meanwhile.
struct shard_generation {
  explicit shard_generation(std::shared_ptr<const config_generation> r) : rt(std::move(r)), scanner(rt->rules) {}
  std::shared_ptr<const config_generation> rt;
  engine::scanner scanner;
};

// Request ids, "req_sluice_<boot>_<shard>_<n>": <boot> is 16 hex digits drawn at random when the shard
// starts, so ids stay unique across restarts and across replicas writing one log; <n> counts the
// shard's requests, with no lock and no shared counter.
class request_ids {
 public:
  explicit request_ids(unsigned shard);
  // Writes the next id into `out` (its buffer reused: no allocation once it has grown).
  void next(std::string& out) noexcept;

 private:
  char prefix_[48] = {};  // "req_sluice_<boot>_<shard>_"
  std::size_t prefix_size_ = 0;
  std::uint64_t count_ = 0;
};

struct call_context {
  const std::shared_ptr<shard_generation>& current;  // the shard's current generation (replaced on reload)
  upstream_pool& pool;
  upstream_keys& keys;  // of the current generation's targets
  shard_metrics& metrics;
  simdjson::ondemand::parser& request_parser;
  simdjson::ondemand::parser& response_parser;
  openai_request_translator& openai_request;
  openai_response_translator& openai_response;
  engine::scan_result& scan_result;
  std::string& audit_buffer;  // the audit logger's lines, handed to the writer thread by the shard
  request_ids& ids;
  // The shard's connection to a shared governance store (Redis) for fleet-wide limits; null without one.
  const std::unique_ptr<fleet_link>& fleet;
};

}  // namespace sluice::gateway
