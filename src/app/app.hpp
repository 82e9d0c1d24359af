// The composition root: the only place that knows every concrete type.
#pragma once

#include <memory>

#include "app/auth_guard.hpp"
#include "app/config.hpp"
#include "app/jobs.hpp"
#include "app/triage_service.hpp"
#include "core/auth_service.hpp"
#include "core/case_service.hpp"
#include "core/checkin_service.hpp"
#include "core/directory.hpp"
#include "core/notification_service.hpp"
#include "core/ports/clock.hpp"
#include "core/open311_service.hpp"
#include "core/report_service.hpp"
#include "core/portal_service.hpp"
#include "core/screening_service.hpp"
#include "core/triage.hpp"
#include "crypto/crypto.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

// Sets up spdlog from the configuration (text or JSON lines on stderr).
void ConfigureLogging(const LogConfig& log);

// The wall clock, for production wiring.
class SystemClock final : public core::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

core::SecurityPolicy PolicyFrom(const SecurityConfig& security);

// What tests may change about how the app is opened.
struct OpenOptions {
  const core::Clock* clock = nullptr;  // null: the wall clock; must outlive the app
  crypto::PasswordCost password_cost = crypto::PasswordCost::Interactive();
  // How a retraining from the admin screen trains (tests: fewer folds, quicker).
  core::TriageTrainOptions triage_training = core::DefaultTriageTrainOptions();
  // Replaces the configured notification gateway (must outlive the app); null: the configured.
  core::NotificationGateway* gateway = nullptr;
  // False: StartServer does not start the outbox's background runner (tests that move the
  // outbox themselves, on their own clock).
  bool outbox_thread = true;
};

class App {
 public:
  // Opens storage, runs migrations, makes sure the configured district exists,
  // loads the key file and the triage model (triage.model_file; missing: keyword
  // rules with a warning; invalid: an error).
  static core::Result<std::unique_ptr<App>> Open(const Config& config, OpenOptions options = {});
  ~App();

  storage::Storage& storage() { return *storage_; }
  core::AuthService& auth() { return *auth_; }
  core::CaseService& cases() { return *cases_; }
  core::CheckinService& checkins() { return *checkins_; }
  core::ScreeningService& screening() { return *screening_; }
  core::PortalService& portal() { return *portal_; }
  core::Open311Service& open311() { return *open311_; }
  core::ReportService& reports() { return *reports_; }
  core::NotificationService& notifications() { return *notifications_; }
  // The outbox's own runner (it ticks every notifications.interval_seconds).
  JobRunner& outbox_jobs() { return *outbox_jobs_; }
  core::CaseRepository& case_repository() { return *case_repository_; }
  JobRunner& jobs() { return *jobs_; }
  core::AccessLog& access_log() { return *access_log_; }
  const crypto::CryptoSuite& crypto() const { return crypto_; }
  const core::District& district() const { return district_; }
  // The triage in use: triage().Current() (a retraining may replace it).
  TriageService& triage() { return *triage_; }
  http::Router& router() { return router_; }
  http::Metrics& metrics() { return metrics_; }
  const Config& config() const { return config_; }

  // Starts the HTTP server; returns the bound port.
  core::Result<std::uint16_t> StartServer();
  http::Server* server() { return server_.get(); }

  // Stops the server gracefully (if running) and closes the database.
  void Stop();

 private:
  App(Config config, std::unique_ptr<storage::Storage> storage, core::District district,
      crypto::CryptoSuite crypto, core::Triage triage,
      std::vector<core::DongBoundary> boundaries, const OpenOptions& options);
  void RegisterRoutes();

  Config config_;
  std::unique_ptr<storage::Storage> storage_;
  core::District district_;
  crypto::CryptoSuite crypto_;
  SystemClock system_clock_;
  const core::Clock& clock_;
  std::unique_ptr<TriageService> triage_;
  std::unique_ptr<core::AccessLog> access_log_;
  std::unique_ptr<core::AuthService> auth_;
  std::unique_ptr<core::CaseRepository> case_repository_;
  std::unique_ptr<core::CaseService> cases_;
  std::unique_ptr<core::CheckinService> checkins_;
  std::unique_ptr<core::ScreeningService> screening_;
  std::unique_ptr<core::PortalService> portal_;
  std::unique_ptr<core::Open311Service> open311_;
  std::unique_ptr<core::ReportRepository> report_repository_;
  std::unique_ptr<core::ReportCodec> report_codec_;
  std::unique_ptr<core::ReportService> reports_;
  std::unique_ptr<core::NotificationGateway> own_gateway_;
  std::unique_ptr<core::NotificationService> notifications_;
  std::unique_ptr<JobRunner> jobs_;
  std::unique_ptr<JobRunner> outbox_jobs_;
  bool outbox_thread_ = true;
  std::unique_ptr<AuthGuard> guard_;
  http::Router router_;
  http::Metrics metrics_;
  std::unique_ptr<http::Server> server_;
};

}  // namespace caredesk::app
