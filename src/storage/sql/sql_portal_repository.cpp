#include "storage/sql/sql_portal_repository.hpp"

#include <string>

#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::LookupThrottleState;
using core::Result;

Value OptionalMicros(const std::optional<core::TimePoint>& t) {
  return t ? Value(ToMicros(*t)) : Value(Null{});
}

Result<LookupThrottleState> Select(Connection& c, core::DistrictId district,
                                   const std::string& receipt) {
  const auto r = c.Execute(
      "SELECT failures, window_started_at, locked_until FROM portal_lookup_failures "
      "WHERE district_id = $1 AND receipt = $2",
      {district, receipt});
  LookupThrottleState s;
  if (r.empty()) {
    return s;
  }
  s.failures = static_cast<int>(r.Int(0, 0));
  if (!r.IsNull(0, 1)) {
    s.window_started_at = FromMicros(r.Int(0, 1));
  }
  if (!r.IsNull(0, 2)) {
    s.locked_until = FromMicros(r.Int(0, 2));
  }
  return s;
}

}  // namespace

Result<LookupThrottleState> SqlLookupThrottle::Get(core::DistrictId district,
                                                   const std::string& receipt) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) { return Select(c, district, receipt); });
}

Result<LookupThrottleState> SqlLookupThrottle::RecordFailure(core::DistrictId district,
                                                             const std::string& receipt,
                                                             core::TimePoint now,
                                                             core::TimePoint forget_before) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<LookupThrottleState> {
    const auto forget = ToMicros(forget_before);
    c.Execute(
        "DELETE FROM portal_lookup_failures WHERE updated_at < $1 AND "
        "(locked_until IS NULL OR locked_until < $1)",
        {forget});
    c.Execute(
        "INSERT INTO portal_lookup_failures (district_id, receipt, updated_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (district_id, receipt) DO NOTHING",
        {district, receipt, ToMicros(now)});
    // Takes the row's lock on PostgreSQL before reading it, so two servers' guesses at the
    // same receipt are counted one after the other (SQLite's write transaction is exclusive).
    c.Execute(
        "UPDATE portal_lookup_failures SET updated_at = $3 WHERE district_id = $1 AND receipt = $2",
        {district, receipt, ToMicros(now)});
    auto before = Select(c, district, receipt);
    if (!before.ok()) {
      return before;
    }
    const auto after = core::AfterFailure(*before, now);
    c.Execute(
        "UPDATE portal_lookup_failures SET failures = $3, window_started_at = $4, "
        "locked_until = $5 WHERE district_id = $1 AND receipt = $2",
        {district, receipt, static_cast<std::int64_t>(after.failures),
         OptionalMicros(after.window_started_at), OptionalMicros(after.locked_until)});
    return after;
  });
}

core::Status SqlLookupThrottle::Clear(core::DistrictId district, const std::string& receipt) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    c.Execute("DELETE FROM portal_lookup_failures WHERE district_id = $1 AND receipt = $2",
              {district, receipt});
    return {};
  });
}

}  // namespace caredesk::storage::sql
