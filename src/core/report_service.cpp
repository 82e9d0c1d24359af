#include "core/report_service.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace caredesk::core {
namespace {

bool DistrictWide(const Actor& a) {
  return a.role == Role::kAuditor || (a.role == Role::kSupervisor && !a.dong_id);
}

Status Check(Decision d) {
  if (d == Decision::kAllow) {
    return {};
  }
  return DecisionError(d);
}

// A report's scope as the policy sees it: always in the district, so a scope without a dong
// is the district's (district-wide readers only), never the collection level.
ResourceScope ScopeOf(DistrictId district, const ReportScope& s) {
  ResourceScope r;
  r.district_id = district;
  r.dong_id = s.dong_id;
  return r;
}

}  // namespace

Status ReportService::MayRead(const Actor& actor, const ReportScope& scope) {
  return Check(Authorize(actor, Action::kViewReports, ScopeOf(district_, scope)));
}

Result<ReportNames> ReportService::Names() {
  ReportNames names;
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  for (const auto& d : *dongs) {
    names.dongs[d.id] = d.name;
  }
  auto agencies = p_.directory.ListAgencies(district_);
  if (!agencies.ok()) {
    return std::move(agencies).error();
  }
  for (const auto& a : *agencies) {
    names.agencies[a.id] = a.name;
  }
  return names;
}

Result<Report> ReportService::Build(const ReportParameters& params) {
  if (auto valid = ValidateReportParameters(params); !valid.ok()) {
    return std::move(valid).error();
  }
  const TimePoint now = p_.clock.Now();
  auto facts_of = [&](const ReportPeriod& period) {
    ReportFactsQuery q;
    q.from = PeriodStart(period);
    q.to = PeriodEnd(period);
    q.as_of = now;
    q.scope = params.scope;
    q.parts = PartsOf(params.kind);
    return p_.reports.Facts(district_, q);
  };
  ReportInputs inputs;
  auto current = facts_of(params.period);
  if (!current.ok()) {
    return std::move(current).error();
  }
  inputs.current = std::move(*current);
  if (params.kind == ReportKind::kSummary) {
    auto previous = facts_of(PreviousPeriod(params.period));
    if (!previous.ok()) {
      return std::move(previous).error();
    }
    inputs.previous = std::move(*previous);
    auto year = facts_of(YearEarlier(params.period));
    if (!year.ok()) {
      return std::move(year).error();
    }
    inputs.year_earlier = std::move(*year);
  }
  auto names = Names();
  if (!names.ok()) {
    return std::move(names).error();
  }
  return BuildReport(params, inputs, *names, now);
}

Result<Report> ReportService::Run(const Actor& actor, ReportParameters params) {
  if (!params.scope.dong_id && actor.dong_id && !DistrictWide(actor)) {
    params.scope.dong_id = actor.dong_id;
  }
  if (auto may = MayRead(actor, params.scope); !may.ok()) {
    return std::move(may).error();
  }
  return Build(params);
}

Result<std::vector<ReportDefinition>> ReportService::ListDefinitions(const Actor& actor) {
  ReportScope own;
  own.dong_id = DistrictWide(actor) ? std::nullopt : actor.dong_id;
  if (auto may = MayRead(actor, own); !may.ok()) {
    return std::move(may).error();
  }
  auto all = p_.reports.ListDefinitions(district_);
  if (!all.ok()) {
    return std::move(all).error();
  }
  std::vector<ReportDefinition> out;
  for (auto& d : *all) {
    if (Authorize(actor, Action::kViewReports, ScopeOf(district_, d.scope)) == Decision::kAllow) {
      out.push_back(std::move(d));
    }
  }
  return out;
}

Result<ReportDefinition> ReportService::CreateDefinition(const Actor& actor, ReportDefinition d) {
  if (!d.scope.dong_id && actor.dong_id && !DistrictWide(actor)) {
    d.scope.dong_id = actor.dong_id;
  }
  if (auto may = Check(Authorize(actor, Action::kManageReports, ScopeOf(district_, d.scope))); !may.ok()) {
    return std::move(may).error();
  }
  d.name = std::string(Trim(d.name));
  if (auto valid = ValidateReportDefinition(d); !valid.ok()) {
    return std::move(valid).error();
  }
  d.district_id = district_;
  d.owner_id = actor.user_id;
  d.created_at = p_.clock.Now();
  auto created = p_.reports.CreateDefinition(d);
  if (!created.ok() && created.error().code == ErrorCode::kConflict) {
    return Error::Make(ErrorCode::kConflict, "A report definition with this name exists.",
                       "같은 이름의 보고서 정의가 있습니다.");
  }
  return created;
}

