// The real wiring (App) on a fresh database and an ephemeral port.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "app/app.hpp"
#include "tests/support/backends.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/temp_dir.hpp"

namespace caredesk::testing {

inline app::Config TestConfig(storage::Backend backend, const TempDir& dir) {
  app::Config config;
  config.storage = FreshStorageConfig(backend, dir);
  config.server.port = 0;
  config.server.io_threads = 2;
  config.server.worker_threads = 4;
  return config;
}

// Opens the app; `before_start` may add test-only routes. Fails the test on error.
inline std::unique_ptr<app::App> StartApp(const app::Config& config, std::uint16_t* port,
                                          const std::function<void(app::App&)>& before_start = {}) {
  auto opened = app::App::Open(config);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().message << " " << opened.error().internal_detail;
    return nullptr;
  }
  auto app = std::move(*opened);
  if (before_start) {
    before_start(*app);
  }
  auto bound = app->StartServer();
  if (!bound.ok()) {
    ADD_FAILURE() << bound.error().message;
    return nullptr;
  }
  *port = *bound;
  return app;
}

}  // namespace caredesk::testing
