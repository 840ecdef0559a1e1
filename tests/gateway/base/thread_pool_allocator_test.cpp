// thread_pool_allocator: the per-thread block pool behind the parsed requests' header fields. What a
// shard relies on: a block freed is the one handed out next for the same size (so a warm shard parses
// headers without malloc), large blocks still work, a block stays valid after its thread has ended and
// may be freed on another one, and Beast's parser reads a request into pooled fields exactly as into
// the default ones.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>

#include "http/asio_types.h"

namespace sluice::gateway {
namespace {

TEST(ThreadPoolAllocator, AFreedBlockIsHandedOutAgainForTheSameSize) {
  thread_pool_allocator<char> a;
  char* first = a.allocate(120);
  std::memset(first, 'x', 120);
  a.deallocate(first, 120);
  char* second = a.allocate(120);
  EXPECT_EQ(first, second);
  a.deallocate(second, 120);
}

TEST(ThreadPoolAllocator, BlocksLargerThanThePoolsComeFromTheHeap) {
  thread_pool_allocator<char> a;
  constexpr std::size_t big = 256 * 1024;
  char* p = a.allocate(big);
  std::memset(p, 'y', big);
  EXPECT_EQ(p[big - 1], 'y');
  a.deallocate(p, big);
}

TEST(ThreadPoolAllocator, ABlockOutlivesTheThreadThatMadeItAndMayBeFreedElsewhere) {
  // A session torn down with its io_context after its shard's thread ended frees its header fields on
  // another thread: the block must still be valid memory, and freeing it there must not disturb this
  // thread's pool.
  thread_pool_allocator<char> a;
  char* made_elsewhere = nullptr;
  std::thread t([&] {
    made_elsewhere = a.allocate(64);
    std::memset(made_elsewhere, 'z', 64);
  });
  t.join();
  EXPECT_EQ(made_elsewhere[63], 'z');
  a.deallocate(made_elsewhere, 64);
  char* mine = a.allocate(64);
  std::memset(mine, 'm', 64);
  EXPECT_NE(mine, made_elsewhere);
  a.deallocate(mine, 64);
}

TEST(ThreadPoolAllocator, BeastParsesARequestIntoPooledFields) {
  const std::string wire =
      "POST /v1/messages HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
      "Authorization: Bearer sk-test\r\nanthropic-version: 2023-06-01\r\nContent-Length: 2\r\n\r\n{}";
  for (int round = 0; round < 2; ++round) {  // the second parse reuses the first one's blocks
    client_request_parser parser;
    error_code ec;
    std::size_t used = 0;
    while (!parser.is_done() && !ec && used < wire.size()) {  // Beast stops once after the head
      used += parser.put(net::buffer(wire.data() + used, wire.size() - used), ec);
    }
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(used, wire.size());
    ASSERT_TRUE(parser.is_done());
    const client_request& req = parser.get();
    EXPECT_EQ(sv(req.target()), "/v1/messages");
    EXPECT_EQ(sv(req[http::field::authorization]), "Bearer sk-test");
    EXPECT_EQ(sv(req["anthropic-version"]), "2023-06-01");
    EXPECT_EQ(req.body(), "{}");
  }
}

}  // namespace
}  // namespace sluice::gateway