Status ReportService::DeleteDefinition(const Actor& actor, ReportDefinitionId id) {
  auto d = p_.reports.GetDefinition(district_, id);
  if (!d.ok()) {
    return std::move(d).error();
  }
  if (auto may = Check(Authorize(actor, Action::kManageReports, ScopeOf(district_, d->scope))); !may.ok()) {
    return may;
  }
  return p_.reports.DeleteDefinition(district_, id);
}

Result<ReportEditionView> ReportService::Save(const ReportDefinition& d,
                                              const ReportPeriod& period, UserId by) {
  ReportParameters params{d.kind, period, d.scope};
  auto report = Build(params);
  if (!report.ok()) {
    return std::move(report).error();
  }
  ReportEdition e;
  e.district_id = district_;
  e.definition_id = d.id;
  e.definition_name = d.name;
  e.parameters = params;
  e.data_as_of = report->data_as_of;
  e.produced_at = report->data_as_of;
  e.produced_by = by;
  e.content_json = p_.codec.Encode(*report);
  e.content_sha256 = p_.digester.Sha256Hex(e.content_json);
  auto saved = p_.reports.SaveEdition(e);
  if (!saved.ok()) {
    if (saved.error().code == ErrorCode::kConflict) {
      return Error::Make(ErrorCode::kConflict,
                         "This definition already has an edition for the period.",
                         "이 보고서는 해당 기간의 발행본이 이미 있습니다.");
    }
    return std::move(saved).error();
  }
  return ReportEditionView{std::move(*saved), std::move(*report)};
}

Result<ReportEditionView> ReportService::Produce(const Actor& actor, ReportDefinitionId id,
                                                 const ReportPeriod& period) {
  auto d = p_.reports.GetDefinition(district_, id);
  if (!d.ok()) {
    return std::move(d).error();
  }
  if (Authorize(actor, Action::kViewReports, ScopeOf(district_, d->scope)) != Decision::kAllow) {
    return Error::NotFound("report definition", "보고서 정의");
  }
  if (auto may = Check(Authorize(actor, Action::kManageReports, ScopeOf(district_, d->scope))); !may.ok()) {
    return std::move(may).error();
  }
  return Save(*d, period, actor.user_id);
}

Result<MonthlyRunResult> ReportService::ProduceMonthly(const Date& today) {
  auto all = p_.reports.ListDefinitions(district_);
  if (!all.ok()) {
    return std::move(all).error();
  }
  MonthlyRunResult out;
  const ReportPeriod period = PreviousMonth(today);
  for (const auto& d : *all) {
    if (d.schedule != ReportSchedule::kMonthly) {
      continue;
    }
    // Look before building: the job ticks hourly and a report can take seconds.
    ReportEditionFilter f;
    f.definition_id = d.id;
    f.limit = 3;
    auto latest = p_.reports.ListEditions(district_, f);
    if (!latest.ok()) {
      return std::move(latest).error();
    }
    if (std::any_of(latest->begin(), latest->end(), [&](const ReportEdition& e) {
          return e.parameters.period == period;
        })) {
      ++out.already_there;
      continue;
    }
    auto saved = Save(d, period, 0);
    if (saved.ok()) {
      ++out.produced;
    } else if (saved.error().code == ErrorCode::kConflict) {
      ++out.already_there;
    } else if (saved.error().code == ErrorCode::kUnavailable ||
               saved.error().code == ErrorCode::kStorageFull) {
      return std::move(saved).error();  // the job tries again at its next tick
    } else {
      ++out.failed;
    }
  }
  return out;
}

Result<std::vector<ReportEdition>> ReportService::ListEditions(
    const Actor& actor, std::optional<ReportDefinitionId> definition) {
  ReportScope own;
  own.dong_id = DistrictWide(actor) ? std::nullopt : actor.dong_id;
  if (auto may = MayRead(actor, own); !may.ok()) {
    return std::move(may).error();
  }
  ReportEditionFilter f;
  f.definition_id = definition;
  f.dong_id = own.dong_id;
  return p_.reports.ListEditions(district_, f);
}

