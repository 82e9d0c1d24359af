// libFuzzer: the small parsers and text functions that see user input before any route logic.
// The first byte picks the target ('0'..'6' in the seeds, any byte modulo 7), the rest is its
// input:
//   0 percent-decoding, query parameters, cookies      4 dates: ParseDate, ParseRfc3339
//   1 the router's path matching                        5 message templates
//   2 saved-filter validation                           6 If-Match versions
//   3 the masks and phone normalisation
// Invariants: no crash or sanitizer report, and what each function promises (see each Check).
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "app/route_helpers.hpp"
#include "core/case.hpp"
#include "core/notification.hpp"
#include "core/saved_filter.hpp"
#include "core/text.hpp"
#include "core/working_days.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "tests/fuzz/fuzz_checks.hpp"

namespace caredesk::fuzz {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// PercentDecode never grows its input and leaves text without escapes alone; the query and
// cookie readers find what is there.
void CheckPercentAndQuery(std::string_view input) {
  for (const bool plus : {false, true}) {
    const auto decoded = http::PercentDecode(input, plus);
    Require(decoded.size() <= input.size(), "PercentDecode grew its input", Quoted(input));
    if (input.find('%') == std::string_view::npos && input.find('+') == std::string_view::npos) {
      Require(decoded == input, "PercentDecode changed text without escapes", Quoted(input));
    }
  }
  http::Request req;
  req.query = std::string(input);
  req.headers["cookie"] = std::string(input);
  for (const char* name : {"q", "dong_id", "from", "", "caredesk_session"}) {
    if (const auto v = req.QueryParam(name)) {
      Require(v->size() <= input.size(), "QueryParam longer than the query", Quoted(input));
    }
    if (const auto v = req.CookieValue(name)) {
      Require(v->size() <= input.size() && input.find(*v) != std::string_view::npos,
              "CookieValue not taken from the header", Quoted(input));
    }
  }
}

http::Handler Echo() {
  return [](http::Request& req) {
    http::Response r;
    r.body = req.route;
    return r;
  };
}

// A match is one of the registered templates with every parameter filled.
void CheckRouter(std::string_view input) {
  static const http::Router router = [] {
    http::Router r;
    r.Get("/api/v1/cases", Echo());
    r.Get("/api/v1/cases/{id}", Echo());
    r.Post("/api/v1/cases/{id}/referrals", Echo());
    r.Add("PUT", "/api/v1/notification-templates/{kind}/{channel}", Echo());
    r.Get("/api/v1/calendar-feeds/{file}", Echo());
    return r;
  }();
  const auto space = input.find(' ');
  const auto method =
      space == std::string_view::npos ? std::string_view("GET") : input.substr(0, space);
  const auto path = space == std::string_view::npos ? input : input.substr(space + 1);
  const auto match = router.Find(method, path);
  if (match.kind == http::Router::MatchKind::kFound) {
    Require(match.handler != nullptr, "a match without a handler", Quoted(path));
    const auto routes = router.Routes();
    Require(std::any_of(routes.begin(), routes.end(),
                        [&](const auto& r) { return r.path_template == match.path_template; }),
            "a match names no registered template", Quoted(path));
    for (const auto& [name, value] : match.params) {
      Require(!name.empty() && !value.empty(), "an empty path parameter", Quoted(path));
    }
  }
  if (match.kind == http::Router::MatchKind::kMethodNotAllowed) {
    Require(!match.allowed.empty(), "405 without an Allow list", Quoted(path));
  }
}

// "name\nkey=value&key=value": an accepted filter has a trimmed name of 1-60 characters.
void CheckSavedFilter(std::string_view input) {
  const auto newline = input.find('\n');
  const auto name = input.substr(0, newline);
  std::map<std::string, std::string> query;
  if (newline != std::string_view::npos) {
    http::Request req;
    req.query = std::string(input.substr(newline + 1));
    for (const auto key : core::SavedFilterKeys()) {
      if (auto v = req.QueryParam(key)) {
        query[std::string(key)] = *v;
      }
    }
    for (const char* extra : {"q", "limit"}) {
      if (auto v = req.QueryParam(extra)) {
        query[extra] = *v;
      }
    }
  }
  auto checked = core::ValidateSavedFilter(name, query);
  if (!checked.ok()) {
    for (const auto& d : checked.error().details) {
      Require(d.field == "name" || d.field.starts_with("query."),
              "a saved-filter violation names an unknown field", d.field);
    }
    return;
  }
  Require(!checked->empty() && *checked == core::Trim(*checked) && core::IsValidUtf8(*checked) &&
              core::CodePointCount(*checked) <= core::kMaxSavedFilterNameChars,
          "an accepted saved-filter name breaks its rule", Quoted(*checked));
  Require(!query.contains("q"), "a search phrase was saved");
}

// Masks of what validation lets through stay valid UTF-8 (they are sent as JSON): names and
// addresses of any valid UTF-8, birth dates and registration numbers of ASCII (ValidateNewResident
// takes only YYYY-MM-DD and 13 digits); phones are digits.
void CheckMasks(std::string_view input) {
  const auto digits = core::NormalizePhone(input);
  Require(std::all_of(digits.begin(), digits.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }),
          "NormalizePhone kept a non-digit", Quoted(input));
  Require(core::IsValidUtf8(core::MaskPhone(digits)) && core::IsValidUtf8(core::MaskRrn(digits)),
          "a mask of digits made invalid UTF-8", Quoted(input));
  if (!core::IsValidUtf8(input)) {
    return;
  }
  const bool ascii = std::all_of(input.begin(), input.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) {
    Require(core::IsValidUtf8(core::MaskBirthDate(input)), "MaskBirthDate made invalid UTF-8",
            Quoted(input));
  }
  for (const auto& masked : {core::MaskName(input), core::MaskAddress(input)}) {
    Require(core::IsValidUtf8(masked), "a mask made invalid UTF-8 of valid input",
            Quoted(input) + " -> " + Quoted(masked));
  }
}

