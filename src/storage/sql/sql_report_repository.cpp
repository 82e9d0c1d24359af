#include "storage/sql/sql_report_repository.hpp"

#include <string>

#include "storage/sql/json_columns.hpp"
#include "storage/sql/sql_identity_repository.hpp"

namespace caredesk::storage::sql {
namespace {

using core::Error;
using core::ReportDefinition;
using core::ReportEdition;
using core::ReportFacts;
using core::Result;

constexpr std::int64_t kDayMicros = std::int64_t{24} * 3600 * 1000000;
constexpr std::int64_t kHourMicros = std::int64_t{3600} * 1000000;

// Placeholders appended after the fixed ones of a statement.
class Binder {
 public:
  explicit Binder(Params& params) : params_(params) {}
  std::string Param(Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }

 private:
  Params& params_;
};

// The report scope on cases aliased `c`: " AND ..." or "".
std::string ScopeSql(const core::ReportScope& s, Binder& b) {
  std::string sql;
  if (s.dong_id) {
    sql += " AND c.dong_id = " + b.Param(*s.dong_id);
  }
  if (s.counselor_id) {
    sql += " AND c.counselor_id = " + b.Param(*s.counselor_id);
  }
  if (s.category) {
    sql += " AND c.primary_category = " + b.Param(*s.category);
  }
  if (s.channel) {
    sql += " AND c.channel = " + b.Param(std::string(core::Code(*s.channel)));
  }
  return sql;
}

bool NeedsCases(const core::ReportScope& s) {
  return s.counselor_id || s.category || s.channel;
}

template <typename T>
T ParseOr(const std::string& code, T fallback) {
  const auto v = core::Parse<T>(code);
  return v ? *v : fallback;
}

void IntakeFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                 ReportFacts& out) {
  Params p{district, ToMicros(q.from), ToMicros(q.to)};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT c.channel, c.primary_category, COUNT(*) FROM cases c "
      "WHERE c.district_id = $1 AND c.opened_at >= $2 AND c.opened_at < $3" +
          scope + " GROUP BY c.channel, c.primary_category",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    out.intake.push_back({ParseOr(r.Text(i, 0), core::Channel::kVisit), r.Text(i, 1), r.Int(i, 2)});
  }
}

void ResolutionFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                     ReportFacts& out) {
  {
    Params p{district, ToMicros(q.from), ToMicros(q.to)};
    Binder b(p);
    const std::string scope = ScopeSql(q.scope, b);
    const auto r = c.Execute(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.resolved_at IS NOT NULL AND c.resolved_at < $3 "
        "THEN 1 ELSE 0 END), 0) FROM cases c "
        "WHERE c.district_id = $1 AND c.opened_at >= $2 AND c.opened_at < $3" +
            scope,
        p);
    out.cohort_opened = r.Int(0, 0);
    out.cohort_resolved = r.Int(0, 1);
  }
  Params p{district, ToMicros(q.from), ToMicros(q.to), kDayMicros};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT (c.resolved_at - c.opened_at) / $4, COUNT(*) FROM cases c "
      "WHERE c.district_id = $1 AND c.resolved_at >= $2 AND c.resolved_at < $3" +
          scope + " GROUP BY 1",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    out.days_to_resolution[static_cast<int>(r.Int(i, 0))] += r.Int(i, 1);
  }
}

void OpenAgeFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                  ReportFacts& out) {
  // Open at the end of the period: opened before it, not resolved or closed by then (a
  // reopened case lost its resolved_at, so it counts as open).
  Params p{district, ToMicros(q.to), kDayMicros};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT ($2 - c.opened_at) / $3, COUNT(*) FROM cases c "
      "WHERE c.district_id = $1 AND c.opened_at < $2 "
      "AND (c.resolved_at IS NULL OR c.resolved_at >= $2) "
      "AND (c.closed_at IS NULL OR c.closed_at >= $2)" +
          scope + " GROUP BY 1",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    out.open_age_days[static_cast<int>(r.Int(i, 0))] += r.Int(i, 1);
  }
}

void FollowUpFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                   ReportFacts& out) {
  Params p{district, ToMicros(q.from), ToMicros(q.to), ToMicros(q.as_of)};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT f.kind, CASE WHEN f.status = 'cancelled' THEN 'cancelled' "
      "WHEN f.status = 'done' AND f.done_at <= f.due_at THEN 'on_time' "
      "WHEN f.status = 'done' THEN 'late' "
      "WHEN f.due_at < $4 THEN 'overdue' ELSE 'pending' END AS timing, COUNT(*) "
      "FROM follow_ups f JOIN cases c ON c.id = f.case_id "
      "WHERE c.district_id = $1 AND f.due_at >= $2 AND f.due_at < $3" +
          scope + " GROUP BY f.kind, timing",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    const std::string timing = r.Text(i, 1);
    auto t = core::FollowUpTiming::kPending;
    for (const auto candidate :
         {core::FollowUpTiming::kOnTime, core::FollowUpTiming::kLate,
          core::FollowUpTiming::kOverdue, core::FollowUpTiming::kPending,
          core::FollowUpTiming::kCancelled}) {
      if (core::Code(candidate) == timing) {
        t = candidate;
      }
    }
    out.follow_ups.push_back(
        {ParseOr(r.Text(i, 0), core::FollowUpKind::kCounseling), t, r.Int(i, 2)});
  }
}

void WelfareCheckFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                       ReportFacts& out) {
  Params p{district, ToMicros(q.from), ToMicros(q.to)};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT f.result, COUNT(*) FROM follow_ups f JOIN cases c ON c.id = f.case_id "
      "WHERE c.district_id = $1 AND f.done_at >= $2 AND f.done_at < $3 "
      "AND f.kind = 'welfare_check' AND f.status = 'done' AND f.result IS NOT NULL" +
          scope + " GROUP BY f.result",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (const auto result = core::Parse<core::FollowUpResult>(r.Text(i, 0))) {
      out.welfare_checks.emplace_back(*result, r.Int(i, 1));
    }
  }
}

void ReferralFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                   ReportFacts& out) {
  Params p{district, ToMicros(q.from), ToMicros(q.to), ToMicros(q.as_of), kHourMicros};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT r.agency_id, r.status, "
      "CASE WHEN r.responded_at IS NULL THEN -1 ELSE (r.responded_at - r.sent_at) / $5 END AS h, "
      "CASE WHEN COALESCE(r.responded_at, $4) > r.accept_due_at THEN 1 ELSE 0 END AS late, "
      "COUNT(*) FROM referrals r JOIN cases c ON c.id = r.case_id "
      "WHERE c.district_id = $1 AND r.sent_at >= $2 AND r.sent_at < $3" +
          scope + " GROUP BY r.agency_id, r.status, h, late",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    ReportFacts::Referrals x;
    x.agency_id = r.Int(i, 0);
    x.status = ParseOr(r.Text(i, 1), core::ReferralStatus::kSent);
    const auto hours = r.Int(i, 2);
    if (hours >= 0) {
      x.response_hours = static_cast<int>(hours);
    }
    x.answered_late = r.Int(i, 3) != 0;
    x.count = r.Int(i, 4);
    out.referrals.push_back(x);
  }
}

void EscalationFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                     ReportFacts& out) {
  Params p{district, ToMicros(q.from), ToMicros(q.to)};
  Binder b(p);
  const std::string scope = ScopeSql(q.scope, b);
  const auto r = c.Execute(
      "SELECT e.kind, c.dong_id, COUNT(*) FROM case_events e JOIN cases c ON c.id = e.case_id "
      "WHERE c.district_id = $1 AND e.kind IN ('escalated', 'missed_checks_escalated') "
      "AND e.at >= $2 AND e.at < $3" +
          scope + " GROUP BY e.kind, c.dong_id",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (r.Text(i, 0) == "escalated") {
      out.case_management.emplace_back(r.Int(i, 1), r.Int(i, 2));
    } else {
      out.missed_check_escalations += r.Int(i, 2);
    }
  }
}

