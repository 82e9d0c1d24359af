// Leases for background jobs, so that with several app servers on one
// database each job runs once per tick, on whichever server takes the lease.
#pragma once

#include <optional>
#include <string>

#include "core/identity.hpp"
#include "core/result.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

struct JobLease {
  bool held = false;                        // `holder` holds it now
  std::optional<core::TimePoint> last_run;  // when the job last finished, by anyone
};

// Takes (or renews) job `name`'s lease for `holder` until `until`, unless
// another holder's lease is still valid at `now`. Atomic across servers.
core::Result<JobLease> TryAcquireLease(Database& db, const std::string& name,
                                       const std::string& holder, core::TimePoint now,
                                       core::TimePoint until);

// Records that the job finished at `at` and releases the lease.
core::Status FinishJob(Database& db, const std::string& name, const std::string& holder,
                       core::TimePoint at);

}  // namespace caredesk::storage::sql
