#include "core/working_days.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace caredesk::core {
namespace {

namespace chr = std::chrono;

// Test dates are written as ISO strings and compared as ISO strings, so that a failure
// prints readable dates.
Date Ymd(std::string_view iso) { return ParseDate(iso).value(); }
std::string Iso(const Date& d) { return FormatDate(d); }

int CountHolidaysIn(const HolidayCalendar& cal, int year) {
  return static_cast<int>(std::ranges::count_if(
      cal.holidays(), [year](const Holiday& h) { return h.date.year == year; }));
}

// ---------------------------------------------------------------------------------------
// Dates

TEST(ParseDate, AcceptsIsoDatesAndRoundTrips) {
  const std::optional<Date> d = ParseDate("2026-11-24");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year, 2026);
  EXPECT_EQ(d->month, 11);
  EXPECT_EQ(d->day, 24);
  EXPECT_EQ(FormatDate(*d), "2026-11-24");
  EXPECT_EQ(FormatDate(Date{2026, 3, 1}), "2026-03-01");
  EXPECT_EQ(Iso(Ymd("1900-01-01")), "1900-01-01");
  EXPECT_EQ(Iso(Ymd("2199-12-31")), "2199-12-31");
}

TEST(ParseDate, AppliesLeapYearRules) {
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());   // divisible by 4
  EXPECT_TRUE(ParseDate("2000-02-29").has_value());   // divisible by 400
  EXPECT_FALSE(ParseDate("2026-02-29").has_value());  // common year
  EXPECT_FALSE(ParseDate("2100-02-29").has_value());  // divisible by 100, not by 400
  EXPECT_FALSE(ParseDate("1900-02-29").has_value());
}

TEST(ParseDate, RejectsDaysThatDoNotExist) {
  EXPECT_FALSE(ParseDate("2026-02-30").has_value());
  EXPECT_FALSE(ParseDate("2026-04-31").has_value());
  EXPECT_FALSE(ParseDate("2026-13-01").has_value());
  EXPECT_FALSE(ParseDate("2026-00-10").has_value());
  EXPECT_FALSE(ParseDate("2026-11-00").has_value());
  EXPECT_FALSE(ParseDate("2026-11-32").has_value());
}

TEST(ParseDate, RejectsOtherFormats) {
  for (std::string_view bad :
       {"", "2026-1-24", "2026-11-4", "2026/11/24", "20261124", " 2026-11-24", "2026-11-24 ",
        "2026-11-24T00:00:00Z", "+026-11-24", "2026-+1-24", "20a6-11-24", "2026-11-2x",
        "2026--11-24", "26-11-24"}) {
    EXPECT_FALSE(ParseDate(bad).has_value()) << bad;
  }
}

TEST(ParseDate, RejectsYearsOutsideTheSupportedRange) {
  EXPECT_FALSE(ParseDate("1899-12-31").has_value());
  EXPECT_FALSE(ParseDate("2200-01-01").has_value());
  EXPECT_FALSE(ParseDate("0000-01-01").has_value());
  EXPECT_FALSE(IsValidDate(Date{2026, 2, 29}));
  EXPECT_TRUE(IsValidDate(Date{2028, 2, 29}));
}

TEST(DayOfWeek, KnownDates) {
  constexpr int kSunday = 0;
  constexpr int kTuesday = 2;
  constexpr int kWednesday = 3;
  constexpr int kThursday = 4;
  constexpr int kSaturday = 6;
  EXPECT_EQ(DayOfWeek(Ymd("2026-11-24")), kTuesday);
  EXPECT_EQ(DayOfWeek(Ymd("2026-11-22")), kSunday);
  EXPECT_EQ(DayOfWeek(Ymd("2025-01-01")), kWednesday);
  EXPECT_EQ(DayOfWeek(Ymd("1970-01-01")), kThursday);
  EXPECT_EQ(DayOfWeek(Ymd("2000-01-01")), kSaturday);
  EXPECT_EQ(DayOfWeek(Ymd("2027-12-25")), kSaturday);
}

