#include "core/portal_service.hpp"

#include <algorithm>

#include "core/duty.hpp"
#include "core/taxonomy.hpp"
#include "core/triage.hpp"

namespace caredesk::core {
namespace {

constexpr double kMinTriageScore = 0.2;  // below it "other": a counselor sorts it out
// A receipt's wrong guesses are forgotten a day after the last one.
constexpr std::chrono::hours kForgetFailuresAfter{24};

Error LookupNotFound() {
  return Error::Make(ErrorCode::kNotFound,
                     "No request matches this receipt number and these phone digits.",
                     "접수번호와 전화번호 뒷자리가 맞는 문의가 없습니다. 다시 확인해 주세요.");
}

Error LookupLocked(TimePoint now, TimePoint until) {
  const auto minutes =
      std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::minutes>(until - now).count());
  auto e = Error::Make(
      ErrorCode::kRateLimited,
      "Too many wrong tries for this receipt number. Try again in " + std::to_string(minutes) +
          " minutes, or call the community center.",
      "이 접수번호로 틀린 입력이 너무 많습니다. " + std::to_string(minutes) +
          "분 뒤에 다시 하시거나 주민센터에 전화해 주세요.");
  e.retry_after_seconds = static_cast<int>(
      std::max<std::int64_t>(1, std::chrono::ceil<std::chrono::seconds>(until - now).count()));
  return e;
}

}  // namespace

Result<PortalChoices> PortalService::Choices() {
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  PortalChoices out;
  out.district_name = district_name_;
  out.dongs = std::move(*dongs);
  std::sort(out.dongs.begin(), out.dongs.end(),
            [](const Dong& a, const Dong& b) { return a.name < b.name; });
  const auto categories = Categories();
  out.categories.assign(categories.begin(), categories.end());
  return out;
}

Result<std::string> PortalService::CategoryFor(const PortalSubmission& s) {
  if (!s.category.empty()) {
    if (!FindCategory(s.category)) {
      return Error::Validation({{"category", "unknown_category", "Unknown category.",
                                 "없는 분야입니다. 목록에서 골라 주세요."}});
    }
    return s.category;
  }
  if (p_.triage != nullptr) {
    if (const auto triage = p_.triage->Current()) {
      auto assessed = triage->Assess(s.text);
      if (assessed.ok() && !assessed->categories.empty() &&
          assessed->categories.front().score >= kMinTriageScore) {
        return assessed->categories.front().code;
      }
    }
  }
  return std::string("other");
}

Result<PortalReceipt> PortalService::Submit(const PortalRequest& request, const std::string& ip) {
  if (IsRobot(request)) {
    // Answered like a success, so that a robot learns nothing; nothing is stored.
    if (auto s = Record(ip, "portal_submit_robot", "", false); !s.ok()) {
      return std::move(s).error();
    }
    PortalReceipt robot;
    robot.accepted_as_robot = true;
    return robot;
  }
  auto submission = ValidatePortalRequest(request);
  if (!submission.ok()) {
    return std::move(submission).error();
  }
  const PortalSubmission& s = *submission;
  auto dongs = p_.directory.ListDongs(district_);
  if (!dongs.ok()) {
    return std::move(dongs).error();
  }
  const auto dong = std::find_if(dongs->begin(), dongs->end(),
                                 [&](const Dong& d) { return d.id == s.dong_id; });
  if (dong == dongs->end()) {
    return Error::Validation({{"dong_id", "unknown_dong", "Choose a dong of this district.",
                               "목록에 있는 동을 골라 주세요."}});
  }
  auto category = CategoryFor(s);
  if (!category.ok()) {
    return std::move(category).error();
  }
  auto owner = DutySupervisor(p_.users, district_, s.dong_id);
  if (!owner.ok()) {
    return std::move(owner).error();
  }
  const Actor actor = ActorOf(*owner, "portal:" + ip);
  auto calendar = p_.cases.Calendar();
  if (!calendar.ok()) {
    return std::move(calendar).error();
  }

  IntakeInput in;
  in.dong_id = s.dong_id;
  in.primary_category = *category;
  in.summary = PortalSummary(s);
  in.counselor_id = owner->id;
  FollowUpInput first;
  first.kind = "counseling";
  first.due.date = calendar->AddWorkingDays(KstDate(p_.clock.Now()), 1);
  first.owner_id = owner->id;
  first.note = PortalFollowUpNote(s);
  in.follow_up = first;
  if (s.kind == PortalKind::kAsk) {
    in.channel = "online";
    in.reporter.kind = "self";
    // The same name and phone: the resident we know. Their record is not changed from
    // here (an unsigned form must not rewrite anyone's contact preferences).
    auto matches = p_.case_records.FindResidentMatches(district_, s.name, "", s.phone);
    if (!matches.ok()) {
      return std::move(matches).error();
    }
    const auto same = std::find_if(matches->begin(), matches->end(), [&](const Resident& r) {
      return !r.erased && r.name == s.name && r.phone == s.phone;
    });
    if (same != matches->end()) {
      in.resident_id = same->id;
    } else {
      NewResident r;
      r.dong_id = s.dong_id;
      r.name = s.name;
      r.phone = s.phone;
      r.contact_by = !s.texts                                  ? ContactPreference::kNone
                     : s.contact_way == ContactWay::kAlimTalk ? ContactPreference::kAlimTalk
                                                              : ContactPreference::kSms;
      in.new_resident = r;
      in.confirm_new_resident = true;
    }
  } else {
    in.channel = "third_party";
    in.reporter.kind = "third_party";
    in.reporter.name = s.reporter_name.empty() ? "익명 신고자" : s.reporter_name;
    in.reporter.relation = s.relation.empty() ? "이웃" : s.relation;
    in.reporter.contact = s.reporter_phone;
  }
  auto created = p_.cases.Intake(actor, in);
  if (!created.ok()) {
    return std::move(created).error();
  }
  const Case& c = created->file.c;
  PortalReceipt out;
  out.receipt = c.number;
  out.received_on = c.received_on;
  if (const auto due = created->file.NextStepDue()) {
    out.next_step_on = KstDate(*due);
  }
  out.dong_name = dong->name;
  out.lookup_possible = s.kind == PortalKind::kAsk || !s.reporter_phone.empty();
  if (auto rec = Record(ip, "portal_submit", std::to_string(c.id), true); !rec.ok()) {
    return std::move(rec).error();
  }
  return out;
}

