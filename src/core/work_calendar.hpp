// A staff member's open work as an iCalendar feed (RFC 5545) for the phone's
// calendar: follow-ups (counseling, welfare checks, home visits …) and the
// response deadlines of the referrals they sent, one all-day event each on the
// day it is due (Korean time). The events name a case number, the kind of
// step, the urgency and an agency — never a resident. Pure.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/ports/case_repository.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

struct CalendarEvent {
  std::string uid;      // stable per follow-up / referral, so an update replaces the event
  Date date{};          // all-day, the KST date it is due
  std::string summary;  // "안부 확인 · 2026-서교-000123"
  std::string description;
  std::vector<std::string> categories;
};

// How far ahead the feed reaches; anything overdue is in it too.
inline constexpr int kCalendarFeedDays = 180;
inline constexpr int kCalendarFeedMaxItems = 1000;

// Events for `items` (ListWork of the owner), overdue ones marked as such.
std::vector<CalendarEvent> WorkCalendarEvents(std::span<const WorkItem> items,
                                              std::span<const Agency> agencies, TimePoint now,
                                              std::string_view uid_domain);

// A VCALENDAR with `events`: CRLF line ends, lines folded at 75 octets
// without splitting a UTF-8 character, TEXT values escaped (\\ \; \, \n).
std::string RenderICalendar(std::string_view calendar_name, std::span<const CalendarEvent> events,
                            TimePoint now);

// A TEXT value escaped as RFC 5545 3.3.11 says; a content line folded (3.1).
std::string EscapeICalText(std::string_view text);
std::string FoldICalLine(std::string_view line);

}  // namespace caredesk::core