TEST(AddDays, CrossesMonthYearAndLeapDay) {
  EXPECT_EQ(Iso(AddDays(Ymd("2024-02-28"), 1)), "2024-02-29");
  EXPECT_EQ(Iso(AddDays(Ymd("2026-02-28"), 1)), "2026-03-01");
  EXPECT_EQ(Iso(AddDays(Ymd("2026-12-31"), 1)), "2027-01-01");
  EXPECT_EQ(Iso(AddDays(Ymd("2026-03-01"), -1)), "2026-02-28");
  EXPECT_EQ(Iso(AddDays(Ymd("2026-11-02"), 30)), "2026-12-02");
  EXPECT_EQ(Iso(AddDays(Ymd("2026-11-24"), 0)), "2026-11-24");
}

TEST(DaysBetween, CountsCalendarDaysSigned) {
  EXPECT_EQ(DaysBetween(Ymd("2026-01-01"), Ymd("2027-01-01")), 365);
  EXPECT_EQ(DaysBetween(Ymd("2024-01-01"), Ymd("2025-01-01")), 366);
  EXPECT_EQ(DaysBetween(Ymd("2026-11-24"), Ymd("2026-11-17")), -7);
  EXPECT_EQ(DaysBetween(Ymd("2026-11-24"), Ymd("2026-11-24")), 0);
}

// ---------------------------------------------------------------------------------------
// RFC 3339 times

TEST(ParseRfc3339, ReadsTheZoneSecondsAndFraction) {
  const chr::sys_days nov30{chr::year{2026} / 11 / 30};
  EXPECT_EQ(ParseRfc3339("2026-11-30T09:00:00+09:00"), nov30);
  EXPECT_EQ(ParseRfc3339("2026-11-30T09:00Z"), nov30 + chr::hours{9});
  EXPECT_EQ(ParseRfc3339("2026-11-30t09:00:15.123z"), nov30 + chr::hours{9} + chr::seconds{15});
  EXPECT_EQ(ParseRfc3339("2026-11-30 09:00-05:30"), nov30 + chr::hours{14} + chr::minutes{30});
}

// Found by the text_inputs fuzz harness: std::from_chars takes a minus sign, so "-1" passed as
// an hour, minute, second or offset.
TEST(ParseRfc3339, TakesDigitsOnly) {
  for (const char* s : {"2026-11-30T09:00:15.13+09:-1", "2026-11-30T-1:00Z", "2026-11-30T09:-5Z",
                        "2026-11-30T09:00:-1Z", "2026-11-30T09:00+-9:00", "2026-11-30T09:00+9:000",
                        "2026-11-30T 9:00Z", "2026-11-30T09:00", "2026-11-30T24:00Z",
                        "2026-11-30T09:60Z", "2026-02-30T09:00Z", "2026-11-30Tgarbage"}) {
    EXPECT_FALSE(ParseRfc3339(s).has_value()) << s;
  }
}

// ---------------------------------------------------------------------------------------
// Korea Standard Time

TEST(KstDate, NewDayStartsAtFifteenHundredUtc) {
  const chr::sys_days nov23{chr::year{2026} / 11 / 23};
  EXPECT_EQ(Iso(KstDate(nov23 + chr::hours{15})), "2026-11-24");
  EXPECT_EQ(Iso(KstDate(nov23 + chr::hours{14} + chr::minutes{59} + chr::seconds{59})),
            "2026-11-23");
  EXPECT_EQ(Iso(KstDate(nov23)), "2026-11-23");  // 09:00 KST
}

TEST(KstDate, CrossesTheYearBoundary) {
  const chr::sys_days dec31{chr::year{2026} / 12 / 31};
  EXPECT_EQ(Iso(KstDate(dec31 + chr::hours{15})), "2027-01-01");
  EXPECT_EQ(Iso(KstDate(dec31 + chr::hours{15} - chr::nanoseconds{1})), "2026-12-31");
}