Result<ReportEditionView> ReportService::GetEdition(const Actor& actor, ReportEditionId id) {
  auto e = p_.reports.GetEdition(district_, id);
  if (!e.ok()) {
    return std::move(e).error();
  }
  if (Authorize(actor, Action::kViewReports, ScopeOf(district_, e->parameters.scope)) != Decision::kAllow) {
    // Another dong's edition: as if it did not exist, like the list that leaves it out.
    return Error::NotFound("report edition", "보고서 발행본");
  }
  if (p_.digester.Sha256Hex(e->content_json) != e->content_sha256) {
    return Error::Internal("report edition " + std::to_string(id) +
                           ": content does not match its SHA-256");
  }
  auto report = p_.codec.Decode(e->content_json);
  if (!report.ok()) {
    return std::move(report).error();
  }
  return ReportEditionView{std::move(*e), std::move(*report)};
}

Result<ResourceScope> ReportService::WorkScope(const Actor& actor,
                                               const WorkReportSubject& subject,
                                               std::string& name) {
  ResourceScope scope;
  scope.district_id = district_;
  if (subject.kind == WorkReportSubjectKind::kUser) {
    auto user = p_.users.Get(subject.id);
    if (!user.ok() || user->district_id != district_) {
      return Error::NotFound("user", "사용자");
    }
    name = user->display_name;
    scope.owner_id = user->id;
    scope.dong_id = user->dong_id;
    if (!scope.dong_id && subject.id != actor.user_id && actor.role == Role::kSupervisor &&
        actor.dong_id) {
      // A district-wide colleague is not a dong supervisor's to read.
      scope.dong_id = DongId{-1};
    }
    return scope;
  }
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  const auto it = std::find_if(dongs->begin(), dongs->end(),
                               [&](const Dong& d) { return d.id == subject.id; });
  if (it == dongs->end()) {
    return Error::NotFound("dong", "동");
  }
  name = it->name;
  scope.dong_id = it->id;
  return scope;
}

Result<WorkReport> ReportService::WorkReportOf(const Actor& actor,
                                               const WorkReportSubject& subject,
                                               const Date& day) {
  std::string name;
  auto scope = WorkScope(actor, subject, name);
  if (!scope.ok()) {
    return std::move(scope).error();
  }
  if (auto may = Check(Authorize(actor, Action::kViewWorkReport, *scope)); !may.ok()) {
    return std::move(may).error();
  }
  const Date week = WeekStart(day);
  const ReportPeriod period{week, AddDays(week, 6)};
  auto facts = p_.reports.WorkFacts(district_, subject, PeriodStart(period), PeriodEnd(period));
  if (!facts.ok()) {
    return std::move(facts).error();
  }
  WorkReportComment comment;
  comment.district_id = district_;
  comment.subject = subject;
  comment.week = week;
  auto stored = p_.reports.GetWorkComment(district_, subject, week);
  if (stored.ok()) {
    comment = std::move(*stored);
  } else if (stored.error().code != ErrorCode::kNotFound) {
    return std::move(stored).error();
  }
  return BuildWorkReport(subject, name, week, *facts, std::move(comment), p_.clock.Now());
}

Result<WorkReport> ReportService::CommentWorkReport(const Actor& actor,
                                                    const WorkReportSubject& subject,
                                                    const Date& day, const std::string& comment,
                                                    std::int64_t expected_version) {
  std::string name;
  auto scope = WorkScope(actor, subject, name);
  if (!scope.ok()) {
    return std::move(scope).error();
  }
  if (auto may = Check(Authorize(actor, Action::kCommentWorkReport, *scope)); !may.ok()) {
    return std::move(may).error();
  }
  if (auto valid = ValidateWorkComment(comment); !valid.ok()) {
    return std::move(valid).error();
  }
  WorkReportComment c;
  c.district_id = district_;
  c.subject = subject;
  c.week = WeekStart(day);
  c.comment = comment;
  c.updated_by = actor.user_id;
  c.updated_at = p_.clock.Now();
  auto saved = p_.reports.SaveWorkComment(c, expected_version);
  if (!saved.ok()) {
    return std::move(saved).error();
  }
  return WorkReportOf(actor, subject, day);
}

}  // namespace caredesk::core
