#include "http/router.hpp"

#include <algorithm>

#include "core/result.hpp"
#include "core/text.hpp"
#include "http/json_io.hpp"

namespace caredesk::http {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  if (!path.empty() && path.front() == '/') {
    start = 1;
  }
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) {
      break;
    }
    start = slash + 1;
  }
  return out;
}

// One template segment against one path segment: literal text and {name}
// parameters, e.g. "{id}" or "services.{format}" or "{id}.{format}". A parameter
// takes at least one character and ends at the last occurrence of the literal
// after it, so "tok.en.xml" against "{token}.{format}" is token "tok.en", format "xml".
bool MatchSegment(std::string_view want, std::string_view got,
                  std::map<std::string, std::string>& params) {
  if (want.find('{') == std::string_view::npos) {
    return want == got;
  }
  std::size_t w = 0;
  std::size_t g = 0;
  while (w < want.size()) {
    if (want[w] != '{') {
      const auto open = want.find('{', w);
      const auto literal = want.substr(w, open == std::string_view::npos ? open : open - w);
      if (got.substr(g, literal.size()) != literal) {
        return false;
      }
      g += literal.size();
      w += literal.size();
      continue;
    }
    const auto close = want.find('}', w);
    if (close == std::string_view::npos) {
      return false;
    }
    const auto name = want.substr(w + 1, close - w - 1);
    w = close + 1;
    std::size_t end = got.size();
    if (w < want.size()) {
      const auto next_open = want.find('{', w);
      const auto literal =
          want.substr(w, next_open == std::string_view::npos ? next_open : next_open - w);
      const auto at = got.rfind(literal);
      if (at == std::string_view::npos || at <= g) {
        return false;
      }
      end = at;
    }
    if (end <= g) {
      return false;
    }
    params[std::string(name)] = PercentDecode(got.substr(g, end - g), false);
    g = end;
  }
  return g == got.size();
}

}  // namespace

void Router::Add(std::string method, std::string path_template, Handler handler) {
  Route r;
  for (auto s : Split(path_template)) {
    r.segments.emplace_back(s);
  }
  for (const auto& existing : routes_) {
    if (existing.method == method && existing.segments == r.segments) {
      core::Panic("route registered twice");
    }
  }
  r.method = std::move(method);
  r.path_template = std::move(path_template);
  r.handler = std::move(handler);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(std::string_view method, std::string_view path) const {
  const auto segments = Split(path);
  Match result;
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) {
      continue;
    }
    std::map<std::string, std::string> params;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      ok = MatchSegment(route.segments[i], segments[i], params);
    }
    if (!ok) {
      continue;
    }
    if (route.method == method || (method == "HEAD" && route.method == "GET")) {
      result.kind = MatchKind::kFound;
      result.handler = &route.handler;
      result.path_template = route.path_template;
      result.params = std::move(params);
      return result;
    }
    result.kind = MatchKind::kMethodNotAllowed;
    result.path_template = route.path_template;
    if (std::find(result.allowed.begin(), result.allowed.end(), route.method) ==
        result.allowed.end()) {
      result.allowed.push_back(route.method);
    }
  }
  return result;
}

Response Router::Dispatch(Request& request) const {
  try {
    if (!core::IsValidUtf8(PercentDecode(request.target, true))) {
      return ErrorResponse(
          core::Error::Make(core::ErrorCode::kInvalidUtf8, "The URL is not valid UTF-8.",
                            "주소(URL)가 올바른 UTF-8 문자열이 아닙니다."),
          request.request_id);
    }
    auto match = Find(request.method, request.path);
    switch (match.kind) {
      case MatchKind::kFound:
        request.route = match.path_template;
        request.path_params = std::move(match.params);
        return (*match.handler)(request);
      case MatchKind::kMethodNotAllowed: {
        request.route = match.path_template;
        Response response = ErrorResponse(
            core::Error::Make(core::ErrorCode::kMethodNotAllowed,
                              "This method is not allowed here.", "허용되지 않는 요청 방식입니다."),
            request.request_id);
        std::string allow;
        for (const auto& m : match.allowed) {
          allow += (allow.empty() ? "" : ", ") + m;
        }
        response.headers.emplace_back("Allow", allow);
        return response;
      }
      case MatchKind::kNotFound:
        break;
    }
    if (fallback_ && (request.method == "GET" || request.method == "HEAD")) {
      if (auto page = fallback_(request)) {
        request.route = "static";
        return std::move(*page);
      }
    }
    return ErrorResponse(core::Error::Make(core::ErrorCode::kNotFound, "No such resource.",
                                           "요청한 주소가 없습니다."),
                         request.request_id);
  } catch (const std::exception& e) {
    return ErrorResponse(core::Error::Internal(std::string("handler threw: ") + e.what()),
                         request.request_id);
  } catch (...) {
    return ErrorResponse(core::Error::Internal("handler threw a non-exception"),
                         request.request_id);
  }
}

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) {
    out.push_back({r.method, r.path_template});
  }
  return out;
}

}  // namespace caredesk::http