TEST(EndOfKstOfficeDay, IsNineHundredUtcOfTheSameDay) {
  const Date d = Ymd("2026-11-24");
  const chr::system_clock::time_point end = EndOfKstOfficeDay(d);
  EXPECT_EQ(end, chr::sys_days{chr::year{2026} / 11 / 24} + chr::hours{9});
  EXPECT_EQ(Iso(KstDate(end)), "2026-11-24");
}

// ---------------------------------------------------------------------------------------
// Holidays

TEST(DefaultKoreanHolidays, ContainsEvery2026HolidayAndNothingElse) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  constexpr std::array k2026 = {
      "2026-01-01",                              // 신정
      "2026-02-16", "2026-02-17", "2026-02-18",  // 설날
      "2026-03-01", "2026-03-02",                // 3·1절 (Sun) + 대체
      "2026-05-05",                              // 어린이날
      "2026-05-24", "2026-05-25",                // 부처님 오신 날 (Sun) + 대체
      "2026-06-03",                              // 지방선거
      "2026-06-06",                              // 현충일 (Sat, no substitute)
      "2026-07-17",                              // 제헌절 (holiday again from 2026)
      "2026-08-15", "2026-08-17",                // 광복절 (Sat) + 대체
      "2026-09-24", "2026-09-25", "2026-09-26",  // 추석 (Sat: no substitute)
      "2026-10-03", "2026-10-05",                // 개천절 (Sat) + 대체
      "2026-10-09",                              // 한글날
      "2026-12-25",                              // 기독탄신일
  };
  for (const char* iso : k2026) {
    EXPECT_TRUE(cal.IsHoliday(Ymd(iso))) << iso;
  }
  EXPECT_EQ(CountHolidaysIn(cal, 2026), static_cast<int>(k2026.size()));
}

TEST(DefaultKoreanHolidays, SpotChecks2025) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  for (const char* iso : {"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30",
                          "2025-03-03", "2025-05-05", "2025-05-06", "2025-06-03", "2025-10-06",
                          "2025-10-08", "2025-10-09", "2025-12-25"}) {
    EXPECT_TRUE(cal.IsHoliday(Ymd(iso))) << iso;
  }
  EXPECT_FALSE(cal.IsHoliday(Ymd("2025-10-10")));  // discussed, never designated
  EXPECT_EQ(CountHolidaysIn(cal, 2025), 19);
}

TEST(DefaultKoreanHolidays, SpotChecks2027) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  for (const char* iso : {"2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-05-13",
                          "2027-08-16", "2027-09-15", "2027-10-04", "2027-10-11", "2027-12-27"}) {
    EXPECT_TRUE(cal.IsHoliday(Ymd(iso))) << iso;
  }
  EXPECT_TRUE(cal.IsHoliday(Ymd("2027-06-06")));
  EXPECT_FALSE(cal.IsHoliday(Ymd("2027-06-07")));  // 현충일 has no substitute holiday
  EXPECT_EQ(CountHolidaysIn(cal, 2027), 21);
}

TEST(DefaultKoreanHolidays, DataIsSortedUniqueValidAndSubstitutesFallOnWeekdays) {
  const std::vector<Holiday>& holidays = DefaultKoreanHolidays();
  ASSERT_FALSE(holidays.empty());
  for (std::size_t i = 0; i < holidays.size(); ++i) {
    const Holiday& h = holidays[i];
    EXPECT_TRUE(IsValidDate(h.date)) << Iso(h.date);
    EXPECT_FALSE(h.name_ko.empty()) << Iso(h.date);
    if (i > 0) {
      EXPECT_LT(holidays[i - 1].date, h.date) << Iso(h.date);
    }
    if (h.name_ko.starts_with("대체공휴일")) {
      const int weekday = DayOfWeek(h.date);
      EXPECT_TRUE(weekday >= 1 && weekday <= 5) << Iso(h.date);
    }
  }
}

