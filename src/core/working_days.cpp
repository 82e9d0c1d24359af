#include "core/working_days.hpp"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <utility>

namespace caredesk::core {
namespace {

namespace chr = std::chrono;

constexpr chr::hours kKstOffset{9};
constexpr chr::hours kOfficeDayEndKst{18};
constexpr int kSaturday = 6;
constexpr int kSunday = 0;

chr::year_month_day ToYmd(const Date& d) {
  return chr::year_month_day{chr::year{d.year}, chr::month{static_cast<unsigned>(d.month)},
                             chr::day{static_cast<unsigned>(d.day)}};
}

chr::sys_days ToSysDays(const Date& d) { return chr::sys_days{ToYmd(d)}; }

Date FromSysDays(chr::sys_days days) {
  const chr::year_month_day ymd{days};
  return Date{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
              static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// Reads `count` ASCII digits at `pos`; nullopt if any is not a digit.
std::optional<int> ReadDigits(std::string_view s, std::size_t pos, std::size_t count) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    constexpr int kBase = 10;
    value = value * kBase + (c - '0');
  }
  return value;
}

void AppendPadded(std::string& out, int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    out.append(static_cast<std::size_t>(width) - digits.size(), '0');
  }
  out += digits;
}

// Inclusive date range.
struct DateRange {
  Date first;
  Date last;
  bool Contains(const Date& d) const { return first <= d && d <= last; }
};

using DayPredicate = std::function<bool(const Date&)>;

// Days that count on a clock: working days on which `excluded` is false.
bool Counts(const HolidayCalendar& cal, const DayPredicate& excluded, const Date& d) {
  return cal.IsWorkingDay(d) && !excluded(d);
}

// The `n`-th counting day after `d` (d itself never counts); for n <= 0 the first counting
// day on or after `d`. Terminates because only finitely many days are holidays or excluded.
Date NthCountingDayAfter(const HolidayCalendar& cal, const DayPredicate& excluded, Date d, int n) {
  if (n <= 0) {
    while (!Counts(cal, excluded, d)) {
      d = AddDays(d, 1);
    }
    return d;
  }
  int counted = 0;
  while (counted < n) {
    d = AddDays(d, 1);
    if (Counts(cal, excluded, d)) {
      ++counted;
    }
  }
  return d;
}

// The number of counting days in (from, to]; 0 when to <= from.
int CountingDaysBetween(const HolidayCalendar& cal, const DayPredicate& excluded, const Date& from,
                        const Date& to) {
  int counted = 0;
  for (Date d = AddDays(from, 1); d <= to; d = AddDays(d, 1)) {
    if (Counts(cal, excluded, d)) {
      ++counted;
    }
  }
  return counted;
}

bool NeverExcluded(const Date& /*d*/) { return false; }

// The margin of a clock due on `due`, observed on `on`: counting days left, or minus the
// working days past due (at least -1).
int Margin(const HolidayCalendar& cal, const DayPredicate& excluded, const Date& due,
           const Date& on) {
  if (on <= due) {
    return CountingDaysBetween(cal, excluded, on, due);
  }
  return -std::max(1, cal.WorkingDaysBetween(due, on));
}

ClockStatus EvaluateAnswerClock(const ClockInput& in, const HolidayCalendar& cal,
                                const Date& today) {
  // An open pause ends today, or at the answer if that came first.
  Date open_pause_end = today;
  if (in.answered && *in.answered < open_pause_end) {
    open_pause_end = *in.answered;
  }
  std::vector<DateRange> paused;
  paused.reserve(in.pauses.size());
  for (const ClockPause& pause : in.pauses) {
    paused.push_back(DateRange{pause.from, pause.to.value_or(open_pause_end)});
  }
  const DayPredicate is_paused = [&paused](const Date& d) {
    return std::ranges::any_of(paused, [&d](const DateRange& r) { return r.Contains(d); });
  };

  int n = in.rule.answer_working_days;
  if (in.extended) {
    n += in.rule.extension_working_days;
  }
  n = std::max(n, 1);  // a limit of 0 would fall due before the day of receipt
  // 민원 처리에 관한 법률 제19조: limits of 6 days or more are counted in days, the first
  // day included, Saturdays and public holidays excluded. Counting from the day before
  // receipt makes the day of receipt the first counted day when it is a working day.
  ClockStatus status{ClockKind::kAnswer,
                     NthCountingDayAfter(cal, is_paused, AddDays(in.received, -1), n),
                     ClockState::kRunning, 0};

  if (in.answered) {
    status.state = *in.answered <= status.due ? ClockState::kMet : ClockState::kBreached;
    status.working_days_left = Margin(cal, is_paused, status.due, *in.answered);
    return status;
  }
  status.working_days_left = Margin(cal, is_paused, status.due, today);
  if (today > status.due) {
    status.state = ClockState::kOverdue;
    return status;
  }
  const bool paused_today = std::ranges::any_of(in.pauses, [&today](const ClockPause& pause) {
    return pause.from <= today && (!pause.to || today <= *pause.to);
  });
  status.state = paused_today ? ClockState::kPaused : ClockState::kRunning;
  return status;
}

ClockStatus EvaluateProgressNoticeClock(const ClockInput& in, const HolidayCalendar& cal,
                                        const Date& today) {
  const Date nominal = AddDays(in.received, in.rule.progress_notice_days);
  ClockStatus status{ClockKind::kProgressNotice, cal.AddWorkingDays(nominal, 0),
                     ClockState::kRunning, 0};

  std::optional<Date> stopped = in.progress_notice_sent;
  if (in.answered && (!stopped || *in.answered < *stopped)) {
    stopped = in.answered;
  }
  const DayPredicate excluded = NeverExcluded;
  if (stopped) {
    status.state = *stopped <= status.due ? ClockState::kMet : ClockState::kBreached;
    status.working_days_left = Margin(cal, excluded, status.due, *stopped);
    return status;
  }
  status.working_days_left = Margin(cal, excluded, status.due, today);
  status.state = today > status.due ? ClockState::kOverdue : ClockState::kRunning;
  return status;
}

Holiday MakeHoliday(int year, int month, int day, const char* name_ko) {
  return Holiday{Date{year, month, day}, name_ko};
}

}  // namespace

