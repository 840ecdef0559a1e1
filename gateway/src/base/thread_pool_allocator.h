#pragma once
// An allocator for the small objects every request makes and frees again on its shard's thread: Beast's
// header fields (one block per field of the client's request and of the upstream's answer, eight a
// request with the usual headers). Each thread draws from its own pool of size-classed blocks, which keeps
// the blocks a request freed for the next one, so a warm shard asks malloc for none of them.
//
// The allocator is stateless (every instance is equal), so Beast builds its parsers and messages with it
// by default. Each block remembers its pool. A block freed on the thread that made it goes back to that
// pool; one freed on another thread (a session torn down with its io_context after the shard's thread
// ended) is left where it is, since the pools take no lock. The pools are never destroyed, so such a
// block, and every object still alive when its thread ends, stays valid memory.
#include <cstddef>
#include <memory_resource>
#include <type_traits>

namespace sluice::gateway {

namespace detail {
// Blocks are aligned for pointers and 64-bit integers, all Beast's fields need. (Not more: the pools'
// block sizes are multiples of 8, not all of 16, so a block is only as aligned as that.) The header in
// front of each block names its pool and keeps that alignment.
inline constexpr std::size_t pool_block_alignment = alignof(void*);
inline constexpr std::size_t pool_block_header = pool_block_alignment;
[[nodiscard]] void* allocate_pool_block(std::size_t bytes);
void free_pool_block(void* p, std::size_t bytes) noexcept;
}  // namespace detail

template <class T>
class thread_pool_allocator {
  static_assert(alignof(T) <= detail::pool_block_alignment, "the pools' blocks are 8-byte aligned");

 public:
  using value_type = T;
  using is_always_equal = std::true_type;

  thread_pool_allocator() noexcept = default;
  template <class U>
  thread_pool_allocator(const thread_pool_allocator<U>&) noexcept {}  // NOLINT: rebinding converts implicitly

  [[nodiscard]] T* allocate(std::size_t n) { return static_cast<T*>(detail::allocate_pool_block(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { detail::free_pool_block(p, n * sizeof(T)); }

  template <class U>
  friend bool operator==(const thread_pool_allocator&, const thread_pool_allocator<U>&) noexcept {
    return true;
  }
};

}  // namespace sluice::gateway
