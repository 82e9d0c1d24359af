#include "core/case_service.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "core/access_review.hpp"
#include "core/notification.hpp"
#include "core/search_terms.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"
#include "core/triage.hpp"

namespace caredesk::core {
namespace {

using namespace std::chrono_literals;

constexpr int kMaxSaveAttempts = 4;
constexpr int kRelinkWorkingDays = 1;  // a declined referral is re-linked next working day
constexpr int kMissedCheckVisitWorkingDays = 1;  // home visit after two missed welfare checks
constexpr int kResolutionCheckWorkingDays = 3;   // confirm the resolution with the resident
constexpr int kAssessmentWorkingDays = 5;        // first case-management assessment
constexpr int kDefaultFollowUpWorkingDays = 3;
constexpr int kDefaultConsentDays = 90;
constexpr int kMaxRecurrenceDays = 90;
constexpr int kMaxListLimit = 200;
constexpr int kSearchRounds = 5;
constexpr std::size_t kMaxReasonChars = 1000;
constexpr std::size_t kMaxRelationChars = 50;
constexpr std::size_t kMaxSecondaryCategories = 5;
constexpr std::size_t kMaxShares = 20;

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// A flat JSON object of string values (codes and ids only: never personal data).
std::string JsonOf(std::initializer_list<std::pair<std::string_view, std::string>> fields) {
  std::string out = "{";
  for (const auto& [k, v] : fields) {
    if (out.size() > 1) {
      out += ",";
    }
    out += "\"" + JsonEscape(k) + "\":\"" + JsonEscape(v) + "\"";
  }
  return out + "}";
}

std::string Str(std::int64_t v) { return std::to_string(v); }

Status Violations(std::vector<FieldViolation> v) {
  if (v.empty()) {
    return {};
  }
  return Error::Validation(std::move(v));
}

void RequireText(std::vector<FieldViolation>& v, const std::string& field, std::string_view value,
                 std::size_t max_chars, bool required) {
  if (!IsValidUtf8(value)) {
    v.push_back({field, "invalid_utf8", "Must be valid UTF-8 text.", "올바른 문자여야 합니다."});
    return;
  }
  if (required && Trim(value).empty()) {
    v.push_back({field, "required", "This field is required.", "필수 입력 항목입니다."});
    return;
  }
  if (CodePointCount(value) > max_chars) {
    v.push_back({field, "too_long", "Must be at most " + std::to_string(max_chars) + " characters.",
                 std::to_string(max_chars) + "자 이하여야 합니다."});
  }
}

template <typename T>
std::optional<T> ParseField(std::vector<FieldViolation>& v, const std::string& field,
                            std::string_view code) {
  auto parsed = Parse<T>(code);
  if (!parsed) {
    std::string allowed;
    for (const auto value : AllValues<T>()) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(Code(value));
    }
    v.push_back({field, "invalid_choice", "Must be one of: " + allowed + ".",
                 "다음 중 하나여야 합니다: " + allowed + "."});
  }
  return parsed;
}

ResourceScope ScopeOfCase(const Case& c) {
  ResourceScope s;
  s.district_id = c.district_id;
  s.dong_id = c.dong_id;
  s.involved_users.push_back(c.counselor_id);
  if (c.case_manager_id != 0) {
    s.involved_users.push_back(c.case_manager_id);
  }
  s.involved_users.insert(s.involved_users.end(), c.shared_with.begin(), c.shared_with.end());
  return s;
}

Resident Masked(Resident r) {
  r.name = MaskName(r.name);
  r.phone = MaskPhone(r.phone);
  r.address = MaskAddress(r.address);
  r.birth_date = MaskBirthDate(r.birth_date);
  r.rrn = r.rrn.empty() ? "" : MaskRrn(r.rrn);
  return r;
}

// Open follow-ups no longer apply (resolved, closed or reopened): cancelled, not deleted.
void CancelOpenFollowUps(CaseFile& file, UserId by, TimePoint now) {
  for (auto& f : file.follow_ups) {
    if (f.IsOpen()) {
      f.status = FollowUpStatus::kCancelled;
      f.done_at = now;
      f.done_by = by;
    }
  }
}

bool ConfirmsResolution(const FollowUp& f) {
  return f.kind == FollowUpKind::kResolutionCheck && f.status == FollowUpStatus::kDone &&
         (f.result == FollowUpResult::kReached || f.result == FollowUpResult::kResolved);
}

}  // namespace

const ClockRule& ClockPolicy::For(const std::string& category) const {
  // A sub-category ("legal.lease") follows its top-level category's rule.
  const auto it = per_category.find(category.substr(0, category.find('.')));
  return it == per_category.end() ? default_rule : it->second;
}

ClockPolicy DefaultClockPolicy() {
  // 민원 처리에 관한 법률 시행령: general complaints and simple inquiries 7 working
  // days; questions on statutes (legal, tax) 14.
  constexpr int kStatuteQuestionDays = 14;
  ClockPolicy p;
  ClockRule statute;
  statute.answer_working_days = kStatuteQuestionDays;
  statute.extension_working_days = kStatuteQuestionDays;
  p.per_category["legal"] = statute;
  p.per_category["tax"] = statute;
  return p;
}

// --- Plumbing ---------------------------------------------------------------------------

Status CaseService::Record(const Actor& actor, std::string action, std::string target_type,
                           std::string target_id, std::string purpose) {
  auto appended = p_.access_log.Append(AllowedRecord(actor, p_.clock.Now(), std::move(action),
                                                     std::move(target_type), std::move(target_id),
                                                     std::move(purpose)));
  if (!appended.ok()) {
    return std::move(appended).error();
  }
  return {};
}

CaseEvent CaseService::Event(const Actor& actor, std::string kind, std::string data) const {
  CaseEvent e;
  e.at = p_.clock.Now();
  e.actor_id = actor.user_id;
  e.kind = std::move(kind);
  e.data = std::move(data);
  return e;
}

Result<HolidayCalendar> CaseService::Calendar() {
  auto rows = p_.holidays.ListHolidays(district_);
  if (!rows.ok()) {
    return std::move(rows).error();
  }
  std::vector<Holiday> holidays;
  for (const auto& row : *rows) {
    if (auto d = ParseDate(row.date)) {
      holidays.push_back({*d, row.name});
    }
  }
  return HolidayCalendar(std::move(holidays));
}

Result<ClockPolicy> CaseService::Clocks() {
  auto rows = p_.holidays.ListClockRules(district_);
  if (!rows.ok()) {
    return std::move(rows).error();
  }
  ClockPolicy policy = clocks_;
  for (const auto& row : *rows) {
    ClockRule rule;
    rule.answer_working_days = row.answer_working_days;
    rule.extension_working_days = row.extension_working_days;
    rule.progress_notice_days = row.progress_notice_days;
    policy.per_category[row.category] = rule;
  }
  return policy;
}

CaseScope CaseService::ScopeOf(const Actor& actor) const {
  CaseScope s;
  if (actor.role == Role::kSupervisor && !actor.dong_id) {
    s.whole_district = true;
    return s;
  }
  s.dong_id = actor.dong_id;
  s.involved_user = actor.user_id;
  return s;
}

Result<TimePoint> CaseService::DueFrom(const DueInput& due, int default_working_days,
                                       const HolidayCalendar& calendar) const {
  const auto now = p_.clock.Now();
  const Date today = KstDate(now);
  if (due.at) {
    return *due.at;
  }
  if (due.date) {
    return EndOfKstOfficeDay(*due.date);
  }
  return EndOfKstOfficeDay(calendar.AddWorkingDays(today, default_working_days));
}

Status CaseService::CheckAssignee(UserId user, const std::string& field, std::optional<Role> role) {
  auto u = p_.users.Get(user);
  const bool works = u.ok() && u->district_id == district_ && u->active &&
                     (role ? u->role == *role
                           : (u->role == Role::kCounselor || u->role == Role::kCaseManager ||
                              u->role == Role::kSupervisor));
  if (works) {
    return {};
  }
  if (!u.ok() && u.error().code != ErrorCode::kNotFound) {
    return u.error();
  }
  const std::string what =
      role ? std::string(RoleCode(*role)) : "counselor, case manager or supervisor";
  return Error::Validation({{field, "invalid_user", "No active " + what + " with this id.",
                             "해당 ID의 활성 담당자(" + what + ")가 없습니다."}});
}

Status CaseService::CheckCategories(const std::string& primary,
                                    const std::vector<std::string>& secondary) {
  // Top-level codes are fixed; sub-categories ("housing.jeonse_fraud") are data.
  std::set<std::string> known;
  for (const auto& c : Categories()) {
    known.emplace(c.code);
  }
  const bool any_sub = primary.find('.') != std::string::npos ||
                       std::any_of(secondary.begin(), secondary.end(), [](const std::string& s) {
                         return s.find('.') != std::string::npos;
                       });
  if (any_sub) {
    auto subs = p_.directory.ListSubCategories(district_);
    if (!subs.ok()) {
      return std::move(subs).error();
    }
    for (const auto& sub : *subs) {
      known.insert(sub.code);
    }
  }
  std::vector<FieldViolation> v;
  if (known.count(primary) == 0) {
    v.push_back({"primary_category", "invalid_choice", "Unknown category code.",
                 "알 수 없는 상담 분야입니다."});
  }
  if (secondary.size() > kMaxSecondaryCategories) {
    v.push_back({"secondary_categories", "too_many", "At most 5 secondary categories.",
                 "보조 분야는 5개까지입니다."});
  }
  std::set<std::string> seen{primary};
  for (std::size_t i = 0; i < secondary.size(); ++i) {
    const auto field = "secondary_categories[" + std::to_string(i) + "]";
    if (known.count(secondary[i]) == 0) {
      v.push_back(
          {field, "invalid_choice", "Unknown category code.", "알 수 없는 상담 분야입니다."});
    } else if (!seen.insert(secondary[i]).second) {
      v.push_back({field, "duplicate", "Listed twice (or equal to the primary category).",
                   "중복된 분야입니다."});
    }
  }
  return Violations(std::move(v));
}

