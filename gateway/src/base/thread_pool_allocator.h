#pragma once
// An allocator for the small objects every request makes and frees again on its shard's thread: Beast's
// header fields (one block per field of the client's request and of the upstream's answer, eight a
// request with the usual headers). Each thread draws from its own pool of size-classed blocks, which keeps
// the blocks a request freed for the next one, so a warm shard asks malloc for none of them.
//
// The allocator is stateless (every instance is equal), so Beast builds its parsers and messages with it
// by default. An object must be freed on the thread that allocated it, as everything a shard owns is:
// the pool takes no lock. (A block freed on another thread is not reused: the pool keeps it as in use.)
#include <cstddef>
#include <memory_resource>
#include <type_traits>

namespace sluice::gateway {

// The calling thread's pool: blocks up to 4 KiB come from size-classed pools that keep what was freed;
// larger ones go to operator new. It holds as much as the thread ever had in use at once, until the
// thread ends.
[[nodiscard]] std::pmr::memory_resource& thread_block_pool() noexcept;

template <class T>
class thread_pool_allocator {
 public:
  using value_type = T;
  using is_always_equal = std::true_type;

  thread_pool_allocator() noexcept = default;
  template <class U>
  thread_pool_allocator(const thread_pool_allocator<U>&) noexcept {}  // NOLINT: rebinding converts implicitly

  [[nodiscard]] T* allocate(std::size_t n) {
    return static_cast<T*>(thread_block_pool().allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { thread_block_pool().deallocate(p, n * sizeof(T), alignof(T)); }

  template <class U>
  friend bool operator==(const thread_pool_allocator&, const thread_pool_allocator<U>&) noexcept {
    return true;
  }
};

}  // namespace sluice::gateway
