// The audit chain and the governance store each take one writer: a second gateway or `sluice admin
// serve` on the same files is refused with a message saying so, instead of forking the chain or
// keeping a key table that never sees the first one's changes.
#include <gtest/gtest.h>

#include "governance_test_support.h"
#include "sluice/gateway/audit_log.h"
#include "sluice/gateway/audit_verify.h"
#include "governance/store/key_store.h"

namespace sluice::gateway {
namespace {

TEST(SingleWriter, SecondAuditLogOnTheSameDirectoryIsRefusedUntilTheFirstCloses) {
  testing::temp_dir dir;
  audit_options options;
  options.directory = dir.path();
  {
    audit_log first(options);
    first.append("request", "\"n\":1");
    try {
      audit_log second(options);
      FAIL() << "two writers on one audit chain";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("in use by another writer"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(dir.path()), std::string::npos) << e.what();
    }
  }
  audit_log again(options);  // the first one closed: the chain continues
  again.append("request", "\"n\":2");
  again.flush();
  EXPECT_TRUE(verify_audit_files({dir.path()}).ok());
}

TEST(SingleWriter, SecondProcessOnTheSameStoreIsRefused) {
  testing::temp_dir dir;
  const std::string db = dir.file("sluice.db");
  auto first = open_sqlite_store(db);
  try {
    auto second = open_sqlite_store(db);
    FAIL() << "two owners of one governance store";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the governance store " + db + " is in use"), std::string::npos)
        << e.what();
  }
  first.reset();
  EXPECT_NO_THROW((void)open_sqlite_store(db));
  EXPECT_NO_THROW((void)open_sqlite_store(""));  // in memory: private to its owner, nothing to lock
  EXPECT_NO_THROW((void)open_sqlite_store(""));
}

}  // namespace
}  // namespace sluice::gateway
