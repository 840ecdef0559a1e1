// Starting benchmark servers as child processes and learning their ports from what they print.
#include <gtest/gtest.h>

#include "child_process.h"

namespace sluice::bench {
namespace {

TEST(ChildProcess, ReadsThePortFromEitherAnnouncement) {
  EXPECT_EQ(child_process::port_in_line("sluice upstream-sim listening on http://127.0.0.1:41010"), 41010);
  EXPECT_EQ(child_process::port_in_line("sluice gateway listening on 127.0.0.1:5123 with 2 threads"), 5123);
  EXPECT_EQ(child_process::port_in_line("listening on http://[::1]:8080/"), 8080);
  EXPECT_FALSE(child_process::port_in_line("starting up"));
  EXPECT_FALSE(child_process::port_in_line("listening on somewhere"));
  EXPECT_FALSE(child_process::port_in_line("listening on 127.0.0.1:99999"));
}

TEST(ChildProcess, WaitsForTheAnnouncementOfAChild) {
  child_process child({"/bin/sh", "-c", "echo warming up >&2; echo 'x listening on 127.0.0.1:4321' >&2; sleep 30"});
  EXPECT_EQ(child.wait_for_port(std::chrono::seconds(10)), 4321);
  EXPECT_NE(child.log_tail().find("warming up"), std::string::npos);
  // The destructor stops the sleeping child.
}

TEST(ChildProcess, AChildThatExitsWithoutAPortGivesNothing) {
  child_process child({"/bin/sh", "-c", "echo 'cannot bind' >&2; exit 3"});
  EXPECT_FALSE(child.wait_for_port(std::chrono::seconds(10)));
  EXPECT_NE(child.log_tail().find("cannot bind"), std::string::npos);
}

TEST(ChildProcess, PassesExtraEnvironment) {
  child_process child({"/bin/sh", "-c", "echo \"listening on 127.0.0.1:$BENCH_PORT\" >&2; sleep 30"},
                      {"BENCH_PORT=2345"});
  EXPECT_EQ(child.wait_for_port(std::chrono::seconds(10)), 2345);
}

TEST(ChildProcess, MissingProgramThrows) {
  EXPECT_THROW(child_process({"/nonexistent/sluice"}), std::runtime_error);
}

}  // namespace
}  // namespace sluice::bench
