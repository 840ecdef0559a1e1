#pragma once
// A test seam: the fault-injection tests make the audit log's writes fail (disk full, read-only file
// system) without a full disk or privileges to mount one. Zero (always, outside tests): writes go to
// the file; an errno value: every write fails with it until set back to zero.
#include <atomic>

namespace sluice::gateway::testing_seam {

inline std::atomic<int> audit_write_errno{0};

}  // namespace sluice::gateway::testing_seam
