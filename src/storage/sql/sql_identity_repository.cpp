#include "storage/sql/sql_identity_repository.hpp"

#include <algorithm>
#include <tuple>

namespace caredesk::storage::sql {
namespace {

using core::Error;
using core::Result;
using core::Status;
using core::User;

// Identifies CareDesk's access-record append lock in pg_locks.
constexpr std::int64_t kAccessLogLockKey = 0x4163636573734c;  // "AccessL"
constexpr int kMaxSearchLimit = 1000;

constexpr std::string_view kUserColumns =
    "id, district_id, login, display_name, role, dong_id, agency_id, password_hash, "
    "must_change_password, failed_logins, locked_until, totp_enabled, totp_secret_sealed, active, "
    "version, locale, large_text, email";

Value OptionalInt(const std::optional<std::int64_t>& v) { return v ? Value(*v) : Value(Null{}); }

User UserAt(const Rows& r, std::size_t i) {
  User u;
  u.id = r.Int(i, 0);
  u.district_id = r.Int(i, 1);
  u.login = r.Text(i, 2);
  u.display_name = r.Text(i, 3);
  u.role = core::ParseRole(r.Text(i, 4)).value_or(core::Role::kCounselor);
  if (!r.IsNull(i, 5)) {
    u.dong_id = r.Int(i, 5);
  }
  if (!r.IsNull(i, 6)) {
    u.agency_id = r.Int(i, 6);
  }
  u.password_hash = r.Text(i, 7);
  u.must_change_password = r.Int(i, 8) != 0;
  u.failed_logins = static_cast<int>(r.Int(i, 9));
  if (!r.IsNull(i, 10)) {
    u.locked_until = FromMicros(r.Int(i, 10));
  }
  u.totp_enabled = r.Int(i, 11) != 0;
  if (const auto* b = std::get_if<Blob>(&r.rows[i][12])) {
    u.totp_secret_sealed = b->bytes;
  }
  u.active = r.Int(i, 13) != 0;
  u.version = r.Int(i, 14);
  u.locale = r.Text(i, 15);
  u.large_text = r.Int(i, 16) != 0;
  u.email = r.Text(i, 17);
  return u;
}

Result<User> SelectUser(Connection& c, std::string_view where, const Params& params) {
  const auto r = c.Execute(
      "SELECT " + std::string(kUserColumns) + " FROM users WHERE " + std::string(where), params);
  if (r.empty()) {
    return Error::NotFound("User", "사용자");
  }
  return UserAt(r, 0);
}

constexpr std::string_view kSessionColumns =
    "token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent, "
    "second_factor_pending, revoked_at";

core::Session SessionAt(const Rows& r, std::size_t i) {
  core::Session s;
  s.token_hash = r.Text(i, 0);
  s.user_id = r.Int(i, 1);
  s.csrf_token = r.Text(i, 2);
  s.created_at = FromMicros(r.Int(i, 3));
  s.last_seen_at = FromMicros(r.Int(i, 4));
  s.expires_at = FromMicros(r.Int(i, 5));
  s.ip = r.Text(i, 6);
  s.user_agent = r.Text(i, 7);
  s.second_factor_pending = r.Int(i, 8) != 0;
  if (!r.IsNull(i, 9)) {
    s.revoked_at = FromMicros(r.Int(i, 9));
  }
  return s;
}

constexpr std::string_view kRecordColumns =
    "id, at, user_id, role, ip, action, target_type, target_id, purpose, outcome, prev_hash, hash";

core::AccessRecord RecordAt(const Rows& r, std::size_t i) {
  core::AccessRecord a;
  a.id = r.Int(i, 0);
  a.at = FromMicros(r.Int(i, 1));
  a.user_id = r.Int(i, 2);
  a.role = r.Text(i, 3);
  a.ip = r.Text(i, 4);
  a.action = r.Text(i, 5);
  a.target_type = r.Text(i, 6);
  a.target_id = r.Text(i, 7);
  a.purpose = r.Text(i, 8);
  a.outcome = r.Text(i, 9);
  a.prev_hash = r.Text(i, 10);
  a.hash = r.Text(i, 11);
  return a;
}

Status Done() { return {}; }

// The user's dong and agency must be the district's (a foreign key alone would
// accept another district's, and answer a missing one with an internal error).
Status CheckPlacement(Connection& c, const User& u) {
  std::vector<core::FieldViolation> v;
  if (u.dong_id && c.Execute("SELECT 1 FROM dongs WHERE id = $1 AND district_id = $2",
                             {*u.dong_id, u.district_id})
                       .empty()) {
    v.push_back({"dong_id", "not_found", "No such dong in this district.", "없는 동입니다."});
  }
  if (u.agency_id && c.Execute("SELECT 1 FROM agencies WHERE id = $1 AND district_id = $2",
                               {*u.agency_id, u.district_id})
                         .empty()) {
    v.push_back(
        {"agency_id", "not_found", "No such agency in this district.", "없는 연계 기관입니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return {};
}

}  // namespace

std::int64_t ToMicros(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

core::TimePoint FromMicros(std::int64_t us) {
  return core::TimePoint(
      std::chrono::duration_cast<core::TimePoint::duration>(std::chrono::microseconds(us)));
}

// --- users ---------------------------------------------------------------------

Result<User> SqlUserRepository::Create(const User& u) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<User> {
    const auto dup = c.Execute("SELECT id FROM users WHERE district_id = $1 AND login = $2",
                               {u.district_id, u.login});
    if (!dup.empty()) {
      auto e = Error::Make(core::ErrorCode::kConflict, "This login is already taken.",
                           "이미 사용 중인 아이디입니다.");
      e.details.push_back({"login", "duplicate", "Login already in use.", "이미 사용 중입니다."});
      return e;
    }
    if (auto placed = CheckPlacement(c, u); !placed.ok()) {
      return std::move(placed).error();
    }
    const auto r = c.Execute(
        "INSERT INTO users (district_id, login, display_name, role, dong_id, agency_id, "
        "password_hash, must_change_password, active, locale, large_text, email) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING " +
            std::string(kUserColumns),
        {u.district_id, u.login, u.display_name, std::string(core::RoleCode(u.role)),
         OptionalInt(u.dong_id), OptionalInt(u.agency_id), u.password_hash,
         std::int64_t{u.must_change_password ? 1 : 0}, std::int64_t{u.active ? 1 : 0}, u.locale,
         std::int64_t{u.large_text ? 1 : 0}, u.email});
    return UserAt(r, 0);
  });
}

Result<User> SqlUserRepository::Get(core::UserId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) { return SelectUser(c, "id = $1", {id}); });
}

Result<User> SqlUserRepository::FindByLogin(core::DistrictId district, const std::string& login) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) {
    return SelectUser(c, "district_id = $1 AND login = $2", {district, login});
  });
}

