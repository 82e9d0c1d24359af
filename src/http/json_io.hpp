// JSON in and out of HTTP messages, and the one mapping from core::Error to
// an HTTP status and the error shape:
//   {"error": {"code", "message", "message_ko", "details": [...], "request_id"}}
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/result.hpp"
#include "http/message.hpp"

namespace caredesk::http {

using Json = nlohmann::json;

int HttpStatus(core::ErrorCode code);

// The error response for `error`; `request_id` is echoed so that users can quote it.
Response ErrorResponse(const core::Error& error, std::string_view request_id);

// A JSON response. Strings that are not valid UTF-8 are replaced, never thrown on.
Response JsonResponse(int status, const Json& body);

// Parses the request body as one JSON object. Errors: 415 when the content type
// is not JSON, 400 invalid_utf8, 400 malformed_json (with line and column),
// 422 validation_failed when the top level is not an object.
core::Result<Json> ParseJsonObject(const Request& request);

// Reads fields of a JSON object while collecting every violation, so a client
// learns about all bad fields at once. Unknown fields are violations too:
// a typo in a field name must not silently drop data.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::initializer_list<std::string_view> known_fields);
  ObjectReader(const Json& object, const std::vector<std::string>& known_fields,
               std::string prefix = "");
  // For a nested object: violations name their field as "<prefix>.<field>".
  ObjectReader(const Json& object, std::initializer_list<std::string_view> known_fields,
               std::string prefix);

  std::string RequiredString(std::string_view field);
  std::optional<std::string> OptionalString(std::string_view field);
  // A positive integer id, or nullopt when absent or null.
  std::optional<std::int64_t> OptionalId(std::string_view field);
  int RequiredInt(std::string_view field, int min, int max);
  std::vector<std::string> RequiredStringArray(std::string_view field, std::size_t max_items);
  std::optional<std::vector<std::string>> OptionalStringArray(std::string_view field,
                                                              std::size_t max_items);
  std::optional<std::vector<std::int64_t>> OptionalIdArray(std::string_view field,
                                                           std::size_t max_items);
  std::optional<bool> OptionalBool(std::string_view field);
  std::optional<int> OptionalInt(std::string_view field, int min, int max);
  // A finite number (integer or not); ranges are the caller's to check.
  std::optional<double> OptionalNumber(std::string_view field);
  // The nested object, or nullptr when absent/null (a non-object is a violation).
  const Json* OptionalObject(std::string_view field);
  // Takes over the violations of a nested reader.
  void Adopt(ObjectReader& nested);
  // Adds a violation found by the caller.
  void Add(core::FieldViolation violation);
  std::string Path(std::string_view field) const;

  // kValidationFailed with every violation, or success.
  core::Status Finish();

 private:
  const Json* Find(std::string_view field);
  void WrongType(std::string_view field, std::string_view expected, std::string_view expected_ko);

  const Json& object_;
  std::string prefix_;
  std::vector<core::FieldViolation> violations_;
};

}  // namespace caredesk::http
