// Serves the staff web app (web/dist, built by Vite) from a directory on disk.
// Only regular files below the root are served: no "..", no hidden files, no
// symlinks out of the root. /ask and below answer ask.html (the resident
// portal); any other GET outside /api/ answers index.html so the single-page
// app can route by itself (a bookmark of /cases/12 works).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace caredesk::http {

class StaticFiles {
 public:
  // `root` need not exist yet; then nothing is served and Serve() says so.
  explicit StaticFiles(std::filesystem::path root);

  // The response for GET/HEAD `request.path`, or nullopt when the path is
  // not the web app's (it starts with /api/ or names an operational route).
  std::optional<Response> Serve(const Request& request) const;

  // The Content-Type for a file name, by extension ("index.html" → text/html).
  static std::string ContentType(std::string_view file_name);

  // Headers every HTML page of the app carries: a strict same-origin CSP, no
  // framing, no referrer, no sniffing.
  static void AddPageSecurityHeaders(Response& response);

 private:
  std::filesystem::path root_;
};

}  // namespace caredesk::http
