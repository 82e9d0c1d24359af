#include "core/work_report.hpp"

#include "core/case.hpp"
#include "core/text.hpp"

namespace caredesk::core {

std::string_view Code(WorkReportSubjectKind k) {
  return k == WorkReportSubjectKind::kUser ? "user" : "dong";
}

Status ValidateWorkComment(std::string_view comment) {
  std::vector<FieldViolation> v;
  CheckText(v, "comment", comment, kMaxWorkCommentChars);
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return {};
}

Date WeekStart(const Date& d) {
  const int dow = DayOfWeek(d);  // 0 = Sunday
  return AddDays(d, -((dow + 6) % 7));
}

WorkReport BuildWorkReport(const WorkReportSubject& subject, std::string subject_name,
                           const Date& week, const WorkReportFacts& f, WorkReportComment comment,
                           TimePoint data_as_of) {
  WorkReport r;
  r.subject = subject;
  r.subject_name = std::move(subject_name);
  r.week = week;
  r.week_end = AddDays(week, 6);
  r.comment = std::move(comment);
  r.data_as_of = data_as_of;
  r.lines = {
      {"cases_opened", "신규 접수", "Cases opened", f.cases_opened},
      {"cases_handled", "처리한 사례", "Cases worked on", f.cases_handled},
      {"consultations", "상담", "Consultations", f.consultations},
      {"home_visits", "가정 방문 상담", "Home visits", f.home_visits},
      {"follow_ups_done", "후속조치 완료", "Follow-ups done", f.follow_ups_done},
      {"follow_ups_done_late", "그중 기한 후 완료", "Of which late", f.follow_ups_done_late},
      {"welfare_checks", "안부 확인", "Welfare checks", f.welfare_checks},
      {"follow_ups_overdue", "주말 기준 기한 경과", "Overdue at the week's end",
       f.follow_ups_overdue},
      {"referrals_sent", "기관 연계 의뢰", "Referrals sent", f.referrals_sent},
      {"referrals_answered", "연계 응답(수락·거절)", "Referrals answered", f.referrals_answered},
      {"cases_resolved", "해결", "Cases resolved", f.cases_resolved},
      {"cases_closed", "종결", "Cases closed", f.cases_closed},
      {"escalations", "사례관리 이관", "Escalations to case management", f.escalations},
  };
  return r;
}

}  // namespace caredesk::core
