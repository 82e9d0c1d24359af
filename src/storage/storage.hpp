// The storage adapter as the rest of the program sees it: one object that
// owns the connection pool and hands out the repositories (ports).
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/ports/case_repository.hpp"
#include "core/ports/checkin_repository.hpp"
#include "core/ports/screening_repository.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/directory_repository.hpp"
#include "core/ports/identity_repository.hpp"
#include "core/ports/outbox_repository.hpp"
#include "core/ports/open311_repository.hpp"
#include "core/ports/portal_repository.hpp"
#include "core/ports/report_repository.hpp"
#include "core/result.hpp"
#include "storage/sql/database.hpp"
#include "storage/sql/job_leases.hpp"
#include "storage/sql/key_rotation.hpp"
#include "storage/sql/migrations.hpp"
#include "storage/sqlite/group_sync.hpp"

namespace caredesk::storage {

// How SQLite makes an acknowledged write durable; both fsync the WAL before a write returns.
enum class SqliteSync {
  kGroup,  // synchronous=NORMAL + one shared fdatasync for the commits that wait together
  kFull,   // synchronous=FULL: SQLite's own fsync inside every COMMIT
};

struct StorageConfig {
  // sqlite:///absolute/path.db, sqlite://relative/path.db or postgresql://...
  std::string url = "sqlite://var/caredesk.db";
  // Used for PostgreSQL when the URL carries none (kept out of the URL so it is never logged).
  std::string password;
  std::size_t pool_size = 8;
  std::chrono::milliseconds checkout_timeout{5000};
  std::chrono::milliseconds sqlite_busy_timeout{5000};
  SqliteSync sqlite_sync = SqliteSync::kGroup;
};

enum class Backend { kSqlite, kPostgres };

struct ParsedUrl {
  Backend backend = Backend::kSqlite;
  std::string target;  // SQLite file path, or the PostgreSQL connection URI
};

// Parses a storage URL; kBadRequest with a clear message for anything else.
core::Result<ParsedUrl> ParseStorageUrl(const std::string& url);

// `url` with any password replaced by "***", safe to log.
std::string RedactUrl(const std::string& url);

class Storage {
 public:
  // Opens the pool and checks that one connection can be made.
  static core::Result<std::unique_ptr<Storage>> Open(const StorageConfig& config);
  ~Storage();

  Backend backend() const { return backend_; }
  sql::Database& database() { return *db_; }
  core::DirectoryRepository& directory() { return *directory_; }
  core::UserRepository& users() { return *users_; }
  core::SessionRepository& sessions() { return *sessions_; }
  core::CalendarFeedRepository& calendar_feeds() { return *calendar_feeds_; }
  core::CheckinRepository& checkins() { return *checkins_; }
  core::OutboxRepository& outbox() { return *outbox_; }
  core::ScreeningRepository& screening() { return *screening_; }
  core::LookupThrottle& lookup_throttle() { return *lookup_throttle_; }
  core::Open311Repository& open311() { return *open311_; }
  // The access log hashes its chain with `digester`, which must outlive it.
  std::unique_ptr<core::AccessLog> NewAccessLog(const core::Digester& digester);
  // Residents and cases, sealed with `sealer` and indexed with `indexer`;
  // both must outlive the repository, which must not outlive this Storage.
  std::unique_ptr<core::CaseRepository> NewCaseRepository(const core::Sealer& sealer,
                                                          const core::BlindIndexer& indexer);
  // Reports and the weekly work reports' comments (sealed with `sealer`, which must outlive it).
  std::unique_ptr<core::ReportRepository> NewReportRepository(const core::Sealer& sealer);
  core::HolidayRepository& holidays() { return *holidays_; }

  core::Result<sql::MigrationReport> Migrate() { return sql::Migrate(*db_); }
  core::Result<sql::JobLease> TryAcquireLease(const std::string& name, const std::string& holder,
                                              core::TimePoint now, core::TimePoint until) {
    return sql::TryAcquireLease(*db_, name, holder, now, until);
  }
  core::Status FinishJob(const std::string& name, const std::string& holder, core::TimePoint at) {
    return sql::FinishJob(*db_, name, holder, at);
  }
  // Key rotation: re-seals master-sealed values under `sealer`'s current key.
  core::Result<sql::ResealReport> ResealUnderCurrentKey(const core::Sealer& sealer) {
    return sql::ResealUnderCurrentKey(*db_, sealer);
  }
  core::Result<int> SchemaVersion() { return sql::SchemaVersion(*db_); }
  // SQLite group commit so far; nullopt on PostgreSQL or with SqliteSync::kFull.
  std::optional<sqlite::GroupSyncStats> GroupCommitStats() const;
  bool Ping() { return db_->Ping(); }
  sql::PoolStats PoolStats() const { return db_->Stats(); }
  void Close() { db_->Close(); }

 private:
  Storage(Backend backend, std::unique_ptr<sql::Database> db);

  Backend backend_;
  std::unique_ptr<sql::Database> db_;
  std::unique_ptr<core::DirectoryRepository> directory_;
  std::unique_ptr<core::UserRepository> users_;
  std::unique_ptr<core::SessionRepository> sessions_;
  std::unique_ptr<core::CalendarFeedRepository> calendar_feeds_;
  std::unique_ptr<core::CheckinRepository> checkins_;
  std::unique_ptr<core::OutboxRepository> outbox_;
  std::unique_ptr<core::ScreeningRepository> screening_;
  std::unique_ptr<core::LookupThrottle> lookup_throttle_;
  std::unique_ptr<core::Open311Repository> open311_;
  std::unique_ptr<core::HolidayRepository> holidays_;
  std::shared_ptr<sqlite::GroupSync> group_sync_;
};

}  // namespace caredesk::storage
