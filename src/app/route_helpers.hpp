// Small helpers shared by the route files: times, ids, errors, versions.
#pragma once

#include <charconv>
#include <chrono>
#include <ctime>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "core/identity.hpp"
#include "core/working_days.hpp"
#include "http/json_io.hpp"

namespace caredesk::app {

// UTC, second precision: 2026-11-24T09:00:00Z.
inline std::string Iso8601(core::TimePoint t) {
  const auto secs =
      std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<std::chrono::seconds>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

inline http::Json OptionalTime(const std::optional<core::TimePoint>& t) {
  return t ? http::Json(Iso8601(*t)) : http::Json(nullptr);
}

// Path and query ids are positive integers; anything else is simply not found.
inline std::optional<std::int64_t> ParsePositive(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) {
    return std::nullopt;
  }
  return v;
}

inline http::Response Fail(const core::Error& e, const http::Request& req) {
  return http::ErrorResponse(e, req.request_id);
}

// RFC 3339 with a zone (Z or +09:00), seconds optional: "2026-11-30T09:00:00+09:00".
using core::ParseRfc3339;

// The version in an If-Match header ("3" or W/"3" or 3); nullopt when absent.
// kBadRequest when present but not a version.
core::Result<std::optional<std::int64_t>> IfMatchVersion(const http::Request& req);

}  // namespace caredesk::app