void OutreachFacts(Connection& c, core::DistrictId district, const core::ReportFactsQuery& q,
                   ReportFacts& out) {
  std::map<core::DongId, ReportFacts::Outreach> by_dong;
  const std::string join =
      NeedsCases(q.scope) ? " JOIN cases c ON c.id = f.case_id" : std::string();
  auto scope_of = [&](Binder& b) {
    std::string sql;
    if (q.scope.dong_id) {
      sql += " AND f.dong_id = " + b.Param(*q.scope.dong_id);
    }
    if (NeedsCases(q.scope)) {
      core::ReportScope rest = q.scope;
      rest.dong_id.reset();
      sql += ScopeSql(rest, b);
    }
    return sql;
  };
  {
    Params p{district, ToMicros(q.from), ToMicros(q.to)};
    Binder b(p);
    const std::string scope = scope_of(b);
    const auto r = c.Execute(
        "SELECT f.dong_id, COUNT(*) FROM screening_flags f "
        "JOIN screening_runs s ON s.id = f.run_id" +
            join +
            " WHERE f.district_id = $1 AND s.created_at >= $2 AND s.created_at < $3" + scope +
            " GROUP BY f.dong_id",
        p);
    for (std::size_t i = 0; i < r.size(); ++i) {
      by_dong[r.Int(i, 0)].flagged += r.Int(i, 1);
    }
  }
  Params p{district, ToMicros(q.from), ToMicros(q.to)};
  Binder b(p);
  const std::string scope = scope_of(b);
  const auto r = c.Execute(
      "SELECT f.dong_id, f.outcome, COUNT(*) FROM screening_flags f" + join +
          " WHERE f.district_id = $1 AND f.outcome IS NOT NULL "
          "AND f.outcome_at >= $2 AND f.outcome_at < $3" +
          scope + " GROUP BY f.dong_id, f.outcome",
      p);
  for (std::size_t i = 0; i < r.size(); ++i) {
    auto& o = by_dong[r.Int(i, 0)];
    const std::string outcome = r.Text(i, 1);
    const auto n = r.Int(i, 2);
    if (outcome == "unreachable") {
      o.unreachable += n;
      continue;
    }
    o.contacted += n;  // as the funnel counts it: any outcome but unreachable
    if (outcome == "support_linked") {
      o.support_linked += n;
    } else if (outcome == "no_need") {
      o.no_need += n;
    }
  }
  for (auto& [dong, o] : by_dong) {
    o.dong_id = dong;
    out.outreach.push_back(o);
  }
}

constexpr std::string_view kDefinitionColumns =
    "id, district_id, name, owner_id, kind, scope, schedule, created_at, version";

ReportDefinition DefinitionFrom(const Rows& r, std::size_t i) {
  ReportDefinition d;
  d.id = r.Int(i, 0);
  d.district_id = r.Int(i, 1);
  d.name = r.Text(i, 2);
  d.owner_id = r.Int(i, 3);
  d.kind = ParseOr(r.Text(i, 4), core::ReportKind::kSummary);
  d.scope = ScopeFromJson(r.Text(i, 5));
  d.schedule = ParseOr(r.Text(i, 6), core::ReportSchedule::kNone);
  d.created_at = FromMicros(r.Int(i, 7));
  d.version = r.Int(i, 8);
  return d;
}

constexpr std::string_view kEditionColumns =
    "id, district_id, definition_id, definition_name, kind, period_from, period_to, scope, "
    "data_as_of, produced_at, produced_by, content_sha256";

ReportEdition EditionFrom(const Rows& r, std::size_t i) {
  ReportEdition e;
  e.id = r.Int(i, 0);
  e.district_id = r.Int(i, 1);
  if (!r.IsNull(i, 2)) {
    e.definition_id = r.Int(i, 2);
  }
  e.definition_name = r.Text(i, 3);
  e.parameters.kind = ParseOr(r.Text(i, 4), core::ReportKind::kSummary);
  e.parameters.period.from = core::ParseDate(r.Text(i, 5)).value_or(core::Date{2000, 1, 1});
  e.parameters.period.to = core::ParseDate(r.Text(i, 6)).value_or(core::Date{2000, 1, 1});
  e.parameters.scope = ScopeFromJson(r.Text(i, 7));
  e.data_as_of = FromMicros(r.Int(i, 8));
  e.produced_at = FromMicros(r.Int(i, 9));
  e.produced_by = r.Int(i, 10);
  e.content_sha256 = r.Text(i, 11);
  return e;
}

Value DongOf(const core::ReportScope& s) {
  return s.dong_id ? Value{*s.dong_id} : Value{Null{}};
}

std::string CommentContext(std::int64_t id) {
  return "work_report_comment:" + std::to_string(id);
}

}  // namespace