Result<std::vector<User>> SqlUserRepository::List(core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<User>> {
    const auto r = c.Execute(
        "SELECT " + std::string(kUserColumns) + " FROM users WHERE district_id = $1 ORDER BY id",
        {district});
    std::vector<User> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(UserAt(r, i));
    }
    return out;
  });
}

Result<std::vector<User>> SqlUserRepository::ListActive(core::DistrictId district,
                                                        const core::StaffFilter& filter) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<User>> {
    std::string where = "district_id = $1 AND active = 1";
    Params params{district};
    if (filter.role) {
      params.emplace_back(std::string(core::RoleCode(*filter.role)));
      where += " AND role = $" + std::to_string(params.size());
    }
    if (filter.dong_id) {
      params.emplace_back(*filter.dong_id);
      where += " AND dong_id = $" + std::to_string(params.size());
    }
    const auto r =
        c.Execute("SELECT " + std::string(kUserColumns) + " FROM users WHERE " + where, params);
    std::vector<User> out;
    out.reserve(r.size());
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(UserAt(r, i));
    }
    // Sorted here, not by ORDER BY: the two backends (and PostgreSQL databases
    // of different locales) collate text differently. Byte order of UTF-8 is
    // code-point order, which puts Hangul syllables in dictionary (가나다) order.
    std::sort(out.begin(), out.end(), [](const User& a, const User& b) {
      return std::tie(a.display_name, a.id) < std::tie(b.display_name, b.id);
    });
    return out;
  });
}

