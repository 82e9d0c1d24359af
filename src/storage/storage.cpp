#include "storage/storage.hpp"

#include "storage/postgres/pg_connection.hpp"
#include "storage/sql/sql_case_repository.hpp"
#include "storage/sql/sql_checkin_repository.hpp"
#include "storage/sql/sql_open311_repository.hpp"
#include "storage/sql/sql_report_repository.hpp"
#include "storage/sql/sql_portal_repository.hpp"
#include "storage/sql/sql_screening_repository.hpp"
#include "storage/sql/sql_directory_repository.hpp"
#include "storage/sql/sql_identity_repository.hpp"
#include "storage/sql/sql_outbox_repository.hpp"
#include "storage/sqlite/sqlite_connection.hpp"

namespace caredesk::storage {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite://";

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

}  // namespace

core::Result<ParsedUrl> ParseStorageUrl(const std::string& url) {
  if (url.rfind(kSqlitePrefix, 0) == 0) {
    std::string path = url.substr(kSqlitePrefix.size());
    if (path.empty() || path == "/") {
      return core::Error::Make(core::ErrorCode::kBadRequest,
                               "The SQLite URL names no file (sqlite:///path/to.db).",
                               "SQLite 주소에 파일 경로가 없습니다 (sqlite:///path/to.db).");
    }
    return ParsedUrl{Backend::kSqlite, path};
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return ParsedUrl{Backend::kPostgres, url};
  }
  return core::Error::Make(core::ErrorCode::kBadRequest,
                           "The database URL must start with sqlite:// or postgresql://.",
                           "데이터베이스 주소는 sqlite:// 또는 postgresql:// 로 시작해야 합니다.",
                           "got scheme of: " + RedactUrl(url));
}

std::string RedactUrl(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) {
    return url;
  }
  const auto at = url.find('@', scheme + 3);
  const auto slash = url.find('/', scheme + 3);
  std::string out = url;
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
    const auto colon = url.find(':', scheme + 3);
    if (colon != std::string::npos && colon < at) {
      out = url.substr(0, colon + 1) + "***" + url.substr(at);
    }
  }
  // A password can also hide in the query string.
  const auto pw = out.find("password=");
  if (pw != std::string::npos) {
    const auto end = out.find('&', pw);
    out = out.substr(0, pw) + "password=***" + (end == std::string::npos ? "" : out.substr(end));
  }
  return out;
}

Storage::Storage(Backend backend, std::unique_ptr<sql::Database> db)
    : backend_(backend),
      db_(std::move(db)),
      directory_(std::make_unique<sql::SqlDirectoryRepository>(*db_)),
      users_(std::make_unique<sql::SqlUserRepository>(*db_)),
      sessions_(std::make_unique<sql::SqlSessionRepository>(*db_)),
      calendar_feeds_(std::make_unique<sql::SqlCalendarFeedRepository>(*db_)),
      checkins_(std::make_unique<sql::SqlCheckinRepository>(*db_)),
      outbox_(std::make_unique<sql::SqlOutboxRepository>(*db_)),
      screening_(std::make_unique<sql::SqlScreeningRepository>(*db_)),
      lookup_throttle_(std::make_unique<sql::SqlLookupThrottle>(*db_)),
      open311_(std::make_unique<sql::SqlOpen311Repository>(*db_)),
      holidays_(std::make_unique<sql::SqlHolidayRepository>(*db_)) {}

std::unique_ptr<core::AccessLog> Storage::NewAccessLog(const core::Digester& digester) {
  return std::make_unique<sql::SqlAccessLog>(*db_, digester);
}

std::unique_ptr<core::CaseRepository> Storage::NewCaseRepository(
    const core::Sealer& sealer, const core::BlindIndexer& indexer) {
  return std::make_unique<sql::SqlCaseRepository>(*db_, sealer, indexer);
}

std::unique_ptr<core::ReportRepository> Storage::NewReportRepository(
    const core::Sealer& sealer) {
  return std::make_unique<sql::SqlReportRepository>(*db_, sealer);
}

std::optional<sqlite::GroupSyncStats> Storage::GroupCommitStats() const {
  if (!group_sync_) {
    return std::nullopt;
  }
  return group_sync_->Stats();
}

Storage::~Storage() {
  directory_.reset();
  users_.reset();
  sessions_.reset();
  calendar_feeds_.reset();
  checkins_.reset();
  outbox_.reset();
  screening_.reset();
  lookup_throttle_.reset();
  open311_.reset();
  holidays_.reset();
  db_->Close();
}

core::Result<std::unique_ptr<Storage>> Storage::Open(const StorageConfig& config) {
  auto parsed = ParseStorageUrl(config.url);
  if (!parsed.ok()) {
    return std::move(parsed).error();
  }
  std::unique_ptr<sql::Database> db;
  std::shared_ptr<sqlite::GroupSync> group_sync;
  if (parsed->backend == Backend::kSqlite) {
    sqlite::SqliteOptions options{parsed->target, config.sqlite_busy_timeout, nullptr};
    if (config.sqlite_sync == SqliteSync::kGroup) {
      options.group_sync =
          std::make_shared<sqlite::GroupSync>(sqlite::WalFileSync(parsed->target));
    }
    group_sync = options.group_sync;
    db = std::make_unique<sql::Database>(
        sql::Dialect::kSqlite, [options] { return sqlite::OpenSqliteConnection(options); },
        config.pool_size, config.checkout_timeout);
  } else {
    std::string target = parsed->target;
    if (!config.password.empty()) {
      target += (target.find('?') == std::string::npos ? "?" : "&");
      target += "password=" + PercentEncode(config.password);
    }
    db = std::make_unique<sql::Database>(
        sql::Dialect::kPostgres, [target] { return postgres::OpenPgConnection(target); },
        config.pool_size, config.checkout_timeout);
  }
  auto storage = std::unique_ptr<Storage>(new Storage(parsed->backend, std::move(db)));
  storage->group_sync_ = std::move(group_sync);
  if (!storage->Ping()) {
    // Report why: run a trivial transaction again and return its error.
    auto probe = storage->SchemaVersion();
    if (!probe.ok()) {
      return std::move(probe).error();
    }
    return core::Error::Unavailable("database ping failed");
  }
  return storage;
}

}  // namespace caredesk::storage
