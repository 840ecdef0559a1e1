// Which store a configuration names: a redis:// or rediss:// URL is the shared Redis store, anything else the
// embedded SQLite file (the default, for one process).
#include <stdexcept>

#include "governance/store/key_store.h"
#include "governance/store/redis_store.h"

namespace sluice::gateway {

std::unique_ptr<governance_store> open_governance_store(const std::string& path_or_url, const std::string& password,
                                                        const std::string& key_prefix, const store_tls_options& tls) {
  if (!is_redis_url(path_or_url)) {
    return open_sqlite_store(path_or_url);
  }
  redis_target target;
  std::string why;
  if (!parse_redis_url(path_or_url, target, why)) {
    throw std::runtime_error("governance store " + path_or_url + ": " + why);
  }
  target.password = password;
  target.key_prefix = key_prefix;
  target.tls_options = tls;
  return open_redis_store(target);
}

}  // namespace sluice::gateway
