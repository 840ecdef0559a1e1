#include "base/thread_pool_allocator.h"

#include <memory>
#include <mutex>
#include <vector>

namespace sluice::gateway::detail {
namespace {

struct block_pool {
  // Header fields are a few dozen to a few hundred bytes; 4 KiB covers the longest usual value (a
  // cookie, a long key) with room, and anything larger is rare enough for operator new.
  std::pmr::unsynchronized_pool_resource pool{
      std::pmr::pool_options{.max_blocks_per_chunk = 64, .largest_required_pool_block = 4096},
      std::pmr::new_delete_resource()};
};

// Every thread's pool, kept for the life of the process (see the header): one per thread that ever
// parsed a request, a fixed number in a running gateway.
block_pool& this_thread_pool() {
  thread_local block_pool* const mine = [] {
    static std::mutex registry_mutex;
    static auto* registry = new std::vector<std::unique_ptr<block_pool>>();  // never destroyed, on purpose
    const std::lock_guard<std::mutex> lock(registry_mutex);
    registry->push_back(std::make_unique<block_pool>());
    return registry->back().get();
  }();
  return *mine;
}

}  // namespace

void* allocate_pool_block(std::size_t bytes) {
  block_pool& owner = this_thread_pool();
  auto* raw = static_cast<unsigned char*>(owner.pool.allocate(pool_block_header + bytes, pool_block_alignment));
  *reinterpret_cast<block_pool**>(raw) = &owner;
  return raw + pool_block_header;
}

void free_pool_block(void* p, std::size_t bytes) noexcept {
  unsigned char* raw = static_cast<unsigned char*>(p) - pool_block_header;
  block_pool* owner = *reinterpret_cast<block_pool**>(raw);
  if (owner == &this_thread_pool()) {
    owner->pool.deallocate(raw, pool_block_header + bytes, pool_block_alignment);
  }
  // Otherwise another thread's pool holds it; it stays allocated there (only at shutdown).
}

}  // namespace sluice::gateway::detail
