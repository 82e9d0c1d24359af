// The monthly review of access records (접속기록 점검): per user, how much
// personal data they looked at, and flags for what an auditor should check —
// many residents read, reads outside the own dong, after-hours reads, many
// unmasks, bulk lists/exports, repeated denials. No I/O.
#pragma once

#include <string>
#include <vector>

#include "core/access_record.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

struct AccessReviewPolicy {
  int office_start_hour = 8;  // KST; reads outside [start, end) on working days are after-hours
  int office_end_hour = 20;
  int max_distinct_targets = 300;  // distinct residents/cases read in the month
  int max_after_hours = 5;
  int max_unmasks = 20;
  int max_outside_dong = 0;  // any read outside the own dong is worth a look
  int max_bulk = 50;         // lists, searches and exports
  int max_denied = 5;
};

struct UserAccessSummary {
  UserId user_id = 0;
  std::string role;
  int reads = 0;  // reads of one case or resident
  int distinct_targets = 0;
  int unmasks = 0;
  int bulk = 0;  // lists, searches, exports
  int outside_dong = 0;
  int after_hours = 0;
  int denied = 0;
  std::vector<std::string> flags;  // codes: many_targets, after_hours, many_unmasks, ...
};

struct AccessReview {
  std::string month;  // YYYY-MM
  int records = 0;
  std::vector<UserAccessSummary> users;  // flagged users first, then by reads
};

// The purpose an access record carries when a counselor reads a record outside their own dong.
inline constexpr std::string_view kOutsideOwnDong = "outside_own_dong";

AccessReview ReviewAccess(const std::vector<AccessRecord>& records, const HolidayCalendar& calendar,
                          const AccessReviewPolicy& policy, std::string month);

}  // namespace caredesk::core
