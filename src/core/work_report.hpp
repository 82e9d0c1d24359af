// The weekly work report (주간 업무 보고) of a counselor or a dong, generated from the
// records: nobody types the numbers, only a free-text comment beside them. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/directory.hpp"
#include "core/result.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

using UserId = std::int64_t;
using TimePoint = std::chrono::system_clock::time_point;

enum class WorkReportSubjectKind { kUser, kDong };

struct WorkReportSubject {
  WorkReportSubjectKind kind = WorkReportSubjectKind::kUser;
  std::int64_t id = 0;  // a user id or a dong id
  bool operator==(const WorkReportSubject&) const = default;
};
std::string_view Code(WorkReportSubjectKind k);

// What the records say about one week (Monday 00:00 KST to the next Monday).
struct WorkReportFacts {
  std::int64_t cases_opened = 0;       // intake (by the user / in the dong)
  std::int64_t cases_handled = 0;      // cases with anything recorded in the week
  std::int64_t consultations = 0;
  std::int64_t home_visits = 0;        // consultations of kind home_visit
  std::int64_t follow_ups_done = 0;
  std::int64_t follow_ups_done_late = 0;
  std::int64_t welfare_checks = 0;     // welfare-check follow-ups done
  std::int64_t follow_ups_overdue = 0; // open at the end of the week, due before it
  std::int64_t referrals_sent = 0;
  std::int64_t referrals_answered = 0;  // accepted or declined in the week
  std::int64_t cases_resolved = 0;
  std::int64_t cases_closed = 0;
  std::int64_t escalations = 0;  // to case management
};

struct WorkReportComment {
  DistrictId district_id = 0;
  WorkReportSubject subject;
  Date week{};  // the Monday
  std::string comment;
  UserId updated_by = 0;
  TimePoint updated_at;
  std::int64_t version = 0;  // 0: none yet
};

inline constexpr std::size_t kMaxWorkCommentChars = 4000;
Status ValidateWorkComment(std::string_view comment);

struct WorkReportLine {
  std::string code;
  std::string label_ko;
  std::string label_en;
  std::int64_t value = 0;
};

struct WorkReport {
  WorkReportSubject subject;
  std::string subject_name;
  Date week{};
  Date week_end{};  // the Sunday
  std::vector<WorkReportLine> lines;
  WorkReportComment comment;
  TimePoint data_as_of;
};

// The Monday of the week `d` lies in.
Date WeekStart(const Date& d);

WorkReport BuildWorkReport(const WorkReportSubject& subject, std::string subject_name,
                           const Date& week, const WorkReportFacts& facts,
                           WorkReportComment comment, TimePoint data_as_of);

}  // namespace caredesk::core