Result<FollowUp> CaseService::MakeFollowUp(const Actor& actor, const CaseFile& file,
                                           const FollowUpInput& input, const std::string& field,
                                           const HolidayCalendar& calendar) {
  std::vector<FieldViolation> v;
  const auto kind = ParseField<FollowUpKind>(v, field + ".kind", input.kind);
  if (input.recurrence_days < 0 || input.recurrence_days > kMaxRecurrenceDays) {
    v.push_back({field + ".recurrence_days", "out_of_range", "Must be between 0 and 90.",
                 "반복 주기는 0~90일이어야 합니다."});
  }
  RequireText(v, field + ".note", input.note, kMaxSummaryChars, false);
  const auto now = p_.clock.Now();
  if (input.due.date && *input.due.date < KstDate(now)) {
    v.push_back({field + ".due", "in_past", "The due date is in the past.",
                 "기한이 이미 지난 날짜입니다."});
  }
  if (input.due.at && *input.due.at < now) {
    v.push_back({field + ".due", "in_past", "The due time is in the past.",
                 "기한이 이미 지난 시각입니다."});
  }
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  FollowUp f;
  f.case_id = file.c.id;
  f.kind = *kind;
  auto due = DueFrom(input.due, kDefaultFollowUpWorkingDays, calendar);
  if (!due.ok()) {
    return std::move(due).error();
  }
  f.due_at = *due;
  f.owner_id =
      input.owner_id.value_or(file.c.counselor_id != 0 ? file.c.counselor_id : actor.user_id);
  if (input.owner_id) {
    if (auto s = CheckAssignee(*input.owner_id, field + ".owner_id", std::nullopt); !s.ok()) {
      return std::move(s).error();
    }
  }
  f.recurrence_days = input.recurrence_days;
  f.note = std::string(Trim(input.note));
  f.created_at = now;
  return f;
}

Result<Referral> CaseService::MakeReferral(const Actor& actor, const ReferralInput& input,
                                           const std::string& field) {
  std::vector<FieldViolation> v;
  RequireText(v, field + ".consent.given_by", input.consent.given_by, kMaxNameChars, true);
  RequireText(v, field + ".request_note", input.request_note, kMaxSummaryChars, false);
  std::set<std::string> scope;
  for (std::size_t i = 0; i < input.consent.scope.size(); ++i) {
    const auto& s = input.consent.scope[i];
    if (std::find(std::begin(kConsentFields), std::end(kConsentFields), s) ==
        std::end(kConsentFields)) {
      v.push_back({field + ".consent.scope[" + std::to_string(i) + "]", "invalid_choice",
                   "Must be one of: name, phone, address, birth_date, summary.",
                   "name, phone, address, birth_date, summary 중 하나여야 합니다."});
    } else {
      scope.insert(s);
    }
  }
  const auto now = p_.clock.Now();
  const Date today = KstDate(now);
  Date until = AddDays(today, kDefaultConsentDays);
  if (!input.consent.until.empty()) {
    const auto parsed = ParseDate(input.consent.until);
    if (!parsed || *parsed < today) {
      v.push_back({field + ".consent.until", "invalid_date",
                   "Use a date (YYYY-MM-DD) that is today or later.",
                   "동의 기한은 오늘 이후의 날짜(YYYY-MM-DD)여야 합니다."});
    } else {
      until = *parsed;
    }
  }
  auto agency = p_.directory.GetAgency(district_, input.agency_id);
  if (!agency.ok()) {
    if (agency.error().code != ErrorCode::kNotFound) {
      return std::move(agency).error();
    }
    v.push_back({field + ".agency_id", "not_found", "No such agency.", "없는 연계 기관입니다."});
  }
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  Referral r;
  r.agency_id = input.agency_id;
  r.status = ReferralStatus::kSent;
  r.referred_by = actor.user_id;
  r.consent.given_by = std::string(Trim(input.consent.given_by));
  r.consent.recorded_by = actor.user_id;
  r.consent.at = now;
  r.consent.scope.assign(scope.begin(), scope.end());
  r.consent.until = FormatDate(until);
  r.request_note = std::string(Trim(input.request_note));
  r.sent_at = now;
  r.accept_due_at = now + std::chrono::hours(agency->response_hours);
  return r;
}

Status CaseService::MoveTo(CaseFile& file, CaseStatus to, const Actor& actor,
                           std::vector<CaseEvent>& events) {
  const auto from = file.c.status;
  if (from == to) {
    return {};
  }
  if (auto s = CheckTransition(from, to); !s.ok()) {
    return s;
  }
  file.c.status = to;
  events.push_back(
      Event(actor, "status_changed",
            JsonOf({{"from", std::string(Code(from))}, {"to", std::string(Code(to))}})));
  return {};
}

Status CaseService::AlertSupervisors(DongId dong, std::vector<Notification>& out) {
  StaffFilter filter;
  filter.role = Role::kSupervisor;
  auto supervisors = p_.users.ListActive(district_, filter);
  if (!supervisors.ok()) {
    return std::move(supervisors).error();
  }
  for (const auto& u : *supervisors) {
    if (u.dong_id && *u.dong_id != dong) {
      continue;  // another dong's supervisor
    }
    Notification n;
    n.kind = NotificationKind::kEmergencyCheckin;
    n.user_id = u.id;
    n.queued_at = p_.clock.Now();
    out.push_back(std::move(n));
  }
  return {};
}

