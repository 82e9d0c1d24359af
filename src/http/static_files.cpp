#include "http/static_files.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include "http/json_io.hpp"

namespace caredesk::http {
namespace {

namespace fs = std::filesystem;

// Vite puts content-hashed files under assets/: they never change under one name.
constexpr std::string_view kImmutableCache = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidate = "no-cache";
constexpr std::size_t kMaxFileBytes = 16U << 20U;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A request path is served only if every segment is a plain name.
bool IsSafeRelative(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    auto segment = path.substr(start, end - start);
    if (!segment.empty() &&
        (segment.front() == '.' || segment.find('\\') != std::string_view::npos ||
         segment.find('\0') != std::string_view::npos)) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) > kMaxFileBytes) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  return std::move(out).str();
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

std::string StaticFiles::ContentType(std::string_view file_name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json; charset=utf-8"},
  }};
  for (const auto& [ext, type] : kTypes) {
    if (file_name.size() >= ext.size() && file_name.substr(file_name.size() - ext.size()) == ext) {
      return std::string(type);
    }
  }
  return "application/octet-stream";
}

void StaticFiles::AddPageSecurityHeaders(Response& response) {
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
      "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
}

std::optional<Response> StaticFiles::Serve(const Request& request) const {
  const std::string_view path = request.path;
  if (StartsWith(path, "/api/") || path == "/api" || path.empty() || path.front() != '/') {
    return std::nullopt;
  }
  Response response;
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  const auto relative = path.substr(1);
  std::optional<std::string> body;
  std::string served_name;
  if (!relative.empty() && IsSafeRelative(relative)) {
    std::error_code ec;
    auto candidate = fs::weakly_canonical(root_ / fs::path(std::string(relative)), ec);
    auto root = fs::weakly_canonical(root_, ec);
    const auto [root_end, unused] =
        std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
    if (!ec && root_end == root.end()) {
      body = ReadFile(candidate);
      served_name = candidate.filename().string();
    }
  }
  if (!body && StartsWith(path, "/assets/")) {
    // A missing hashed asset is a stale page asking for an old build: a plain 404.
    response = ErrorResponse(
        core::Error::Make(core::ErrorCode::kNotFound, "No such file.", "요청한 파일이 없습니다."),
        request.request_id);
    response.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return response;
  }
  if (!body) {
    // The resident portal is a page of its own (small, no staff code); the rest is the
    // staff app, which routes by itself.
    const bool portal = path == "/ask" || StartsWith(path, "/ask/");
    served_name = portal ? "ask.html" : "index.html";
    body = ReadFile(root_ / served_name);
  }
  if (!body) {
    response = ErrorResponse(
        core::Error::Make(core::ErrorCode::kNotFound,
                          "The web app is not built here; run `make demo` or `make web`.",
                          "웹 화면이 설치되어 있지 않습니다. `make demo`로 빌드해 주세요."),
        request.request_id);
    return response;
  }
  response.status = 200;
  response.content_type = ContentType(served_name);
  response.body = std::move(*body);
  response.headers.emplace_back(
      "Cache-Control", std::string(StartsWith(path, "/assets/") ? kImmutableCache : kRevalidate));
  if (served_name.ends_with(".html")) {
    AddPageSecurityHeaders(response);
  }
  return response;
}

}  // namespace caredesk::http
