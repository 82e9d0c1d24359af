// Maps method + path to a handler. Templates use {name} for one path segment:
// "/api/v1/agencies/{id}". Registration happens before the server starts;
// matching is then read-only and thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace caredesk::http {

using Handler = std::function<Response(Request&)>;
// Answers a GET/HEAD that no route matched, or declines with nullopt (then 404).
using Fallback = std::function<std::optional<Response>(const Request&)>;

struct RouteInfo {
  std::string method;
  std::string path_template;
};

class Router {
 public:
  void Add(std::string method, std::string path_template, Handler handler);
  void Get(std::string path_template, Handler h) {
    Add("GET", std::move(path_template), std::move(h));
  }
  void Post(std::string path_template, Handler h) {
    Add("POST", std::move(path_template), std::move(h));
  }

  enum class MatchKind { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    MatchKind kind = MatchKind::kNotFound;
    const Handler* handler = nullptr;
    std::string path_template;
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;  // for kMethodNotAllowed
  };

  // Matches `path` (already without the query). Path parameters are percent-decoded.
  Match Find(std::string_view method, std::string_view path) const;

  // Answers a request the way the server does once it has read it: a target that is not
  // valid UTF-8 once percent-decoded gets 400 invalid_utf8; then the matched handler, 405
  // method_not_allowed with an Allow header, the fallback for an unmatched GET/HEAD, or 404
  // not_found. Fills `request.route` (the template, "static" for the fallback, empty when
  // unmatched) and `request.path_params`. A handler that throws gets 500 internal (its
  // what() in log_detail): never an exception out of here. Thread-safe like Find.
  Response Dispatch(Request& request) const;

  // Every registered route, in registration order (for the OpenAPI check).
  std::vector<RouteInfo> Routes() const;

  // The web app's static files; set before the server starts.
  void SetFallback(Fallback fallback) { fallback_ = std::move(fallback); }
  const Fallback& fallback() const { return fallback_; }

 private:
  struct Route {
    std::string method;
    std::string path_template;
    std::vector<std::string> segments;  // "{id}" marks a parameter
    Handler handler;
  };
  std::vector<Route> routes_;
  Fallback fallback_;
};

}  // namespace caredesk::http