std::string ScopeJson(const core::ReportScope& s) {
  nlohmann::json j = nlohmann::json::object();
  if (s.dong_id) {
    j["dong_id"] = *s.dong_id;
  }
  if (s.counselor_id) {
    j["counselor_id"] = *s.counselor_id;
  }
  if (s.category) {
    j["category"] = *s.category;
  }
  if (s.channel) {
    j["channel"] = std::string(core::Code(*s.channel));
  }
  return Dump(j);
}

core::ReportScope ScopeFromJson(const std::string& json) {
  const auto j = ParseJson(json, "scope");
  core::ReportScope s;
  if (j.contains("dong_id") && j["dong_id"].is_number_integer()) {
    s.dong_id = j["dong_id"].get<std::int64_t>();
  }
  if (j.contains("counselor_id") && j["counselor_id"].is_number_integer()) {
    s.counselor_id = j["counselor_id"].get<std::int64_t>();
  }
  if (j.contains("category") && j["category"].is_string()) {
    s.category = j["category"].get<std::string>();
  }
  if (j.contains("channel") && j["channel"].is_string()) {
    s.channel = core::Parse<core::Channel>(j["channel"].get<std::string>());
  }
  return s;
}

Result<ReportFacts> SqlReportRepository::Facts(core::DistrictId district,
                                               const core::ReportFactsQuery& q) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<ReportFacts> {
    ReportFacts out;
    if (q.parts & core::kPartIntake) {
      IntakeFacts(c, district, q, out);
    }
    if (q.parts & core::kPartResolution) {
      ResolutionFacts(c, district, q, out);
    }
    if (q.parts & core::kPartOpenAge) {
      OpenAgeFacts(c, district, q, out);
    }
    if (q.parts & core::kPartFollowUps) {
      FollowUpFacts(c, district, q, out);
    }
    if (q.parts & core::kPartWelfareChecks) {
      WelfareCheckFacts(c, district, q, out);
    }
    if (q.parts & core::kPartReferrals) {
      ReferralFacts(c, district, q, out);
    }
    if (q.parts & core::kPartEscalations) {
      EscalationFacts(c, district, q, out);
    }
    if (q.parts & core::kPartOutreach) {
      OutreachFacts(c, district, q, out);
    }
    return out;
  });
}

Result<ReportDefinition> SqlReportRepository::CreateDefinition(const ReportDefinition& d) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<ReportDefinition> {
    const auto r = c.Execute(
        "INSERT INTO report_definitions (district_id, name, owner_id, kind, scope, scope_dong_id, "
        "schedule, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) RETURNING id",
        {d.district_id, d.name, d.owner_id, std::string(core::Code(d.kind)), ScopeJson(d.scope),
         DongOf(d.scope), std::string(core::Code(d.schedule)), ToMicros(d.created_at)});
    ReportDefinition out = d;
    out.id = r.Int(0, 0);
    out.version = 1;
    return out;
  });
}

Result<std::vector<ReportDefinition>> SqlReportRepository::ListDefinitions(
    core::DistrictId district) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<ReportDefinition>> {
    const auto r = c.Execute("SELECT " + std::string(kDefinitionColumns) +
                                 " FROM report_definitions WHERE district_id = $1 ORDER BY name",
                             {district});
    std::vector<ReportDefinition> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(DefinitionFrom(r, i));
    }
    return out;
  });
}

Result<ReportDefinition> SqlReportRepository::GetDefinition(core::DistrictId district,
                                                            core::ReportDefinitionId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<ReportDefinition> {
    const auto r = c.Execute("SELECT " + std::string(kDefinitionColumns) +
                                 " FROM report_definitions WHERE district_id = $1 AND id = $2",
                             {district, id});
    if (r.empty()) {
      return Error::NotFound("report definition", "보고서 정의");
    }
    return DefinitionFrom(r, 0);
  });
}

core::Status SqlReportRepository::DeleteDefinition(core::DistrictId district,
                                                   core::ReportDefinitionId id) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> core::Status {
    const auto r = c.Execute("DELETE FROM report_definitions WHERE district_id = $1 AND id = $2",
                             {district, id});
    if (r.affected == 0) {
      return Error::NotFound("report definition", "보고서 정의");
    }
    return {};
  });
}