TEST(HolidayCalendar, EmptyCalendarOnlyRestsOnWeekends) {
  const HolidayCalendar cal;
  EXPECT_TRUE(cal.holidays().empty());
  EXPECT_TRUE(cal.IsWorkingDay(Ymd("2026-09-25")));   // 추석, but not in this calendar
  EXPECT_FALSE(cal.IsWorkingDay(Ymd("2026-11-21")));  // Saturday
  EXPECT_FALSE(cal.IsWorkingDay(Ymd("2026-11-22")));  // Sunday
  EXPECT_TRUE(cal.IsWorkingDay(Ymd("2026-11-23")));   // Monday
}

TEST(HolidayCalendar, AdministratorsAddAndRemoveDates) {
  HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  const Date extra = Ymd("2026-12-31");
  EXPECT_TRUE(cal.IsWorkingDay(extra));
  EXPECT_TRUE(cal.Add(Holiday{extra, "임시공휴일"}));
  EXPECT_FALSE(cal.Add(Holiday{extra, "중복"}));
  EXPECT_TRUE(cal.IsHoliday(extra));
  EXPECT_FALSE(cal.IsWorkingDay(extra));

  const Date hangul_day = Ymd("2026-10-09");  // Friday
  EXPECT_TRUE(cal.Remove(hangul_day));
  EXPECT_FALSE(cal.Remove(hangul_day));
  EXPECT_TRUE(cal.IsWorkingDay(hangul_day));

  EXPECT_TRUE(std::ranges::is_sorted(cal.holidays(), {}, &Holiday::date));
  // The shared default set is unchanged.
  EXPECT_TRUE(HolidayCalendar::KoreanDefault().IsHoliday(hangul_day));
}

TEST(HolidayCalendar, ConstructorSortsAndKeepsTheFirstEntryPerDate) {
  const HolidayCalendar cal({Holiday{Ymd("2026-12-25"), "기독탄신일"},
                             Holiday{Ymd("2026-01-01"), "신정"},
                             Holiday{Ymd("2026-12-25"), "중복"}});
  ASSERT_EQ(cal.holidays().size(), 2U);
  EXPECT_EQ(Iso(cal.holidays()[0].date), "2026-01-01");
  EXPECT_EQ(cal.holidays()[1].name_ko, "기독탄신일");
}

// ---------------------------------------------------------------------------------------
// Working days

TEST(AddWorkingDays, StartDayDoesNotCount) {
  const HolidayCalendar cal;
  // From Friday 2026-11-06; 7 working days: Mon 9 .. Fri 13 (5), Mon 16 (6), Tue 17 (7).
  // (The answer clock counts the day of receipt instead: see AnswerClock below.)
  const Date friday = Ymd("2026-11-06");
  const Date due = cal.AddWorkingDays(friday, 7);
  EXPECT_EQ(Iso(due), "2026-11-17");
  EXPECT_EQ(DayOfWeek(due), 2);  // Tuesday
  EXPECT_EQ(DaysBetween(friday, due), 11);
  EXPECT_EQ(cal.WorkingDaysBetween(friday, due), 7);
  EXPECT_EQ(Iso(cal.AddWorkingDays(friday, 1)), "2026-11-09");
}

TEST(AddWorkingDays, SkipsChuseok2026AndItsSubstituteHoliday) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  // Received Wed 2026-09-23. Thu 24 - Sat 26 추석, Sun 27; Mon 28 (1), Tue 29 (2), Wed 30 (3),
  // Thu 10-01 (4), Fri 10-02 (5); Sat 3 개천절, Sun 4, Mon 5 대체공휴일; Tue 6 (6), Wed 7 (7).
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-09-23"), 7)), "2026-10-07");
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-09-23"), 1)), "2026-09-28");
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-10-02"), 1)), "2026-10-06");
}

TEST(AddWorkingDays, SkipsSeollal2027AndItsSubstituteHoliday) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  // Fri 2027-02-05; Sat 6 - Mon 8 설날, Tue 9 대체공휴일 (설날 fell on Sunday).
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2027-02-05"), 1)), "2027-02-10");
}