bool IsValidDate(const Date& d) {
  if (d.year < kMinSupportedYear || d.year > kMaxSupportedYear) {
    return false;
  }
  constexpr int kMonthsPerYear = 12;
  constexpr int kMaxDayOfMonth = 31;
  if (d.month < 1 || d.month > kMonthsPerYear || d.day < 1 || d.day > kMaxDayOfMonth) {
    return false;
  }
  return ToYmd(d).ok();
}

std::optional<Date> ParseDate(std::string_view iso) {
  // "YYYY-MM-DD"
  constexpr std::size_t kLength = 10;
  constexpr std::size_t kFirstDash = 4;
  constexpr std::size_t kSecondDash = 7;
  if (iso.size() != kLength || iso[kFirstDash] != '-' || iso[kSecondDash] != '-') {
    return std::nullopt;
  }
  const std::optional<int> year = ReadDigits(iso, 0, kFirstDash);
  const std::optional<int> month = ReadDigits(iso, kFirstDash + 1, 2);
  const std::optional<int> day = ReadDigits(iso, kSecondDash + 1, 2);
  if (!year || !month || !day) {
    return std::nullopt;
  }
  const Date d{*year, *month, *day};
  if (!IsValidDate(d)) {
    return std::nullopt;
  }
  return d;
}

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view s) {
  constexpr std::size_t kDateLength = 10;
  constexpr std::size_t kMinLength = 17;  // YYYY-MM-DDTHH:MMZ
  constexpr std::size_t kHourAt = 11;
  constexpr std::size_t kMinuteAt = 14;
  constexpr std::size_t kSecondsAt = 16;
  constexpr std::size_t kOffsetLength = 6;  // +09:00
  constexpr int kMaxHour = 23;
  constexpr int kMaxMinute = 59;
  constexpr int kMaxSecond = 59;
  if (s.size() < kMinLength ||
      (s[kDateLength] != 'T' && s[kDateLength] != 't' && s[kDateLength] != ' ')) {
    return std::nullopt;
  }
  const auto date = ParseDate(s.substr(0, kDateLength));
  if (!date) {
    return std::nullopt;
  }
  // Two ASCII digits at `pos` (no sign: std::from_chars would take "-1").
  auto two_digits = [&s](std::size_t pos) -> std::optional<int> {
    return pos + 2 <= s.size() ? ReadDigits(s, pos, 2) : std::nullopt;
  };
  const auto hour = two_digits(kHourAt);
  const auto minute = two_digits(kMinuteAt);
  if (!hour || !minute || s[kMinuteAt - 1] != ':' || *hour > kMaxHour || *minute > kMaxMinute) {
    return std::nullopt;
  }
  std::size_t pos = kSecondsAt;
  int second = 0;
  if (pos < s.size() && s[pos] == ':') {
    const auto sec = two_digits(pos + 1);
    if (!sec || *sec > kMaxSecond) {
      return std::nullopt;
    }
    second = *sec;
    pos += 3;
    if (pos < s.size() && s[pos] == '.') {
      const std::size_t first_digit = ++pos;
      while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
        ++pos;
      }
      if (pos == first_digit) {
        return std::nullopt;
      }
    }
  }
  int offset_minutes = 0;
  if (pos + 1 == s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    offset_minutes = 0;
  } else if (pos + kOffsetLength == s.size() && (s[pos] == '+' || s[pos] == '-') &&
             s[pos + 3] == ':') {
    const auto oh = two_digits(pos + 1);
    const auto om = two_digits(pos + 4);
    if (!oh || !om || *oh > kMaxHour || *om > kMaxMinute) {
      return std::nullopt;
    }
    constexpr int kMinutesPerHour = 60;
    offset_minutes = (*oh * kMinutesPerHour + *om) * (s[pos] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  const auto days = DaysBetween(Date{1970, 1, 1}, *date);
  return std::chrono::system_clock::time_point(
      std::chrono::days(days) + std::chrono::hours(*hour) + std::chrono::minutes(*minute) +
      std::chrono::seconds(second) - std::chrono::minutes(offset_minutes));
}

std::string FormatDate(const Date& d) {
  std::string out;
  constexpr std::size_t kLength = 10;
  out.reserve(kLength);
  AppendPadded(out, d.year, 4);
  out += '-';
  AppendPadded(out, d.month, 2);
  out += '-';
  AppendPadded(out, d.day, 2);
  return out;
}

int DayOfWeek(const Date& d) { return static_cast<int>(chr::weekday{ToSysDays(d)}.c_encoding()); }

Date AddDays(const Date& d, int n) { return FromSysDays(ToSysDays(d) + chr::days{n}); }

int DaysBetween(const Date& from, const Date& to) {
  return static_cast<int>((ToSysDays(to) - ToSysDays(from)).count());
}

Date KstDate(chr::system_clock::time_point t) {
  return FromSysDays(chr::floor<chr::days>(t + kKstOffset));
}

chr::system_clock::time_point EndOfKstOfficeDay(const Date& d) {
  return chr::system_clock::time_point{ToSysDays(d) + kOfficeDayEndKst - kKstOffset};
}

const std::vector<Holiday>& DefaultKoreanHolidays() {
  // Sources: 「관공서의 공휴일에 관한 규정」 and the 한국천문연구원 월력요항 for each year.
  // Substitute holidays: 설날/추석 when a day of the break falls on Sunday or on another
  // holiday; 3·1절, 어린이날, 부처님 오신 날, 광복절, 개천절, 한글날, 기독탄신일 when on
  // Saturday, Sunday or another holiday. 1월 1일 and 현충일 have none.
  // 제헌절 is a holiday again from 2026 (「공휴일에 관한 법률」 amended 2026-01-29).
  static const auto* const kHolidays = new std::vector<Holiday>{
      // 2025
      MakeHoliday(2025, 1, 1, "신정"),
      MakeHoliday(2025, 1, 27, "임시공휴일"),
      MakeHoliday(2025, 1, 28, "설날 전날"),
      MakeHoliday(2025, 1, 29, "설날"),
      MakeHoliday(2025, 1, 30, "설날 다음 날"),
      MakeHoliday(2025, 3, 1, "3·1절"),
      MakeHoliday(2025, 3, 3, "대체공휴일(3·1절)"),
      MakeHoliday(2025, 5, 5, "어린이날·부처님 오신 날"),
      MakeHoliday(2025, 5, 6, "대체공휴일(어린이날·부처님 오신 날)"),
      MakeHoliday(2025, 6, 3, "제21대 대통령선거"),
      MakeHoliday(2025, 6, 6, "현충일"),
      MakeHoliday(2025, 8, 15, "광복절"),
      MakeHoliday(2025, 10, 3, "개천절"),
      MakeHoliday(2025, 10, 5, "추석 전날"),
      MakeHoliday(2025, 10, 6, "추석"),
      MakeHoliday(2025, 10, 7, "추석 다음 날"),
      MakeHoliday(2025, 10, 8, "대체공휴일(추석)"),
      MakeHoliday(2025, 10, 9, "한글날"),
      MakeHoliday(2025, 12, 25, "기독탄신일"),
      // 2026
      MakeHoliday(2026, 1, 1, "신정"),
      MakeHoliday(2026, 2, 16, "설날 전날"),
      MakeHoliday(2026, 2, 17, "설날"),
      MakeHoliday(2026, 2, 18, "설날 다음 날"),
      MakeHoliday(2026, 3, 1, "3·1절"),
      MakeHoliday(2026, 3, 2, "대체공휴일(3·1절)"),
      MakeHoliday(2026, 5, 5, "어린이날"),
      MakeHoliday(2026, 5, 24, "부처님 오신 날"),
      MakeHoliday(2026, 5, 25, "대체공휴일(부처님 오신 날)"),
      MakeHoliday(2026, 6, 3, "제9회 전국동시지방선거"),
      MakeHoliday(2026, 6, 6, "현충일"),
      MakeHoliday(2026, 7, 17, "제헌절"),
      MakeHoliday(2026, 8, 15, "광복절"),
      MakeHoliday(2026, 8, 17, "대체공휴일(광복절)"),
      MakeHoliday(2026, 9, 24, "추석 전날"),
      MakeHoliday(2026, 9, 25, "추석"),
      MakeHoliday(2026, 9, 26, "추석 다음 날"),
      MakeHoliday(2026, 10, 3, "개천절"),
      MakeHoliday(2026, 10, 5, "대체공휴일(개천절)"),
      MakeHoliday(2026, 10, 9, "한글날"),
      MakeHoliday(2026, 12, 25, "기독탄신일"),
      // 2027
      MakeHoliday(2027, 1, 1, "신정"),
      MakeHoliday(2027, 2, 6, "설날 전날"),
      MakeHoliday(2027, 2, 7, "설날"),
      MakeHoliday(2027, 2, 8, "설날 다음 날"),
      MakeHoliday(2027, 2, 9, "대체공휴일(설날)"),
      MakeHoliday(2027, 3, 1, "3·1절"),
      MakeHoliday(2027, 5, 5, "어린이날"),
      MakeHoliday(2027, 5, 13, "부처님 오신 날"),
      MakeHoliday(2027, 6, 6, "현충일"),
      MakeHoliday(2027, 7, 17, "제헌절"),
      MakeHoliday(2027, 8, 15, "광복절"),
      MakeHoliday(2027, 8, 16, "대체공휴일(광복절)"),
      MakeHoliday(2027, 9, 14, "추석 전날"),
      MakeHoliday(2027, 9, 15, "추석"),
      MakeHoliday(2027, 9, 16, "추석 다음 날"),
      MakeHoliday(2027, 10, 3, "개천절"),
      MakeHoliday(2027, 10, 4, "대체공휴일(개천절)"),
      MakeHoliday(2027, 10, 9, "한글날"),
      MakeHoliday(2027, 10, 11, "대체공휴일(한글날)"),
      MakeHoliday(2027, 12, 25, "기독탄신일"),
      MakeHoliday(2027, 12, 27, "대체공휴일(기독탄신일)"),
  };
  return *kHolidays;
}

HolidayCalendar::HolidayCalendar() = default;

HolidayCalendar::HolidayCalendar(std::vector<Holiday> holidays) : holidays_(std::move(holidays)) {
  std::ranges::stable_sort(holidays_, {}, &Holiday::date);
  const auto same_date = [](const Holiday& a, const Holiday& b) { return a.date == b.date; };
  holidays_.erase(std::unique(holidays_.begin(), holidays_.end(), same_date), holidays_.end());
}

HolidayCalendar HolidayCalendar::KoreanDefault() {
  return HolidayCalendar(DefaultKoreanHolidays());
}

bool HolidayCalendar::Add(Holiday holiday) {
  const auto it = std::ranges::lower_bound(holidays_, holiday.date, {}, &Holiday::date);
  if (it != holidays_.end() && it->date == holiday.date) {
    return false;
  }
  holidays_.insert(it, std::move(holiday));
  return true;
}

bool HolidayCalendar::Remove(const Date& d) {
  const auto it = std::ranges::lower_bound(holidays_, d, {}, &Holiday::date);
  if (it == holidays_.end() || it->date != d) {
    return false;
  }
  holidays_.erase(it);
  return true;
}

bool HolidayCalendar::IsHoliday(const Date& d) const {
  return std::ranges::binary_search(holidays_, d, {}, &Holiday::date);
}

bool HolidayCalendar::IsWorkingDay(const Date& d) const {
  const int weekday = DayOfWeek(d);
  if (weekday == kSaturday || weekday == kSunday) {
    return false;
  }
  return !IsHoliday(d);
}

Date HolidayCalendar::AddWorkingDays(const Date& d, int n) const {
  return NthCountingDayAfter(*this, NeverExcluded, d, n);
}

int HolidayCalendar::WorkingDaysBetween(const Date& from, const Date& to) const {
  return CountingDaysBetween(*this, NeverExcluded, from, to);
}

const std::vector<Holiday>& HolidayCalendar::holidays() const { return holidays_; }

std::vector<ClockStatus> EvaluateClocks(const ClockInput& in, const HolidayCalendar& cal,
                                        const Date& today) {
  return {EvaluateAnswerClock(in, cal, today), EvaluateProgressNoticeClock(in, cal, today)};
}

std::string_view ClockStateCode(ClockState s) {
  switch (s) {
    case ClockState::kRunning:
      return "running";
    case ClockState::kPaused:
      return "paused";
    case ClockState::kMet:
      return "met";
    case ClockState::kOverdue:
      return "overdue";
    case ClockState::kBreached:
      return "breached";
  }
  return "unknown";
}

std::string_view ClockKindCode(ClockKind k) {
  switch (k) {
    case ClockKind::kAnswer:
      return "answer";
    case ClockKind::kProgressNotice:
      return "progress_notice";
  }
  return "unknown";
}

}  // namespace caredesk::core
