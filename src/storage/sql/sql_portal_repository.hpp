// The resident portal's lookup throttle on SQLite and PostgreSQL (one SQL for both).
#pragma once

#include "core/ports/portal_repository.hpp"
#include "storage/sql/database.hpp"

namespace caredesk::storage::sql {

class SqlLookupThrottle final : public core::LookupThrottle {
 public:
  explicit SqlLookupThrottle(Database& db) : db_(db) {}
  core::Result<core::LookupThrottleState> Get(core::DistrictId district,
                                              const std::string& receipt) override;
  core::Result<core::LookupThrottleState> RecordFailure(core::DistrictId district,
                                                        const std::string& receipt,
                                                        core::TimePoint now,
                                                        core::TimePoint forget_before) override;
  core::Status Clear(core::DistrictId district, const std::string& receipt) override;

 private:
  Database& db_;
};

}  // namespace caredesk::storage::sql