TEST(AddWorkingDays, ZeroReturnsTheSameOrNextWorkingDay) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-11-24"), 0)), "2026-11-24");
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-11-21"), 0)), "2026-11-23");   // Sat -> Mon
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-09-24"), 0)), "2026-09-28");   // 추석 -> Mon
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-11-21"), -3)), "2026-11-23");  // as 0
}

TEST(WorkingDaysBetween, CountsWorkingDaysInHalfOpenInterval) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  EXPECT_EQ(cal.WorkingDaysBetween(Ymd("2026-09-23"), Ymd("2026-10-07")), 7);
  EXPECT_EQ(cal.WorkingDaysBetween(Ymd("2026-11-23"), Ymd("2026-11-24")), 1);
  EXPECT_EQ(cal.WorkingDaysBetween(Ymd("2026-11-24"), Ymd("2026-11-24")), 0);
  EXPECT_EQ(cal.WorkingDaysBetween(Ymd("2026-11-24"), Ymd("2026-11-01")), 0);
  EXPECT_EQ(cal.WorkingDaysBetween(Ymd("2026-11-20"), Ymd("2026-11-22")), 0);  // weekend
  // 2026: 261 weekdays, 15 of them holidays.
  EXPECT_EQ(cal.WorkingDaysBetween(Ymd("2025-12-31"), Ymd("2026-12-31")), 246);
}

// ---------------------------------------------------------------------------------------
// Clocks. The base case: received Monday 2026-11-02 (no holidays in November 2026). The day
// of receipt counts (민원 처리에 관한 법률 제19조②), so the 7-working-day answer is due
// Tuesday 2026-11-10 (Mon 2 .. Fri 6, Mon 9, Tue 10), and the 30-day progress notice on
// Wednesday 2026-12-02.

ClockInput Received(std::string_view iso) {
  ClockInput in;
  in.received = Ymd(iso);
  return in;
}

ClockStatus AnswerClock(const ClockInput& in, const HolidayCalendar& cal, std::string_view today) {
  const std::vector<ClockStatus> clocks = EvaluateClocks(in, cal, Ymd(today));
  EXPECT_EQ(clocks.size(), 2U);
  EXPECT_EQ(clocks.at(0).kind, ClockKind::kAnswer);
  return clocks.at(0);
}

ClockStatus ProgressClock(const ClockInput& in, const HolidayCalendar& cal,
                          std::string_view today) {
  const std::vector<ClockStatus> clocks = EvaluateClocks(in, cal, Ymd(today));
  EXPECT_EQ(clocks.size(), 2U);
  EXPECT_EQ(clocks.at(1).kind, ClockKind::kProgressNotice);
  return clocks.at(1);
}

TEST(AnswerClock, TheDayOfReceiptCountsWhenItIsAWorkingDay) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();

  // Received Friday 2026-11-06: Fri 6 (1), Mon 9 (2) .. Fri 13 (6), Mon 16 (7).
  ClockStatus s = AnswerClock(Received("2026-11-06"), cal, "2026-11-06");
  EXPECT_EQ(Iso(s.due), "2026-11-16");
  EXPECT_EQ(DayOfWeek(s.due), 1);  // Monday
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 6);  // the day of receipt already counted
  // One working day earlier than AddWorkingDays, which does not count its start day.
  EXPECT_EQ(Iso(cal.AddWorkingDays(Ymd("2026-11-06"), 7)), "2026-11-17");

  // Received Saturday 2026-11-07: the first counted day is Mon 9; Mon 9 .. Fri 13 (5),
  // Mon 16 (6), Tue 17 (7). Sunday receipt is the same.
  s = AnswerClock(Received("2026-11-07"), cal, "2026-11-07");
  EXPECT_EQ(Iso(s.due), "2026-11-17");
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 7);
  EXPECT_EQ(Iso(AnswerClock(Received("2026-11-08"), cal, "2026-11-08").due), "2026-11-17");

  // Received on a public holiday (Thu 2026-09-24, 추석): Mon 28 (1) .. Fri 10-02 (5); Sat 3
  // 개천절, Sun 4, Mon 5 대체공휴일; Tue 6 (6), Wed 7 (7).
  EXPECT_EQ(Iso(AnswerClock(Received("2026-09-24"), cal, "2026-09-24").due), "2026-10-07");
}

