#include "core/screening_service.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/access_record.hpp"
#include "core/text.hpp"

namespace caredesk::core {
namespace {

Status Allowed(const Actor& actor, Action action, const ResourceScope& scope = {}) {
  if (const auto d = Authorize(actor, action, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return {};
}

bool DistrictWide(const Actor& actor) {
  return (actor.role == Role::kSupervisor && !actor.dong_id) || actor.role == Role::kAuditor;
}

std::string Score1(double v) {
  std::string s = std::to_string(std::round(v * 10) / 10);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') {
    s.pop_back();
  }
  return s;
}

// The outreach case's summary: why the household is on the list.
std::string OutreachSummary(const ScreeningRun& run, const OutreachFlag& f) {
  std::string s = "[복지 사각지대 발굴] 선별 #" + std::to_string(run.id) + " (" +
                  FormatDate(run.as_of) + ", 모델 v" + std::to_string(run.model_version) +
                  "), 가구 " + f.household.household.household_id + ", 동 내 " +
                  std::to_string(f.rank) + "위, 점수 " + Score1(f.score) + "\n" + f.summary_ko +
                  "\n";
  for (const auto& r : f.reasons) {
    s += "- " + r.text_ko + " (" + (r.points >= 0 ? "+" : "") + Score1(r.points) + ")\n";
  }
  if (f.state == FlagState::kRaisedAgain) {
    s += "이전 발굴 결과가 '지원 불필요' 또는 '연락 안 됨'이었던 가구입니다. 이력을 확인하세요.\n";
  }
  return s;
}

}  // namespace

Result<ScreeningModel> ScreeningService::CurrentModel(const Actor& actor) {
  if (auto s = Allowed(actor, Action::kViewScreeningModel); !s.ok()) {
    return s.error();
  }
  auto latest = p_.screening.LatestModel(actor.district_id);
  if (!latest.ok()) {
    return std::move(latest).error();
  }
  return latest->value_or(DefaultScreeningModel());
}

Result<ScreeningModel> ScreeningService::SaveModel(const Actor& actor, const ScreeningModel& model) {
  if (auto s = Allowed(actor, Action::kManageScreeningModel); !s.ok()) {
    return s.error();
  }
  if (auto s = ValidateScreeningModel(model); !s.ok()) {
    return s.error();
  }
  const auto now = p_.clock.Now();
  auto saved = p_.screening.SaveModel(actor.district_id, model, actor.user_id, now);
  if (!saved.ok()) {
    return saved;
  }
  if (auto a = p_.access_log.Append(AllowedRecord(actor, now, "update", "screening_model",
                                                  std::to_string(saved->version)));
      !a.ok()) {
    return std::move(a).error();
  }
  return saved;
}

Result<ScreeningRunReport> ScreeningService::Run(const Actor& actor,
                                                 const ScreeningRunInput& input) {
  if (auto s = Allowed(actor, Action::kRunScreening); !s.ok()) {
    return s.error();
  }
  if (input.capacity_per_dong < 1 || input.capacity_per_dong > kMaxOutreachCapacity) {
    return Error::Validation({{"capacity_per_dong", "out_of_range",
                               "Give how many households each dong can contact (1-1000).",
                               "동마다 연락할 수 있는 가구 수를 1에서 1000 사이로 쓰세요."}});
  }
  const auto now = p_.clock.Now();
  const Date today = KstDate(now);
  const Date as_of = input.as_of.value_or(today);
  if (as_of > today) {
    return Error::Validation({{"as_of", "in_future", "The screening date cannot be in the future.",
                               "선별 기준일은 미래일 수 없습니다."}});
  }
  auto model = p_.screening.LatestModel(actor.district_id);
  if (!model.ok()) {
    return std::move(model).error();
  }
  const ScreeningModel m = model->value_or(DefaultScreeningModel());

  OutreachSelector selector(input.capacity_per_dong);
  auto scanned = p_.screening.ScanHouseholds(
      actor.district_id, AddDays(as_of, -m.lookback_days),
      [&](const StoredHousehold& h, std::span<const RiskSignal> signals,
          const HouseholdHistory& history) {
        auto score = ScoreHousehold(m, h.household, signals, history, as_of);
        ScreeningCandidate c;
        c.household_id = h.household.household_id;
        c.dong = std::to_string(h.dong_id);
        c.score = score.score;
        c.under_management = history.under_management;
        c.raised_again = history.last_outcome == OutreachOutcome::kNoNeed ||
                         history.last_outcome == OutreachOutcome::kUnreachable;
        c.facts = h;
        c.open_case = history.open_case;
        selector.Offer(c, std::move(score));
      });
  if (!scanned.ok()) {
    return scanned.error();
  }
  const auto offered = selector.offered();
  auto selected = selector.Finish();

  ScreeningRun run;
  run.district_id = actor.district_id;
  run.model_version = m.version;
  run.as_of = as_of;
  run.capacity_per_dong = input.capacity_per_dong;
  run.created_by = actor.user_id;
  run.created_at = now;
  run.households_scored = offered;

  std::vector<OutreachFlag> flags;
  flags.reserve(selected.size());
  for (const auto& s : selected) {
    OutreachFlag f;
    f.district_id = actor.district_id;
    f.household = s.candidate.facts;
    f.rank = s.rank;
    f.score = s.score.score;
    f.reasons = s.score.reasons;
    f.summary_ko = s.score.summary_ko;
    f.state = s.candidate.under_management ? FlagState::kUnderManagement
              : s.candidate.raised_again   ? FlagState::kRaisedAgain
                                           : FlagState::kListed;
    if (f.state == FlagState::kUnderManagement) {
      f.case_id = s.candidate.open_case;
    }
    // What the stored run counts from its rows (a dry run stores none).
    run.listed += f.state != FlagState::kUnderManagement ? 1 : 0;
    run.raised_again += f.state == FlagState::kRaisedAgain ? 1 : 0;
    run.under_management += f.state == FlagState::kUnderManagement ? 1 : 0;
    flags.push_back(std::move(f));
  }
  if (!input.open_cases) {
    return ScreeningRunReport{run, std::move(flags)};
  }
  auto stored = p_.screening.CreateRun(run, flags);
  if (!stored.ok()) {
    return std::move(stored).error();
  }
  if (auto a = p_.access_log.Append(AllowedRecord(actor, now, "create", "screening_run",
                                                  std::to_string(stored->id), "outreach list"));
      !a.ok()) {
    return std::move(a).error();
  }
  return OpenMissingCases(actor, stored->id);
}

Result<ScreeningRunReport> ScreeningService::OpenMissingCases(const Actor& actor,
                                                              ScreeningRunId id) {
  if (auto s = Allowed(actor, Action::kRunScreening); !s.ok()) {
    return s.error();
  }
  auto run = p_.screening.GetRun(actor.district_id, id);
  if (!run.ok()) {
    return std::move(run).error();
  }
  auto flags = p_.screening.ListFlags(actor.district_id, id, std::nullopt);
  if (!flags.ok()) {
    return std::move(flags).error();
  }
  if (auto s = OpenCases(actor, *run, *flags); !s.ok()) {
    return s.error();
  }
  auto again = p_.screening.GetRun(actor.district_id, id);
  if (!again.ok()) {
    return std::move(again).error();
  }
  return ScreeningRunReport{*again, std::move(*flags)};
}

Status ScreeningService::OpenCases(const Actor& actor, const ScreeningRun& run,
                                   std::vector<OutreachFlag>& flags) {
  // Each dong's cases go round its counselors, best-ranked first.
  std::map<DongId, std::vector<UserId>> counselors;
  std::map<DongId, std::size_t> next;
  const Date due = AddDays(KstDate(p_.clock.Now()), kFirstContactDays);
  for (auto& f : flags) {
    if (f.state == FlagState::kUnderManagement || f.case_id) {
      continue;
    }
    const DongId dong = f.household.dong_id;
    if (!counselors.contains(dong)) {
      StaffFilter filter;
      filter.role = Role::kCounselor;
      filter.dong_id = dong;
      auto staff = p_.users.ListActive(actor.district_id, filter);
      if (!staff.ok()) {
        return staff.error();
      }
      auto& ids = counselors[dong];
      for (const auto& u : *staff) {
        ids.push_back(u.id);
      }
      std::sort(ids.begin(), ids.end());
    }
    const auto& ids = counselors[dong];
    // A dong without counselors: the supervisor who ran the screening owns its cases.
    const UserId counselor = ids.empty() ? actor.user_id : ids[next[dong]++ % ids.size()];

    auto linked = p_.screening.LinkedResident(actor.district_id, f.household.household.household_id);
    if (!linked.ok()) {
      return linked.error();
    }
    IntakeInput in;
    in.channel = "outreach";
    in.reporter.kind = "third_party";
    in.reporter.name = "복지 사각지대 발굴";
    in.reporter.relation = "위기 정보 선별 #" + std::to_string(run.id);
    if (*linked) {
      in.resident_id = **linked;
    } else {
      NewResident r;
      r.dong_id = dong;
      // The agencies' files carry no name: the counselor fills it in at the first contact.
      r.name = "발굴 가구 " + f.household.household.household_id;
      r.household.living_alone = f.household.household.living_alone;
      r.household.members = f.household.household.members;
      r.household.disability = f.household.household.disability;
      r.household.housing = f.household.household.housing;
      in.new_resident = r;
      in.confirm_new_resident = true;
    }
    in.dong_id = dong;
    in.primary_category = "welfare";
    in.urgency = "normal";
    in.summary = OutreachSummary(run, f);
    FollowUpInput visit;
    visit.kind = "home_visit";
    visit.due.date = due;
    visit.owner_id = counselor;
    visit.note = "발굴 대상 첫 연락(방문 또는 전화)";
    in.follow_up = visit;
    in.counselor_id = counselor;
    auto opened = p_.cases.Intake(actor, in);
    if (!opened.ok()) {
      return opened.error();
    }
    const auto resident = opened->file.c.resident_id.value_or(0);
    if (auto s = p_.screening.AttachCase(f.id, opened->file.c.id, resident); !s.ok()) {
      return s;
    }
    f.case_id = opened->file.c.id;
  }
  return {};
}

Result<std::vector<ScreeningRun>> ScreeningService::ListRuns(const Actor& actor) {
  if (auto s = Allowed(actor, Action::kViewOutreach); !s.ok()) {
    return s.error();
  }
  return p_.screening.ListRuns(actor.district_id);
}

Result<ScreeningRun> ScreeningService::GetRun(const Actor& actor, ScreeningRunId id) {
  if (auto s = Allowed(actor, Action::kViewOutreach); !s.ok()) {
    return s.error();
  }
  return p_.screening.GetRun(actor.district_id, id);
}

Result<std::vector<OutreachFlag>> ScreeningService::OutreachList(const Actor& actor,
                                                                 ScreeningRunId run,
                                                                 std::optional<DongId> dong,
                                                                 const std::string& purpose) {
  if (!dong && !DistrictWide(actor)) {
    dong = actor.dong_id;
  }
  if (!dong && !(actor.role == Role::kSupervisor && !actor.dong_id)) {
    // A dong-less case worker (the district desk) has no dong list.
    return Error::Make(ErrorCode::kForbidden, "Outreach lists belong to dongs.",
                       "발굴 대상 목록은 동별로 봅니다.");
  }
  ResourceScope scope;
  scope.dong_id = dong;
  if (auto s = Allowed(actor, Action::kViewOutreach, scope); !s.ok()) {
    return s.error();
  }
  if (auto r = p_.screening.GetRun(actor.district_id, run); !r.ok()) {
    return std::move(r).error();
  }
  auto flags = p_.screening.ListFlags(actor.district_id, run, dong);
  if (!flags.ok()) {
    return flags;
  }
  const auto why = std::string(Trim(purpose)).empty() ? "outreach list" : std::string(Trim(purpose));
  if (auto a = p_.access_log.Append(AllowedRecord(
          actor, p_.clock.Now(), "read", "screening_run",
          std::to_string(run) + (dong ? "/dong/" + std::to_string(*dong) : ""), why));
      !a.ok()) {
    return std::move(a).error();
  }
  return flags;
}

Result<std::vector<OutreachFlag>> ScreeningService::ExportOutreachList(
    const Actor& actor, ScreeningRunId run, std::optional<DongId> dong, const std::string& purpose,
    bool unmask) {
  const std::string why(Trim(purpose));
  if (why.empty()) {
    return Error::Validation({{"purpose", "required", "An export needs its purpose.",
                               "내려받는 목적을 입력하세요."}});
  }
  if (!dong && !DistrictWide(actor)) {
    dong = actor.dong_id;
  }
  if (unmask) {
    ResourceScope scope;
    scope.dong_id = dong;
    if (!dong || Authorize(actor, Action::kUnmaskResident, scope) != Decision::kAllow) {
      return Error::Make(ErrorCode::kForbidden,
                         "Unmasked lists are exported one dong at a time, by its case workers.",
                         "마스킹 없는 목록은 해당 동 담당자만 동별로 내려받을 수 있습니다.");
    }
  }
  // OutreachList checks the scope and records the read; the export is recorded besides.
  auto flags = OutreachList(actor, run, dong, why);
  if (!flags.ok()) {
    return flags;
  }
  if (auto a = p_.access_log.Append(AllowedRecord(
          actor, p_.clock.Now(), unmask ? "export_unmasked" : "export", "screening_run",
          std::to_string(run) + (dong ? "/dong/" + std::to_string(*dong) : ""), why));
      !a.ok()) {
    return std::move(a).error();
  }
  if (!unmask) {
    for (auto& f : *flags) {
      auto& h = f.household.household;
      // The last 4 characters at most, and never more than half: "SEED" becomes "**ED".
      const std::size_t keep = std::min<std::size_t>(4, h.household_id.size() / 2);
      h.household_id = std::string(h.household_id.size() - keep, '*') +
                       h.household_id.substr(h.household_id.size() - keep);
      h.head_birth_year -= h.head_birth_year % 10;
    }
  }
  return flags;
}

Result<OutreachFlag> ScreeningService::RecordOutcome(const Actor& actor, OutreachFlagId id,
                                                     const OutreachOutcomeInput& input) {
  auto flag = p_.screening.GetFlag(actor.district_id, id);
  if (!flag.ok()) {
    return flag;
  }
  ResourceScope scope;
  scope.dong_id = flag->household.dong_id;
  if (const auto d = Authorize(actor, Action::kRecordOutreachOutcome, scope);
      d != Decision::kAllow) {
    // Another dong's list is not the actor's to know about.
    return DecisionError(d == Decision::kForbidden && actor.dong_id ? Decision::kHidden : d);
  }
  std::vector<FieldViolation> v;
  const auto outcome = Parse<OutreachOutcome>(Trim(input.outcome));
  if (!outcome) {
    v.push_back({"outcome", "invalid_value",
                 "Use contacted, unreachable, support_linked or no_need.",
                 "결과를 고르세요: 연락됨, 연락 안 됨, 지원 연계, 지원 불필요."});
  }
  const std::string detail(Trim(input.detail));
  if (CodePointCount(detail) > kMaxOutcomeDetailChars) {
    v.push_back({"detail", "too_long", "At most 500 characters.", "500자까지 쓸 수 있습니다."});
  }
  if (outcome == OutreachOutcome::kSupportLinked && detail.empty()) {
    v.push_back({"detail", "required", "Say which support was linked.",
                 "어떤 지원을 연계했는지 쓰세요."});
  }
  const std::string reason(Trim(input.no_need_reason));
  if (outcome == OutreachOutcome::kNoNeed && !IsNoNeedReason(reason)) {
    v.push_back({"no_need_reason", "invalid_value",
                 "Use already_supported, recovered, declined, moved_away, false_signal or other.",
                 "지원이 필요 없는 사유를 고르세요: 이미 지원 받는 중, 상황 회복, 본인 거절, 이사, "
                 "잘못된 정보, 기타."});
  }
  if (outcome != OutreachOutcome::kNoNeed && !reason.empty()) {
    v.push_back({"no_need_reason", "not_allowed", "Only a no_need outcome has a reason code.",
                 "사유는 '지원 불필요' 결과에만 고릅니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  if (flag->state == FlagState::kUnderManagement) {
    return Error::Make(ErrorCode::kConflict,
                       "This household is under management already: record it on its case.",
                       "이미 관리 중인 가구입니다. 해당 상담 건에 기록하세요.");
  }
  auto f = *flag;
  f.outcome = outcome;
  f.outcome_detail = detail;
  f.no_need_reason = outcome == OutreachOutcome::kNoNeed ? reason : "";
  f.outcome_at = p_.clock.Now();
  f.outcome_by = actor.user_id;
  return p_.screening.RecordOutcome(f);
}

Result<OutreachFunnel> ScreeningService::Funnel(const Actor& actor,
                                                std::optional<ScreeningRunId> run,
                                                std::optional<DongId> dong) {
  if (!dong && !DistrictWide(actor)) {
    dong = actor.dong_id;
  }
  ResourceScope scope;
  scope.dong_id = dong;
  if (auto s = Allowed(actor, Action::kViewStats, scope); !s.ok()) {
    return s.error();
  }
  if (!dong && !DistrictWide(actor)) {
    return Error::Make(ErrorCode::kForbidden, "You do not have permission for this.",
                       "이 작업을 할 권한이 없습니다.");
  }
  return p_.screening.Funnel(actor.district_id, run, dong);
}

Result<std::vector<ScreeningImport>> ScreeningService::Imports(const Actor& actor) {
  if (auto s = Allowed(actor, Action::kViewScreeningModel); !s.ok()) {
    return s.error();
  }
  return p_.screening.ListImports(actor.district_id);
}

}  // namespace caredesk::core
