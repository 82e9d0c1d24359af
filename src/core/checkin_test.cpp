#include "core/checkin.hpp"

#include <gtest/gtest.h>

namespace caredesk::core {
namespace {

TEST(DecideCheckin, EmergencyIsACrisisAbnormalActivityUrgentTheSecondMissedCallUrgent) {
  const auto emergency = DecideCheckin(CheckinResult::kEmergencyButton, 0, true);
  EXPECT_TRUE(emergency.escalate);
  EXPECT_EQ(emergency.urgency, Urgency::kCrisis);
  EXPECT_EQ(emergency.follow_up, FollowUpKind::kHomeVisit);
  EXPECT_EQ(emergency.reason, "emergency_button");
  const auto odd = DecideCheckin(CheckinResult::kAbnormalActivity, 0, false);
  EXPECT_TRUE(odd.escalate);
  EXPECT_EQ(odd.urgency, Urgency::kUrgent);
  EXPECT_EQ(odd.follow_up, FollowUpKind::kWelfareCheck);
  EXPECT_FALSE(DecideCheckin(CheckinResult::kNoResponse, 1, false).escalate);
  const auto twice = DecideCheckin(CheckinResult::kNoResponse, 2, false);
  EXPECT_TRUE(twice.escalate);
  EXPECT_EQ(twice.urgency, Urgency::kUrgent);
  EXPECT_EQ(twice.follow_up, FollowUpKind::kHomeVisit);
  EXPECT_EQ(twice.reason, "no_response_twice");
  // A third miss opens no more work while the case is open; once it is closed (or was never
  // opened because that failed), the next miss escalates again.
  EXPECT_FALSE(DecideCheckin(CheckinResult::kNoResponse, 3, true).escalate);
  EXPECT_TRUE(DecideCheckin(CheckinResult::kNoResponse, 3, false).escalate);
  EXPECT_FALSE(DecideCheckin(CheckinResult::kNoResponse, 2, true).escalate);
  EXPECT_FALSE(DecideCheckin(CheckinResult::kResponded, 0, false).escalate);
}

TEST(DecideCheckin, MissesCountInARowAndAResponseStartsAgain) {
  int missed = 0;
  missed = MissedAfter(CheckinResult::kNoResponse, missed);
  missed = MissedAfter(CheckinResult::kEmergencyButton, missed);  // says nothing about answering
  EXPECT_EQ(missed, 1);
  missed = MissedAfter(CheckinResult::kNoResponse, missed);
  EXPECT_EQ(missed, 2);
  EXPECT_EQ(MissedAfter(CheckinResult::kResponded, missed), 0);
}

TEST(CheckinRequest, TheSigningStringAndTheBoundsOfIdsAndNonces) {
  EXPECT_EQ(CheckinSigningString("1764547200", "n0nce-0123456789", "{\"result\":\"responded\"}"),
            "POST\n/api/v1/checkins\n1764547200\nn0nce-0123456789\n{\"result\":\"responded\"}");
  EXPECT_TRUE(IsValidNonce("0123456789abcdef"));
  EXPECT_FALSE(IsValidNonce("short"));
  EXPECT_FALSE(IsValidNonce(std::string(65, 'a')));
  EXPECT_FALSE(IsValidNonce("0123456789abcdef\n"));
  EXPECT_TRUE(IsValidDeviceUid("HYODOL-2031:A"));
  EXPECT_FALSE(IsValidDeviceUid(""));
  EXPECT_FALSE(IsValidDeviceUid("로봇"));
  EXPECT_TRUE(IsValidDeviceKind("call_service"));
  EXPECT_FALSE(IsValidDeviceKind("phone"));
  EXPECT_EQ(Parse<CheckinResult>("abnormal_activity"), CheckinResult::kAbnormalActivity);
  EXPECT_FALSE(Parse<CheckinResult>("fine").has_value());
}

}  // namespace
}  // namespace caredesk::core
