// Refusals in each client's dialect: bodies, statuses and stream error events.
#include "dialects/api_errors.h"

#include <gtest/gtest.h>

#include <string>

#include "dialects/anthropic/messages_request.h"

namespace sluice::gateway {
namespace {

TEST(ApiErrors, AnthropicBodyHasTypeAndMessage) {
  std::string out;
  append_error_body(api_dialect::anthropic, {api_error_kind::permission, "blocked by prompt-injection"}, out);
  EXPECT_EQ(out, R"({"type":"error","error":{"type":"permission_error","message":"blocked by prompt-injection"}})");
}

TEST(ApiErrors, AnthropicBodyCarriesRequestIdWhenGiven) {
  api_error e{api_error_kind::rate_limit, "slow down"};
  e.request_id = "req_1";
  std::string out;
  append_error_body(api_dialect::anthropic, e, out);
  EXPECT_EQ(out, R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"},"request_id":"req_1"})");
}

TEST(ApiErrors, OpenAiBodyHasMessageTypeParamAndCode) {
  std::string out;
  api_error e{api_error_kind::invalid_request, "max_tokens is required"};
  e.param = "max_tokens";
  append_error_body(api_dialect::openai, e, out);
  EXPECT_EQ(out, R"({"error":{"message":"max_tokens is required","type":"invalid_request_error","param":"max_tokens","code":null}})");
  out.clear();
  append_error_body(api_dialect::openai, {api_error_kind::authentication, "bad key"}, out);
  EXPECT_EQ(out, R"({"error":{"message":"bad key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})");
}

TEST(ApiErrors, MessagesAreEscaped) {
  std::string out;
  append_error_body(api_dialect::openai, {api_error_kind::invalid_request, "bad \"field\"\n\\"}, out);
  EXPECT_NE(out.find(R"("message":"bad \"field\"\n\\")"), std::string::npos) << out;
}

TEST(ApiErrors, EveryAnthropicTypeHasItsStatus) {
  const std::pair<api_error_kind, std::pair<const char*, unsigned>> cases[] = {
      {api_error_kind::invalid_request, {"invalid_request_error", 400}},
      {api_error_kind::authentication, {"authentication_error", 401}},
      {api_error_kind::billing, {"billing_error", 402}},
      {api_error_kind::permission, {"permission_error", 403}},
      {api_error_kind::not_found, {"not_found_error", 404}},
      {api_error_kind::request_too_large, {"request_too_large", 413}},
      {api_error_kind::rate_limit, {"rate_limit_error", 429}},
      {api_error_kind::api_error, {"api_error", 500}},
      {api_error_kind::timeout, {"timeout_error", 504}},
      {api_error_kind::overloaded, {"overloaded_error", 529}},
  };
  for (const auto& [kind, expected] : cases) {
    EXPECT_EQ(anthropic_type_name(kind), expected.first);
    EXPECT_EQ(http_status(kind), expected.second);
    EXPECT_EQ(error_kind_for_status(expected.second), kind) << expected.second;
    EXPECT_EQ(error_kind_for_anthropic_type(expected.first, 500), kind);
  }
}

TEST(ApiErrors, StatusMappingForOtherCodes) {
  EXPECT_EQ(error_kind_for_status(415), api_error_kind::invalid_request);
  EXPECT_EQ(error_kind_for_status(405), api_error_kind::invalid_request);
  EXPECT_EQ(error_kind_for_status(502), api_error_kind::api_error);
  EXPECT_EQ(error_kind_for_status(503), api_error_kind::overloaded);
  EXPECT_EQ(http_status(api_error_kind::overloaded, api_dialect::openai), 503u);
  EXPECT_EQ(error_kind_for_anthropic_type("some_new_error", 429), api_error_kind::rate_limit);
}

TEST(ApiErrors, StreamErrorEventsInBothDialects) {
  std::string out;
  append_stream_error_event(api_dialect::anthropic, {api_error_kind::overloaded, "Overloaded"}, out);
  EXPECT_EQ(out, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
  out.clear();
  append_stream_error_event(api_dialect::openai, {api_error_kind::permission, "blocked"}, out);
  EXPECT_EQ(out, "data: {\"error\":{\"message\":\"blocked\",\"type\":\"permission_error\",\"param\":null,\"code\":\"permission_denied\"}}\n\n");
}

TEST(ApiErrors, UpstreamAnthropicErrorBecomesOpenAiError) {
  simdjson::ondemand::parser parser;
  std::string buffer;
  std::string out;
  const auto kind = append_openai_error_from_anthropic(
      parser, padded_copy(buffer, R"({"type":"error","error":{"type":"rate_limit_error","message":"Number of requests exceeded"}})"),
      429, out);
  EXPECT_EQ(kind, api_error_kind::rate_limit);
  EXPECT_EQ(out, R"({"error":{"message":"Number of requests exceeded","type":"rate_limit_error","param":null,"code":"rate_limit_exceeded"}})");
}

TEST(ApiErrors, UnreadableUpstreamErrorGetsAGenericMessage) {
  simdjson::ondemand::parser parser;
  std::string buffer;
  std::string out;
  const auto kind = append_openai_error_from_anthropic(parser, padded_copy(buffer, "<html>bad gateway</html>"), 502, out);
  EXPECT_EQ(kind, api_error_kind::api_error);
  EXPECT_EQ(out, R"({"error":{"message":"the upstream API returned an error","type":"server_error","param":null,"code":null}})");
}

TEST(ApiErrors, DialectErrorBecomesInvalidRequest) {
  const api_error e = to_api_error(make_error(dialect_errc::wrong_type, "messages must be an array"));
  EXPECT_EQ(e.kind, api_error_kind::invalid_request);
  EXPECT_EQ(e.message, "messages must be an array");
  EXPECT_EQ(to_api_error(make_error(dialect_errc::too_large, "big")).kind, api_error_kind::request_too_large);
}

}  // namespace
}  // namespace sluice::gateway
