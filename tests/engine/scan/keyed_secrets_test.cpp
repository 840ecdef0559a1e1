// Secrets known by the setting they are assigned to (issue 14): what a user pastes, redacted with the
// default catalog.
#include <gtest/gtest.h>

#include <string>

#include "block_redaction.h"
#include "test_rules.h"

namespace sluice::engine {
namespace {

std::string redacted(const std::string& text) { return testing::block_redaction(testing::default_rules(), text); }

TEST(KeyedSecrets, AwsSecretKeyOnTheLineAfterItsKeyId) {
  const std::string text =
      "[default]\n"
      "aws_access_key_id = \"AKIAKAEDCMPB5U4MOS7A\"\n"
      "secret_key = \"C3J27XDCG2LmlZGEONYl/gCtjfIZ4SO+cMz9CPVN\"\n";
  const std::string out = redacted(text);
  EXPECT_EQ(out.find("AKIAKAEDCMPB5U4MOS7A"), std::string::npos) << out;
  EXPECT_EQ(out.find("C3J27XDCG2LmlZGEONYl"), std::string::npos) << out;
  EXPECT_NE(out.find("secret_key = \"[REDACTED:API_KEY]\""), std::string::npos) << out;
}

TEST(KeyedSecrets, SendGridKeyInADjangoMailSetting) {
  // Segment lengths other than SendGrid's usual 22.43: the setting's name is what says it is a secret.
  for (const std::string value : {"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",
                                  "SG.kR3vX9mL2pQ7.tZ1wN8bC4yD6hJ0fG5sA"}) {
    const std::string out = redacted("EMAIL_HOST_USER = 'apikey'\nEMAIL_HOST_PASSWORD = '" + value + "'\n");
    EXPECT_EQ(out.find(value.substr(3, 10)), std::string::npos) << out;
    EXPECT_NE(out.find("EMAIL_HOST_USER = 'apikey'"), std::string::npos) << out;
  }
}

TEST(KeyedSecrets, TokenAndSecretSettingNames) {
  for (const std::string line : {"SLACK_SIGNING_TOKEN=9f8e7d6c5b4a39281706f5e4d3c2b1a0",
                                 "GITHUB_WEBHOOK_SECRET: \"a81f0c2e9d7b4c3fa6e5d8b1c0f2e3d4\"",
                                 "SECRET_KEY = 'p9Xk2mQ7vLz4Rt8Wn1Bc6Yd3Hj0Gs5Ea'",
                                 "\"client_secret\": \"6da89121079f83b2eb6acccf8219ea982c3d79bccc3e9c6a85856480661f8fde\""}) {
    const std::string out = redacted(line);
    EXPECT_NE(out.find("[REDACTED:API_KEY]"), std::string::npos) << line << " -> " << out;
  }
}

TEST(KeyedSecrets, SettingsThatHoldNoSecretPass) {
  for (const std::string line : {"MAX_TOKENS = 4096", "PRIMARY_KEY = \"user_id_and_timestamp\"",
                                 "API_KEY = os.environ[\"API_KEY\"]", "token_url = https://auth.example.com/oauth2/token",
                                 "SECRET_KEY = \"changeme\"", "Please rotate the secret in 2 weeks."}) {
    EXPECT_EQ(redacted(line), line);
  }
}

}  // namespace
}  // namespace sluice::engine
