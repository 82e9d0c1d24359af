#include "core/work_calendar.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace caredesk::core {
namespace {

TimePoint At(int y, int m, int d, int h) {
  // KST h:00 of y-m-d.
  const auto days = DaysBetween({1970, 1, 1}, {y, m, d});
  return TimePoint{} + std::chrono::hours(24 * days + h - 9);
}

TEST(ICalendar, TextIsEscapedAndLongLinesFoldWithoutSplittingACharacter) {
  EXPECT_EQ(EscapeICalText("a,b;c\\d\ne\r"), "a\\,b\\;c\\\\d\\ne");
  const std::string korean = "SUMMARY:" + std::string(40 * 3, 'x');  // 128 octets
  const std::string folded = FoldICalLine(korean);
  EXPECT_EQ(folded.substr(0, 75), korean.substr(0, 75));
  EXPECT_EQ(folded.substr(75, 3), "\r\n ");
  std::string hangul = "DESCRIPTION:";
  for (int i = 0; i < 40; ++i) {
    hangul += "가";  // 3 octets each
  }
  const std::string f = FoldICalLine(hangul);
  std::istringstream lines(f);
  std::string line;
  std::string unfolded;
  while (std::getline(lines, line)) {
    ASSERT_FALSE(line.empty());
    ASSERT_EQ(line.back(), '\r');
    line.pop_back();
    EXPECT_LE(line.size(), 75U);
    // Each physical line is whole UTF-8: it starts with no continuation byte.
    const auto first = static_cast<unsigned char>(unfolded.empty() ? line[0] : line[1]);
    EXPECT_NE(first & 0xC0U, 0x80U);
    unfolded += unfolded.empty() ? line : line.substr(1);
  }
  EXPECT_EQ(unfolded, hangul);
}

TEST(ICalendar, WorkItemsBecomeAllDayEventsNamingTheCaseNotTheResident) {
  WorkItem visit;
  visit.kind = WorkItem::Kind::kFollowUp;
  visit.id = 7;
  visit.case_number = "2026-서교-000123";
  visit.urgency = Urgency::kUrgent;
  visit.step_kind = "home_visit";
  visit.due_at = At(2026, 12, 3, 10);
  WorkItem referral;
  referral.kind = WorkItem::Kind::kReferral;
  referral.id = 9;
  referral.case_number = "2026-서교-000124";
  referral.step_kind = "referral";
  referral.agency_id = 5;
  referral.due_at = At(2026, 11, 30, 23);  // 23:00 KST: still the 30th in Korea
  Agency agency;
  agency.id = 5;
  agency.name = "서민금융통합지원센터";
  const std::vector<WorkItem> items = {visit, referral};
  const std::vector<Agency> agencies = {agency};
  const auto now = At(2026, 12, 1, 9);
  const auto events = WorkCalendarEvents(items, agencies, now, "district-1.caredesk");
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].uid, "follow-up-7@district-1.caredesk");
  EXPECT_EQ(events[0].summary, "가정 방문 · 2026-서교-000123");
  EXPECT_EQ(events[0].date, (Date{2026, 12, 3}));
  EXPECT_EQ(events[1].uid, "referral-9@district-1.caredesk");
  EXPECT_EQ(events[1].summary, "[기한 지남] 연계 회신 기한 · 2026-서교-000124");
  EXPECT_EQ(events[1].date, (Date{2026, 11, 30}));
  EXPECT_NE(events[1].description.find("서민금융통합지원센터"), std::string::npos);

  const std::string ics = RenderICalendar("CareDesk 업무 · 김서교", events, now);
  EXPECT_EQ(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0), 0U);
  EXPECT_NE(ics.find("X-WR-CALNAME:CareDesk 업무 · 김서교\r\n"), std::string::npos);
  EXPECT_NE(ics.find("DTSTART;VALUE=DATE:20261203\r\nDTEND;VALUE=DATE:20261204\r\n"),
            std::string::npos);
  EXPECT_NE(ics.find("DTSTAMP:20261201T000000Z\r\n"), std::string::npos);
  EXPECT_NE(ics.find("CATEGORIES:사후관리,긴급\r\n"), std::string::npos);
  EXPECT_EQ(ics.substr(ics.size() - 15), "END:VCALENDAR\r\n");
  // Every line ends in CRLF; no bare LF.
  for (std::size_t i = 0; i < ics.size(); ++i) {
    if (ics[i] == '\n') {
      ASSERT_GT(i, 0U);
      EXPECT_EQ(ics[i - 1], '\r') << i;
    }
  }
}

}  // namespace
}  // namespace caredesk::core