TEST(AnswerClock, TheDayOfReceiptDoesNotCountWhenPaused) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.pauses.push_back(ClockPause{Ymd("2026-11-02"), Ymd("2026-11-02")});
  // Mon 2 paused; Tue 3 (1) .. Fri 6 (4), Mon 9 (5), Tue 10 (6), Wed 11 (7).
  const ClockStatus s = AnswerClock(in, cal, "2026-11-03");
  EXPECT_EQ(Iso(s.due), "2026-11-11");
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 6);  // Wed 4 .. Wed 11
}

TEST(AnswerClock, RunsUntilTheDueDayThenIsOverdue) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  const ClockInput in = Received("2026-11-02");

  ClockStatus s = AnswerClock(in, cal, "2026-11-05");
  EXPECT_EQ(Iso(s.due), "2026-11-10");
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 3);  // Fri 6, Mon 9, Tue 10

  s = AnswerClock(in, cal, "2026-11-10");
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 0);

  s = AnswerClock(in, cal, "2026-11-11");
  EXPECT_EQ(s.state, ClockState::kOverdue);
  EXPECT_EQ(s.working_days_left, -1);

  s = AnswerClock(in, cal, "2026-11-12");
  EXPECT_EQ(s.state, ClockState::kOverdue);
  EXPECT_EQ(s.working_days_left, -2);  // Wed 11, Thu 12
}

TEST(AnswerClock, OverdueOnTheWeekendAfterAFridayDueDateIsMinusOne) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  // Thursday: Thu 5, Fri 6, Mon 9 .. Thu 12, Fri 13 (7) -> due Friday 11-13.
  const ClockInput in = Received("2026-11-05");
  const ClockStatus s = AnswerClock(in, cal, "2026-11-14");
  EXPECT_EQ(Iso(s.due), "2026-11-13");
  EXPECT_EQ(s.state, ClockState::kOverdue);
  EXPECT_EQ(s.working_days_left, -1);
}

TEST(AnswerClock, AnswerOnOrBeforeDueIsMetAfterIsBreached) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");

  in.answered = Ymd("2026-11-10");  // the due day
  ClockStatus s = AnswerClock(in, cal, "2026-11-24");
  EXPECT_EQ(Iso(s.due), "2026-11-10");
  EXPECT_EQ(s.state, ClockState::kMet);
  EXPECT_EQ(s.working_days_left, 0);

  in.answered = Ymd("2026-11-06");
  s = AnswerClock(in, cal, "2026-11-24");
  EXPECT_EQ(s.state, ClockState::kMet);
  EXPECT_EQ(s.working_days_left, 2);  // Mon 9, Tue 10

  in.answered = Ymd("2026-11-11");  // the day after the due day
  s = AnswerClock(in, cal, "2026-11-24");
  EXPECT_EQ(s.state, ClockState::kBreached);
  EXPECT_EQ(s.working_days_left, -1);
}

TEST(AnswerClock, ExtensionAddsSevenWorkingDays) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.extended = true;
  const ClockStatus s = AnswerClock(in, cal, "2026-11-13");
  // 14 counted days: Mon 2 .. Fri 6 (5), Mon 9 .. Fri 13 (10), Mon 16 .. Thu 19 (14).
  EXPECT_EQ(Iso(s.due), "2026-11-19");
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 4);  // Mon 16, Tue 17, Wed 18, Thu 19
}

