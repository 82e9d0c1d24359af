#include "storage/sql/job_leases.hpp"

namespace caredesk::storage::sql {
namespace {

std::int64_t Micros(core::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

core::Result<JobLease> TryAcquireLease(Database& db, const std::string& name,
                                       const std::string& holder, core::TimePoint now,
                                       core::TimePoint until) {
  return db.Transact(TxMode::kWrite, [&](Connection& c) -> core::Result<JobLease> {
    // One statement: a conflicting row is taken over only when its lease has
    // expired or is already ours.
    c.Execute(
        "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3) "
        "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
        "expires_at = excluded.expires_at "
        "WHERE job_leases.expires_at <= $4 OR job_leases.holder = excluded.holder",
        {name, holder, Micros(until), Micros(now)});
    const auto r = c.Execute("SELECT holder, last_run_at FROM job_leases WHERE name = $1", {name});
    JobLease lease;
    if (r.empty()) {
      return lease;
    }
    lease.held = r.Text(0, 0) == holder;
    if (!r.IsNull(0, 1)) {
      lease.last_run = core::TimePoint(std::chrono::microseconds(r.Int(0, 1)));
    }
    return lease;
  });
}

core::Status FinishJob(Database& db, const std::string& name, const std::string& holder,
                       core::TimePoint at) {
  return db.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    c.Execute(
        "UPDATE job_leases SET last_run_at = $1, expires_at = $1 WHERE name = $2 AND holder = $3",
        {Micros(at), name, holder});
    return {};
  });
}

}  // namespace caredesk::storage::sql
