// Civil dates, Korean public holidays and the statutory answer clocks of civil complaints
// (민원 처리기한), counted in working days. Pure domain code: no I/O, no system clock; the
// caller passes `today`.
#pragma once

#include <chrono>
#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace caredesk::core {

// The years ParseDate accepts. Every date in this range maps to a time point that
// std::chrono::system_clock can represent.
inline constexpr int kMinSupportedYear = 1900;
inline constexpr int kMaxSupportedYear = 2199;

// A civil date (no time zone): year, month 1-12, day 1-31. Functions below require a valid
// date (IsValidDate) unless they say otherwise; ParseDate only produces valid ones.
struct Date {
  int year;
  int month;
  int day;
  // NOLINTNEXTLINE(modernize-use-nullptr): false positive on defaulted <=> (clang-tidy 14)
  auto operator<=>(const Date&) const = default;
};

// True when `d` names an existing day of the proleptic Gregorian calendar within
// [kMinSupportedYear, kMaxSupportedYear] (2026-02-29 and 2026-04-31 are not).
bool IsValidDate(const Date& d);

// Parses exactly "YYYY-MM-DD" (ASCII digits, zero-padded). Returns nullopt for any other
// format and for dates that do not exist or lie outside the supported years.
std::optional<Date> ParseDate(std::string_view iso);

// "YYYY-MM-DD".
std::string FormatDate(const Date& d);

// Parses an RFC 3339 time with its zone, in ASCII digits: YYYY-MM-DD, then T (or t or a space),
// HH:MM, optionally :SS and a fraction of one or more digits (dropped), then Z (or z) or
// +HH:MM / -HH:MM. Returns nullopt for any other format, for a date ParseDate refuses and for an
// hour, minute, second or offset out of range. The one reader of the times the API takes.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view s);

// 0 = Sunday ... 6 = Saturday.
int DayOfWeek(const Date& d);

// The date `n` calendar days after `d`; `n` may be negative.
Date AddDays(const Date& d, int n);

// `to` - `from` in calendar days (negative when `to` is earlier).
int DaysBetween(const Date& from, const Date& to);

// Korea Standard Time (UTC+9, no DST) date of a UTC time point.
Date KstDate(std::chrono::system_clock::time_point t);

// The UTC time point of 18:00 KST (end of the office day) on `d`, i.e. 09:00 UTC.
std::chrono::system_clock::time_point EndOfKstOfficeDay(const Date& d);

struct Holiday {
  Date date;
  std::string name_ko;
};

// Korean public holidays under 「관공서의 공휴일에 관한 규정」 for 2025, 2026 and 2027: fixed
// holidays, 설날 and 추석 (3 days each), 부처님 오신 날, substitute holidays (대체공휴일),
// temporary holidays (임시공휴일) and the election days that were holidays. At most one entry
// per date, sorted by date. The data ends with 2027; later years must be added by an
// administrator (HolidayCalendar::Add) until this list is extended.
const std::vector<Holiday>& DefaultKoreanHolidays();

// Holidays as data: administrators add and remove dates at run time; the default set is
// loaded first. Not thread-safe for concurrent mutation; const members may be called
// concurrently.
class HolidayCalendar {
 public:
  // An empty calendar: only Saturdays and Sundays are days off.
  HolidayCalendar();
  // A calendar of `holidays`, in any order. When a date appears more than once, the first
  // entry wins.
  explicit HolidayCalendar(std::vector<Holiday> holidays);
  // A calendar of DefaultKoreanHolidays().
  static HolidayCalendar KoreanDefault();

  // Marks `holiday.date` as a holiday. Returns false (and changes nothing) when that date
  // already is one.
  bool Add(Holiday holiday);
  // Removes the holiday on `d`. Returns false when `d` was not a holiday.
  bool Remove(const Date& d);

  bool IsHoliday(const Date& d) const;
  // Not a Saturday, not a Sunday and not a holiday.
  bool IsWorkingDay(const Date& d) const;

