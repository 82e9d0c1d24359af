#include "http/json_io.hpp"

#include <algorithm>
#include <cmath>

#include "core/text.hpp"

namespace caredesk::http {

int HttpStatus(core::ErrorCode code) {
  using core::ErrorCode;
  switch (code) {
    case ErrorCode::kMalformedJson:
    case ErrorCode::kInvalidUtf8:
    case ErrorCode::kBadRequest:
      return 400;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kSecondFactorRequired:
      return 401;
    case ErrorCode::kForbidden:
    case ErrorCode::kCsrfRejected:
    case ErrorCode::kPasswordChangeRequired:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kPreconditionFailed:
      return 412;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kHeadersTooLarge:
      return 431;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kValidationFailed:
    case ErrorCode::kRuleViolated:
      return 422;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kInternal:
      return 500;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kStorageFull:
      return 507;
  }
  return 500;
}

Response JsonResponse(int status, const Json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response ErrorResponse(const core::Error& error, std::string_view request_id) {
  Json details = Json::array();
  for (const auto& d : error.details) {
    details.push_back({{"field", d.field},
                       {"code", d.code},
                       {"message", d.message},
                       {"message_ko", d.message_ko}});
  }
  Json body = {{"error",
                {{"code", core::ErrorCodeName(error.code)},
                 {"message", error.message},
                 {"message_ko", error.message_ko},
                 {"details", details},
                 {"request_id", request_id}}}};
  Response r = JsonResponse(HttpStatus(error.code), body);
  r.log_detail = error.internal_detail;
  if (error.retry_after_seconds > 0) {
    r.headers.emplace_back("Retry-After", std::to_string(error.retry_after_seconds));
  }
  return r;
}

core::Result<Json> ParseJsonObject(const Request& request) {
  const auto type = request.Header("content-type");
  if (type.find("application/json") == std::string_view::npos) {
    return core::Error::Make(core::ErrorCode::kUnsupportedMediaType,
                             "Send the body as application/json.",
                             "본문은 application/json 형식이어야 합니다.");
  }
  if (!core::IsValidUtf8(request.body)) {
    return core::Error::Make(core::ErrorCode::kInvalidUtf8, "The body is not valid UTF-8.",
                             "본문이 올바른 UTF-8 문자열이 아닙니다.");
  }
  Json parsed = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    // Re-parse with exceptions only to get the position for the message. A number beyond a
    // double's range (1e309) is an out_of_range, not a parse_error, and has no position.
    std::string where;
    std::string where_ko;
    try {
      const Json unused = Json::parse(request.body);
    } catch (const Json::parse_error& e) {
      where = where_ko = " (byte " + std::to_string(e.byte) + ")";
    } catch (const Json::exception&) {
      where = " (a number out of range)";
      where_ko = " (범위를 벗어난 숫자)";
    }
    return core::Error::Make(core::ErrorCode::kMalformedJson,
                             "The body is not well-formed JSON" + where + ".",
                             "본문이 올바른 JSON 형식이 아닙니다" + where_ko + ".");
  }
  if (!parsed.is_object()) {
    return core::Error::Validation(
        {{"", "not_an_object", "The body must be a JSON object.", "본문은 JSON 객체여야 합니다."}});
  }
  return parsed;
}

ObjectReader::ObjectReader(const Json& object, std::initializer_list<std::string_view> known_fields)
    : ObjectReader(object, known_fields, "") {}

ObjectReader::ObjectReader(const Json& object, std::initializer_list<std::string_view> known_fields,
                           std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {
  for (const auto& [key, _] : object_.items()) {
    if (std::find(known_fields.begin(), known_fields.end(), key) == known_fields.end()) {
      violations_.push_back(
          {Path(key), "unknown_field", "Unknown field.", "알 수 없는 항목입니다."});
    }
  }
}

ObjectReader::ObjectReader(const Json& object, const std::vector<std::string>& known_fields,
                           std::string prefix)
    : object_(object), prefix_(std::move(prefix)) {
  for (const auto& [key, _] : object_.items()) {
    if (std::find(known_fields.begin(), known_fields.end(), key) == known_fields.end()) {
      violations_.push_back(
          {Path(key), "unknown_field", "Unknown field.", "알 수 없는 항목입니다."});
    }
  }
}

std::string ObjectReader::Path(std::string_view field) const {
  return prefix_.empty() ? std::string(field) : prefix_ + "." + std::string(field);
}

void ObjectReader::Adopt(ObjectReader& nested) {
  for (auto& v : nested.violations_) {
    violations_.push_back(std::move(v));
  }
  nested.violations_.clear();
}

void ObjectReader::Add(core::FieldViolation violation) {
  violations_.push_back(std::move(violation));
}

std::optional<bool> ObjectReader::OptionalBool(std::string_view field) {
  const Json* v = Find(field);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_boolean()) {
    WrongType(field, "true or false", "true 또는 false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<int> ObjectReader::OptionalInt(std::string_view field, int min, int max) {
  if (Find(field) == nullptr) {
    return std::nullopt;
  }
  const auto before = violations_.size();
  const int n = RequiredInt(field, min, max);
  if (violations_.size() != before) {
    return std::nullopt;
  }
  return n;
}

std::optional<double> ObjectReader::OptionalNumber(std::string_view field) {
  const Json* v = Find(field);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_number() || !std::isfinite(v->get<double>())) {
    WrongType(field, "a number", "숫자");
    return std::nullopt;
  }
  return v->get<double>();
}

const Json* ObjectReader::OptionalObject(std::string_view field) {
  const Json* v = Find(field);
  if (v == nullptr) {
    return nullptr;
  }
  if (!v->is_object()) {
    WrongType(field, "an object", "객체");
    return nullptr;
  }
  return v;
}

std::optional<std::vector<std::string>> ObjectReader::OptionalStringArray(std::string_view field,
                                                                          std::size_t max_items) {
  if (Find(field) == nullptr) {
    return std::nullopt;
  }
  const auto before = violations_.size();
  auto out = RequiredStringArray(field, max_items);
  if (violations_.size() != before) {
    return std::nullopt;
  }
  return out;
}

std::optional<std::vector<std::int64_t>> ObjectReader::OptionalIdArray(std::string_view field,
                                                                       std::size_t max_items) {
  const Json* v = Find(field);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_array() || v->size() > max_items) {
    WrongType(field, "an array of at most " + std::to_string(max_items) + " ids",
              "ID 배열(최대 " + std::to_string(max_items) + "개)");
    return std::nullopt;
  }
  std::vector<std::int64_t> out;
  for (const auto& item : *v) {
    if (!item.is_number_integer() || item.get<std::int64_t>() <= 0) {
      WrongType(field, "an array of positive integer ids", "양의 정수 ID 배열");
      return std::nullopt;
    }
    out.push_back(item.get<std::int64_t>());
  }
  return out;
}

const Json* ObjectReader::Find(std::string_view field) {
  const auto it = object_.find(field);
  if (it == object_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

void ObjectReader::WrongType(std::string_view field, std::string_view expected,
                             std::string_view expected_ko) {
  violations_.push_back({Path(field), "wrong_type", "Expected " + std::string(expected) + ".",
                         std::string(expected_ko) + " 형식이어야 합니다."});
}

std::string ObjectReader::RequiredString(std::string_view field) {
  const Json* v = Find(field);
  if (v == nullptr) {
    violations_.push_back({Path(field), "required", "This field is required.", "필수 항목입니다."});
    return {};
  }
  if (!v->is_string()) {
    WrongType(field, "a string", "문자열");
    return {};
  }
  return v->get<std::string>();
}

std::optional<std::string> ObjectReader::OptionalString(std::string_view field) {
  const Json* v = Find(field);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    WrongType(field, "a string", "문자열");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::int64_t> ObjectReader::OptionalId(std::string_view field) {
  const Json* v = Find(field);
  if (v == nullptr) {
    return std::nullopt;
  }
  // nlohmann::json reads a non-negative integer (0 too) as unsigned, a negative one as signed.
  const bool positive = v->is_number_unsigned()
                            ? v->get<std::uint64_t>() >= 1 && v->get<std::uint64_t>() <= INT64_MAX
                            : v->is_number_integer() && v->get<std::int64_t>() > 0;
  if (!positive) {
    WrongType(field, "a positive integer id", "양의 정수 ID");
    return std::nullopt;
  }
  return v->get<std::int64_t>();
}

int ObjectReader::RequiredInt(std::string_view field, int min, int max) {
  const Json* v = Find(field);
  if (v == nullptr) {
    violations_.push_back({Path(field), "required", "This field is required.", "필수 항목입니다."});
    return 0;
  }
  if (!v->is_number_integer()) {
    WrongType(field, "an integer", "정수");
    return 0;
  }
  // Compare as int64 so that huge values cannot wrap into range.
  const auto n =
      v->is_number_unsigned()
          ? static_cast<std::int64_t>(std::min<std::uint64_t>(v->get<std::uint64_t>(), INT64_MAX))
          : v->get<std::int64_t>();
  if (n < min || n > max) {
    violations_.push_back(
        {Path(field), "out_of_range",
         "Must be between " + std::to_string(min) + " and " + std::to_string(max) + ".",
         std::to_string(min) + "~" + std::to_string(max) + " 사이의 값이어야 합니다."});
    return 0;
  }
  return static_cast<int>(n);
}

std::vector<std::string> ObjectReader::RequiredStringArray(std::string_view field,
                                                           std::size_t max_items) {
  const Json* v = Find(field);
  if (v == nullptr) {
    violations_.push_back({Path(field), "required", "This field is required.", "필수 항목입니다."});
    return {};
  }
  if (!v->is_array()) {
    WrongType(field, "an array of strings", "문자열 배열");
    return {};
  }
  if (v->size() > max_items) {
    violations_.push_back({Path(field), "too_many",
                           "At most " + std::to_string(max_items) + " items.",
                           "항목은 최대 " + std::to_string(max_items) + "개입니다."});
    return {};
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      WrongType(std::string(field) + "[" + std::to_string(i) + "]", "a string", "문자열");
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

core::Status ObjectReader::Finish() {
  if (violations_.empty()) {
    return {};
  }
  return core::Error::Validation(std::move(violations_));
}

}  // namespace caredesk::http
