#include "app/app.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/open311_boundaries.hpp"
#include "app/report_files.hpp"
#include "app/routes.hpp"
#include "app/triage_files.hpp"
#include "http/static_files.hpp"
#include "notify/gateways.hpp"

namespace caredesk::app {
namespace {

// %j in a pattern: the message escaped for a JSON string, so that a quote or
// a newline in a message cannot break the one-object-per-line format.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*tm*/,
              spdlog::memory_buf_t& dest) override {
    for (const char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"':
          dest.append(std::string_view("\\\""));
          break;
        case '\\':
          dest.append(std::string_view("\\\\"));
          break;
        case '\n':
          dest.append(std::string_view("\\n"));
          break;
        case '\r':
          dest.append(std::string_view("\\r"));
          break;
        case '\t':
          dest.append(std::string_view("\\t"));
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            dest.append(std::string_view("?"));
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

}  // namespace

void ConfigureLogging(const LogConfig& log) {
  auto logger = spdlog::stderr_color_mt("caredesk");
  if (log.format == "json") {
    // One JSON object per line; messages are key=value strings, never personal data.
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JsonEscapedMessage>('j').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","msg":"%j"})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
  }
  logger->set_level(spdlog::level::from_str(log.level));
  spdlog::set_default_logger(logger);
}

core::SecurityPolicy PolicyFrom(const SecurityConfig& security) {
  core::SecurityPolicy p;
  p.max_failed_logins = security.max_failed_logins;
  p.lockout = std::chrono::minutes(security.lockout_minutes);
  p.session_idle = std::chrono::minutes(security.session_idle_minutes);
  p.session_absolute = std::chrono::hours(security.session_absolute_hours);
  return p;
}

App::App(Config config, std::unique_ptr<storage::Storage> storage, core::District district,
         crypto::CryptoSuite crypto, core::Triage triage,
         std::vector<core::DongBoundary> boundaries, const OpenOptions& options)
    : config_(std::move(config)),
      storage_(std::move(storage)),
      district_(std::move(district)),
      crypto_(std::move(crypto)),
      clock_(options.clock != nullptr ? *options.clock : system_clock_),
      triage_(std::make_unique<TriageService>(
          std::move(triage),
          TriageService::Options{config_.triage.model_file, config_.triage.data_dir,
                                 options.triage_training},
          clock_)),
      access_log_(storage_->NewAccessLog(*crypto_.digester)) {
  auth_ = std::make_unique<core::AuthService>(
      core::AuthPorts{storage_->users(), storage_->sessions(), *access_log_, *crypto_.hasher,
                      *crypto_.sealer, *crypto_.random, *crypto_.digester, clock_},
      PolicyFrom(config_.security), district_.id);
  case_repository_ = storage_->NewCaseRepository(*crypto_.sealer, *crypto_.indexer);
  cases_ = std::make_unique<core::CaseService>(
      core::CasePorts{*case_repository_, storage_->holidays(), storage_->directory(),
                      storage_->users(), *access_log_, clock_, triage_.get()},
      district_.id);
  checkins_ = std::make_unique<core::CheckinService>(
      core::CheckinPorts{storage_->checkins(), *cases_, *case_repository_, storage_->users(),
                         *access_log_, *crypto_.sealer, *crypto_.digester, *crypto_.random, clock_},
      district_.id);
  screening_ = std::make_unique<core::ScreeningService>(
      core::ScreeningPorts{storage_->screening(), *cases_, storage_->users(),
                           storage_->directory(), *access_log_, clock_});
  portal_ = std::make_unique<core::PortalService>(
      core::PortalPorts{*cases_, *case_repository_, storage_->directory(), storage_->users(),
                        storage_->lookup_throttle(), *access_log_, clock_, triage_.get()},
      district_.id, district_.name);
  open311_ = std::make_unique<core::Open311Service>(
      core::Open311Ports{storage_->open311(), *cases_, *case_repository_, storage_->directory(),
                         storage_->users(), *access_log_, *crypto_.digester, *crypto_.random,
                         clock_},
      district_.id, std::move(boundaries));
  report_repository_ = storage_->NewReportRepository(*crypto_.sealer);
  report_codec_ = std::make_unique<JsonReportCodec>();
  reports_ = std::make_unique<core::ReportService>(
      core::ReportPorts{*report_repository_, storage_->directory(), storage_->users(),
                        *report_codec_, *crypto_.digester, clock_},
      district_.id);
  guard_ = std::make_unique<AuthGuard>(*auth_);
  const auto& nc = config_.notifications;
  outbox_thread_ = options.outbox_thread;
  core::NotificationGateway* gateway = options.gateway;
  if (gateway == nullptr && nc.gateway == "file") {
    own_gateway_ = std::make_unique<notify::FileSink>(nc.file);
  } else if (gateway == nullptr && nc.gateway == "webhook") {
    own_gateway_ = std::make_unique<notify::WebhookGateway>(
        notify::WebhookOptions{nc.webhook_url,
                               core::Bytes(nc.webhook_secret.begin(), nc.webhook_secret.end()),
                               std::chrono::milliseconds(nc.webhook_timeout_ms)},
        *crypto_.digester);
  }
  if (gateway == nullptr) {
    gateway = own_gateway_.get();
  }
  if (gateway == nullptr) {
    spdlog::warn("notifications.gateway=none: text messages and e-mails wait in the outbox");
  }
  notifications_ = std::make_unique<core::NotificationService>(
      core::NotificationPorts{storage_->outbox(), *case_repository_, storage_->users(),
                              *access_log_, gateway, clock_},
      district_.id,
      core::NotificationSettings{
          district_.code, district_.name, nc.max_attempts,
          // A batch of 50 at the gateway's timeout each, and a minute to spare.
          std::chrono::seconds(50 * nc.webhook_timeout_ms / 1000 + 60)});
  const std::string holder = crypto_.random->RandomHex(8);
  outbox_jobs_ = std::make_unique<JobRunner>(*storage_, clock_, holder);
  outbox_jobs_->Add({"outbox", std::chrono::seconds(0), [this]() -> core::Status {
                       auto report = notifications_->DeliverDue();
                       if (!report.ok()) {
                         return std::move(report).error();
                       }
                       if (report->Total() > 0) {
                         spdlog::info("job=outbox sent={} retried={} dead={} skipped={}",
                                      report->sent, report->retried, report->dead, report->skipped);
                       }
                       return {};
                     }});
  jobs_ = std::make_unique<JobRunner>(*storage_, clock_, holder);
  // The staff's overdue e-mail: once a day, in the morning (KST), when people read it.
  jobs_->Add({"overdue_digest", std::chrono::hours(20),
              [this]() -> core::Status {
                auto n = notifications_->QueueOverdueDigests();
                if (!n.ok()) {
                  return std::move(n).error();
                }
                spdlog::info("job=overdue_digest queued={}", *n);
                return {};
              },
              [](core::TimePoint now) {
                constexpr int kFromHour = 8;
                constexpr int kToHour = 10;
                const auto kst = now + std::chrono::hours(9);
                const auto hour = std::chrono::duration_cast<std::chrono::hours>(
                                      kst - std::chrono::floor<std::chrono::days>(kst))
                                      .count();
                return hour >= kFromHour && hour < kToHour;
              }});
  const int retention_years = config_.security.retention_years;
  jobs_->Add({"retention", std::chrono::hours(20), [this, retention_years]() -> core::Status {
                auto n = cases_->RunRetention(retention_years);
                if (!n.ok()) {
                  return std::move(n).error();
                }
                if (*n > 0) {
                  spdlog::info("job=retention anonymised={}", *n);
                }
                return {};
              }});
  // The monthly report set: the first tick of a month (KST) produces every monthly
  // definition's edition for the month before; editions already there are skipped, so a
  // server that was down on the 1st catches up, and several servers produce each once.
  jobs_->Add({"monthly_reports", std::chrono::hours(1), [this]() -> core::Status {
                auto r = reports_->ProduceMonthly(core::KstDate(clock_.Now()));
                if (!r.ok()) {
                  return std::move(r).error();
                }
                if (r->produced > 0 || r->failed > 0) {
                  spdlog::info("job=monthly_reports produced={} already={} failed={}",
                               r->produced, r->already_there, r->failed);
                }
                return {};
              }});
  RegisterRoutes();
  auto* s = storage_.get();
  metrics_.AddGauge({"caredesk_db_pool_connections", "Database connections by state.",
                     "state=\"in_use\"",
                     [s] { return static_cast<double>(s->PoolStats().in_use); }});
  metrics_.AddGauge({"caredesk_db_pool_connections", "Database connections by state.",
                     "state=\"open\"", [s] { return static_cast<double>(s->PoolStats().size); }});
  metrics_.AddGauge({"caredesk_db_pool_max_connections", "Configured pool size.", "",
                     [s] { return static_cast<double>(s->PoolStats().max_size); }});
  metrics_.AddGauge({"caredesk_db_pool_waits", "Checkouts that had to wait (cumulative).", "",
                     [s] { return static_cast<double>(s->PoolStats().waits); }});
  if (s->GroupCommitStats()) {
    // Commits per sync = how much group commit saves; failures = fsync errors (disk trouble).
    metrics_.AddGauge({"caredesk_sqlite_group_commit", "SQLite durable commits and WAL fsyncs.",
                       "kind=\"commits\"",
                       [s] { return static_cast<double>(s->GroupCommitStats()->commits); }});
    metrics_.AddGauge({"caredesk_sqlite_group_commit", "SQLite durable commits and WAL fsyncs.",
                       "kind=\"syncs\"",
                       [s] { return static_cast<double>(s->GroupCommitStats()->syncs); }});
    metrics_.AddGauge({"caredesk_sqlite_group_commit", "SQLite durable commits and WAL fsyncs.",
                       "kind=\"failed_syncs\"",
                       [s] { return static_cast<double>(s->GroupCommitStats()->failures); }});
  }
}

App::~App() { Stop(); }

core::Result<std::unique_ptr<App>> App::Open(const Config& config, OpenOptions options) {
  auto crypto = crypto::OpenCrypto(config.security.key_file, options.password_cost);
  if (!crypto.ok()) {
    return std::move(crypto).error();
  }
  auto triage = OpenTriage(config.triage.model_file);
  if (!triage.ok()) {
    return std::move(triage).error();
  }
  std::vector<core::DongBoundary> boundaries;
  if (const auto& file = config.open311.dong_boundaries_file;
      !file.empty() && std::filesystem::exists(file)) {
    auto loaded = LoadDongBoundaries(file);
    if (!loaded.ok()) {
      return std::move(loaded).error();
    }
    boundaries = std::move(*loaded);
  } else if (!file.empty()) {
    spdlog::warn("open311.dong_boundaries_file {} is missing: Open311 requests are located by "
                 "the dong named in their address only",
                 file);
  }
  auto storage = storage::Storage::Open(config.storage);
  if (!storage.ok()) {
    return std::move(storage).error();
  }
  auto report = (*storage)->Migrate();
  if (!report.ok()) {
    return std::move(report).error();
  }
  if (!report->applied.empty()) {
    spdlog::info("migrated schema from version {} to {}", report->from_version, report->to_version);
  }
  auto district =
      (*storage)->directory().EnsureDistrict(config.district.code, config.district.name);
  if (!district.ok()) {
    return std::move(district).error();
  }
  // The statutory clocks count Korean working days: start from the built-in holidays.
  auto& holidays = (*storage)->holidays();
  auto existing = holidays.ListHolidays(district->id);
  if (!existing.ok()) {
    return std::move(existing).error();
  }
  if (existing->empty()) {
    for (const auto& h : core::DefaultKoreanHolidays()) {
      if (auto s = holidays.PutHoliday(district->id, {core::FormatDate(h.date), h.name_ko});
          !s.ok()) {
        return std::move(s).error();
      }
    }
  }
  return std::unique_ptr<App>(new App(config, std::move(*storage), std::move(*district),
                                      std::move(*crypto), std::move(*triage),
                                      std::move(boundaries), options));
}

void App::RegisterRoutes() {
  RegisterHealthRoutes(router_, *storage_, metrics_);
  RegisterDirectoryRoutes(router_, *guard_, storage_->directory(), district_);
  RegisterAuthRoutes(router_, *auth_, *guard_, *access_log_, config_.security.cookie_secure);
  RegisterCaseRoutes(router_, *guard_, *cases_, storage_->holidays(), *access_log_, district_.id,
                     clock_);
  RegisterCheckinRoutes(router_, *guard_, *checkins_);
  RegisterScreeningRoutes(router_, *guard_, *screening_);
  RegisterNotificationRoutes(router_, *guard_, *notifications_);
  RegisterPortalRoutes(router_, *portal_, config_.portal);
  RegisterOpen311Routes(router_, *guard_, *open311_, district_);
  RegisterReportRoutes(router_, *guard_, *reports_, storage_->directory(), storage_->users(),
                       district_, clock_);
  RegisterCalendarRoutes(router_, *guard_, *cases_, storage_->users(), storage_->calendar_feeds(),
                         *access_log_, *crypto_.random, *crypto_.digester, clock_, district_.id);
  RegisterTriageRoutes(router_, *guard_, *triage_, *case_repository_, storage_->directory(),
                       *access_log_, district_.id, clock_);
  // The staff web app: every GET that is not an API route.
  router_.SetFallback([files = http::StaticFiles(config_.web.root)](const http::Request& request) {
    return files.Serve(request);
  });
}

core::Result<std::uint16_t> App::StartServer() {
  server_ = std::make_unique<http::Server>(config_.server, router_, metrics_);
  auto port = server_->Start();
  if (port.ok()) {
    constexpr std::chrono::minutes kJobTick{10};
    jobs_->Start(kJobTick);
    if (outbox_thread_) {
      outbox_jobs_->Start(std::chrono::seconds(config_.notifications.interval_seconds));
    }
  }
  return port;
}

void App::Stop() {
  if (jobs_) {
    jobs_->Stop();
  }
  if (outbox_jobs_) {
    outbox_jobs_->Stop();
  }
  if (triage_) {
    triage_->WaitForRetraining();
  }
  if (server_) {
    server_->Shutdown();
    server_->Wait();
    server_.reset();
  }
  // Handlers are gone; nothing uses the repositories any more.
  if (storage_) {
    storage_->Close();
  }
}

}  // namespace caredesk::app
