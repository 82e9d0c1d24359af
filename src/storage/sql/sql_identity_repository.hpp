// Users, sessions and access records over the SQL port (both backends).
#pragma once

#include "core/ports/crypto.hpp"
#include "core/ports/identity_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlUserRepository final : public core::UserRepository {
 public:
  explicit SqlUserRepository(Database& db) : db_(db) {}
  core::Result<core::User> Create(const core::User& user) override;
  core::Result<core::User> Get(core::UserId id) override;
  core::Result<core::User> FindByLogin(core::DistrictId district,
                                       const std::string& login) override;
  core::Result<std::vector<core::User>> List(core::DistrictId district) override;
  core::Result<std::vector<core::User>> ListActive(core::DistrictId district,
                                                   const core::StaffFilter& filter) override;
  core::Result<core::User> Update(const core::User& user) override;
  core::Result<core::User> RecordFailedLogin(core::UserId id, int max_failures,
                                             core::TimePoint lock_until) override;
  core::Status ResetFailedLogins(core::UserId id) override;

 private:
  Database& db_;
};

class SqlSessionRepository final : public core::SessionRepository {
 public:
  explicit SqlSessionRepository(Database& db) : db_(db) {}
  core::Status Create(const core::Session& session) override;
  core::Result<core::Session> Find(const std::string& token_hash) override;
  core::Status Touch(const std::string& token_hash, core::TimePoint at) override;
  core::Status MarkSecondFactorDone(const std::string& token_hash) override;
  core::Status Revoke(const std::string& token_hash, core::TimePoint at) override;
  core::Status RevokeAllForUser(core::UserId user, core::TimePoint at,
                                const std::string& keep) override;
  core::Result<std::vector<core::Session>> ListActive(core::UserId user,
                                                      core::TimePoint now) override;

 private:
  Database& db_;
};

class SqlCalendarFeedRepository final : public core::CalendarFeedRepository {
 public:
  explicit SqlCalendarFeedRepository(Database& db) : db_(db) {}
  core::Result<core::CalendarFeed> Replace(core::DistrictId district, core::UserId user,
                                           const std::string& token_hash,
                                           core::TimePoint at) override;
  core::Result<core::CalendarFeed> Find(const std::string& token_hash) override;
  core::Result<std::optional<core::CalendarFeed>> Active(core::UserId user) override;
  core::Status RevokeAll(core::UserId user, core::TimePoint at) override;

 private:
  Database& db_;
};

// Appends are serialised: SQLite by its single writer (BEGIN IMMEDIATE),
// PostgreSQL by a transaction-scoped advisory lock, so ids stay consecutive
// and every record links to the one before it.
class SqlAccessLog final : public core::AccessLog {
 public:
  SqlAccessLog(Database& db, const core::Digester& digester) : db_(db), digester_(digester) {}
  core::Result<core::AccessRecord> Append(const core::AccessRecord& record) override;
  core::Result<std::vector<core::AccessRecord>> Search(
      const core::AccessRecordFilter& filter) override;
  core::Result<std::vector<core::AccessRecord>> ReadAfter(std::int64_t after_id,
                                                          int limit) override;

 private:
  Database& db_;
  const core::Digester& digester_;
};

std::int64_t ToMicros(core::TimePoint t);
core::TimePoint FromMicros(std::int64_t us);

}  // namespace caredesk::storage::sql