Result<CaseFile> CaseService::Load(const Actor& actor, CaseId id, Action action) {
  // Roles that never open cases learn nothing, not even whether the id exists.
  if (const auto d = Authorize(actor, action); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto file = p_.cases.GetCase(district_, id);
  if (!file.ok()) {
    return std::move(file).error();
  }
  if (const auto d = Authorize(actor, action, ScopeOfCase(file->c)); d != Decision::kAllow) {
    return DecisionError(d == Decision::kForbidden ? Decision::kForbidden : Decision::kHidden);
  }
  return file;
}

Result<CaseView> CaseService::View(const Actor& actor, CaseFile file) {
  (void)actor;
  CaseView view;
  if (file.c.resident_id) {
    auto r = p_.cases.GetResident(district_, *file.c.resident_id);
    if (r.ok()) {
      view.resident = Masked(std::move(*r));
    } else if (r.error().code != ErrorCode::kNotFound) {
      return std::move(r).error();
    }
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  if (const auto received = ParseDate(file.c.received_on)) {
    ClockInput in;
    in.received = *received;
    auto policy = Clocks();
    if (!policy.ok()) {
      return std::move(policy).error();
    }
    in.rule = policy->For(file.c.primary_category);
    in.extended = file.c.deadline_extended;
    for (const auto& [from, to] : file.c.clock_pauses) {
      if (const auto f = ParseDate(from)) {
        in.pauses.push_back({*f, to.empty() ? std::nullopt : ParseDate(to)});
      }
    }
    if (file.c.resolved_at) {
      in.answered = KstDate(*file.c.resolved_at);
    }
    if (!file.c.progress_notice_on.empty()) {
      in.progress_notice_sent = ParseDate(file.c.progress_notice_on);
    }
    view.clocks = EvaluateClocks(in, *calendar, KstDate(p_.clock.Now()));
  }
  for (const auto s : AllowedTransitions(file.c.status)) {
    view.next_transitions.emplace_back(Code(s));
  }
  view.file = std::move(file);
  return view;
}

Result<CaseView> CaseService::Mutate(const Actor& actor, CaseId id, Action action,
                                     std::optional<std::int64_t> if_match, const Mutation& mutate) {
  for (int attempt = 0;; ++attempt) {
    auto file = Load(actor, id, action);
    if (!file.ok()) {
      return std::move(file).error();
    }
    if (file->c.erased) {
      return RuleError("erased", "This case's personal data was erased; it can no longer change.",
                       "개인정보가 파기된 상담 건은 변경할 수 없습니다.");
    }
    if (if_match && *if_match != file->c.version) {
      return Error::Make(
          ErrorCode::kPreconditionFailed,
          "Someone else changed this case meanwhile. Reload it and try again.",
          "다른 사람이 먼저 이 상담 건을 수정했습니다. 새로 고친 뒤 다시 시도해 주세요.");
    }
    const auto expected = file->c.version;
    const CaseFile before = *file;
    std::vector<CaseEvent> events;
    if (auto s = mutate(*file, events); !s.ok()) {
      return std::move(s).error();
    }
    if (auto s = CheckNextStepRule(*file); !s.ok()) {
      return std::move(s).error();
    }
    auto saved = p_.cases.SaveCase(*file, expected, std::move(events),
                                   PlanCaseNotifications(&before, *file, p_.clock.Now()));
    if (!saved.ok()) {
      if (saved.error().code == ErrorCode::kPreconditionFailed && !if_match &&
          attempt + 1 < kMaxSaveAttempts) {
        continue;  // a concurrent change: apply ours on top of it
      }
      return std::move(saved).error();
    }
    if (auto s = Record(actor, "update", "case", Str(id)); !s.ok()) {
      return std::move(s).error();
    }
    return View(actor, std::move(*saved));
  }
}

// --- Residents ------------------------------------------------------------------------

Status CaseService::CheckNoDuplicate(const Resident& r, std::string message,
                                     std::string message_ko) {
  auto matches = p_.cases.FindResidentMatches(district_, r.name, r.birth_date, r.phone);
  if (!matches.ok()) {
    return std::move(matches).error();
  }
  if (matches->empty()) {
    return {};
  }
  auto e = Error::Make(ErrorCode::kConflict, std::move(message), std::move(message_ko));
  for (const auto& m : *matches) {
    const auto masked = Masked(m);
    e.details.push_back({"resident_id", "possible_duplicate", Str(m.id),
                         masked.name + " " + masked.birth_date + " " + masked.phone});
  }
  return e;
}

Result<Resident> CaseService::RegisterResident(const Actor& actor, const NewResident& input,
                                               bool confirm_new) {
  ResourceScope scope;
  scope.dong_id = input.dong_id;
  if (const auto d = Authorize(actor, Action::kCreateCase, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto resident = ValidateNewResident(input, district_, p_.clock.Now());
  if (!resident.ok()) {
    return std::move(resident).error();
  }
  if (!confirm_new) {
    if (auto s =
            CheckNoDuplicate(*resident,
                             "This resident may already be registered. Use the existing "
                             "record, or confirm that this is a different person.",
                             "이미 등록된 주민일 수 있습니다. 기존 기록을 쓰거나, 다른 사람임을 "
                             "확인한 뒤 다시 등록해 주세요.");
        !s.ok()) {
      return std::move(s).error();
    }
  }
  auto created = p_.cases.CreateResident(*resident);
  if (!created.ok()) {
    return std::move(created).error();
  }
  if (auto s = Record(actor, "create", "resident", Str(created->id)); !s.ok()) {
    return std::move(s).error();
  }
  return Masked(std::move(*created));
}

Result<std::vector<Resident>> CaseService::FindResidents(const Actor& actor,
                                                         const std::string& name,
                                                         const std::string& birth_date,
                                                         const std::string& phone) {
  if (const auto d = Authorize(actor, Action::kViewResident); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (Trim(name).empty() && NormalizePhone(phone).empty()) {
    return Error::Validation({{"name", "required", "Give a name (with birth date) or a phone.",
                               "이름(생년월일과 함께) 또는 전화번호를 입력해 주세요."}});
  }
  auto matches = p_.cases.FindResidentMatches(district_, std::string(Trim(name)),
                                              std::string(Trim(birth_date)), NormalizePhone(phone));
  if (!matches.ok()) {
    return std::move(matches).error();
  }
  std::vector<Resident> out;
  for (auto& m : *matches) {
    out.push_back(Masked(std::move(m)));
  }
  if (auto s = Record(actor, "lookup", "resident", Str(static_cast<std::int64_t>(out.size())));
      !s.ok()) {
    return std::move(s).error();
  }
  return out;
}

Result<Resident> CaseService::GetResident(const Actor& actor, ResidentId id) {
  if (const auto d = Authorize(actor, Action::kViewResident); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto r = p_.cases.GetResident(district_, id);
  if (!r.ok()) {
    return std::move(r).error();
  }
  ResourceScope scope;
  scope.district_id = r->district_id;
  scope.dong_id = r->dong_id;
  scope.involved_users = {0};  // a record-level check even without a dong
  if (const auto d = Authorize(actor, Action::kViewResident, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (auto s = Record(actor, "read", "resident", Str(id)); !s.ok()) {
    return std::move(s).error();
  }
  return Masked(std::move(*r));
}

Result<Resident> CaseService::UnmaskResident(const Actor& actor, ResidentId id,
                                             const std::string& reason) {
  if (const auto d = Authorize(actor, Action::kUnmaskResident); d != Decision::kAllow) {
    return DecisionError(d);
  }
  std::vector<FieldViolation> v;
  RequireText(v, "reason", reason, kMaxReasonChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  auto r = p_.cases.GetResident(district_, id);
  if (!r.ok()) {
    return std::move(r).error();
  }
  ResourceScope scope;
  scope.district_id = r->district_id;
  scope.dong_id = r->dong_id;
  scope.involved_users = {0};
  if (const auto d = Authorize(actor, Action::kUnmaskResident, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  // Recorded before it is shown: no record, no data.
  if (auto s = Record(actor, "unmask", "resident", Str(id), std::string(Trim(reason))); !s.ok()) {
    return std::move(s).error();
  }
  return r;
}

Result<Resident> CaseService::UpdateResident(const Actor& actor, ResidentId id,
                                             const ResidentPatch& patch,
                                             std::optional<std::int64_t> if_match) {
  if (const auto d = Authorize(actor, Action::kViewResident); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto current = p_.cases.GetResident(district_, id);
  if (!current.ok()) {
    return std::move(current).error();
  }
  ResourceScope scope;
  scope.district_id = current->district_id;
  scope.dong_id = current->dong_id;
  scope.involved_users = {0};
  if (const auto d = Authorize(actor, Action::kViewResident, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (current->erased) {
    return RuleError("erased", "This resident's personal data was erased.",
                     "개인정보가 파기된 대상자입니다.");
  }
  if (if_match && *if_match != current->version) {
    return Error::Make(
        ErrorCode::kPreconditionFailed,
        "Someone else changed this resident meanwhile. Reload and try again.",
        "다른 사람이 먼저 이 대상자 정보를 수정했습니다. 새로 고친 뒤 다시 시도해 주세요.");
  }
  if (patch.dong_id && patch.dong_id != current->dong_id) {
    ResourceScope target;
    target.dong_id = patch.dong_id;
    if (const auto d = Authorize(actor, Action::kCreateCase, target); d != Decision::kAllow) {
      return DecisionError(d);
    }
  }
  NewResident merged;
  merged.dong_id = patch.dong_id ? patch.dong_id : current->dong_id;
  merged.name = patch.name.value_or(current->name);
  merged.birth_date = patch.birth_date.value_or(current->birth_date);
  merged.phone = patch.phone.value_or(current->phone);
  merged.address = patch.address.value_or(current->address);
  merged.household = patch.household.value_or(current->household);
  merged.tags = patch.tags.value_or(current->tags);
  merged.rrn = patch.rrn.value_or(current->rrn);
  merged.rrn_legal_basis = patch.rrn_legal_basis.value_or(current->rrn_legal_basis);
  merged.safety_note = patch.safety_note.value_or(current->safety_note);
  merged.flagged_malicious = patch.flagged_malicious.value_or(current->flagged_malicious);
  merged.contact_by = patch.contact_by.value_or(current->contact_by);
  auto valid = ValidateNewResident(merged, district_, current->created_at);
  if (!valid.ok()) {
    return std::move(valid).error();
  }
  valid->id = id;
  valid->version = current->version;
  auto saved = p_.cases.UpdateResident(*valid);
  if (!saved.ok()) {
    return std::move(saved).error();
  }
  if (auto s = Record(actor, "update", "resident", Str(id)); !s.ok()) {
    return std::move(s).error();
  }
  return Masked(std::move(*saved));
}

Status CaseService::EraseResident(const Actor& actor, ResidentId id, const std::string& reason) {
  if (const auto d = Authorize(actor, Action::kEraseResident); d != Decision::kAllow) {
    return DecisionError(d);
  }
  std::vector<FieldViolation> v;
  RequireText(v, "reason", reason, kMaxReasonChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return s;
  }
  if (auto s = p_.cases.EraseResident(district_, id); !s.ok()) {
    return s;
  }
  return Record(actor, "erase", "resident", Str(id), std::string(Trim(reason)));
}

// --- Intake -----------------------------------------------------------------------------

Result<CaseView> CaseService::Intake(const Actor& actor, const IntakeInput& input) {
  if (const auto d = Authorize(actor, Action::kCreateCase); d != Decision::kAllow) {
    return DecisionError(d);
  }
  const auto now = p_.clock.Now();
  std::vector<FieldViolation> v;
  const auto channel = ParseField<Channel>(v, "channel", input.channel);
  const auto urgency = ParseField<Urgency>(v, "urgency", input.urgency);
  const auto reporter_kind = ParseField<ReporterKind>(v, "reporter.kind", input.reporter.kind);
  std::optional<CrisisDismissal> dismissal;
  if (!input.crisis_dismissal.empty()) {
    dismissal = ParseField<CrisisDismissal>(v, "crisis_dismissal", input.crisis_dismissal);
  }
  RequireText(v, "summary", input.summary, kMaxSummaryChars, true);
  RequireText(v, "reporter.name", input.reporter.name, kMaxNameChars, false);
  RequireText(v, "reporter.relation", input.reporter.relation, kMaxRelationChars,
              reporter_kind == ReporterKind::kThirdParty);
  RequireText(v, "reporter.contact", input.reporter.contact, kMaxContactChars, false);
  if (channel == Channel::kThirdParty && reporter_kind == ReporterKind::kSelf) {
    v.push_back({"reporter.kind", "inconsistent",
                 "A third-party report needs a third-party reporter.",
                 "제3자 신고는 신고자가 본인이 아니어야 합니다."});
  }
  std::optional<ConsultationKind> consultation_kind;
  if (input.consultation) {
    consultation_kind =
        ParseField<ConsultationKind>(v, "consultation.kind", input.consultation->kind);
    RequireText(v, "consultation.notes", input.consultation->notes, kMaxNoteChars, true);
    RequireText(v, "consultation.outcome", input.consultation->outcome, kMaxSummaryChars, false);
  }
  if (input.resident_id && input.new_resident) {
    v.push_back({"resident", "ambiguous", "Give resident_id or resident, not both.",
                 "기존 대상자(resident_id)와 새 대상자(resident) 중 하나만 주세요."});
  }
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = CheckCategories(input.primary_category, input.secondary_categories); !s.ok()) {
    return std::move(s).error();
  }
  if (!input.follow_up && !input.referral) {
    return RuleError("next_step_required",
                     "Every new case needs a next step: a follow-up or a referral.",
                     "새 상담 건에는 다음 조치(사후관리 일정 또는 기관 연계)가 꼭 필요합니다.");
  }

  // The resident: an existing one, a new one (with the duplicate check), or none.
  std::optional<Resident> existing;
  std::optional<Resident> fresh;
  if (input.resident_id) {
    auto r = p_.cases.GetResident(district_, *input.resident_id);
    if (!r.ok()) {
      if (r.error().code == ErrorCode::kNotFound) {
        return Error::Validation(
            {{"resident_id", "not_found", "No such resident.", "없는 대상자입니다."}});
      }
      return std::move(r).error();
    }
    // A resident outside the actor's reach reads exactly like one that does not exist.
    ResourceScope reach;
    reach.district_id = r->district_id;
    reach.dong_id = r->dong_id;
    reach.involved_users = {0};
    if (Authorize(actor, Action::kViewResident, reach) != Decision::kAllow) {
      return Error::Validation(
          {{"resident_id", "not_found", "No such resident.", "없는 대상자입니다."}});
    }
    existing = std::move(*r);
  } else if (input.new_resident) {
    auto r = ValidateNewResident(*input.new_resident, district_, now);
    if (!r.ok()) {
      auto e = std::move(r).error();
      for (auto& d : e.details) {
        d.field = "resident." + d.field;
      }
      return e;
    }
    fresh = std::move(*r);
  }

  // The dong: as given, else the resident's, else the counselor's own.
  std::optional<DongId> dong = input.dong_id;
  if (!dong && existing) {
    dong = existing->dong_id;
  }
  if (!dong && fresh) {
    dong = fresh->dong_id;
  }
  if (!dong) {
    dong = actor.dong_id;
  }
  if (!dong) {
    return Error::Validation({{"dong_id", "required", "Which dong is this case for?",
                               "어느 동의 상담 건인지 선택해 주세요."}});
  }
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  if (std::none_of(dongs->begin(), dongs->end(), [&](const Dong& d) { return d.id == *dong; })) {
    return Error::Validation({{"dong_id", "not_found", "No such dong.", "없는 동입니다."}});
  }
  ResourceScope scope;
  scope.district_id = district_;
  scope.dong_id = dong;
  if (const auto d = Authorize(actor, Action::kCreateCase, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (input.desk_id) {
    auto desks = p_.directory.ListDesks(district_);
    if (!desks.ok()) {
      return std::move(desks).error();
    }
    if (std::none_of(desks->begin(), desks->end(),
                     [&](const Desk& d) { return d.id == *input.desk_id; })) {
      return Error::Validation({{"desk_id", "not_found", "No such desk.", "없는 창구입니다."}});
    }
  }
  const UserId counselor = input.counselor_id.value_or(actor.user_id);
  if (input.counselor_id) {
    if (auto s = CheckAssignee(counselor, "counselor_id", std::nullopt); !s.ok()) {
      return std::move(s).error();
    }
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }

  CaseFile file;
  Case& c = file.c;
  c.district_id = district_;
  c.dong_id = *dong;
  c.desk_id = input.desk_id;
  c.channel = *channel;
  c.reporter = Reporter{*reporter_kind, std::string(Trim(input.reporter.name)),
                        std::string(Trim(input.reporter.relation)),
                        std::string(Trim(input.reporter.contact))};
  c.primary_category = input.primary_category;
  c.secondary_categories = input.secondary_categories;
  c.urgency = *urgency;
  c.status = CaseStatus::kReceived;
  c.counselor_id = counselor;
  c.summary = std::string(Trim(input.summary));
  c.received_on = FormatDate(KstDate(now));
  c.opened_at = now;

  // Crisis words in what the counselor typed make the case a crisis (on top of Today for the
  // dong and the supervisor), unless the counselor judged them otherwise and said why. The
  // event keeps the rules' words (a fixed lexicon) and whether the model agreed, not the
  // resident's own words: the timeline is not sealed.
  std::optional<CaseEvent> crisis_event;
  if (const auto triage = p_.triage != nullptr ? p_.triage->Current() : nullptr) {
    // Not a ?: of string and "": that makes a temporary string the view would outlive.
    std::string_view notes;
    if (input.consultation) {
      notes = input.consultation->notes;
    }
    const std::array<std::string_view, 2> texts = {c.summary, notes};
    const auto crisis = triage->ScreenForCrisis(texts);
    if (crisis.flag) {
      std::string terms;
      for (const auto& t : crisis.rule_terms) {
        terms += (terms.empty() ? "" : ", ") + t;
      }
      const std::string by_model = crisis.by_model ? "true" : "false";
      if (c.urgency != Urgency::kCrisis && dismissal) {
        crisis_event = Event(actor, "crisis_flag_dismissed",
                             JsonOf({{"terms", terms},
                                     {"by_model", by_model},
                                     {"urgency", std::string(Code(c.urgency))},
                                     {"reason", std::string(Code(*dismissal))}}));
      } else {
        crisis_event = Event(actor, "crisis_flagged",
                             JsonOf({{"terms", terms},
                                     {"by_model", by_model},
                                     {"from", std::string(Code(c.urgency))}}));
        c.urgency = Urgency::kCrisis;
      }
    }
  }

  std::vector<CaseEvent> events;
  events.push_back(Event(actor, "received",
                         JsonOf({{"channel", std::string(Code(c.channel))},
                                 {"urgency", std::string(Code(c.urgency))},
                                 {"category", c.primary_category},
                                 {"reporter", std::string(Code(c.reporter.kind))}})));
  if (crisis_event) {
    events.push_back(std::move(*crisis_event));
  }
  if (input.consultation) {
    Consultation k;
    k.counselor_id = actor.user_id;
    k.at = now;
    k.kind = *consultation_kind;
    k.notes = std::string(Trim(input.consultation->notes));
    k.outcome = std::string(Trim(input.consultation->outcome));
    file.consultations.push_back(std::move(k));
    events.push_back(Event(actor, "consultation_added",
                           JsonOf({{"kind", std::string(Code(*consultation_kind))}})));
    if (auto s = MoveTo(file, CaseStatus::kInConsultation, actor, events); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (input.follow_up) {
    auto f = MakeFollowUp(actor, file, *input.follow_up, "follow_up", *calendar);
    if (!f.ok()) {
      return std::move(f).error();
    }
    events.push_back(
        Event(actor, "follow_up_scheduled",
              JsonOf({{"kind", std::string(Code(f->kind))}, {"owner_id", Str(f->owner_id)}})));
    file.follow_ups.push_back(std::move(*f));
  }
  if (input.referral) {
    auto r = MakeReferral(actor, *input.referral, "referral");
    if (!r.ok()) {
      return std::move(r).error();
    }
    events.push_back(Event(actor, "referral_sent", JsonOf({{"agency_id", Str(r->agency_id)}})));
    file.referrals.push_back(std::move(*r));
    if (auto s = MoveTo(file, CaseStatus::kReferred, actor, events); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (auto s = CheckNextStepRule(file); !s.ok()) {
    return std::move(s).error();
  }

  // Everything is valid: now store the new resident (after the duplicate check) and the case.
  if (fresh) {
    if (!input.confirm_new_resident) {
      if (auto s = CheckNoDuplicate(*fresh,
                                    "This resident may already be registered. Pick the existing "
                                    "record (resident_id) or set confirm_new_resident.",
                                    "이미 등록된 주민일 수 있습니다. 기존 대상자를 선택하거나 "
                                    "다른 사람임을 확인해 주세요.");
          !s.ok()) {
        return std::move(s).error();
      }
    }
    if (!fresh->dong_id) {
      fresh->dong_id = dong;
    }
    auto created = p_.cases.CreateResident(*fresh);
    if (!created.ok()) {
      return std::move(created).error();
    }
    existing = std::move(*created);
    if (auto s = Record(actor, "create", "resident", Str(existing->id)); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (existing) {
    c.resident_id = existing->id;
  }
  auto notifications = PlanCaseNotifications(nullptr, file, now);
  if (c.channel == Channel::kAutomatedCheckIn && c.urgency == Urgency::kCrisis) {
    if (auto s = AlertSupervisors(c.dong_id, notifications); !s.ok()) {
      return std::move(s).error();
    }
  }
  auto stored = p_.cases.CreateCase(file, std::move(events), std::move(notifications));
  if (!stored.ok()) {
    return std::move(stored).error();
  }
  if (auto s = Record(actor, "create", "case", Str(stored->c.id)); !s.ok()) {
    return std::move(s).error();
  }
  RecordTriageCorrection(stored->c);
  return View(actor, std::move(*stored));
}

void CaseService::RecordTriageCorrection(const Case& c) {
  if (p_.triage == nullptr || c.summary.empty()) {
    return;
  }
  const auto assessed = p_.triage->Current()->Assess(c.summary);
  const std::string chosen = c.primary_category.substr(0, c.primary_category.find('.'));
  if (!assessed.ok() || assessed->categories.empty() ||
      assessed->categories.front().code == chosen) {
    return;
  }
  // Best effort: a training example that could not be stored is no reason to refuse the intake
  // that has been stored already.
  (void)p_.cases.RecordTriageCorrection(
      district_, {c.id, chosen, assessed->categories.front().code, c.summary});
}

// --- Reading -----------------------------------------------------------------------------

Result<CaseView> CaseService::GetCase(const Actor& actor, CaseId id) {
  auto file = Load(actor, id, Action::kViewCase);
  if (!file.ok()) {
    return std::move(file).error();
  }
  // Reads outside the own dong (shared cases) are allowed, and flagged for the monthly review.
  const bool outside = actor.dong_id && *actor.dong_id != file->c.dong_id;
  if (auto s = Record(actor, "read", "case", Str(id), outside ? std::string(kOutsideOwnDong) : "");
      !s.ok()) {
    return std::move(s).error();
  }
  return View(actor, std::move(*file));
}

Result<std::vector<CaseEvent>> CaseService::Timeline(const Actor& actor, CaseId id) {
  auto file = Load(actor, id, Action::kViewCase);
  if (!file.ok()) {
    return std::move(file).error();
  }
  return p_.cases.ListEvents(district_, id);
}

// --- Changing a case ------------------------------------------------------------------

Result<CaseView> CaseService::Update(const Actor& actor, CaseId id, const CasePatch& patch,
                                     std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  std::optional<Urgency> urgency;
  if (patch.urgency) {
    urgency = ParseField<Urgency>(v, "urgency", *patch.urgency);
  }
  if (patch.summary) {
    RequireText(v, "summary", *patch.summary, kMaxSummaryChars, true);
  }
  if (patch.shared_with && patch.shared_with->size() > kMaxShares) {
    v.push_back({"shared_with", "too_many", "At most 20 people.", "20명까지 공유할 수 있습니다."});
  }
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  if (patch.counselor_id) {
    if (auto s = CheckAssignee(*patch.counselor_id, "counselor_id", std::nullopt); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (patch.shared_with) {
    for (std::size_t i = 0; i < patch.shared_with->size(); ++i) {
      if (auto s = CheckAssignee((*patch.shared_with)[i], "shared_with[" + std::to_string(i) + "]",
                                 std::nullopt);
          !s.ok()) {
        return std::move(s).error();
      }
    }
  }
  return Mutate(
      actor, id, Action::kWorkCase, if_match,
      [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
        Case& c = file.c;
        std::string changed;
        auto note = [&changed](std::string_view f) {
          changed += (changed.empty() ? "" : ",") + std::string(f);
        };
        if (patch.primary_category || patch.secondary_categories) {
          const auto primary = patch.primary_category.value_or(c.primary_category);
          const auto secondary = patch.secondary_categories.value_or(c.secondary_categories);
          if (auto s = CheckCategories(primary, secondary); !s.ok()) {
            return s;
          }
          c.primary_category = primary;
          c.secondary_categories = secondary;
          note("categories");
        }
        if (urgency && *urgency != c.urgency) {
          events.push_back(Event(actor, "urgency_changed",
                                 JsonOf({{"from", std::string(Code(c.urgency))},
                                         {"to", std::string(Code(*urgency))}})));
          c.urgency = *urgency;
        }
        if (patch.summary) {
          c.summary = std::string(Trim(*patch.summary));
          note("summary");
        }
        if (patch.counselor_id && *patch.counselor_id != c.counselor_id) {
          events.push_back(
              Event(actor, "reassigned",
                    JsonOf({{"from", Str(c.counselor_id)}, {"to", Str(*patch.counselor_id)}})));
          c.counselor_id = *patch.counselor_id;
        }
        if (patch.shared_with) {
          c.shared_with = *patch.shared_with;
          note("shared_with");
        }
        if (patch.waiting_on_resident && *patch.waiting_on_resident != c.waiting_on_resident) {
          const auto today = FormatDate(KstDate(p_.clock.Now()));
          if (*patch.waiting_on_resident) {
            c.clock_pauses.emplace_back(today, "");
          } else if (!c.clock_pauses.empty()) {
            c.clock_pauses.back().second = today;
          }
          c.waiting_on_resident = *patch.waiting_on_resident;
          events.push_back(Event(actor, c.waiting_on_resident ? "clock_paused" : "clock_resumed"));
        }
        if (!changed.empty()) {
          events.push_back(Event(actor, "updated", JsonOf({{"fields", changed}})));
        }
        return {};
      });
}

Result<CaseView> CaseService::AddConsultation(const Actor& actor, CaseId id,
                                              const ConsultationInput& input,
                                              std::optional<FollowUpInput> next,
                                              std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  const auto kind = ParseField<ConsultationKind>(v, "kind", input.kind);
  RequireText(v, "notes", input.notes, kMaxNoteChars, true);
  RequireText(v, "outcome", input.outcome, kMaxSummaryChars, false);
  RequireText(v, "answer", input.answer, kMaxSummaryChars, false);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return Mutate(
      actor, id, Action::kWorkCase, if_match,
      [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
        if (!file.c.IsOpen()) {
          return RuleError("case_not_open", "Reopen the case before adding a consultation.",
                           "상담을 추가하려면 먼저 상담 건을 다시 열어 주세요.");
        }
        Consultation k;
        k.case_id = file.c.id;
        k.counselor_id = actor.user_id;
        k.at = p_.clock.Now();
        k.kind = *kind;
        k.notes = std::string(Trim(input.notes));
        k.outcome = std::string(Trim(input.outcome));
        k.answer = std::string(Trim(input.answer));
        const bool answered = !k.answer.empty();
        file.consultations.push_back(std::move(k));
        events.push_back(Event(actor, "consultation_added",
                               answered ? JsonOf({{"kind", std::string(Code(*kind))},
                                                  {"answered", "true"}})
                                        : JsonOf({{"kind", std::string(Code(*kind))}})));
        if (file.c.status == CaseStatus::kReceived) {
          if (auto s = MoveTo(file, CaseStatus::kInConsultation, actor, events); !s.ok()) {
            return s;
          }
        }
        if (next) {
          auto f = MakeFollowUp(actor, file, *next, "next", *calendar);
          if (!f.ok()) {
            return std::move(f).error();
          }
          events.push_back(Event(
              actor, "follow_up_scheduled",
              JsonOf({{"kind", std::string(Code(f->kind))}, {"owner_id", Str(f->owner_id)}})));
          file.follow_ups.push_back(std::move(*f));
        }
        return {};
      });
}

Result<CaseView> CaseService::Refer(const Actor& actor, CaseId id, const ReferralInput& input,
                                    std::optional<std::int64_t> if_match) {
  return Mutate(
      actor, id, Action::kWorkCase, if_match,
      [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
        if (!file.c.IsOpen()) {
          return RuleError("case_not_open", "Reopen the case before referring it.",
                           "연계하려면 먼저 상담 건을 다시 열어 주세요.");
        }
        auto r = MakeReferral(actor, input, "");
        if (!r.ok()) {
          auto e = std::move(r).error();
          for (auto& d : e.details) {
            if (!d.field.empty() && d.field[0] == '.') {
              d.field.erase(0, 1);
            }
          }
          return e;
        }
        r->case_id = file.c.id;
        events.push_back(Event(actor, "referral_sent", JsonOf({{"agency_id", Str(r->agency_id)}})));
        file.referrals.push_back(std::move(*r));
        if (file.c.status != CaseStatus::kCaseManagement) {
          return MoveTo(file, CaseStatus::kReferred, actor, events);
        }
        return {};
      });
}

Result<CaseView> CaseService::ScheduleFollowUp(const Actor& actor, CaseId id,
                                               const FollowUpInput& input,
                                               std::optional<std::int64_t> if_match) {
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return Mutate(actor, id, Action::kWorkCase, if_match,
                [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
                  if (file.c.status == CaseStatus::kClosed) {
                    return RuleError("case_not_open", "Reopen the case first.",
                                     "먼저 상담 건을 다시 열어 주세요.");
                  }
                  auto f = MakeFollowUp(actor, file, input, "", *calendar);
                  if (!f.ok()) {
                    auto e = std::move(f).error();
                    for (auto& d : e.details) {
                      if (!d.field.empty() && d.field[0] == '.') {
                        d.field.erase(0, 1);
                      }
                    }
                    return e;
                  }
                  events.push_back(Event(actor, "follow_up_scheduled",
                                         JsonOf({{"kind", std::string(Code(f->kind))},
                                                 {"owner_id", Str(f->owner_id)}})));
                  file.follow_ups.push_back(std::move(*f));
                  return {};
                });
}

Result<CaseView> CaseService::RecordFollowUpResult(const Actor& actor, FollowUpId id,
                                                   const FollowUpResultInput& input) {
  std::vector<FieldViolation> v;
  const auto result = ParseField<FollowUpResult>(v, "result", input.result);
  RequireText(v, "note", input.note, kMaxNoteChars, false);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  if (const auto d = Authorize(actor, Action::kWorkCase); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto case_id = p_.cases.CaseOfFollowUp(district_, id);
  if (!case_id.ok()) {
    return std::move(case_id).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return Mutate(
      actor, *case_id, Action::kWorkCase, std::nullopt,
      [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
        const auto now = p_.clock.Now();
        auto it = std::find_if(file.follow_ups.begin(), file.follow_ups.end(),
                               [id](const FollowUp& f) { return f.id == id; });
        if (it == file.follow_ups.end()) {
          return Error::NotFound("Follow-up", "사후관리");
        }
        if (!it->IsOpen()) {
          return Error::Make(ErrorCode::kConflict, "This follow-up already has a result.",
                             "이미 결과가 기록된 사후관리입니다.");
        }
        // Two consecutive missed welfare checks: the previous done check, before this one.
        const FollowUp* previous_check = nullptr;
        for (const auto& f : file.follow_ups) {
          if (f.id != id && f.kind == FollowUpKind::kWelfareCheck &&
              f.status == FollowUpStatus::kDone &&
              (previous_check == nullptr || f.done_at > previous_check->done_at)) {
            previous_check = &f;
          }
        }
        const bool second_miss =
            it->kind == FollowUpKind::kWelfareCheck && *result == FollowUpResult::kNotReached &&
            previous_check != nullptr && previous_check->result == FollowUpResult::kNotReached;
        it->status = FollowUpStatus::kDone;
        it->result = *result;
        it->note = std::string(Trim(input.note));
        it->done_at = now;
        it->done_by = actor.user_id;
        const FollowUp done = *it;  // `it` dies when follow_ups grows
        events.push_back(Event(actor, "follow_up_done",
                               JsonOf({{"follow_up_id", Str(id)},
                                       {"kind", std::string(Code(done.kind))},
                                       {"result", std::string(Code(*result))}})));
        auto raise_urgency = [&] {
          if (file.c.urgency == Urgency::kNormal) {
            events.push_back(
                Event(actor, "urgency_changed", JsonOf({{"from", "normal"}, {"to", "urgent"}})));
            file.c.urgency = Urgency::kUrgent;
          }
        };
        if (second_miss) {
          raise_urgency();
          FollowUp visit;
          visit.case_id = file.c.id;
          visit.kind = FollowUpKind::kHomeVisit;
          visit.due_at = EndOfKstOfficeDay(
              calendar->AddWorkingDays(KstDate(now), kMissedCheckVisitWorkingDays));
          visit.owner_id = done.owner_id;
          visit.created_at = now;
          file.follow_ups.push_back(visit);
          events.push_back(
              Event(actor, "missed_checks_escalated",
                    JsonOf({{"action", "home_visit"}, {"owner_id", Str(done.owner_id)}})));
        }
        if (*result == FollowUpResult::kNeedsEscalation) {
          raise_urgency();
        }
        if (ConfirmsResolution(done)) {
          events.push_back(Event(actor, "resolution_confirmed"));
        }
        if (done.recurrence_days > 0 && *result != FollowUpResult::kResolved && file.c.IsOpen()) {
          FollowUp again = done;
          again.id = 0;
          again.status = FollowUpStatus::kOpen;
          again.result.reset();
          again.note.clear();
          again.done_at.reset();
          again.done_by = 0;
          again.created_at = now;
          const auto step = std::chrono::hours(24 * done.recurrence_days);
          again.due_at = done.due_at + step;
          while (again.due_at <= now) {
            again.due_at += step;
          }
          events.push_back(Event(actor, "follow_up_scheduled",
                                 JsonOf({{"kind", std::string(Code(again.kind))},
                                         {"owner_id", Str(again.owner_id)},
                                         {"recurring", Str(done.recurrence_days)}})));
          file.follow_ups.push_back(std::move(again));
        }
        if (input.next) {
          auto f = MakeFollowUp(actor, file, *input.next, "next", *calendar);
          if (!f.ok()) {
            return std::move(f).error();
          }
          events.push_back(Event(
              actor, "follow_up_scheduled",
              JsonOf({{"kind", std::string(Code(f->kind))}, {"owner_id", Str(f->owner_id)}})));
          file.follow_ups.push_back(std::move(*f));
        }
        return {};
      });
}

Result<CaseView> CaseService::Transition(const Actor& actor, CaseId id, const std::string& to,
                                         const std::string& note,
                                         std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  const auto target = ParseField<CaseStatus>(v, "status", to);
  RequireText(v, "note", note, kMaxReasonChars, false);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  if (*target == CaseStatus::kResolved || *target == CaseStatus::kClosed ||
      *target == CaseStatus::kCaseManagement || *target == CaseStatus::kReferred) {
    return RuleError("use_dedicated_operation",
                     "Use resolve, close, escalate or refer for this status: they need more "
                     "information.",
                     "이 상태는 해결·종결·사례관리 의뢰·연계 기능으로만 바꿀 수 있습니다.");
  }
  return Mutate(actor, id, Action::kWorkCase, if_match,
                [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
                  const auto from = file.c.status;
                  if (from == CaseStatus::kResolved || from == CaseStatus::kClosed) {
                    if (auto s = CheckTransition(from, *target); !s.ok()) {
                      return s;
                    }
                    return RuleError("use_dedicated_operation",
                                     "Use reopen (with a reason and a next step).",
                                     "다시 열기 기능을 사용해 주세요(사유와 다음 조치 필요).");
                  }
                  return MoveTo(file, *target, actor, events);
                });
}

Result<CaseView> CaseService::Escalate(const Actor& actor, CaseId id, UserId case_manager,
                                       const std::string& reason,
                                       std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  RequireText(v, "reason", reason, kMaxReasonChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  if (auto s = CheckAssignee(case_manager, "case_manager_id", Role::kCaseManager); !s.ok()) {
    return std::move(s).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return Mutate(actor, id, Action::kWorkCase, if_match,
                [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
                  if (auto s = MoveTo(file, CaseStatus::kCaseManagement, actor, events); !s.ok()) {
                    return s;
                  }
                  file.c.case_manager_id = case_manager;
                  FollowUp f;
                  f.case_id = file.c.id;
                  f.kind = FollowUpKind::kAssessment;
                  f.owner_id = case_manager;
                  f.due_at = EndOfKstOfficeDay(
                      calendar->AddWorkingDays(KstDate(p_.clock.Now()), kAssessmentWorkingDays));
                  f.note = std::string(Trim(reason));
                  f.created_at = p_.clock.Now();
                  file.follow_ups.push_back(std::move(f));
                  events.push_back(
                      Event(actor, "escalated", JsonOf({{"case_manager_id", Str(case_manager)}})));
                  return {};
                });
}

Result<CaseView> CaseService::Resolve(const Actor& actor, CaseId id,
                                      const std::string& resolution_note,
                                      std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  RequireText(v, "resolution_note", resolution_note, kMaxSummaryChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return Mutate(
      actor, id, Action::kWorkCase, if_match,
      [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
        if (auto s = CheckTransition(file.c.status, CaseStatus::kResolved); !s.ok()) {
          return s;
        }
        if (std::any_of(file.referrals.begin(), file.referrals.end(),
                        [](const Referral& r) { return r.IsOpen(); })) {
          return RuleError(
              "open_referrals",
              "A referral is still open: wait for the agency's answer or cancel it "
              "before resolving.",
              "아직 진행 중인 연계가 있습니다. 기관의 회신을 받은 뒤 해결 처리해 주세요.");
        }
        const auto now = p_.clock.Now();
        CancelOpenFollowUps(file, actor.user_id, now);
        file.c.resolution_note = std::string(Trim(resolution_note));
        file.c.resolved_at = now;
        if (auto s = MoveTo(file, CaseStatus::kResolved, actor, events); !s.ok()) {
          return s;
        }
        // An agency's "done" is not the resident's "solved": confirm with the resident.
        FollowUp check;
        check.case_id = file.c.id;
        check.kind = FollowUpKind::kResolutionCheck;
        check.owner_id = file.c.counselor_id;
        check.due_at =
            EndOfKstOfficeDay(calendar->AddWorkingDays(KstDate(now), kResolutionCheckWorkingDays));
        check.created_at = now;
        file.follow_ups.push_back(std::move(check));
        events.push_back(Event(actor, "resolved"));
        return {};
      });
}

Result<CaseView> CaseService::Close(const Actor& actor, CaseId id,
                                    const std::string& unconfirmed_reason,
                                    std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  RequireText(v, "unconfirmed_reason", unconfirmed_reason, kMaxReasonChars, false);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  return Mutate(
      actor, id, Action::kWorkCase, if_match,
      [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
        if (auto s = CheckTransition(file.c.status, CaseStatus::kClosed); !s.ok()) {
          return s;
        }
        const bool confirmed =
            std::any_of(file.follow_ups.begin(), file.follow_ups.end(), [&](const FollowUp& f) {
              return ConfirmsResolution(f) && file.c.resolved_at && f.done_at >= file.c.resolved_at;
            });
        if (!confirmed && Trim(unconfirmed_reason).empty()) {
          return RuleError(
              "resolution_unconfirmed",
              "Confirm the resolution with the resident first (record the resolution "
              "check), or say why it could not be confirmed.",
              "먼저 주민에게 해결 여부를 확인해 주세요(해결 확인 결과 기록). 확인할 수 "
              "없었다면 그 사유를 적어 주세요.");
        }
        const auto now = p_.clock.Now();
        CancelOpenFollowUps(file, actor.user_id, now);
        file.c.close_note = confirmed ? "" : std::string(Trim(unconfirmed_reason));
        file.c.closed_at = now;
        if (auto s = MoveTo(file, CaseStatus::kClosed, actor, events); !s.ok()) {
          return s;
        }
        events.push_back(
            Event(actor, "closed", JsonOf({{"confirmed", confirmed ? "true" : "false"}})));
        return {};
      });
}

Result<CaseView> CaseService::Reopen(const Actor& actor, CaseId id, const std::string& reason,
                                     const FollowUpInput& next,
                                     std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  RequireText(v, "reason", reason, kMaxReasonChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return Mutate(actor, id, Action::kWorkCase, if_match,
                [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
                  if (file.c.IsOpen()) {
                    return CheckTransition(file.c.status, CaseStatus::kInConsultation).ok()
                               ? RuleError("case_open", "The case is open already.",
                                           "이미 진행 중인 상담 건입니다.")
                               : CheckTransition(file.c.status, CaseStatus::kInConsultation);
                  }
                  if (auto s = MoveTo(file, CaseStatus::kInConsultation, actor, events); !s.ok()) {
                    return s;
                  }
                  const auto now = p_.clock.Now();
                  CancelOpenFollowUps(file, actor.user_id, now);
                  file.c.resolved_at.reset();
                  file.c.closed_at.reset();
                  auto f = MakeFollowUp(actor, file, next, "next", *calendar);
                  if (!f.ok()) {
                    return std::move(f).error();
                  }
                  file.follow_ups.push_back(std::move(*f));
                  events.push_back(Event(actor, "reopened"));
                  return {};
                });
}

Result<CaseView> CaseService::ExtendDeadline(const Actor& actor, CaseId id,
                                             const std::string& reason,
                                             std::optional<std::int64_t> if_match) {
  std::vector<FieldViolation> v;
  RequireText(v, "reason", reason, kMaxReasonChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  return Mutate(actor, id, Action::kWorkCase, if_match,
                [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
                  if (file.c.deadline_extended) {
                    return Error::Make(ErrorCode::kConflict,
                                       "The answer deadline was extended once already.",
                                       "처리기한은 한 번만 연장할 수 있습니다.");
                  }
                  if (!file.c.IsOpen()) {
                    return RuleError("case_not_open", "The case is no longer open.",
                                     "이미 해결·종결된 상담 건입니다.");
                  }
                  file.c.deadline_extended = true;
                  events.push_back(Event(actor, "deadline_extended"));
                  return {};
                });
}

Result<CaseView> CaseService::RecordProgressNotice(const Actor& actor, CaseId id,
                                                   const std::string& how,
                                                   std::optional<std::int64_t> if_match) {
  constexpr std::array<std::string_view, 4> kHow = {"call", "message", "letter", "visit"};
  if (std::find(kHow.begin(), kHow.end(), how) == kHow.end()) {
    return Error::Validation({{"how", "invalid_choice", "Must be call, message, letter or visit.",
                               "call, message, letter, visit 중 하나여야 합니다."}});
  }
  return Mutate(actor, id, Action::kWorkCase, if_match,
                [&](CaseFile& file, std::vector<CaseEvent>& events) -> Status {
                  if (!file.c.IsOpen()) {
                    return RuleError("case_not_open", "The case is no longer open.",
                                     "이미 해결·종결된 상담 건입니다.");
                  }
                  file.c.progress_notice_on = FormatDate(KstDate(p_.clock.Now()));
                  events.push_back(Event(actor, "progress_notice_sent", JsonOf({{"how", how}})));
                  return {};
                });
}

// --- Referrals from the agency's side ---------------------------------------------------

Result<ReferralView> CaseService::ReferralViewOf(const CaseFile& file, const Referral& r,
                                                 const Agency& agency) {
  ReferralView view;
  view.referral = r;
  view.case_number = file.c.number;
  view.primary_category = file.c.primary_category;
  view.urgency = file.c.urgency;
  view.agency_name = agency.name;
  const auto until = ParseDate(r.consent.until);
  view.consent_active = until && KstDate(p_.clock.Now()) <= *until && !file.c.erased;
  if (!view.consent_active) {
    return view;
  }
  std::optional<Resident> resident;
  if (file.c.resident_id) {
    auto got = p_.cases.GetResident(district_, *file.c.resident_id);
    if (got.ok()) {
      resident = std::move(*got);
    } else if (got.error().code != ErrorCode::kNotFound) {
      return std::move(got).error();
    }
  }
  for (const auto& field : r.consent.scope) {
    if (field == "summary") {
      view.shared[field] = file.c.summary;
    } else if (resident && !resident->erased) {
      if (field == "name") {
        view.shared[field] = resident->name;
      } else if (field == "phone") {
        view.shared[field] = resident->phone;
      } else if (field == "address") {
        view.shared[field] = resident->address;
      } else if (field == "birth_date") {
        view.shared[field] = resident->birth_date;
      }
    }
  }
  return view;
}

Result<std::vector<ReferralView>> CaseService::ReferralInbox(const Actor& actor,
                                                             std::optional<ReferralStatus> status) {
  if (const auto d = Authorize(actor, Action::kRespondReferral); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (!actor.agency_id) {
    return std::vector<ReferralView>{};
  }
  constexpr int kInboxLimit = 100;
  auto referrals =
      p_.cases.ListReferralsForAgency(district_, *actor.agency_id, status, kInboxLimit);
  if (!referrals.ok()) {
    return std::move(referrals).error();
  }
  std::vector<ReferralView> out;
  for (const auto& r : *referrals) {
    auto file = p_.cases.GetCase(district_, r.case_id);
    if (!file.ok()) {
      return std::move(file).error();
    }
    // The inbox lists work, not people: personal data only in the detail view.
    ReferralView view;
    view.referral = r;
    view.referral.request_note.clear();
    view.case_number = file->c.number;
    view.primary_category = file->c.primary_category;
    view.urgency = file->c.urgency;
    const auto until = ParseDate(r.consent.until);
    view.consent_active = until && KstDate(p_.clock.Now()) <= *until && !file->c.erased;
    out.push_back(std::move(view));
  }
  return out;
}

Result<ReferralView> CaseService::RespondReferral(
    const Actor& actor, ReferralId id, const std::string& what,
    const std::function<Status(CaseFile&, Referral&, std::vector<CaseEvent>&)>& respond) {
  if (const auto d = Authorize(actor, Action::kRespondReferral); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto case_id = p_.cases.CaseOfReferral(district_, id);
  if (!case_id.ok()) {
    return std::move(case_id).error();
  }
  for (int attempt = 0;; ++attempt) {
    auto file = p_.cases.GetCase(district_, *case_id);
    if (!file.ok()) {
      return std::move(file).error();
    }
    auto it = std::find_if(file->referrals.begin(), file->referrals.end(),
                           [id](const Referral& r) { return r.id == id; });
    if (it == file->referrals.end()) {
      return Error::NotFound("Referral", "연계");
    }
    ResourceScope scope;
    scope.district_id = file->c.district_id;
    scope.agency_id = it->agency_id;
    if (const auto d = Authorize(actor, Action::kRespondReferral, scope); d != Decision::kAllow) {
      return DecisionError(d);
    }
    auto agency = p_.directory.GetAgency(district_, it->agency_id);
    if (!agency.ok()) {
      return std::move(agency).error();
    }
    const ReferralId rid = it->id;
    std::vector<CaseEvent> events;
    if (!what.empty()) {
      const CaseFile before = *file;
      if (auto s = respond(*file, *it, events); !s.ok()) {
        return std::move(s).error();
      }
      if (auto s = CheckNextStepRule(*file); !s.ok()) {
        return std::move(s).error();
      }
      auto saved = p_.cases.SaveCase(*file, file->c.version, std::move(events),
                                     PlanCaseNotifications(&before, *file, p_.clock.Now()));
      if (!saved.ok()) {
        if (saved.error().code == ErrorCode::kPreconditionFailed &&
            attempt + 1 < kMaxSaveAttempts) {
          continue;
        }
        return std::move(saved).error();
      }
      *file = std::move(*saved);
    }
    const auto found = std::find_if(file->referrals.begin(), file->referrals.end(),
                                    [rid](const Referral& r) { return r.id == rid; });
    if (found == file->referrals.end()) {
      return Error::Internal("referral vanished after save");
    }
    if (auto s = Record(actor, what.empty() ? "read" : what, "referral", Str(rid)); !s.ok()) {
      return std::move(s).error();
    }
    return ReferralViewOf(*file, *found, *agency);
  }
}

Result<ReferralView> CaseService::GetReferral(const Actor& actor, ReferralId id) {
  return RespondReferral(actor, id, "", {});
}

Result<ReferralView> CaseService::AcceptReferral(const Actor& actor, ReferralId id) {
  return RespondReferral(
      actor, id, "accept", [&](CaseFile&, Referral& r, std::vector<CaseEvent>& events) -> Status {
        if (r.status != ReferralStatus::kSent) {
          return Error::Make(ErrorCode::kConflict, "Only a sent referral can be accepted.",
                             "접수 대기 중인 연계만 수락할 수 있습니다.");
        }
        r.status = ReferralStatus::kAccepted;
        r.responded_at = p_.clock.Now();
        r.responded_by = actor.user_id;
        events.push_back(Event(actor, "referral_accepted", JsonOf({{"referral_id", Str(r.id)}})));
        return {};
      });
}

Result<ReferralView> CaseService::DeclineReferral(const Actor& actor, ReferralId id,
                                                  const std::string& reason_code,
                                                  const std::string& note) {
  std::vector<FieldViolation> v;
  const auto reason = ParseField<DeclineReason>(v, "reason", reason_code);
  RequireText(v, "note", note, kMaxReasonChars, reason == DeclineReason::kOther);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return RespondReferral(
      actor, id, "decline",
      [&](CaseFile& file, Referral& r, std::vector<CaseEvent>& events) -> Status {
        if (!r.IsOpen()) {
          return Error::Make(ErrorCode::kConflict, "This referral is no longer open.",
                             "이미 처리가 끝난 연계입니다.");
        }
        const auto now = p_.clock.Now();
        r.status = ReferralStatus::kDeclined;
        r.responded_at = now;
        r.responded_by = actor.user_id;
        r.decline_reason = *reason;
        r.decline_note = std::string(Trim(note));
        // Never into a void: the referring counselor gets a task to find another way.
        FollowUp relink;
        relink.case_id = file.c.id;
        relink.kind = FollowUpKind::kRelink;
        relink.owner_id = r.referred_by;
        relink.due_at =
            EndOfKstOfficeDay(calendar->AddWorkingDays(KstDate(now), kRelinkWorkingDays));
        relink.created_at = now;
        const auto referral_id = r.id;
        file.follow_ups.push_back(std::move(relink));
        events.push_back(Event(
            actor, "referral_declined",
            JsonOf({{"referral_id", Str(referral_id)}, {"reason", std::string(Code(*reason))}})));
        const bool others_open = std::any_of(file.referrals.begin(), file.referrals.end(),
                                             [](const Referral& x) { return x.IsOpen(); });
        if (!others_open && file.c.status == CaseStatus::kReferred) {
          return MoveTo(file, CaseStatus::kInConsultation, actor, events);
        }
        return {};
      });
}

Result<ReferralView> CaseService::CompleteReferral(const Actor& actor, ReferralId id,
                                                   const std::string& outcome) {
  std::vector<FieldViolation> v;
  RequireText(v, "outcome", outcome, kMaxSummaryChars, true);
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  auto calendar = Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }
  return RespondReferral(
      actor, id, "complete",
      [&](CaseFile& file, Referral& r, std::vector<CaseEvent>& events) -> Status {
        if (!r.IsOpen()) {
          return Error::Make(ErrorCode::kConflict, "This referral is no longer open.",
                             "이미 처리가 끝난 연계입니다.");
        }
        const auto now = p_.clock.Now();
        if (r.status == ReferralStatus::kSent) {
          r.responded_at = now;
          r.responded_by = actor.user_id;
        }
        r.status = ReferralStatus::kCompleted;
        r.completed_at = now;
        r.outcome = std::string(Trim(outcome));
        FollowUp check;
        check.case_id = file.c.id;
        check.kind = FollowUpKind::kResolutionCheck;
        check.owner_id = r.referred_by;
        check.due_at =
            EndOfKstOfficeDay(calendar->AddWorkingDays(KstDate(now), kResolutionCheckWorkingDays));
        check.created_at = now;
        const auto referral_id = r.id;
        file.follow_ups.push_back(std::move(check));
        events.push_back(
            Event(actor, "referral_completed", JsonOf({{"referral_id", Str(referral_id)}})));
        const bool others_open = std::any_of(file.referrals.begin(), file.referrals.end(),
                                             [](const Referral& x) { return x.IsOpen(); });
        if (!others_open && file.c.status == CaseStatus::kReferred) {
          return MoveTo(file, CaseStatus::kOngoing, actor, events);
        }
        return {};
      });
}

// --- Retention ------------------------------------------------------------------------

Result<int> CaseService::RunRetention(int years) {
  constexpr int kBatch = 200;
  constexpr double kDaysPerYear = 365.2425;
  const auto now = p_.clock.Now();
  const auto cutoff =
      now - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                std::chrono::duration<double, std::ratio<86400>>(kDaysPerYear * years));
  int total = 0;
  for (;;) {
    auto done = p_.cases.AnonymiseClosedCases(district_, cutoff, kBatch);
    if (!done.ok()) {
      return std::move(done).error();
    }
    total += *done;
    if (*done < kBatch) {
      break;
    }
  }
  if (total > 0) {
    AccessRecord r;
    r.at = now;
    r.role = "system";
    r.action = "anonymise";
    r.target_type = "case";
    r.target_id = Str(total);
    r.purpose = "retention: closed over " + Str(years) + " years ago";
    r.outcome = "allowed";
    if (auto appended = p_.access_log.Append(r); !appended.ok()) {
      return std::move(appended).error();
    }
  }
  return total;
}

// --- Lists --------------------------------------------------------------------------------

Result<std::vector<CaseSummary>> CaseService::List(const Actor& actor, CaseFilter filter) {
  if (const auto d = Authorize(actor, Action::kViewCases); d != Decision::kAllow) {
    return DecisionError(d);
  }
  filter.scope = ScopeOf(actor);
  filter.limit = std::clamp(filter.limit, 1, kMaxListLimit);
  auto items = p_.cases.ListCases(district_, filter);
  if (!items.ok()) {
    return std::move(items).error();
  }
  if (auto s = Record(actor, "list", "case", Str(static_cast<std::int64_t>(items->size())));
      !s.ok()) {
    return std::move(s).error();
  }
  return items;
}

Result<SearchResult> CaseService::Search(const Actor& actor, const std::string& query,
                                         CaseId before_id, int limit) {
  if (const auto d = Authorize(actor, Action::kViewCases); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (!IsValidUtf8(query) || !QueryIsSearchable(query)) {
    return Error::Validation({{"q", "too_short", "Search needs at least two characters.",
                               "검색어는 두 글자 이상이어야 합니다."}});
  }
  limit = std::clamp(limit, 1, kMaxListLimit);
  const auto terms = QueryTerms(query);
  const auto scope = ScopeOf(actor);
  SearchResult out;
  CaseId cursor = before_id;
  for (int round = 0; round < kSearchRounds && static_cast<int>(out.items.size()) < limit;
       ++round) {
    auto candidates = p_.cases.SearchCases(district_, scope, terms, cursor, limit * 2);
    if (!candidates.ok()) {
      return std::move(candidates).error();
    }
    for (const auto id : *candidates) {
      cursor = id;
      auto file = p_.cases.GetCase(district_, id);
      if (!file.ok()) {
        continue;  // erased or removed meanwhile
      }
      bool match = MatchesQuery(file->c.summary, query);
      for (const auto& k : file->consultations) {
        match = match || MatchesQuery(k.notes, query) || MatchesQuery(k.outcome, query);
      }
      if (!match) {
        continue;  // the bigrams were there, the phrase was not
      }
      out.items.push_back({file->c, file->NextStepDue()});
      if (static_cast<int>(out.items.size()) == limit) {
        out.next_before_id = id;
        break;
      }
    }
    if (static_cast<int>(candidates->size()) < limit * 2) {
      break;  // no more candidates
    }
    if (static_cast<int>(out.items.size()) < limit) {
      out.next_before_id = cursor;
    }
  }
  if (auto s = Record(actor, "search", "case", Str(static_cast<std::int64_t>(out.items.size())));
      !s.ok()) {
    return std::move(s).error();
  }
  return out;
}

Result<std::vector<CalendarEvent>> CaseService::WorkCalendar(const Actor& actor) {
  if (const auto d = Authorize(actor, Action::kViewCases); d != Decision::kAllow) {
    return DecisionError(d);
  }
  const auto now = p_.clock.Now();
  WorkFilter mine;
  mine.owner_id = actor.user_id;
  mine.due_before = now + std::chrono::days(kCalendarFeedDays);
  mine.limit = kCalendarFeedMaxItems;
  auto work = p_.cases.ListWork(district_, mine);
  if (!work.ok()) {
    return std::move(work).error();
  }
  auto agencies = p_.directory.ListAgencies(district_);
  if (!agencies.ok()) {
    return std::move(agencies).error();
  }
  return WorkCalendarEvents(*work, *agencies, now,
                            "district-" + std::to_string(district_) + ".caredesk");
}

Result<TodayView> CaseService::Today(const Actor& actor) {
  if (const auto d = Authorize(actor, Action::kViewCases); d != Decision::kAllow) {
    return DecisionError(d);
  }
  const auto now = p_.clock.Now();
  WorkFilter mine;
  mine.owner_id = actor.user_id;
  mine.due_before = EndOfKstOfficeDay(KstDate(now)) + 6h;  // anything due today, evening included
  auto work = p_.cases.ListWork(district_, mine);
  if (!work.ok()) {
    return std::move(work).error();
  }
  TodayView view;
  for (auto& item : *work) {
    (item.due_at < now ? view.overdue : view.due_today).push_back(std::move(item));
  }
  CaseFilter fresh;
  fresh.scope = ScopeOf(actor);
  fresh.status = CaseStatus::kReceived;
  fresh.dong_id = actor.dong_id;
  auto received = p_.cases.ListCases(district_, fresh);
  if (!received.ok()) {
    return std::move(received).error();
  }
  view.new_in_dong = std::move(*received);
  CaseFilter crisis;
  crisis.scope = ScopeOf(actor);
  crisis.open = true;
  crisis.urgency = Urgency::kCrisis;
  auto crises = p_.cases.ListCases(district_, crisis);
  if (!crises.ok()) {
    return std::move(crises).error();
  }
  view.crisis = std::move(*crises);
  if (auto s = Record(actor, "list", "today", ""); !s.ok()) {
    return std::move(s).error();
  }
  return view;
}

Result<std::vector<WorkItem>> CaseService::Overdue(const Actor& actor, std::optional<DongId> dong) {
  if (const auto d = Authorize(actor, Action::kViewCases); d != Decision::kAllow) {
    return DecisionError(d);
  }
  WorkFilter filter;
  filter.due_before = p_.clock.Now();
  const bool district_wide = actor.role == Role::kSupervisor && !actor.dong_id;
  if (district_wide) {
    filter.dong_id = dong;
  } else if (actor.dong_id) {
    if (dong && *dong != *actor.dong_id) {
      return DecisionError(Decision::kForbidden);
    }
    filter.dong_id = actor.dong_id;
  } else {
    filter.owner_id = actor.user_id;  // the district desk: their own items
  }
  return p_.cases.ListWork(district_, filter);
}

Result<FollowUpCalendarView> CaseService::FollowUpCalendar(const Actor& actor,
                                                           const FollowUpCalendarQuery& query) {
  if (const auto d = Authorize(actor, Action::kViewDongWork); d != Decision::kAllow) {
    return DecisionError(d);
  }
  std::vector<FieldViolation> v;
  auto date = [&v](const char* field, const std::string& text) -> std::optional<Date> {
    if (text.empty()) {
      v.push_back({field, "required", "Give a date as YYYY-MM-DD.",
                   "날짜를 YYYY-MM-DD 형식으로 입력해 주세요."});
      return std::nullopt;
    }
    auto parsed = ParseDate(text);
    if (!parsed) {
      v.push_back({field, "invalid_date", "Use a real date as YYYY-MM-DD.",
                   "날짜는 YYYY-MM-DD 형식의 올바른 날짜여야 합니다."});
    }
    return parsed;
  };
  const auto from = date("from", query.from);
  const auto to = date("to", query.to);
  if (from && to && *to < *from) {
    v.push_back({"to", "before_from", "The end date is before the start date.",
                 "끝 날짜가 시작 날짜보다 앞섭니다."});
  } else if (from && to && DaysBetween(*from, *to) + 1 > kMaxCalendarDays) {
    v.push_back({"to", "range_too_long", "Ask for at most 62 days at a time.",
                 "한 번에 62일까지만 조회할 수 있습니다."});
  }
  if (auto s = Violations(std::move(v)); !s.ok()) {
    return std::move(s).error();
  }
  if (query.dong_id) {
    ResourceScope scope;
    scope.district_id = district_;
    scope.dong_id = query.dong_id;
    if (const auto d = Authorize(actor, Action::kViewDongWork, scope); d != Decision::kAllow) {
      return DecisionError(d);
    }
  }
  // A KST day starts 18 hours before its office day ends (18:00 KST).
  constexpr auto kOfficeDayEnd = 18h;
  FollowUpDueFilter filter;
  filter.scope = ScopeOf(actor);
  filter.due_from = EndOfKstOfficeDay(*from) - kOfficeDayEnd;
  filter.due_to = EndOfKstOfficeDay(AddDays(*to, 1)) - kOfficeDayEnd;
  filter.dong_id = query.dong_id;
  filter.owner_id = query.counselor_id;
  filter.limit = kMaxCalendarItems + 1;
  auto due = p_.cases.ListFollowUpsDue(district_, filter);
  if (!due.ok()) {
    return std::move(due).error();
  }
  auto users = p_.users.List(district_);
  if (!users.ok()) {
    return std::move(users).error();
  }
  std::map<UserId, std::string> names;
  for (const auto& u : *users) {
    names.emplace(u.id, u.display_name);
  }
  FollowUpCalendarView view;
  view.from = *from;
  view.to = *to;
  view.truncated = static_cast<int>(due->size()) > kMaxCalendarItems;
  if (view.truncated) {
    due->resize(kMaxCalendarItems);
  }
  for (auto& f : *due) {
    const auto name = names.find(f.owner_id);
    view.items.push_back({std::move(f), name == names.end() ? "" : name->second});
  }
  if (auto s =
          Record(actor, "list", "follow_up", Str(static_cast<std::int64_t>(view.items.size())));
      !s.ok()) {
    return std::move(s).error();
  }
  return view;
}

Result<DashboardView> CaseService::Dashboard(const Actor& actor, const DashboardQuery& query) {
  if (const auto d = Authorize(actor, Action::kViewStats); d != Decision::kAllow) {
    return DecisionError(d);
  }
  if (query.weeks < 1 || query.weeks > kMaxDashboardWeeks) {
    return Error::Validation(
        {{"weeks", "out_of_range", "Must be between 1 and 104.", "1~104 사이여야 합니다."}});
  }
  // Without a dong: the district for those who see it, else the actor's own dong.
  std::optional<DongId> dong = query.dong_id;
  if (!dong && Authorize(actor, Action::kViewDistrictStats) != Decision::kAllow) {
    dong = actor.dong_id;
  }
  ResourceScope scope;
  scope.district_id = district_;
  scope.dong_id = dong;
  const auto action = dong ? Action::kViewStats : Action::kViewDistrictStats;
  if (const auto d = Authorize(actor, action, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  const auto now = p_.clock.Now();
  const Date today = KstDate(now);
  constexpr int kDaysPerWeek = 7;
  constexpr int kMonday = 1;
  const Date monday = AddDays(today, -((DayOfWeek(today) - kMonday + kDaysPerWeek) % kDaysPerWeek));
  const Date first = AddDays(monday, -kDaysPerWeek * (query.weeks - 1));
  constexpr auto kOfficeDayEnd = 18h;  // a KST day starts 18 hours before its office day ends
  CaseStatsFilter filter;
  filter.dong_id = dong;
  filter.now = now;
  filter.intake_from = EndOfKstOfficeDay(first) - kOfficeDayEnd;
  filter.weeks = query.weeks;
  auto stats = p_.cases.CountCases(district_, filter);
  if (!stats.ok()) {
    return std::move(stats).error();
  }

  DashboardView view;
  view.as_of = now;
  view.dong_id = dong;
  view.weeks = query.weeks;
  for (const auto status : AllValues<CaseStatus>()) {
    if (status == CaseStatus::kResolved || status == CaseStatus::kClosed) {
      continue;
    }
    std::int64_t count = 0;
    for (const auto& [s, n] : stats->open_by_status) {
      count += s == status ? n : 0;
    }
    view.open_by_status.emplace_back(status, count);
  }
  view.open_by_category = std::move(stats->open_by_category);
  if (!stats->overdue_by_owner.empty()) {
    auto users = p_.users.List(district_);
    if (!users.ok()) {
      return std::move(users).error();
    }
    std::map<UserId, std::string> names;
    for (const auto& u : *users) {
      names.emplace(u.id, u.display_name);
    }
    for (const auto& [owner, count] : stats->overdue_by_owner) {
      const auto name = names.find(owner);
      view.overdue_by_owner.push_back({owner, name == names.end() ? "" : name->second, count});
    }
  }
  for (int w = 0; w < query.weeks; ++w) {
    DashboardView::Week week;
    week.start = AddDays(first, kDaysPerWeek * w);
    for (const auto channel : AllValues<Channel>()) {
      std::int64_t count = 0;
      for (const auto& in : stats->intake) {
        count += in.week == w && in.channel == channel ? in.count : 0;
      }
      week.channels.emplace_back(channel, count);
    }
    view.intake.push_back(std::move(week));
  }
  return view;
}

// --- Saved case-list filters --------------------------------------------------------

Result<std::vector<SavedFilter>> CaseService::ListSavedFilters(const Actor& actor) {
  if (const auto d = Authorize(actor, Action::kManageSavedFilters); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return p_.cases.ListSavedFilters(district_, actor.user_id);
}

Result<SavedFilter> CaseService::SaveFilter(const Actor& actor, const std::string& name,
                                            const std::map<std::string, std::string>& query) {
  if (const auto d = Authorize(actor, Action::kManageSavedFilters); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto trimmed = ValidateSavedFilter(name, query);
  if (!trimmed.ok()) {
    return std::move(trimmed).error();
  }
  SavedFilter f;
  f.district_id = district_;
  f.owner_id = actor.user_id;
  f.name = std::move(*trimmed);
  f.query = query;
  f.created_at = p_.clock.Now();
  auto created = p_.cases.CreateSavedFilter(f, kMaxSavedFiltersPerUser);
  if (!created.ok() && created.error().code == ErrorCode::kConflict) {
    return RuleError("too_many_saved_filters",
                     "You can keep at most 50 saved filters. Delete one first.",
                     "저장한 조건은 50개까지 둘 수 있습니다. 하나를 지운 뒤 다시 저장해 주세요.");
  }
  return created;
}

Status CaseService::DeleteSavedFilter(const Actor& actor, SavedFilterId id) {
  if (const auto d = Authorize(actor, Action::kManageSavedFilters); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto f = p_.cases.GetSavedFilter(district_, id);
  if (!f.ok()) {
    return std::move(f).error();
  }
  ResourceScope scope;
  scope.district_id = f->district_id;
  scope.owner_id = f->owner_id;
  if (const auto d = Authorize(actor, Action::kManageSavedFilters, scope); d != Decision::kAllow) {
    // The same answer as for a missing id, so that other users' ids reveal nothing.
    return d == Decision::kHidden ? Error::NotFound("Saved filter", "저장한 조건")
                                  : DecisionError(d);
  }
  return p_.cases.DeleteSavedFilter(district_, id);
}

}  // namespace caredesk::core
