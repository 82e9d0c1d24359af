// The composition root: the only place that knows every concrete type.
#pragma once

#include <memory>

#include "app/config.hpp"
#include "core/directory.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

// Sets up spdlog from the configuration (text or JSON lines on stderr).
void ConfigureLogging(const LogConfig& log);

class App {
 public:
  // Opens storage, runs migrations and makes sure the configured district exists.
  static core::Result<std::unique_ptr<App>> Open(const Config& config);
  ~App();

  storage::Storage& storage() { return *storage_; }
  const core::District& district() const { return district_; }
  http::Router& router() { return router_; }
  http::Metrics& metrics() { return metrics_; }
  const Config& config() const { return config_; }

  // Starts the HTTP server; returns the bound port.
  core::Result<std::uint16_t> StartServer();
  http::Server* server() { return server_.get(); }

  // Stops the server gracefully (if running) and closes the database.
  void Stop();

 private:
  App(Config config, std::unique_ptr<storage::Storage> storage, core::District district);
  void RegisterRoutes();

  Config config_;
  std::unique_ptr<storage::Storage> storage_;
  core::District district_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace caredesk::app
