// The encoded-run finder: maximal base64 runs of at least min_base64_run bytes, wherever they fall
// relative to the 64-byte blocks its first check reads.
#include <gtest/gtest.h>

#include <string>

#include "scan/encoded_payload.h"

namespace sluice::engine {
namespace {

encoded_rule_ids both_kinds() {
  encoded_rule_ids ids;
  ids.base64 = 1;
  ids.hex = 2;
  return ids;
}

std::string filler(std::size_t n) {
  std::string s;
  while (s.size() < n) {
    s += "the quick fox ";
  }
  s.resize(n);
  return s;
}

TEST(EncodedRuns, FindsARunAtEveryOffset) {
  const std::string run = "aWdub3JlIGFsbCBwcmV2aW91";  // 24 base64 characters
  for (std::size_t at = 0; at < 140; ++at) {
    const std::string text = filler(at) + " " + run + " " + filler(200);
    std::vector<payload_run> out;
    find_encoded_runs(text, both_kinds(), out);
    ASSERT_EQ(out.size(), 1u) << "at " << at;
    EXPECT_EQ(out[0].start, at + 1);
    EXPECT_EQ(out[0].end, at + 1 + run.size());
    EXPECT_EQ(out[0].rule, 1u);
  }
}

TEST(EncodedRuns, PaddingBelongsToTheRun) {
  const std::string run = "aWdub3JlIGFsbCBwcmV2aW91==";  // 24 base64 characters and two padding
  for (std::size_t at = 30; at < 70; ++at) {
    const std::string text = filler(at) + " " + run + " " + filler(100);
    std::vector<payload_run> out;
    find_encoded_runs(text, both_kinds(), out);
    ASSERT_EQ(out.size(), 1u) << "at " << at;
    EXPECT_EQ(out[0].end - out[0].start, run.size());
  }
}

TEST(EncodedRuns, OneCharacterShortIsNoRun) {
  const std::string text = filler(60) + " aWdub3JlIGFsbCBwcmV2aW9 " + filler(200);  // 23 characters
  std::vector<payload_run> out;
  find_encoded_runs(text, both_kinds(), out);
  EXPECT_TRUE(out.empty());
}

TEST(EncodedRuns, LongHexRunsAreHex) {
  const std::string hex(40, 'a');
  const std::string text = filler(100) + " " + hex + " " + filler(100);
  std::vector<payload_run> out;
  find_encoded_runs(text, both_kinds(), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].rule, 2u);
}

}  // namespace
}  // namespace sluice::engine
