// Plain request/response types. Handlers see only these, never Beast, so
// Boost.Beast stays inside server.cpp (and the build stays quick).
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caredesk::http {

struct Request {
  std::string method;                          // "GET"
  std::string target;                          // raw target: "/api/v1/agencies?dong=3"
  std::string path;                            // "/api/v1/agencies"
  std::string query;                           // "dong=3" (undecoded)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string remote_ip;
  std::string request_id;
  std::map<std::string, std::string> path_params;  // filled by the router
  std::string route;  // the matched template, e.g. "/api/v1/agencies/{id}"

  // The header's value, or empty. `name` must be lower case.
  std::string_view Header(std::string_view name) const;
  // The value of cookie `name` from the Cookie header, if present.
  std::optional<std::string> CookieValue(std::string_view name) const;
  // The decoded value of query parameter `name`, if present.
  std::optional<std::string> QueryParam(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool close = false;  // close the connection after this response
  // Logged with the request id for 5xx answers; never sent to the client.
  std::string log_detail;
};

// Decodes %XX and '+' (in query strings). Invalid escapes are kept verbatim.
std::string PercentDecode(std::string_view s, bool plus_is_space);

}  // namespace caredesk::http
