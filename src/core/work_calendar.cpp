#include "core/work_calendar.hpp"

#include <cstdio>
#include <ctime>

namespace caredesk::core {
namespace {

constexpr std::size_t kMaxLineOctets = 75;

std::string_view StepLabel(std::string_view kind) {
  if (kind == "counseling") return "추가 상담";
  if (kind == "welfare_check") return "안부 확인";
  if (kind == "home_visit") return "가정 방문";
  if (kind == "resolution_check") return "해결 확인";
  if (kind == "relink") return "재연계";
  if (kind == "assessment") return "욕구 조사";
  if (kind == "referral") return "연계 회신 기한";
  return "사후관리";
}

std::string_view UrgencyLabel(Urgency u) {
  switch (u) {
    case Urgency::kCrisis:
      return "위기";
    case Urgency::kUrgent:
      return "긴급";
    case Urgency::kNormal:
      return "보통";
  }
  return "보통";
}

std::string IcalDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", d.year, d.month, d.day);
  return buf;
}

std::string IcalUtc(TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace

std::string EscapeICalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case ';':
        out += "\\;";
        break;
      case ',':
        out += "\\,";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string FoldICalLine(std::string_view line) {
  std::string out;
  std::size_t used = 0;  // octets on the current physical line
  for (std::size_t i = 0; i < line.size();) {
    // The whole UTF-8 character: a fold never splits one.
    std::size_t n = 1;
    while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0U) == 0x80U) {
      ++n;
    }
    if (used + n > kMaxLineOctets) {
      out += "\r\n ";
      used = 1;  // the leading space counts
    }
    out.append(line.substr(i, n));
    used += n;
    i += n;
  }
  return out + "\r\n";
}

std::vector<CalendarEvent> WorkCalendarEvents(std::span<const WorkItem> items,
                                              std::span<const Agency> agencies, TimePoint now,
                                              std::string_view uid_domain) {
  std::vector<CalendarEvent> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    const bool referral = item.kind == WorkItem::Kind::kReferral;
    CalendarEvent e;
    e.uid = std::string(referral ? "referral-" : "follow-up-") + std::to_string(item.id) + "@" +
            std::string(uid_domain);
    e.date = KstDate(item.due_at);
    const bool overdue = item.due_at < now;
    e.summary = std::string(overdue ? "[기한 지남] " : "") +
                std::string(StepLabel(item.step_kind)) + " · " + item.case_number;
    e.description =
        "상담 " + item.case_number + " · 긴급도 " + std::string(UrgencyLabel(item.urgency));
    if (referral && item.agency_id) {
      for (const auto& a : agencies) {
        if (a.id == *item.agency_id) {
          e.description += " · 연계 기관 " + a.name;
        }
      }
    }
    e.description += "\nCareDesk에서 상담 번호로 찾아 열어 주세요.";
    e.categories = {referral ? "연계" : "사후관리"};
    if (item.urgency != Urgency::kNormal) {
      e.categories.emplace_back(UrgencyLabel(item.urgency));
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string RenderICalendar(std::string_view calendar_name, std::span<const CalendarEvent> events,
                            TimePoint now) {
  std::string out;
  auto line = [&](std::string_view l) { out += FoldICalLine(l); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line("PRODID:-//CareDesk//Work calendar//KO");
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line("X-WR-CALNAME:" + EscapeICalText(calendar_name));
  line("X-WR-TIMEZONE:Asia/Seoul");
  // Calendar apps that honour it look again every hour.
  line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
  line("X-PUBLISHED-TTL:PT1H");
  const std::string stamp = IcalUtc(now);
  for (const auto& e : events) {
    line("BEGIN:VEVENT");
    line("UID:" + e.uid);
    line("DTSTAMP:" + stamp);
    line("DTSTART;VALUE=DATE:" + IcalDate(e.date));
    line("DTEND;VALUE=DATE:" + IcalDate(AddDays(e.date, 1)));
    line("SUMMARY:" + EscapeICalText(e.summary));
    line("DESCRIPTION:" + EscapeICalText(e.description));
    if (!e.categories.empty()) {
      std::string cats;
      for (const auto& c : e.categories) {
        cats += (cats.empty() ? "" : ",") + EscapeICalText(c);
      }
      line("CATEGORIES:" + cats);
    }
    line("TRANSP:TRANSPARENT");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace caredesk::core
