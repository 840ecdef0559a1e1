#include "base/thread_pool_allocator.h"

namespace sluice::gateway {

std::pmr::memory_resource& thread_block_pool() noexcept {
  // Header fields are a few dozen to a few hundred bytes; 4 KiB covers the longest usual value (a
  // cookie, a long key) with room, and anything larger is rare enough for operator new.
  thread_local std::pmr::unsynchronized_pool_resource pool(
      std::pmr::pool_options{.max_blocks_per_chunk = 64, .largest_required_pool_block = 4096},
      std::pmr::new_delete_resource());
  return pool;
}

}  // namespace sluice::gateway
