#include "core/checkin_service.hpp"

#include <algorithm>
#include <charconv>

#include "core/duty.hpp"
#include "core/text.hpp"

namespace caredesk::core {
namespace {

std::string SecretContext(CheckinDeviceId id) {
  return "checkin_device.secret:" + std::to_string(id);
}

int UrgencyRank(Urgency u) {
  switch (u) {
    case Urgency::kNormal:
      return 0;
    case Urgency::kUrgent:
      return 1;
    case Urgency::kCrisis:
      return 2;
  }
  return 0;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return s;
}

}  // namespace

Status CheckinService::AuthorizeResident(const Actor& actor, ResidentId resident, Action action) {
  auto r = p_.case_records.GetResident(district_, resident);
  if (!r.ok()) {
    return std::move(r).error();
  }
  // A resident outside the actor's reach reads exactly like one that does not exist; within
  // it, whoever may open the resident's cases may give them a device.
  ResourceScope scope;
  scope.district_id = r->district_id;
  scope.dong_id = r->dong_id;
  scope.involved_users = {0};
  if (Authorize(actor, Action::kViewResident, scope) != Decision::kAllow) {
    return Error::NotFound("Resident", "대상자");
  }
  if (const auto d = Authorize(actor, action, scope); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return {};
}

Result<RegisteredDevice> CheckinService::Register(const Actor& actor, ResidentId resident,
                                                  const NewCheckinDevice& input) {
  std::vector<FieldViolation> v;
  const std::string uid(Trim(input.device_uid));
  const std::string label(Trim(input.label));
  if (!IsValidDeviceUid(uid)) {
    v.push_back({"device_uid", "invalid",
                 "1 to 64 letters, digits or _ . : - (the id printed on the device).",
                 "기기 번호는 영문·숫자·_ . : - 로 1~64자입니다 (기기에 적힌 번호)."});
  }
  if (label.empty() || !IsValidUtf8(label) || CodePointCount(label) > kMaxDeviceLabelChars) {
    v.push_back({"label", label.empty() ? "required" : "too_long",
                 "Name the device (at most 100 characters), e.g. 거실 돌봄 로봇.",
                 "기기 이름을 100자 이내로 적어 주세요. 예: 거실 돌봄 로봇"});
  }
  if (!IsValidDeviceKind(input.kind)) {
    v.push_back({"kind", "invalid_choice", "Must be one of: robot, call_service, sensor.",
                 "다음 중 하나여야 합니다: robot, call_service, sensor."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  if (auto s = AuthorizeResident(actor, resident, Action::kCreateCase); !s.ok()) {
    return std::move(s).error();
  }
  CheckinDevice d;
  d.district_id = district_;
  d.resident_id = resident;
  d.owner_id = actor.user_id;
  d.device_uid = uid;
  d.label = label;
  d.kind = input.kind;
  d.created_at = p_.clock.Now();
  const std::string secret = p_.random.RandomHex(kDeviceSecretBytes);
  auto created = p_.devices.CreateDevice(
      d, [&](CheckinDeviceId id) { return p_.sealer.Seal(secret, SecretContext(id)); });
  if (!created.ok()) {
    return std::move(created).error();
  }
  if (auto a = p_.access_log.Append(AllowedRecord(actor, d.created_at, "create", "checkin_device",
                                                  std::to_string(created->id)));
      !a.ok()) {
    return std::move(a).error();
  }
  return RegisteredDevice{std::move(*created), secret};
}

Result<std::vector<CheckinDevice>> CheckinService::List(const Actor& actor, ResidentId resident) {
  if (auto s = AuthorizeResident(actor, resident, Action::kCreateCase); !s.ok()) {
    return std::move(s).error();
  }
  return p_.devices.ListDevices(district_, resident);
}

Result<CheckinDevice> CheckinService::Deactivate(const Actor& actor, CheckinDeviceId id) {
  auto d = p_.devices.GetDevice(district_, id);
  if (!d.ok()) {
    return std::move(d).error();
  }
  if (auto s = AuthorizeResident(actor, d->resident_id, Action::kCreateCase); !s.ok()) {
    return std::move(s).error();
  }
  return p_.devices.SetActive(district_, id, false);
}

Error CheckinService::Refuse(const SignedCheckin& report, ErrorCode code, const std::string& reason,
                             const std::string& message, const std::string& message_ko) {
  // Only a well-formed uid is written down: a header of arbitrary bytes is not valid text for
  // the database (PostgreSQL refuses invalid UTF-8) and must not turn a refusal into a 500.
  AccessRecord r = CallerRecord(
      p_.clock.Now(), "device", report.ip, "checkin_rejected", "checkin_device",
      IsValidDeviceUid(report.device_uid) ? report.device_uid : "(malformed)", false);
  r.purpose = reason;
  auto e = Error::Make(code, message, message_ko,
                       "check-in refused: " + reason + " device=" + r.target_id);
  e.details.push_back({"", reason, message, message_ko});
  if (auto a = p_.access_log.Append(r); !a.ok()) {
    return std::move(a).error();  // not even the refusal could be kept: say so
  }
  return e;
}

Result<CheckinOutcome> CheckinService::Receive(const SignedCheckin& report) {
  const auto now = p_.clock.Now();
  const auto unauthenticated = [&](const std::string& reason, const std::string& en,
                                   const std::string& ko) {
    return Refuse(report, ErrorCode::kUnauthenticated, reason, en, ko);
  };
  if (!IsValidDeviceUid(report.device_uid) || !IsValidNonce(report.nonce)) {
    return unauthenticated("malformed", "Missing or malformed X-Device-Id or X-Nonce.",
                           "X-Device-Id 또는 X-Nonce 헤더가 없거나 형식이 틀립니다.");
  }
  std::int64_t ts = 0;
  const auto* end = report.timestamp.data() + report.timestamp.size();
  const auto [ptr, ec] = std::from_chars(report.timestamp.data(), end, ts);
  // Bounded before it becomes a time point: seconds far out of range would overflow the
  // clock's nanoseconds.
  constexpr std::int64_t kLatestPlausible = 32'503'680'000;  // 3000-01-01
  const bool parsed = ec == std::errc() && ptr == end && !report.timestamp.empty() && ts > 0 &&
                      ts < kLatestPlausible;
  const auto signed_at = TimePoint{} + std::chrono::seconds(parsed ? ts : 0);
  if (!parsed || signed_at < now - kCheckinClockSkew || signed_at > now + kCheckinClockSkew) {
    return unauthenticated("stale_request",
                           "X-Timestamp must be the Unix time within 5 minutes of the server's.",
                           "X-Timestamp는 서버 시각과 5분 이내인 유닉스 시각이어야 합니다.");
  }
  auto found = p_.devices.FindDevice(district_, report.device_uid);
  if (!found.ok()) {
    if (found.error().code != ErrorCode::kNotFound) {
      return std::move(found).error();
    }
    return unauthenticated("unknown_device", "No such device is registered.",
                           "등록되지 않은 기기입니다.");
  }
  const CheckinDevice& device = found->device;
  auto secret = p_.sealer.Open(found->secret_sealed, SecretContext(device.id));
  if (!secret.ok()) {
    return Error::Internal("the secret of device " + std::to_string(device.id) +
                           " cannot be opened: " + secret.error().internal_detail);
  }
  const Bytes key(secret->begin(), secret->end());
  if (!p_.digester.HmacSha256Matches(
          key, CheckinSigningString(report.timestamp, report.nonce, report.body),
          Lower(report.signature))) {
    return unauthenticated("bad_signature", "The signature does not match.",
                           "서명이 맞지 않습니다.");
  }
  if (!device.active) {
    return unauthenticated("inactive_device", "This device was deactivated.",
                           "사용이 중지된 기기입니다.");
  }
  if (report.body_error) {
    return *report.body_error;
  }
  const auto result = Parse<CheckinResult>(report.result);
  if (!result) {
    return Error::Validation({{"result", "invalid_choice",
                               "Must be one of: responded, no_response, emergency_button, "
                               "abnormal_activity.",
                               "다음 중 하나여야 합니다: responded, no_response, "
                               "emergency_button, abnormal_activity."}});
  }
  auto recorded = p_.devices.RecordCheckin(device.id, report.nonce, *result,
                                           report.observed_at.value_or(signed_at), now);
  if (!recorded.ok()) {
    if (recorded.error().code != ErrorCode::kConflict) {
      return std::move(recorded).error();
    }
    return Refuse(report, ErrorCode::kConflict, "replayed",
                  "This signed request was received before (replayed).",
                  "이미 받은 요청입니다 (재전송).");
  }
  CheckinOutcome out;
  out.device = std::move(*recorded);
  bool open_case = false;
  if (out.device.open_case) {
    auto c = p_.case_records.GetCase(district_, *out.device.open_case);
    if (!c.ok() && c.error().code != ErrorCode::kNotFound) {
      return std::move(c).error();
    }
    open_case = c.ok() && c->c.IsOpen();
  }
  out.decision = DecideCheckin(*result, out.device.missed_in_a_row, open_case);
  if (out.decision.escalate) {
    auto escalated = Escalate(out.device, out.decision);
    if (!escalated.ok()) {
      // The check-in is kept; the work could not be opened. Loudly: the caller logs an error
      // and the device is told, so it can raise its own alarm.
      return std::move(escalated).error();
    }
    out.case_id = escalated->first;
    out.new_case = escalated->second;
    out.device.open_case = out.case_id;
  }
  return out;
}

Result<std::pair<CaseId, bool>> CheckinService::Escalate(const CheckinDevice& device,
                                                         const CheckinDecision& decision) {
  // The follow-ups are for the staff member who registered the device; if that account is
  // gone, for an active supervisor of the resident's dong (or of the district).
  auto owner = p_.users.Get(device.owner_id);
  auto resident = p_.case_records.GetResident(district_, device.resident_id);
  if (!resident.ok()) {
    return std::move(resident).error();
  }
  if (!owner.ok() || !owner->active) {
    owner = DutySupervisor(p_.users, district_, resident->dong_id);
    if (!owner.ok()) {
      return Error::Internal("check-in escalation of device " + std::to_string(device.id) +
                             ": its owner is inactive and no supervisor is active");
    }
  }
  const Actor actor = ActorOf(*owner, "device:" + device.device_uid);
  FollowUpInput follow_up;
  follow_up.kind = std::string(Code(decision.follow_up));
  // An emergency visit within the hour; the others today, by the end of the office day.
  if (decision.urgency == Urgency::kCrisis) {
    follow_up.due.at = p_.clock.Now() + kEmergencyVisitWithin;
  } else {
    follow_up.due.date = KstDate(p_.clock.Now());
  }
  follow_up.owner_id = owner->id;
  follow_up.note = decision.reason_ko;

  if (device.open_case) {
    auto open = p_.cases.GetCase(actor, *device.open_case);
    if (open.ok() && open->file.c.IsOpen()) {
      auto scheduled = p_.cases.ScheduleFollowUp(actor, *device.open_case, follow_up, std::nullopt);
      if (!scheduled.ok()) {
        return std::move(scheduled).error();
      }
      if (UrgencyRank(scheduled->file.c.urgency) < UrgencyRank(decision.urgency)) {
        CasePatch raise;
        raise.urgency = std::string(Code(decision.urgency));
        if (auto u = p_.cases.Update(actor, *device.open_case, raise, std::nullopt); !u.ok()) {
          return std::move(u).error();
        }
      }
      return std::make_pair(*device.open_case, false);
    }
  }
  IntakeInput in;
  in.channel = "automated_check_in";
  in.reporter = {"third_party", device.label, "안부 확인 기기", device.device_uid};
  in.resident_id = device.resident_id;
  in.primary_category = "welfare";
  in.urgency = std::string(Code(decision.urgency));
  in.summary = "안부 확인 기기 '" + device.label + "': " + decision.reason_ko + ".";
  in.follow_up = follow_up;
  in.counselor_id = owner->id;
  auto created = p_.cases.Intake(actor, in);
  if (!created.ok()) {
    return std::move(created).error();
  }
  const CaseId id = created->file.c.id;
  if (auto s = p_.devices.SetOpenCase(device.id, id); !s.ok()) {
    return std::move(s).error();
  }
  return std::make_pair(id, true);
}

}  // namespace caredesk::core
