#include "http/json_io.hpp"

#include <gtest/gtest.h>

namespace caredesk::http {
namespace {

Request JsonRequest(std::string body) {
  Request r;
  r.headers["content-type"] = "application/json; charset=utf-8";
  r.body = std::move(body);
  return r;
}

TEST(HttpStatus, MapsEveryCodeToItsStatus) {
  using core::ErrorCode;
  EXPECT_EQ(HttpStatus(ErrorCode::kMalformedJson), 400);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatus(ErrorCode::kForbidden), 403);
  EXPECT_EQ(HttpStatus(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatus(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatus(ErrorCode::kPreconditionFailed), 412);
  EXPECT_EQ(HttpStatus(ErrorCode::kPayloadTooLarge), 413);
  EXPECT_EQ(HttpStatus(ErrorCode::kValidationFailed), 422);
  EXPECT_EQ(HttpStatus(ErrorCode::kRateLimited), 429);
  EXPECT_EQ(HttpStatus(ErrorCode::kInternal), 500);
  EXPECT_EQ(HttpStatus(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatus(ErrorCode::kStorageFull), 507);
}

TEST(ErrorResponse, HasTheOneErrorShapeAndHidesInternalDetail) {
  auto e = core::Error::Internal("pqxx: connection to 10.0.0.5 refused");
  auto r = ErrorResponse(e, "req-1");
  EXPECT_EQ(r.status, 500);
  auto body = Json::parse(r.body);
  EXPECT_EQ(body["error"]["code"], "internal");
  EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
  EXPECT_FALSE(body["error"]["message_ko"].get<std::string>().empty());
  EXPECT_TRUE(body["error"]["details"].is_array());
  EXPECT_EQ(body["error"]["request_id"], "req-1");
  EXPECT_EQ(r.body.find("10.0.0.5"), std::string::npos);
  EXPECT_EQ(r.log_detail, "pqxx: connection to 10.0.0.5 refused");
}

TEST(ParseJsonObject, RejectsWrongContentType) {
  Request r = JsonRequest("{}");
  r.headers["content-type"] = "text/plain";
  auto p = ParseJsonObject(r);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, core::ErrorCode::kUnsupportedMediaType);
}

TEST(ParseJsonObject, RejectsMalformedJsonWithPosition) {
  auto p = ParseJsonObject(JsonRequest("{\"name\": }"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, core::ErrorCode::kMalformedJson);
  EXPECT_NE(p.error().message.find("byte"), std::string::npos);
}

// Found by the json_body fuzzer: a number beyond a double's range is not a parse_error to
// nlohmann::json, and escaped as an exception (the server answered 500).
TEST(ParseJsonObject, RejectsANumberOutOfRangeAsMalformed) {
  for (const char* body : {"1e309", "{\"count\": -1e400}", "1e309)\\u[{\"name\":\"x\"}]"}) {
    auto p = ParseJsonObject(JsonRequest(body));
    ASSERT_FALSE(p.ok()) << body;
    EXPECT_EQ(p.error().code, core::ErrorCode::kMalformedJson) << body;
    EXPECT_NE(p.error().message.find("out of range"), std::string::npos) << p.error().message;
  }
}

TEST(ParseJsonObject, RejectsInvalidUtf8) {
  auto p = ParseJsonObject(JsonRequest("{\"name\": \"\xC3\x28\"}"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, core::ErrorCode::kInvalidUtf8);
}

TEST(ParseJsonObject, RequiresAnObject) {
  auto p = ParseJsonObject(JsonRequest("[1,2]"));
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, core::ErrorCode::kValidationFailed);
}

TEST(ObjectReader, CollectsUnknownFieldsWrongTypesAndMissingFields) {
  auto j = Json::parse(R"({"name": 5, "nmae": "x", "count": 99999999999, "tags": ["a", 1]})");
  ObjectReader r(j, {"name", "count", "tags", "kind"});
  r.RequiredString("name");
  r.RequiredString("kind");
  r.RequiredInt("count", 1, 10);
  r.RequiredStringArray("tags", 5);
  auto s = r.Finish();
  ASSERT_FALSE(s.ok());
  std::vector<std::string> got;
  for (const auto& d : s.error().details) {
    got.push_back(d.field + ":" + d.code);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"nmae:unknown_field", "name:wrong_type", "kind:required",
                                           "count:out_of_range", "tags[1]:wrong_type"}));
}

TEST(ObjectReader, ReadsValidValues) {
  auto j = Json::parse(R"({"name": "치매안심센터", "count": 3, "tags": ["health"], "note": null})");
  ObjectReader r(j, {"name", "count", "tags", "note"});
  EXPECT_EQ(r.RequiredString("name"), "치매안심센터");
  EXPECT_EQ(r.RequiredInt("count", 1, 10), 3);
  EXPECT_EQ(r.RequiredStringArray("tags", 5), std::vector<std::string>{"health"});
  EXPECT_FALSE(r.OptionalString("note").has_value());
  EXPECT_TRUE(r.Finish().ok());
}

// Found by the json_body fuzz harness: nlohmann::json reads 0 as unsigned, and OptionalId let an
// unsigned 0 through as an id (a client got "not found" instead of the wrong_type violation).
TEST(ObjectReader, OptionalIdTakesPositiveIdsOnly) {
  for (const char* body : {R"({"id": 0})", R"({"id": -0})", R"({"id": -3})", R"({"id": 1.0})",
                           R"({"id": 9223372036854775808})", R"({"id": "3"})"}) {
    const auto j = Json::parse(body);
    ObjectReader r(j, {"id"});
    EXPECT_FALSE(r.OptionalId("id").has_value()) << body;
    auto finished = r.Finish();
    ASSERT_FALSE(finished.ok()) << body;
    EXPECT_EQ(finished.error().details[0].code, "wrong_type") << body;
  }
  const auto j = Json::parse(R"({"id": 9223372036854775807, "null": null})");
  ObjectReader r(j, {"id", "null"});
  EXPECT_EQ(r.OptionalId("id"), INT64_MAX);
  EXPECT_FALSE(r.OptionalId("null").has_value());
  EXPECT_TRUE(r.Finish().ok());
}

TEST(JsonResponse, NeverThrowsOnInvalidUtf8) {
  Json j = {{"x", std::string("\xFF\xFE")}};
  auto r = JsonResponse(200, j);
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.empty());
}

}  // namespace
}  // namespace caredesk::http
