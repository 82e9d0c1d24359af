// Ports: where users, sessions and access records are stored. Implementations
// are thread-safe; each call is one transaction; environment failures come
// back as kUnavailable / kInternal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/access_record.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"

namespace caredesk::core {

// Which staff a directory lookup asks for; an absent field does not filter.
struct StaffFilter {
  std::optional<Role> role;
  std::optional<DongId> dong_id;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  // kConflict when the login is taken. kValidationFailed (field dong_id or
  // agency_id) when the dong or agency is not one of the user's district.
  virtual Result<User> Create(const User& user) = 0;
  virtual Result<User> Get(UserId id) = 0;
  // kNotFound when there is no such login in the district.
  virtual Result<User> FindByLogin(DistrictId district, const std::string& login) = 0;
  virtual Result<std::vector<User>> List(DistrictId district) = 0;
  // The district's active users that match `filter`, sorted by display name in
  // code-point order (the same on every backend, whatever its collation), then by id.
  virtual Result<std::vector<User>> ListActive(DistrictId district, const StaffFilter& filter) = 0;
  // Writes every mutable field if `user.version` is still current, then bumps
  // the version. kPreconditionFailed when someone else changed it first;
  // kValidationFailed as for Create.
  virtual Result<User> Update(const User& user) = 0;
  // Counts a failed login atomically (no lost increments under concurrent
  // attempts) and locks the account until `lock_until` once `max_failures` is reached.
  virtual Result<User> RecordFailedLogin(UserId id, int max_failures, TimePoint lock_until) = 0;
  virtual Status ResetFailedLogins(UserId id) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status Create(const Session& session) = 0;
  virtual Result<Session> Find(const std::string& token_hash) = 0;
  virtual Status Touch(const std::string& token_hash, TimePoint at) = 0;
  virtual Status MarkSecondFactorDone(const std::string& token_hash) = 0;
  virtual Status Revoke(const std::string& token_hash, TimePoint at) = 0;
  // Revokes every session of the user except `keep` (may be empty).
  virtual Status RevokeAllForUser(UserId user, TimePoint at, const std::string& keep) = 0;
  // Sessions not revoked and not past their absolute lifetime, newest first.
  virtual Result<std::vector<Session>> ListActive(UserId user, TimePoint now) = 0;
};

// A staff member's secret calendar feed; the token itself is never stored.
struct CalendarFeed {
  std::int64_t id = 0;
  DistrictId district_id = 0;
  UserId user_id = 0;
  TimePoint created_at;
};

class CalendarFeedRepository {
 public:
  virtual ~CalendarFeedRepository() = default;
  // Stores a new feed for the user and revokes the user's others, in one transaction.
  virtual Result<CalendarFeed> Replace(DistrictId district, UserId user,
                                       const std::string& token_hash, TimePoint at) = 0;
  // The feed of a token hash, not revoked; kNotFound otherwise.
  virtual Result<CalendarFeed> Find(const std::string& token_hash) = 0;
  // The user's feed not revoked, if any.
  virtual Result<std::optional<CalendarFeed>> Active(UserId user) = 0;
  virtual Status RevokeAll(UserId user, TimePoint at) = 0;
};

struct AccessRecordFilter {
  std::optional<UserId> user_id;
  std::optional<std::string> action;
  std::optional<std::string> target_type;
  std::optional<std::string> target_id;
  std::optional<TimePoint> from;
  std::optional<TimePoint> to;
  std::int64_t before_id = 0;  // cursor: only records with id < before_id (0 = newest)
  int limit = 100;
};

class AccessLog {
 public:
  virtual ~AccessLog() = default;
  // Assigns the next id, links to the previous record's hash and stores.
  // Appends are serialised so the chain never forks.
  virtual Result<AccessRecord> Append(const AccessRecord& record) = 0;
  // Newest first.
  virtual Result<std::vector<AccessRecord>> Search(const AccessRecordFilter& filter) = 0;
  // Oldest first, ids > after_id: for verification, page by page.
  virtual Result<std::vector<AccessRecord>> ReadAfter(std::int64_t after_id, int limit) = 0;
};

}  // namespace caredesk::core
