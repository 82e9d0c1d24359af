#include "core/access_review.hpp"

#include <gtest/gtest.h>

#include <map>

namespace caredesk::core {
namespace {

// 2026-11-24 (Tuesday) at `hour_kst`:00 KST.
TimePoint TuesdayAt(int hour_kst) {
  const auto midnight_kst = EndOfKstOfficeDay(Date{2026, 11, 24}) - std::chrono::hours(18);
  return midnight_kst + std::chrono::hours(hour_kst);
}

AccessRecord Read(UserId user, std::string target, TimePoint at, std::string purpose = "") {
  AccessRecord r;
  r.user_id = user;
  r.role = "counselor";
  r.action = "read";
  r.target_type = "case";
  r.target_id = std::move(target);
  r.at = at;
  r.purpose = std::move(purpose);
  r.outcome = "allowed";
  return r;
}

TEST(AccessReview, FlagsAfterHoursOutsideDongAndManyTargetsButNotOrdinaryWork) {
  std::vector<AccessRecord> records;
  for (int i = 0; i < 40; ++i) {
    records.push_back(Read(1, std::to_string(i % 10), TuesdayAt(10)));  // ordinary desk work
  }
  for (int i = 0; i < 6; ++i) {
    records.push_back(Read(2, std::to_string(i), TuesdayAt(23)));  // late at night
  }
  records.push_back(Read(3, "77", TuesdayAt(11), std::string(kOutsideOwnDong)));
  AccessReviewPolicy policy;
  policy.max_distinct_targets = 5;
  const auto review = ReviewAccess(records, HolidayCalendar::KoreanDefault(), policy, "2026-11");
  ASSERT_EQ(review.users.size(), 3U);
  std::map<UserId, UserAccessSummary> by_user;
  for (const auto& u : review.users) {
    by_user[u.user_id] = u;
  }
  EXPECT_EQ(by_user[1].reads, 40);
  EXPECT_EQ(by_user[1].distinct_targets, 10);
  EXPECT_EQ(by_user[1].flags, std::vector<std::string>{"many_targets"});
  EXPECT_EQ(by_user[2].after_hours, 6);
  EXPECT_NE(std::find(by_user[2].flags.begin(), by_user[2].flags.end(), "after_hours"),
            by_user[2].flags.end());
  EXPECT_EQ(by_user[3].flags, std::vector<std::string>{"outside_dong"});
}

TEST(AccessReview, WeekendsAndHolidaysCountAsAfterHours) {
  // 2026-12-25 (Christmas, a Friday) at 10:00 KST.
  const auto christmas = EndOfKstOfficeDay(Date{2026, 12, 25}) - std::chrono::hours(8);
  std::vector<AccessRecord> records;
  for (int i = 0; i < 6; ++i) {
    records.push_back(Read(9, "1", christmas));
  }
  const auto review =
      ReviewAccess(records, HolidayCalendar::KoreanDefault(), AccessReviewPolicy{}, "2026-12");
  ASSERT_EQ(review.users.size(), 1U);
  EXPECT_EQ(review.users[0].after_hours, 6);
}

}  // namespace
}  // namespace caredesk::core