Result<User> SqlUserRepository::Update(const User& u) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<User> {
    if (auto placed = CheckPlacement(c, u); !placed.ok()) {
      return std::move(placed).error();
    }
    const Value totp =
        u.totp_secret_sealed.empty() ? Value(Null{}) : Value(Blob{u.totp_secret_sealed});
    const auto r = c.Execute(
        "UPDATE users SET display_name = $1, role = $2, dong_id = $3, agency_id = $4, "
        "password_hash = $5, must_change_password = $6, totp_enabled = $7, "
        "totp_secret_sealed = $8, active = $9, locale = $12, large_text = $13, email = $14, "
        "version = version + 1 WHERE id = $10 AND version = $11",
        {u.display_name, std::string(core::RoleCode(u.role)), OptionalInt(u.dong_id),
         OptionalInt(u.agency_id), u.password_hash, std::int64_t{u.must_change_password ? 1 : 0},
         std::int64_t{u.totp_enabled ? 1 : 0}, totp, std::int64_t{u.active ? 1 : 0}, u.id,
         u.version, u.locale, std::int64_t{u.large_text ? 1 : 0}, u.email});
    if (r.affected == 0) {
      return Error::Make(core::ErrorCode::kPreconditionFailed,
                         "This account was changed by someone else. Reload and try again.",
                         "다른 사용자가 먼저 변경했습니다. 새로 고친 뒤 다시 시도해 주세요.");
    }
    return SelectUser(c, "id = $1", {u.id});
  });
}

Result<User> SqlUserRepository::RecordFailedLogin(core::UserId id, int max_failures,
                                                  core::TimePoint lock_until) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<User> {
    // One statement: concurrent failures cannot lose an increment.
    c.Execute(
        "UPDATE users SET failed_logins = failed_logins + 1, "
        "locked_until = CASE WHEN failed_logins + 1 >= $2 THEN $3 ELSE locked_until END "
        "WHERE id = $1",
        {id, std::int64_t{max_failures}, ToMicros(lock_until)});
    return SelectUser(c, "id = $1", {id});
  });
}

Status SqlUserRepository::ResetFailedLogins(core::UserId id) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1", {id});
    return Done();
  });
}

// --- sessions -------------------------------------------------------------------

Status SqlSessionRepository::Create(const core::Session& s) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "INSERT INTO sessions (" + std::string(kSessionColumns) +
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        {s.token_hash, s.user_id, s.csrf_token, ToMicros(s.created_at), ToMicros(s.last_seen_at),
         ToMicros(s.expires_at), s.ip, s.user_agent, std::int64_t{s.second_factor_pending ? 1 : 0},
         s.revoked_at ? Value(ToMicros(*s.revoked_at)) : Value(Null{})});
    return Done();
  });
}

Result<core::Session> SqlSessionRepository::Find(const std::string& token_hash) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::Session> {
    const auto r =
        c.Execute("SELECT " + std::string(kSessionColumns) + " FROM sessions WHERE token_hash = $1",
                  {token_hash});
    if (r.empty()) {
      return Error::NotFound("Session", "세션");
    }
    return SessionAt(r, 0);
  });
}

Status SqlSessionRepository::Touch(const std::string& token_hash, core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $2",
              {token_hash, ToMicros(at)});
    return Done();
  });
}

Status SqlSessionRepository::MarkSecondFactorDone(const std::string& token_hash) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute("UPDATE sessions SET second_factor_pending = 0 WHERE token_hash = $1", {token_hash});
    return Done();
  });
}

Status SqlSessionRepository::Revoke(const std::string& token_hash, core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL",
              {token_hash, ToMicros(at)});
    return Done();
  });
}

namespace {

constexpr std::string_view kFeedColumns = "id, district_id, user_id, created_at";

core::CalendarFeed FeedFrom(const Rows& r, std::size_t i) {
  return {r.Int(i, 0), r.Int(i, 1), r.Int(i, 2), FromMicros(r.Int(i, 3))};
}

}  // namespace

core::Result<core::CalendarFeed> SqlCalendarFeedRepository::Replace(core::DistrictId district,
                                                                    core::UserId user,
                                                                    const std::string& token_hash,
                                                                    core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Result<core::CalendarFeed> {
    c.Execute("UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
              {user, ToMicros(at)});
    const auto r = c.Execute(
        "INSERT INTO calendar_feeds (district_id, user_id, token_hash, created_at) "
        "VALUES ($1, $2, $3, $4) RETURNING " +
            std::string(kFeedColumns),
        {district, user, token_hash, ToMicros(at)});
    return FeedFrom(r, 0);
  });
}

core::Result<core::CalendarFeed> SqlCalendarFeedRepository::Find(const std::string& token_hash) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> core::Result<core::CalendarFeed> {
    const auto r =
        c.Execute("SELECT " + std::string(kFeedColumns) +
                      " FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL",
                  {token_hash});
    if (r.empty()) {
      return core::Error::NotFound("Calendar feed", "달력 연결");
    }
    return FeedFrom(r, 0);
  });
}

