#include "core/access_review.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace caredesk::core {
namespace {

constexpr int kKstOffsetHours = 9;

bool AfterHours(TimePoint at, const HolidayCalendar& calendar, const AccessReviewPolicy& policy) {
  if (!calendar.IsWorkingDay(KstDate(at))) {
    return true;
  }
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(at.time_since_epoch()).count();
  const auto hour = static_cast<int>((hours + kKstOffsetHours) % 24);
  return hour < policy.office_start_hour || hour >= policy.office_end_hour;
}

bool IsPersonalTarget(const AccessRecord& r) {
  return r.target_type == "case" || r.target_type == "resident" || r.target_type == "referral";
}

}  // namespace

AccessReview ReviewAccess(const std::vector<AccessRecord>& records, const HolidayCalendar& calendar,
                          const AccessReviewPolicy& policy, std::string month) {
  AccessReview review;
  review.month = std::move(month);
  review.records = static_cast<int>(records.size());
  std::map<UserId, UserAccessSummary> users;
  std::map<UserId, std::set<std::string>> targets;
  for (const auto& r : records) {
    if (r.user_id == 0) {
      continue;  // failed sign-ins of unknown logins, system jobs
    }
    auto& u = users[r.user_id];
    u.user_id = r.user_id;
    u.role = r.role;
    if (r.outcome == "denied") {
      ++u.denied;
      continue;
    }
    const bool personal = IsPersonalTarget(r);
    if (r.action == "read" && personal) {
      ++u.reads;
      targets[r.user_id].insert(r.target_type + ":" + r.target_id);
    } else if (r.action == "unmask") {
      ++u.unmasks;
    } else if (r.action == "list" || r.action == "search" || r.action == "export" ||
               r.action == "lookup") {
      ++u.bulk;
    } else {
      continue;  // changes and account actions are not looks at personal data
    }
    if (r.purpose == kOutsideOwnDong) {
      ++u.outside_dong;
    }
    if (AfterHours(r.at, calendar, policy)) {
      ++u.after_hours;
    }
  }
  for (auto& [id, u] : users) {
    u.distinct_targets = static_cast<int>(targets[id].size());
    // Captures the member, not the structured binding: clang 14 cannot capture bindings.
    auto flag = [&flags = u.flags](bool over, const char* code) {
      if (over) {
        flags.emplace_back(code);
      }
    };
    flag(u.distinct_targets > policy.max_distinct_targets, "many_targets");
    flag(u.after_hours > policy.max_after_hours, "after_hours");
    flag(u.unmasks > policy.max_unmasks, "many_unmasks");
    flag(u.outside_dong > policy.max_outside_dong, "outside_dong");
    flag(u.bulk > policy.max_bulk, "bulk_access");
    flag(u.denied > policy.max_denied, "repeated_denials");
    review.users.push_back(u);
  }
  std::stable_sort(review.users.begin(), review.users.end(),
                   [](const UserAccessSummary& a, const UserAccessSummary& b) {
                     if (a.flags.empty() != b.flags.empty()) {
                       return !a.flags.empty();
                     }
                     return a.reads > b.reads;
                   });
  return review;
}

}  // namespace caredesk::core
