#include <gtest/gtest.h>

#include "governance/governance_service.h"
#include "sluice/gateway/governance_options.h"

namespace sluice::gateway {
namespace {

TEST(AccessControlOpenMode, AdmitsRequestWithoutCredential) {
  governance_service controller;
  admission_request request;
  request.endpoint = "/v1/messages";
  request.team_header = "search";
  admission a = controller.admit(request);
  ASSERT_TRUE(a.allowed);
  EXPECT_TRUE(a.held.active());
  EXPECT_EQ(a.held.caller().team, "search");
  controller.settle(std::move(a.held), usage_report{});
  EXPECT_FALSE(a.held.active());
}

TEST(AccessControlOpenMode, RequireKeysRefusesMissingCredentialWith401) {
  governance_options options;
  options.require_keys = true;
  governance_service controller(options);
  const admission a = controller.admit(admission_request{});
  EXPECT_FALSE(a.allowed);
  EXPECT_EQ(a.http_status, 401);
  EXPECT_EQ(a.error_type, "authentication_error");
  EXPECT_EQ(a.reason, refusal::missing_key);
}

}  // namespace
}  // namespace sluice::gateway