TEST(AnswerClock, StatuteQuestionsGetFourteenWorkingDaysAcrossChuseok) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-09-23");
  in.rule.answer_working_days = 14;
  // Wed 23 (1); Thu 24 - Sat 26 추석, Sun 27; Mon 28 (2) .. Fri 10-02 (6); Sat 3 개천절,
  // Sun 4, Mon 5 대체공휴일; Tue 6 (7), Wed 7 (8), Thu 8 (9); Fri 9 한글날; Mon 12 (10) ..
  // Fri 16 (14).
  EXPECT_EQ(Iso(AnswerClock(in, cal, "2026-09-23").due), "2026-10-16");
  in.rule.answer_working_days = 7;
  EXPECT_EQ(Iso(AnswerClock(in, cal, "2026-09-23").due), "2026-10-06");
}

TEST(AnswerClock, PauseOfThreeWorkingDaysMovesDueByThreeWorkingDays) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  // Fri 6, (Sat, Sun), Mon 9, Tue 10: five calendar days, three working days.
  in.pauses.push_back(ClockPause{Ymd("2026-11-06"), Ymd("2026-11-10")});

  // Mon 2 .. Thu 5 (4); paused; Wed 11 (5), Thu 12 (6), Fri 13 (7).
  const ClockStatus s = AnswerClock(in, cal, "2026-11-12");
  EXPECT_EQ(Iso(s.due), "2026-11-13");
  EXPECT_EQ(Iso(s.due), Iso(cal.AddWorkingDays(Ymd("2026-11-10"), 3)));
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 1);  // Fri 13

  EXPECT_EQ(AnswerClock(in, cal, "2026-11-09").state, ClockState::kPaused);
}

TEST(AnswerClock, OpenPauseCountsUpToTodayAndFreezesTheDaysLeft) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.pauses.push_back(ClockPause{Ymd("2026-11-09"), std::nullopt});

  // Paused Mon 9 - Wed 11: 5 days ran before (Mon 2 - Fri 6), 2 left after today.
  ClockStatus s = AnswerClock(in, cal, "2026-11-11");
  EXPECT_EQ(Iso(s.due), "2026-11-13");
  EXPECT_EQ(s.state, ClockState::kPaused);
  EXPECT_EQ(s.working_days_left, 2);  // Thu 12, Fri 13

  // Still waiting on the resident on Fri 20: due moves to Tue 24, still 2 days left.
  s = AnswerClock(in, cal, "2026-11-20");
  EXPECT_EQ(Iso(s.due), "2026-11-24");
  EXPECT_EQ(s.state, ClockState::kPaused);
  EXPECT_EQ(s.working_days_left, 2);  // Mon 23, Tue 24
}

TEST(AnswerClock, OpenPauseEndsWhenTheAnswerIsGiven) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.pauses.push_back(ClockPause{Ymd("2026-11-09"), std::nullopt});
  in.answered = Ymd("2026-11-10");
  // Paused Mon 9 and Tue 10 only, so due 11-10 + 2 working days: Wed 11 (6), Thu 12 (7).
  const ClockStatus s = AnswerClock(in, cal, "2026-11-24");
  EXPECT_EQ(Iso(s.due), "2026-11-12");
  EXPECT_EQ(s.state, ClockState::kMet);
  EXPECT_EQ(s.working_days_left, 2);  // Wed 11, Thu 12
}

TEST(AnswerClock, PausingAnOverdueClockDoesNotRescueIt) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.pauses.push_back(ClockPause{Ymd("2026-11-13"), std::nullopt});
  const ClockStatus s = AnswerClock(in, cal, "2026-11-16");
  EXPECT_EQ(Iso(s.due), "2026-11-10");
  EXPECT_EQ(s.state, ClockState::kOverdue);
  EXPECT_EQ(s.working_days_left, -4);  // Wed 11, Thu 12, Fri 13, Mon 16
}