  // The working day `n` working days after `d`. The day `d` itself never counts: from
  // Friday 2026-11-06, 1 working day is Monday 2026-11-09 and 7 are Tuesday 2026-11-17.
  // Used for follow-up due dates ("within n working days from today"). It is NOT the
  // statutory answer clock, which counts the day of receipt (see EvaluateClocks): a complaint
  // received on that Friday with a 7-working-day limit is due Monday 2026-11-16. n == 0
  // returns `d` if it is a working day, else the next working day. A negative `n` is
  // treated as 0.
  Date AddWorkingDays(const Date& d, int n) const;

  // The number of working days in (from, to]: 0 when to <= from.
  int WorkingDaysBetween(const Date& from, const Date& to) const;

  // All holidays, sorted by date, at most one per date.
  const std::vector<Holiday>& holidays() const;

 private:
  std::vector<Holiday> holidays_;  // sorted by date, unique dates
};

// Statutory answer clocks (민원 처리기한) for one case.
enum class ClockKind { kAnswer, kProgressNotice };

// Configuration per category. Values are small non-negative numbers validated by whoever
// stores the configuration.
struct ClockRule {
  // 7 for general complaints and simple inquiries, 14 for statute questions and suggestions.
  int answer_working_days = 7;
  // One extension allowed, with notice to the resident.
  int extension_working_days = 7;
  // Calendar days after receipt at which a progress notice is due if the case is still open.
  int progress_notice_days = 30;
};

// A period of waiting on the resident (e.g. for missing documents). Covers the days from
// `from` through `to` inclusive; open-ended while `to` is empty (then it covers the days up
// to `today`, or up to the answer if one was given).
struct ClockPause {
  Date from;
  std::optional<Date> to;
};

struct ClockInput {
  // The day of receipt (접수일). It is the first counted day of the answer clock when it is a
  // working day that is not paused; otherwise counting starts with the next such day.
  Date received;
  ClockRule rule;
  bool extended = false;
  std::vector<ClockPause> pauses;  // non-overlapping, any order
  std::optional<Date> answered;    // when the answer was given (stops the answer clock)
  std::optional<Date> progress_notice_sent;
};

enum class ClockState {
  kRunning,
  kPaused,   // waiting on the resident; the answer clock stands still
  kMet,      // stopped on or before the due date
  kOverdue,  // still open after the due date
  kBreached  // stopped after the due date
};

struct ClockStatus {
  ClockKind kind;
  Date due;
  ClockState state;
  // While the clock runs: counted days in (today, due], 0 on the due day. Once stopped: the
  // same margin measured on the day it stopped. When late (kOverdue, kBreached): minus the
  // working days past due, at least -1 (a clock due on Friday is -1 on Saturday).
  int working_days_left;
};

// Evaluates both clocks on `today`; returns {answer clock, progress-notice clock}.
//
// Answer clock (민원 처리에 관한 법률 제19조②: a limit counted in days includes the first day;
// Saturdays and public holidays, Sundays among them, do not count): due is the n-th counted
// day on or after the day of receipt, with n = answer_working_days (+ extension_working_days
// if extended) and a counted day being a working day that is not paused. The day of receipt
// is the first counted day when it is a working day and not paused; received on a Saturday,
// Sunday or holiday, counting starts with the next working day. Received Friday 2026-11-06
// with n = 7: Fri 6, Mon 9 .. Fri 13, Mon 16, so due Monday 2026-11-16 (received Saturday
// 2026-11-07: due Tuesday 2026-11-17). Without pauses and for n >= 1 that is
// AddWorkingDays(AddDays(received, -1), n); pauses move it later by the working days spent
// paused before it, and days paused after the clock already fell due do not move it.
// kPaused while a pause covers `today` and the clock is not yet late.
//
// Progress-notice clock: due is received + progress_notice_days calendar days, moved to the
// next working day if not one. It stops at the earlier of progress_notice_sent and answered
// (an answer makes the notice moot): kMet if that is on or before due, else kBreached.
// Pauses do not affect it.
std::vector<ClockStatus> EvaluateClocks(const ClockInput& in, const HolidayCalendar& cal,
                                        const Date& today);

// Stable API codes: "running", "paused", "met", "overdue", "breached".
std::string_view ClockStateCode(ClockState s);
// Stable API codes: "answer", "progress_notice".
std::string_view ClockKindCode(ClockKind k);

}  // namespace caredesk::core
