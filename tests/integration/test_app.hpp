// The real wiring (App) on a fresh database and an ephemeral port.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>

#include "app/app.hpp"
#include "crypto/crypto.hpp"
#include "http/json_io.hpp"
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
  config.security.key_file = dir.File("test.key");
  config.triage.model_file.clear();  // keyword rules: no model file outside the test's own
  if (!std::filesystem::exists(config.security.key_file)) {
    auto made = crypto::GenerateKeyFile(config.security.key_file);
    EXPECT_TRUE(made.ok()) << (made.ok() ? "" : made.error().message);
  }
  return config;
}

inline constexpr const char* kTestPassword = "Initial-Pass-2026";
inline constexpr const char* kChangedPassword = "Changed-Pass-2026";

// A signed-in client: sends the session cookie and the CSRF token.
struct Client {
  std::uint16_t port = 0;
  std::string cookie;
  std::string csrf;

  std::map<std::string, std::string> Headers() const {
    std::map<std::string, std::string> h;
    if (!cookie.empty()) {
      h["Cookie"] = cookie;
    }
    if (!csrf.empty()) {
      h["X-CSRF-Token"] = csrf;
    }
    return h;
  }
  HttpResult Get(const std::string& target) const {
    return Request(port, "GET", target, "", "application/json", Headers());
  }
  HttpResult Post(const std::string& target, const std::string& body) const {
    return Request(port, "POST", target, body, "application/json", Headers());
  }
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = {}) const {
    return Request(port, method, target, body, "application/json", Headers());
  }
};

// Creates the account (if missing) with kTestPassword.
inline core::User EnsureUser(app::App& app, const std::string& login, const std::string& role,
                             std::optional<core::DongId> dong = std::nullopt,
                             std::optional<core::AgencyId> agency = std::nullopt) {
  if (auto u = app.storage().users().FindByLogin(app.district().id, login); u.ok()) {
    return *u;
  }
  core::NewUser input{login, login + " 테스트", role, dong, agency, kTestPassword};
  auto created = app.auth().Bootstrap(input);
  EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
  return created.ok() ? *created : core::User{};
}

// Signs in over HTTP; with `change_password` also replaces the initial password
// (kTestPassword -> kChangedPassword) so the account is fully usable.
inline Client SignIn(std::uint16_t port, const std::string& login,
                     const std::string& password = kTestPassword, bool change_password = true) {
  Client c{port, "", ""};
  const auto r = Request(port, "POST", "/api/v1/auth/login",
                         http::Json{{"login", login}, {"password", password}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) {
    return c;
  }
  const auto set_cookie = r.headers.at("set-cookie");
  c.cookie = set_cookie.substr(0, set_cookie.find(';'));
  const auto body = http::Json::parse(r.body);
  c.csrf = body["csrf_token"].get<std::string>();
  if (change_password && body["must_change_password"].get<bool>()) {
    const auto changed = c.Post(
        "/api/v1/auth/password",
        http::Json{{"current_password", password}, {"new_password", kChangedPassword}}.dump());
    EXPECT_EQ(changed.status, 204) << changed.body;
  }
  return c;
}

// Opens the app; `before_start` may add test-only routes. Fails the test on error.
// Fewer fold models and no ensemble: a quicker training (the sanitizer build runs the tests
// too); the shipped defaults are for the figures, not for the tests.
inline core::TriageTrainOptions QuickTriageTraining() {
  auto options = core::DefaultTriageTrainOptions();
  options.categories.folds = 3;
  options.categories.ensemble = 1;
  options.crisis.folds = 3;
  options.crisis.ensemble = 1;
  return options;
}

// The options every test opens the app with: the cheapest Argon2id cost keeps the many sign-ins
// of the tests fast.
inline app::OpenOptions TestOpenOptions(const core::Clock* clock = nullptr) {
  app::OpenOptions options;
  options.clock = clock;
  options.password_cost = crypto::PasswordCost::Minimum();
  options.triage_training = QuickTriageTraining();
  return options;
}

inline std::unique_ptr<app::App> StartApp(const app::Config& config, std::uint16_t* port,
                                          const std::function<void(app::App&)>& before_start,
                                          const app::OpenOptions& options) {
  auto opened = app::App::Open(config, options);
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

inline std::unique_ptr<app::App> StartApp(const app::Config& config, std::uint16_t* port,
                                          const std::function<void(app::App&)>& before_start = {},
                                          const core::Clock* clock = nullptr) {
  return StartApp(config, port, before_start, TestOpenOptions(clock));
}

// Stores screening households and their signals as one import would (the CLI's
// file reading is tested in cli_test.sh). Fails the test on error.
inline void StoreScreeningData(app::App& app, const std::vector<core::StoredHousehold>& households,
                               const std::vector<core::RiskSignal>& signals) {
  core::ScreeningImport record;
  record.district_id = app.district().id;
  record.imported_by = "test";
  record.source = "test";
  auto imported = app.storage().screening().Import(
      record, [&](core::ScreeningImportWriter& w) -> core::Result<core::ScreeningImport> {
        w.AddHouseholds(households);
        w.AddSignals(signals);
        auto out = record;
        out.households = static_cast<std::int64_t>(households.size());
        out.signals = static_cast<std::int64_t>(signals.size());
        return out;
      });
  EXPECT_TRUE(imported.ok()) << (imported.ok() ? "" : imported.error().internal_detail);
}

}  // namespace caredesk::testing
