#include "core/error.hpp"

#include <utility>

namespace caredesk::core {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kMalformedJson:
      return "malformed_json";
    case ErrorCode::kInvalidUtf8:
      return "invalid_utf8";
    case ErrorCode::kBadRequest:
      return "bad_request";
    case ErrorCode::kUnauthenticated:
      return "unauthenticated";
    case ErrorCode::kSecondFactorRequired:
      return "second_factor_required";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kCsrfRejected:
      return "csrf_rejected";
    case ErrorCode::kPasswordChangeRequired:
      return "password_change_required";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kPreconditionFailed:
      return "precondition_failed";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kHeadersTooLarge:
      return "headers_too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kValidationFailed:
      return "validation_failed";
    case ErrorCode::kRuleViolated:
      return "rule_violated";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kInternal:
      return "internal";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kStorageFull:
      return "storage_full";
  }
  return "internal";
}

Error Error::Make(ErrorCode code, std::string message, std::string message_ko,
                  std::string internal_detail) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.message_ko = std::move(message_ko);
  e.internal_detail = std::move(internal_detail);
  return e;
}

Error Error::NotFound(std::string_view what_en, std::string_view what_ko) {
  return Make(ErrorCode::kNotFound, std::string(what_en) + " not found.",
              std::string(what_ko) + "을(를) 찾을 수 없습니다.");
}

Error Error::Validation(std::vector<FieldViolation> details) {
  Error e =
      Make(ErrorCode::kValidationFailed, "Some fields are invalid.", "입력값을 확인해 주세요.");
  e.details = std::move(details);
  return e;
}

Error Error::Internal(std::string internal_detail) {
  return Make(ErrorCode::kInternal, "An internal error occurred.",
              "내부 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.", std::move(internal_detail));
}

Error Error::Unavailable(std::string internal_detail) {
  return Make(ErrorCode::kUnavailable, "The service is temporarily unavailable.",
              "일시적으로 서비스를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.",
              std::move(internal_detail));
}

Error Error::StorageFull(std::string internal_detail) {
  return Make(ErrorCode::kStorageFull,
              "The server's disk is full: nothing new can be saved, and personal data cannot be "
              "shown while its access record cannot be saved. Ask the system administrator to "
              "free disk space.",
              "서버 저장 공간이 가득 찼습니다. 새 기록을 저장할 수 없고, 열람 기록을 남길 수 "
              "없는 동안 개인정보도 보여 드릴 수 없습니다. 시스템 관리자에게 저장 공간 확보를 "
              "요청해 주세요.",
              std::move(internal_detail));
}

}  // namespace caredesk::core
