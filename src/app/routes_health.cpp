#include "app/openapi_document.hpp"
#include "app/routes.hpp"
#include "http/json_io.hpp"

namespace caredesk::app {

void RegisterHealthRoutes(http::Router& router, storage::Storage& storage, http::Metrics& metrics) {
  // Liveness: the process answers. Never touches the database.
  router.Get("/healthz", [](http::Request&) {
    return http::JsonResponse(200, {{"status", "ok"}});
  });
  // Readiness: the database answers, so a load balancer may send traffic here.
  router.Get("/readyz", [&storage](http::Request& req) {
    if (!storage.Ping()) {
      return http::ErrorResponse(core::Error::Unavailable("readiness: database ping failed"),
                                 req.request_id);
    }
    auto version = storage.SchemaVersion();
    return http::JsonResponse(
        200,
        {{"status", "ready"},
         {"database", storage.backend() == storage::Backend::kSqlite ? "sqlite" : "postgresql"},
         {"schema_version", version.ok() ? *version : -1}});
  });
  router.Get("/api/v1/openapi.json", [](http::Request&) {
    http::Response r;
    r.body = std::string(OpenApiDocument());
    return r;
  });
  router.Get("/metrics", [&metrics](http::Request&) {
    http::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics.RenderPrometheus();
    return r;
  });
}

}  // namespace caredesk::app