Result<PublicCaseView> PortalService::Lookup(const std::string& receipt, const std::string& last4,
                                             const std::string& ip) {
  std::vector<FieldViolation> v;
  const auto number = NormalizeReceipt(receipt);
  if (!number) {
    v.push_back({"receipt", "invalid_receipt", "Use the receipt number as sent, e.g. 2026-서교-000123.",
                 "접수번호를 2026-서교-000123과 같이 입력해 주세요."});
  }
  if (last4.size() != 4 || !std::all_of(last4.begin(), last4.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) != 0;
      })) {
    v.push_back({"phone_last4", "invalid_digits", "Enter the last four digits of the phone.",
                 "전화번호 마지막 네 자리 숫자를 입력해 주세요."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  const TimePoint now = p_.clock.Now();
  auto state = p_.throttle.Get(district_, *number);
  if (!state.ok()) {
    return std::move(state).error();
  }
  if (IsLocked(*state, now)) {
    if (auto s = Record(ip, "portal_lookup_locked", *number, false); !s.ok()) {
      return std::move(s).error();
    }
    return LookupLocked(now, *state->locked_until);
  }

  std::optional<CaseFile> file;
  std::string phone;
  auto id = p_.case_records.FindCaseByNumber(district_, *number);
  if (!id.ok() && id.error().code != ErrorCode::kNotFound) {
    return std::move(id).error();
  }
  if (id.ok()) {
    auto loaded = p_.case_records.GetCase(district_, *id);
    if (!loaded.ok()) {
      return std::move(loaded).error();
    }
    std::optional<Resident> resident;
    if (loaded->c.resident_id) {
      auto r = p_.case_records.GetResident(district_, *loaded->c.resident_id);
      if (!r.ok() && r.error().code != ErrorCode::kNotFound) {
        return std::move(r).error();
      }
      if (r.ok()) {
        resident = std::move(*r);
      }
    }
    if (!loaded->c.erased) {
      phone = LookupPhoneOf(loaded->c, resident);
    }
    file = std::move(*loaded);
  }
  if (!file || !Last4Matches(phone, last4)) {
    auto after = p_.throttle.RecordFailure(district_, *number, now, now - kForgetFailuresAfter);
    if (!after.ok()) {
      return std::move(after).error();
    }
    if (auto s = Record(ip, "portal_lookup_failed", *number, false); !s.ok()) {
      return std::move(s).error();
    }
    if (IsLocked(*after, now)) {
      return LookupLocked(now, *after->locked_until);
    }
    return LookupNotFound();
  }
  if (state->failures > 0) {
    if (auto s = p_.throttle.Clear(district_, *number); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (auto s = Record(ip, "portal_lookup", std::to_string(file->c.id), true); !s.ok()) {
    return std::move(s).error();
  }
  std::string dong_name;
  if (auto dongs = p_.directory.ListDongs(district_); dongs.ok()) {
    for (const auto& d : *dongs) {
      if (d.id == file->c.dong_id) {
        dong_name = d.name;
      }
    }
  }
  return PublicViewOf(*file, dong_name);
}

Status PortalService::Record(const std::string& ip, const std::string& action,
                             const std::string& target_id, bool allowed) {
  auto appended = p_.access_log.Append(CallerRecord(
      p_.clock.Now(), "public", ip, action,
      action.starts_with("portal_lookup") && !allowed ? "receipt" : "case", target_id, allowed));
  if (!appended.ok()) {
    return std::move(appended).error();
  }
  return {};
}

}  // namespace caredesk::core
