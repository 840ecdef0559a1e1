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

// Resident memory grew by at most `limit_mib` since `before_kib`.
inline void expect_memory_bounded(const running_gateway& gw, long before_kib, long limit_mib) {
  const long now = gw.rss_kib();
  ASSERT_GT(now, 0);
  EXPECT_LT(now - before_kib, limit_mib * 1024) << "RSS " << before_kib << " KiB -> " << now << " KiB";
}

// A streamed Messages body whose prompt carries simulator directives.
inline std::string streamed(const std::string& directives) {
  return messages_body("stream please " + directives, true);
}

}  // namespace sluice::gateway::testing