Result<ReportEdition> SqlReportRepository::SaveEdition(const ReportEdition& e) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<ReportEdition> {
    const auto r = c.Execute(
        "INSERT INTO report_editions (district_id, definition_id, definition_name, kind, "
        "period_from, period_to, scope, scope_dong_id, data_as_of, produced_at, produced_by, "
        "content, content_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
        "RETURNING id",
        {e.district_id, e.definition_id ? Value{*e.definition_id} : Value{Null{}},
         e.definition_name, std::string(core::Code(e.parameters.kind)),
         core::FormatDate(e.parameters.period.from), core::FormatDate(e.parameters.period.to),
         ScopeJson(e.parameters.scope), DongOf(e.parameters.scope), ToMicros(e.data_as_of),
         ToMicros(e.produced_at), e.produced_by, e.content_json, e.content_sha256});
    ReportEdition out = e;
    out.id = r.Int(0, 0);
    return out;
  });
}

Result<std::vector<ReportEdition>> SqlReportRepository::ListEditions(
    core::DistrictId district, const core::ReportEditionFilter& f) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<std::vector<ReportEdition>> {
    Params p{district};
    Binder b(p);
    std::string where;
    if (f.definition_id) {
      where += " AND definition_id = " + b.Param(*f.definition_id);
    }
    if (f.dong_id) {
      where += " AND scope_dong_id = " + b.Param(*f.dong_id);
    }
    const std::string limit = b.Param(static_cast<std::int64_t>(f.limit));
    const auto r = c.Execute("SELECT " + std::string(kEditionColumns) +
                                 " FROM report_editions WHERE district_id = $1" + where +
                                 " ORDER BY id DESC LIMIT " + limit,
                             p);
    std::vector<ReportEdition> out;
    for (std::size_t i = 0; i < r.size(); ++i) {
      out.push_back(EditionFrom(r, i));
    }
    return out;
  });
}

Result<ReportEdition> SqlReportRepository::GetEdition(core::DistrictId district,
                                                      core::ReportEditionId id) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<ReportEdition> {
    const auto r = c.Execute("SELECT " + std::string(kEditionColumns) +
                                 ", content FROM report_editions WHERE district_id = $1 AND id = $2",
                             {district, id});
    if (r.empty()) {
      return Error::NotFound("report edition", "보고서 발행본");
    }
    auto e = EditionFrom(r, 0);
    e.content_json = r.Text(0, 12);
    return e;
  });
}

Result<core::WorkReportFacts> SqlReportRepository::WorkFacts(core::DistrictId district,
                                                             const core::WorkReportSubject& s,
                                                             core::TimePoint from,
                                                             core::TimePoint to) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::WorkReportFacts> {
    const bool user = s.kind == core::WorkReportSubjectKind::kUser;
    // $1 district, $2 from, $3 to, $4 the subject.
    const Params p{district, ToMicros(from), ToMicros(to), s.id};
    auto count = [&](const std::string& from_where, const std::string& user_column,
                     const std::string& what = "COUNT(*)") {
      const std::string subject = user ? user_column + " = $4" : "c.dong_id = $4";
      return c.Execute("SELECT " + what + " " + from_where + " AND " + subject, p).Int(0, 0);
    };
    const std::string events =
        "FROM case_events e JOIN cases c ON c.id = e.case_id WHERE c.district_id = $1 "
        "AND e.at >= $2 AND e.at < $3";
    core::WorkReportFacts f;
    f.cases_opened = count(events + " AND e.kind = 'received'", "e.actor_id");
    f.cases_handled = count(events, "e.actor_id", "COUNT(DISTINCT e.case_id)");
    f.cases_resolved = count(events + " AND e.kind = 'resolved'", "e.actor_id");
    f.cases_closed = count(events + " AND e.kind = 'closed'", "e.actor_id");
    f.escalations = count(events + " AND e.kind = 'escalated'", "e.actor_id");
    const std::string consultations =
        "FROM consultations k JOIN cases c ON c.id = k.case_id WHERE c.district_id = $1 "
        "AND k.at >= $2 AND k.at < $3";
    f.consultations = count(consultations, "k.counselor_id");
    f.home_visits = count(consultations + " AND k.kind = 'home_visit'", "k.counselor_id");
    const std::string done =
        "FROM follow_ups f JOIN cases c ON c.id = f.case_id WHERE c.district_id = $1 "
        "AND f.status = 'done' AND f.done_at >= $2 AND f.done_at < $3";
    f.follow_ups_done = count(done, "f.done_by");
    f.follow_ups_done_late = count(done + " AND f.done_at > f.due_at", "f.done_by");
    f.welfare_checks = count(done + " AND f.kind = 'welfare_check'", "f.done_by");
    // Open at the end of the week and due before it (or done only later).
    f.follow_ups_overdue =
        c.Execute(
             "SELECT COUNT(*) FROM follow_ups f JOIN cases c ON c.id = f.case_id "
             "WHERE c.district_id = $1 AND f.due_at < $2 AND (f.status = 'open' OR "
             "(f.status = 'done' AND f.done_at >= $2)) AND " +
                 std::string(user ? "f.owner_id = $3" : "c.dong_id = $3"),
             {district, ToMicros(to), s.id})
            .Int(0, 0);
    f.referrals_sent = count(
        "FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.district_id = $1 "
        "AND r.sent_at >= $2 AND r.sent_at < $3",
        "r.referred_by");
    f.referrals_answered = count(
        "FROM referrals r JOIN cases c ON c.id = r.case_id WHERE c.district_id = $1 "
        "AND r.responded_at >= $2 AND r.responded_at < $3 AND r.status <> 'sent'",
        "r.referred_by");
    return f;
  });
}

