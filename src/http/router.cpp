#include "http/router.hpp"

#include <algorithm>

#include "core/result.hpp"

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

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
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
      const auto& want = route.segments[i];
      if (IsParam(want)) {
        if (segments[i].empty()) {
          ok = false;
        } else {
          params[want.substr(1, want.size() - 2)] = PercentDecode(segments[i], false);
        }
      } else {
        ok = want == segments[i];
      }
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

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> out;
  out.reserve(routes_.size());
  for (const auto& r : routes_) {
    out.push_back({r.method, r.path_template});
  }
  return out;
}

}  // namespace caredesk::http
