// What every harness of tests/fuzz asserts about an answer, and how it reports a broken
// invariant: a message on stderr and abort(), so that libFuzzer saves the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <string_view>

#include "http/json_io.hpp"
#include "http/message.hpp"

namespace caredesk::fuzz {

// Runs before Fail() aborts (a harness removes its temporary directory there).
inline std::function<void()>& BeforeAbort() {
  static std::function<void()> hook;
  return hook;
}

[[noreturn]] inline void Fail(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n*** fuzz invariant broken: %.*s\n%.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(detail.size()), detail.data());
  if (BeforeAbort()) {
    BeforeAbort()();
  }
  std::abort();
}

inline void Require(bool condition, std::string_view what, std::string_view detail = {}) {
  if (!condition) {
    Fail(what, detail);
  }
}

// A non-empty JSON string member `key` of `object`.
inline bool HasText(const http::Json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() && !it->get<std::string>().empty();
}

// An error answer (4xx/5xx) has the one error shape of json_io.hpp:
// {"error": {"code", "message", "message_ko", "details": [...], "request_id"}}.
inline void CheckErrorShape(const http::Response& response, std::string_view request_id) {
  Require(response.content_type.starts_with("application/json"), "error answer is not JSON",
          response.content_type);
  const auto body = http::Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  Require(body.is_object() && body.contains("error") && body["error"].is_object(),
          "error answer without an error object", response.body);
  const auto& error = body["error"];
  Require(HasText(error, "code") && HasText(error, "message") && HasText(error, "message_ko"),
          "error without code, message or message_ko", response.body);
  Require(error.contains("details") && error["details"].is_array(), "error without details",
          response.body);
  for (const auto& d : error["details"]) {
    Require(d.is_object() && HasText(d, "code") && HasText(d, "message") &&
                HasText(d, "message_ko") && d.contains("field") && d["field"].is_string(),
            "error detail without field, code, message or message_ko", response.body);
  }
  Require(error.contains("request_id") && error["request_id"] == request_id,
          "error answer does not echo the request id", response.body);
}

// Open311's own error format (GeoReport v2): a list of {code, description} with the HTTP status
// as the code, in JSON or as <errors><error><code/><description/></error></errors>.
inline void CheckOpen311ErrorShape(const http::Response& response) {
  const std::string code = std::to_string(response.status);
  if (response.content_type.starts_with("text/xml")) {
    Require(response.body.find("<errors><error><code>" + code + "</code><description>") !=
                std::string::npos,
            "an Open311 XML error without <errors><error><code>", response.body);
    return;
  }
  const auto body = http::Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  Require(body.is_array() && body.size() == 1 && body[0].is_object() &&
              body[0].value("code", 0) == response.status && HasText(body[0], "description"),
          "an Open311 JSON error is not [{code, description}]", response.body);
  Require(response.status == 400 || response.status == 403 || response.status == 404,
          "an Open311 error status other than 400, 403 or 404", code);
}

}  // namespace caredesk::fuzz