TEST(AnswerClock, PausesInAnyOrderAddUp) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.pauses.push_back(ClockPause{Ymd("2026-11-10"), Ymd("2026-11-10")});  // 1 working day
  in.pauses.push_back(ClockPause{Ymd("2026-11-04"), Ymd("2026-11-05")});  // 2 working days
  // Mon 2 (1), Tue 3 (2); Wed 4, Thu 5 paused; Fri 6 (3), Mon 9 (4); Tue 10 paused;
  // Wed 11 (5), Thu 12 (6), Fri 13 (7).
  const ClockStatus s = AnswerClock(in, cal, "2026-11-24");
  EXPECT_EQ(Iso(s.due), "2026-11-13");
  EXPECT_EQ(Iso(s.due), Iso(cal.AddWorkingDays(Ymd("2026-11-10"), 3)));
}

TEST(ProgressNoticeClock, DueThirtyCalendarDaysAfterReceipt) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  const ClockInput in = Received("2026-11-02");

  ClockStatus s = ProgressClock(in, cal, "2026-11-24");
  EXPECT_EQ(Iso(s.due), "2026-12-02");
  EXPECT_EQ(s.state, ClockState::kRunning);
  EXPECT_EQ(s.working_days_left, 6);  // 25, 26, 27, 30, 12-01, 12-02

  s = ProgressClock(in, cal, "2026-12-03");
  EXPECT_EQ(s.state, ClockState::kOverdue);
  EXPECT_EQ(s.working_days_left, -1);
}

TEST(ProgressNoticeClock, MovesToTheNextWorkingDay) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  // 2026-09-04 + 30 = Sun 10-04; Mon 10-05 is the 개천절 substitute holiday.
  EXPECT_EQ(Iso(ProgressClock(Received("2026-09-04"), cal, "2026-09-04").due), "2026-10-06");
}

TEST(ProgressNoticeClock, MetByANoticeOrAnAnswerBreachedWhenLate) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");

  in.progress_notice_sent = Ymd("2026-12-01");
  EXPECT_EQ(ProgressClock(in, cal, "2026-12-10").state, ClockState::kMet);

  in.progress_notice_sent = Ymd("2026-12-02");
  EXPECT_EQ(ProgressClock(in, cal, "2026-12-10").state, ClockState::kMet);

  in.progress_notice_sent = Ymd("2026-12-03");
  ClockStatus s = ProgressClock(in, cal, "2026-12-10");
  EXPECT_EQ(s.state, ClockState::kBreached);
  EXPECT_EQ(s.working_days_left, -1);

  // An answer within the period makes the notice unnecessary.
  in.progress_notice_sent.reset();
  in.answered = Ymd("2026-11-11");
  EXPECT_EQ(ProgressClock(in, cal, "2026-12-10").state, ClockState::kMet);

  // An answer after the period, with no notice, is a breach.
  in.answered = Ymd("2026-12-04");
  EXPECT_EQ(ProgressClock(in, cal, "2026-12-10").state, ClockState::kBreached);
}

TEST(ProgressNoticeClock, IgnoresPauses) {
  const HolidayCalendar cal = HolidayCalendar::KoreanDefault();
  ClockInput in = Received("2026-11-02");
  in.pauses.push_back(ClockPause{Ymd("2026-11-09"), std::nullopt});
  const ClockStatus s = ProgressClock(in, cal, "2026-11-24");
  EXPECT_EQ(Iso(s.due), "2026-12-02");
  EXPECT_EQ(s.state, ClockState::kRunning);
}

TEST(ClockCodes, AreStable) {
  EXPECT_EQ(ClockStateCode(ClockState::kRunning), "running");
  EXPECT_EQ(ClockStateCode(ClockState::kPaused), "paused");
  EXPECT_EQ(ClockStateCode(ClockState::kMet), "met");
  EXPECT_EQ(ClockStateCode(ClockState::kOverdue), "overdue");
  EXPECT_EQ(ClockStateCode(ClockState::kBreached), "breached");
  EXPECT_EQ(ClockKindCode(ClockKind::kAnswer), "answer");
  EXPECT_EQ(ClockKindCode(ClockKind::kProgressNotice), "progress_notice");
}

}  // namespace
}  // namespace caredesk::core
