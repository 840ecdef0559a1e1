#pragma once
// What every fault-injection test checks after its fault: the gateway still answers a normal client,
// and its memory stayed bounded.
#include <gtest/gtest.h>

#include "faults/running_gateway.h"

namespace sluice::gateway::testing {

// The gateway answers a normal request with 200 after the fault.
inline void expect_still_serving(const running_gateway& gw) {
  ASSERT_TRUE(gw.alive()) << gw.output();
  const http_reply r = gw.normal_request();
  EXPECT_EQ(r.status, 200u) << r.body;
  EXPECT_NE(r.body.find("a normal client asks"), std::string::npos) << r.body;
}

// True in the sanitizer builds (make asan, make tsan build the tests and the gateway alike). There RSS says
// little about the gateway's own use: ASan keeps freed blocks in a quarantine (a 100 MB answer streamed
// through raised RSS by 100 MB, by nothing with the quarantine off) and TSan adds shadow memory to every
// allocation. Memory bounds are checked in the plain build only, like timings.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)  // gcc
constexpr bool built_with_sanitizer = true;
#elif defined(__has_feature)  // clang
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool built_with_sanitizer = true;
#else
constexpr bool built_with_sanitizer = false;
#endif
#else
constexpr bool built_with_sanitizer = false;
#endif

// Resident memory grew by at most `limit_mib` since `before_kib` (outside sanitizer builds).
inline void expect_memory_bounded(const running_gateway& gw, long before_kib, long limit_mib) {
  const long now = gw.rss_kib();
  ASSERT_GT(now, 0);
  if (!built_with_sanitizer) {
    EXPECT_LT(now - before_kib, limit_mib * 1024) << "RSS " << before_kib << " KiB -> " << now << " KiB";
  }
}

// A streamed Messages body whose prompt carries simulator directives.
inline std::string streamed(const std::string& directives) {
  return messages_body("stream please " + directives, true);
}

}  // namespace sluice::gateway::testing