Result<core::WorkReportComment> SqlReportRepository::GetWorkComment(
    core::DistrictId district, const core::WorkReportSubject& s, const core::Date& week) {
  return db_.Transact(TxMode::kRead, [&](Connection& c) -> Result<core::WorkReportComment> {
    const auto r = c.Execute(
        "SELECT id, comment_sealed, updated_by, updated_at, version FROM work_report_comments "
        "WHERE district_id = $1 AND subject_kind = $2 AND subject_id = $3 AND week = $4",
        {district, std::string(core::Code(s.kind)), s.id, core::FormatDate(week)});
    if (r.empty()) {
      return Error::NotFound("work report comment", "업무 보고 의견");
    }
    const auto& sealed = std::get<Blob>(r.rows[0][1]).bytes;
    auto text = sealer_.Open(sealed, CommentContext(r.Int(0, 0)));
    if (!text.ok()) {
      return std::move(text).error();
    }
    core::WorkReportComment out;
    out.district_id = district;
    out.subject = s;
    out.week = week;
    out.comment = *text;
    out.updated_by = r.Int(0, 2);
    out.updated_at = FromMicros(r.Int(0, 3));
    out.version = r.Int(0, 4);
    return out;
  });
}

Result<core::WorkReportComment> SqlReportRepository::SaveWorkComment(
    const core::WorkReportComment& in, std::int64_t expected_version) {
  return db_.Transact(TxMode::kWrite, [&](Connection& c) -> Result<core::WorkReportComment> {
    const std::string kind(core::Code(in.subject.kind));
    const std::string week = core::FormatDate(in.week);
    const auto existing = c.Execute(
        "SELECT id, version FROM work_report_comments WHERE district_id = $1 AND "
        "subject_kind = $2 AND subject_id = $3 AND week = $4",
        {in.district_id, kind, in.subject.id, week});
    const std::int64_t current = existing.empty() ? 0 : existing.Int(0, 1);
    if (current != expected_version) {
      return Error::Make(core::ErrorCode::kPreconditionFailed,
                         "The comment was changed meanwhile; reload it.",
                         "그 사이에 의견이 바뀌었습니다. 다시 불러오세요.");
    }
    core::WorkReportComment out = in;
    out.version = current + 1;
    std::int64_t id = 0;
    if (existing.empty()) {
      // The seal's context names the row, so the row comes first.
      const auto r = c.Execute(
          "INSERT INTO work_report_comments (district_id, subject_kind, subject_id, week, "
          "comment_sealed, updated_by, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) "
          "RETURNING id",
          {in.district_id, kind, in.subject.id, week, Blob{{0}}, in.updated_by,
           ToMicros(in.updated_at)});
      id = r.Int(0, 0);
    } else {
      id = existing.Int(0, 0);
    }
    c.Execute(
        "UPDATE work_report_comments SET comment_sealed = $1, updated_by = $2, updated_at = $3, "
        "version = $4 WHERE id = $5",
        {Blob{sealer_.Seal(in.comment, CommentContext(id))}, in.updated_by,
         ToMicros(in.updated_at), out.version, id});
    return out;
  });
}

}  // namespace caredesk::storage::sql