core::Result<std::optional<core::CalendarFeed>> SqlCalendarFeedRepository::Active(
    core::UserId user) {
  return db_.Transact(
      TxMode::kRead, [&](Connection& c) -> core::Result<std::optional<core::CalendarFeed>> {
        const auto r = c.Execute("SELECT " + std::string(kFeedColumns) +
                                     " FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS "
                                     "NULL ORDER BY id DESC LIMIT 1",
                                 {user});
        if (r.empty()) {
          return std::optional<core::CalendarFeed>{};
        }
        return std::optional<core::CalendarFeed>(FeedFrom(r, 0));
      });
}

Status SqlCalendarFeedRepository::RevokeAll(core::UserId user, core::TimePoint at) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute("UPDATE calendar_feeds SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
              {user, ToMicros(at)});
    return Done();
  });
}

Status SqlSessionRepository::RevokeAllForUser(core::UserId user, core::TimePoint at,
                                              const std::string& keep) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Status {
    c.Execute(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL "
        "AND token_hash <> $3",
        {user, ToMicros(at), keep});
    return Done();
  });
}

Result<std::vector<core::Session>> SqlSessionRepository::ListActive(core::UserId user,
                                                                    core::TimePoint now) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::Session>> {
    const auto r = c.Execute("SELECT " + std::string(kSessionColumns) +
                                 " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL "
                                 "AND expires_at > $2 ORDER BY created_at DESC",
                             {user, ToMicros(now)});
    std::vector<core::Session> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(SessionAt(r, i));
    }
    return out;
  });
}

// --- access records -------------------------------------------------------------------

Result<core::AccessRecord> SqlAccessLog::Append(const core::AccessRecord& record) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::AccessRecord> {
    if (c.dialect() == Dialect::kPostgres) {
      c.Execute("SELECT pg_advisory_xact_lock($1)", {kAccessLogLockKey});
    }
    const auto last = c.Execute("SELECT id, hash FROM access_records ORDER BY id DESC LIMIT 1", {});
    core::AccessRecord r = record;
    r.id = last.empty() ? 1 : last.Int(0, 0) + 1;
    r.prev_hash = last.empty() ? std::string(core::kGenesisHash) : last.Text(0, 1);
    r.hash = core::ChainHash(digester_, r);
    c.Execute("INSERT INTO access_records (" + std::string(kRecordColumns) +
                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
              {r.id, ToMicros(r.at), r.user_id, r.role, r.ip, r.action, r.target_type, r.target_id,
               r.purpose, r.outcome, r.prev_hash, r.hash});
    return r;
  });
}

Result<std::vector<core::AccessRecord>> SqlAccessLog::Search(const core::AccessRecordFilter& f) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::AccessRecord>> {
    std::string where = "1 = 1";
    Params params;
    auto add = [&](const std::string& clause, Value v) {
      params.push_back(std::move(v));
      where += " AND " + clause + " $" + std::to_string(params.size());
    };
    if (f.user_id) {
      add("user_id =", *f.user_id);
    }
    if (f.action) {
      add("action =", *f.action);
    }
    if (f.target_type) {
      add("target_type =", *f.target_type);
    }
    if (f.target_id) {
      add("target_id =", *f.target_id);
    }
    if (f.from) {
      add("at >=", ToMicros(*f.from));
    }
    if (f.to) {
      add("at <", ToMicros(*f.to));
    }
    if (f.before_id > 0) {
      add("id <", f.before_id);
    }
    const int limit = std::clamp(f.limit, 1, kMaxSearchLimit);
    const auto r =
        c.Execute("SELECT " + std::string(kRecordColumns) + " FROM access_records WHERE " + where +
                      " ORDER BY id DESC LIMIT " + std::to_string(limit),
                  params);
    std::vector<core::AccessRecord> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(RecordAt(r, i));
    }
    return out;
  });
}

Result<std::vector<core::AccessRecord>> SqlAccessLog::ReadAfter(std::int64_t after_id, int limit) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<core::AccessRecord>> {
    const auto r = c.Execute("SELECT " + std::string(kRecordColumns) +
                                 " FROM access_records WHERE id > $1 ORDER BY id LIMIT $2",
                             {after_id, std::int64_t{std::clamp(limit, 1, kMaxSearchLimit)}});
    std::vector<core::AccessRecord> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(RecordAt(r, i));
    }
    return out;
  });
}

}  // namespace caredesk::storage::sql