bool Digits(std::string_view s, std::size_t pos, std::size_t n) {
  return pos + n <= s.size() && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(pos),
                                            s.begin() + static_cast<std::ptrdiff_t>(pos + n),
                                            [](char c) { return c >= '0' && c <= '9'; });
}

// ParseDate accepts exactly what FormatDate writes; ParseRfc3339 accepts only RFC 3339:
// YYYY-MM-DD(T|t| )HH:MM[:SS[.f+]](Z|z|+HH:MM|-HH:MM), digits where digits belong.
void CheckDates(std::string_view input) {
  if (const auto d = core::ParseDate(input)) {
    Require(core::FormatDate(*d) == input, "ParseDate accepted what FormatDate does not write",
            Quoted(input));
  }
  if (!app::ParseRfc3339(input)) {
    return;
  }
  constexpr std::size_t kDate = 10;
  constexpr std::size_t kSecondsAt = 16;
  bool ok = core::ParseDate(input.substr(0, kDate)).has_value() && Digits(input, 11, 2) &&
            Digits(input, 14, 2) && input[13] == ':';
  std::size_t pos = kSecondsAt;
  if (ok && pos < input.size() && input[pos] == ':') {
    ok = Digits(input, pos + 1, 2);
    pos += 3;
    if (ok && pos < input.size() && input[pos] == '.') {
      ok = Digits(input, ++pos, 1);
      while (Digits(input, pos, 1)) {
        ++pos;
      }
    }
  }
  constexpr std::size_t kOffsetChars = 6;  // +09:00
  if (ok && pos < input.size() && (input[pos] == 'Z' || input[pos] == 'z')) {
    ok = pos + 1 == input.size();
  } else if (ok) {
    ok = pos + kOffsetChars == input.size() && (input[pos] == '+' || input[pos] == '-') &&
         Digits(input, pos + 1, 2) && input[pos + 3] == ':' && Digits(input, pos + 4, 2);
  }
  Require(ok, "ParseRfc3339 accepted a time that is not RFC 3339", Quoted(input));
}

// Validation never crashes; a valid template of valid UTF-8 with valid parameters renders
// valid UTF-8.
void CheckTemplates(std::string_view input) {
  if (input.empty()) {
    return;
  }
  const auto kinds = core::AllValues<core::NotificationKind>();
  const auto channels = core::AllValues<core::NotificationChannel>();
  const auto pick = static_cast<unsigned char>(input.front());
  const auto kind = kinds[pick % kinds.size()];
  const auto channel = channels[(pick / kinds.size()) % channels.size()];
  const auto body = input.substr(1);
  const auto valid = core::ValidateTemplate(kind, channel, body);
  std::map<std::string, std::string> params;
  for (const auto name : core::PlaceholdersOf(kind)) {
    params[std::string(name)] = "마포구 {{x}} 2026-서교-000001";
  }
  const auto rendered = core::RenderTemplate(body, params);
  // A template arrives in a JSON body, which is valid UTF-8 (ParseJsonObject).
  if (valid.ok() && core::IsValidUtf8(body)) {
    Require(core::IsValidUtf8(rendered), "a valid template renders invalid UTF-8", Quoted(body));
  }
}

// An If-Match version is a positive number or a 400 bad_request.
void CheckIfMatch(std::string_view input) {
  http::Request req;
  req.headers["if-match"] = std::string(input);
  auto version = app::IfMatchVersion(req);
  if (!version.ok()) {
    Require(version.error().code == core::ErrorCode::kBadRequest, "If-Match: not a 400");
    return;
  }
  if (*version) {
    Require(**version > 0, "If-Match: a non-positive version", Quoted(input));
  } else {
    Require(core::Trim(input).empty(), "If-Match: a value read as absent", Quoted(input));
  }
}

}  // namespace
}  // namespace caredesk::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caredesk::fuzz;
  if (size == 0) {
    return 0;
  }
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr int kTargets = 7;
  switch (static_cast<unsigned char>(data[0] - '0') % kTargets) {
    case 0:
      CheckPercentAndQuery(input);
      break;
    case 1:
      CheckRouter(input);
      break;
    case 2:
      CheckSavedFilter(input);
      break;
    case 3:
      CheckMasks(input);
      break;
    case 4:
      CheckDates(input);
      break;
    case 5:
      CheckTemplates(input);
      break;
    default:
      CheckIfMatch(input);
      break;
  }
  return 0;
}
