// Expected failures as values. Every failure the outside world can see is an
// Error; one function in http/ maps it to a status and the JSON error shape.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace caredesk::core {

enum class ErrorCode {
  kMalformedJson,           // body is not JSON                          -> 400
  kInvalidUtf8,             // body or parameter is not valid UTF-8       -> 400
  kBadRequest,              // request is unusable for another reason     -> 400
  kUnauthenticated,         // no or expired session                      -> 401
  kSecondFactorRequired,    // signed in, but the TOTP code is still due  -> 401
  kForbidden,               // authenticated but not allowed              -> 403
  kCsrfRejected,            // state change without the session's CSRF token -> 403
  kPasswordChangeRequired,  // must replace the initial password first -> 403
  kNotFound,                // no such record, or not visible to the actor -> 404
  kMethodNotAllowed,        // route exists, method does not              -> 405
  kConflict,                // duplicate or illegal state transition      -> 409
  kPreconditionFailed,      // stale version (If-Match)                   -> 412
  kPayloadTooLarge,         // body over the configured limit             -> 413
  kHeadersTooLarge,         // request headers over the configured limit  -> 431
  kUnsupportedMediaType,    // not application/json                    -> 415
  kValidationFailed,        // well-formed but invalid fields             -> 422
  kRuleViolated,            // a domain rule refuses the operation        -> 422
  kRateLimited,             // too many requests                          -> 429
  kInternal,                // a bug or unexpected environment failure    -> 500
  kUnavailable,             // database unreachable, shutting down        -> 503
  kStorageFull,             // the disk is full: the write was not saved   -> 507
};

// The stable machine-readable name of a code, e.g. "validation_failed".
std::string_view ErrorCodeName(ErrorCode code);

// One offending field: `field` is a JSON pointer-ish path ("categories[2]").
struct FieldViolation {
  std::string field;
  std::string code;        // e.g. "required", "too_long", "unknown_field"
  std::string message;     // English
  std::string message_ko;  // Korean
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;          // public, English
  std::string message_ko;       // public, Korean
  std::string internal_detail;  // logged, never sent to the client
  std::vector<FieldViolation> details;
  // kRateLimited: when to try again (the HTTP layer sends it as Retry-After); 0 when unknown.
  int retry_after_seconds = 0;

  static Error Make(ErrorCode code, std::string message, std::string message_ko,
                    std::string internal_detail = {});
  static Error NotFound(std::string_view what_en, std::string_view what_ko);
  static Error Validation(std::vector<FieldViolation> details);
  static Error Internal(std::string internal_detail);
  static Error Unavailable(std::string internal_detail);
  static Error StorageFull(std::string internal_detail);
};

}  // namespace caredesk::core
