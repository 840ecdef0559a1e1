// fixed_text: a short text held inline, cut at its capacity. An empty view (whose data() may be null,
// as a default std::string_view's is) assigns nothing: `make asan` found memcpy given that null pointer
// with a size of 0, which UBSan reports (the C library may assume a valid pointer).
#include <gtest/gtest.h>

#include <string_view>

#include "base/fixed_text.h"

namespace sluice::gateway {
namespace {

TEST(FixedText, AnEmptyViewWithANullPointerAssignsNothing) {
  fixed_text<8> t("abc");
  t.assign(std::string_view{});
  EXPECT_EQ(t.view(), "");
  t.assign("abcdefghij");
  EXPECT_EQ(t.view(), "abcdefgh");
}

}  // namespace
}  // namespace sluice::gateway
