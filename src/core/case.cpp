#include "core/case.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <utility>

#include "core/text.hpp"

namespace caredesk::core {
namespace {

template <typename T>
struct Named {
  T value;
  std::string_view code;
};

constexpr std::array kChannels = {
    Named<Channel>{Channel::kVisit, "visit"},
    Named<Channel>{Channel::kPhone, "phone"},
    Named<Channel>{Channel::kOnline, "online"},
    Named<Channel>{Channel::kThirdParty, "third_party"},
    Named<Channel>{Channel::kOutreach, "outreach"},
    Named<Channel>{Channel::kAutomatedCheckIn, "automated_check_in"},
};
constexpr std::array kUrgencies = {
    Named<Urgency>{Urgency::kNormal, "normal"},
    Named<Urgency>{Urgency::kUrgent, "urgent"},
    Named<Urgency>{Urgency::kCrisis, "crisis"},
};
constexpr std::array kStatuses = {
    Named<CaseStatus>{CaseStatus::kReceived, "received"},
    Named<CaseStatus>{CaseStatus::kInConsultation, "in_consultation"},
    Named<CaseStatus>{CaseStatus::kReferred, "referred"},
    Named<CaseStatus>{CaseStatus::kOngoing, "ongoing"},
    Named<CaseStatus>{CaseStatus::kCaseManagement, "case_management"},
    Named<CaseStatus>{CaseStatus::kResolved, "resolved"},
    Named<CaseStatus>{CaseStatus::kClosed, "closed"},
};
constexpr std::array kConsultationKinds = {
    Named<ConsultationKind>{ConsultationKind::kVisit, "visit"},
    Named<ConsultationKind>{ConsultationKind::kCall, "call"},
    Named<ConsultationKind>{ConsultationKind::kMessage, "message"},
    Named<ConsultationKind>{ConsultationKind::kHomeVisit, "home_visit"},
};
constexpr std::array kFollowUpKinds = {
    Named<FollowUpKind>{FollowUpKind::kCounseling, "counseling"},
    Named<FollowUpKind>{FollowUpKind::kWelfareCheck, "welfare_check"},
    Named<FollowUpKind>{FollowUpKind::kHomeVisit, "home_visit"},
    Named<FollowUpKind>{FollowUpKind::kResolutionCheck, "resolution_check"},
    Named<FollowUpKind>{FollowUpKind::kRelink, "relink"},
    Named<FollowUpKind>{FollowUpKind::kAssessment, "assessment"},
};
constexpr std::array kFollowUpStatuses = {
    Named<FollowUpStatus>{FollowUpStatus::kOpen, "open"},
    Named<FollowUpStatus>{FollowUpStatus::kDone, "done"},
    Named<FollowUpStatus>{FollowUpStatus::kCancelled, "cancelled"},
};
constexpr std::array kFollowUpResults = {
    Named<FollowUpResult>{FollowUpResult::kReached, "reached"},
    Named<FollowUpResult>{FollowUpResult::kNotReached, "not_reached"},
    Named<FollowUpResult>{FollowUpResult::kResolved, "resolved"},
    Named<FollowUpResult>{FollowUpResult::kNeedsEscalation, "needs_escalation"},
};
constexpr std::array kReferralStatuses = {
    Named<ReferralStatus>{ReferralStatus::kSent, "sent"},
    Named<ReferralStatus>{ReferralStatus::kAccepted, "accepted"},
    Named<ReferralStatus>{ReferralStatus::kDeclined, "declined"},
    Named<ReferralStatus>{ReferralStatus::kCompleted, "completed"},
    Named<ReferralStatus>{ReferralStatus::kCancelled, "cancelled"},
};
constexpr std::array kDeclineReasons = {
    Named<DeclineReason>{DeclineReason::kNotOurService, "not_our_service"},
    Named<DeclineReason>{DeclineReason::kNotEligible, "not_eligible"},
    Named<DeclineReason>{DeclineReason::kNoCapacity, "no_capacity"},
    Named<DeclineReason>{DeclineReason::kResidentRefused, "resident_refused"},
    Named<DeclineReason>{DeclineReason::kDuplicate, "duplicate"},
    Named<DeclineReason>{DeclineReason::kOther, "other"},
};
constexpr std::array kReporterKinds = {
    Named<ReporterKind>{ReporterKind::kSelf, "self"},
    Named<ReporterKind>{ReporterKind::kThirdParty, "third_party"},
};
constexpr std::array kCrisisDismissals = {
    Named<CrisisDismissal>{CrisisDismissal::kExaggeration, "exaggeration"},
    Named<CrisisDismissal>{CrisisDismissal::kQuoted, "quoted"},
    Named<CrisisDismissal>{CrisisDismissal::kPastEvent, "past_event"},
    Named<CrisisDismissal>{CrisisDismissal::kCheckedSafe, "checked_safe"},
};
constexpr std::array kHousingTypes = {
    Named<HousingType>{HousingType::kUnknown, "unknown"},
    Named<HousingType>{HousingType::kApartment, "apartment"},
    Named<HousingType>{HousingType::kMultiFamily, "multi_family"},
    Named<HousingType>{HousingType::kDetached, "detached"},
    Named<HousingType>{HousingType::kSemiBasement, "semi_basement"},
    Named<HousingType>{HousingType::kRooftop, "rooftop"},
    Named<HousingType>{HousingType::kGosiwon, "gosiwon"},
    Named<HousingType>{HousingType::kVinylHouse, "vinyl_house"},
    Named<HousingType>{HousingType::kShelter, "shelter"},
    Named<HousingType>{HousingType::kOther, "other"},
};

template <typename T, std::size_t N>
std::string_view CodeIn(const std::array<Named<T>, N>& table, T v) {
  for (const auto& n : table) {
    if (n.value == v) {
      return n.code;
    }
  }
  Panic("enum value without a code");
}

template <typename T, std::size_t N>
std::optional<T> ParseIn(const std::array<Named<T>, N>& table, std::string_view code) {
  for (const auto& n : table) {
    if (n.code == code) {
      return n.value;
    }
  }
  return std::nullopt;
}

template <typename T, std::size_t N>
std::vector<T> ValuesIn(const std::array<Named<T>, N>& table) {
  std::vector<T> out;
  for (const auto& n : table) {
    out.push_back(n.value);
  }
  return out;
}

// UTF-8 code points of valid text, one string each.
std::vector<std::string> CodePoints(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (c >= 0xF0) {
      len = 4;
    } else if (c >= 0xE0) {
      len = 3;
    } else if (c >= 0xC0) {
      len = 2;
    }
    out.emplace_back(s.substr(i, len));
    i += len;
  }
  return out;
}

bool IsDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool IsValidBirthDate(std::string_view d) {
  constexpr int kMinYear = 1900;
  constexpr int kMaxYear = 2100;
  constexpr int kDateLength = 10;
  if (d.size() != kDateLength || d[4] != '-' || d[7] != '-' || !IsDigits(d.substr(0, 4)) ||
      !IsDigits(d.substr(5, 2)) || !IsDigits(d.substr(8, 2))) {
    return false;
  }
  const int y = std::stoi(std::string(d.substr(0, 4)));
  const int m = std::stoi(std::string(d.substr(5, 2)));
  const int day = std::stoi(std::string(d.substr(8, 2)));
  if (y < kMinYear || y > kMaxYear || m < 1 || m > 12 || day < 1) {
    return false;
  }
  constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int max_day = kDays[static_cast<std::size_t>(m - 1)] + (m == 2 && leap ? 1 : 0);
  return day <= max_day;
}


}  // namespace

void CheckText(std::vector<FieldViolation>& v, std::string_view field, std::string_view value,
               std::size_t max_chars) {
  if (!IsValidUtf8(value)) {
    v.push_back({std::string(field), "invalid_utf8", "Must be valid UTF-8 text.",
                 "올바른 문자여야 합니다."});
  } else if (CodePointCount(value) > max_chars) {
    v.push_back({std::string(field), "too_long",
                 "Must be at most " + std::to_string(max_chars) + " characters.",
                 std::to_string(max_chars) + "자 이하여야 합니다."});
  }
}

std::string_view Code(Channel v) { return CodeIn(kChannels, v); }
std::string_view Code(Urgency v) { return CodeIn(kUrgencies, v); }
std::string_view Code(CaseStatus v) { return CodeIn(kStatuses, v); }
std::string_view Code(ConsultationKind v) { return CodeIn(kConsultationKinds, v); }
std::string_view Code(FollowUpKind v) { return CodeIn(kFollowUpKinds, v); }
std::string_view Code(FollowUpStatus v) { return CodeIn(kFollowUpStatuses, v); }
std::string_view Code(FollowUpResult v) { return CodeIn(kFollowUpResults, v); }
std::string_view Code(ReferralStatus v) { return CodeIn(kReferralStatuses, v); }
std::string_view Code(DeclineReason v) { return CodeIn(kDeclineReasons, v); }
std::string_view Code(ReporterKind v) { return CodeIn(kReporterKinds, v); }
std::string_view Code(HousingType v) { return CodeIn(kHousingTypes, v); }
std::string_view Code(CrisisDismissal v) { return CodeIn(kCrisisDismissals, v); }

std::string_view LabelKo(CaseStatus v) {
  switch (v) {
    case CaseStatus::kReceived:
      return "접수";
    case CaseStatus::kInConsultation:
      return "상담 중";
    case CaseStatus::kReferred:
      return "연계 중";
    case CaseStatus::kOngoing:
      return "사후관리 중";
    case CaseStatus::kCaseManagement:
      return "사례관리";
    case CaseStatus::kResolved:
      return "해결";
    case CaseStatus::kClosed:
      return "종결";
  }
  return "";
}

#define CAREDESK_ENUM_TABLE(T, table)                \
  template <>                                        \
  std::optional<T> Parse<T>(std::string_view code) { \
    return ParseIn(table, code);                     \
  }                                                  \
  template <>                                        \
  std::vector<T> AllValues<T>() {                    \
    return ValuesIn(table);                          \
  }

CAREDESK_ENUM_TABLE(Channel, kChannels)
CAREDESK_ENUM_TABLE(Urgency, kUrgencies)
CAREDESK_ENUM_TABLE(CaseStatus, kStatuses)
CAREDESK_ENUM_TABLE(ConsultationKind, kConsultationKinds)
CAREDESK_ENUM_TABLE(FollowUpKind, kFollowUpKinds)
CAREDESK_ENUM_TABLE(FollowUpStatus, kFollowUpStatuses)
CAREDESK_ENUM_TABLE(FollowUpResult, kFollowUpResults)
CAREDESK_ENUM_TABLE(ReferralStatus, kReferralStatuses)
CAREDESK_ENUM_TABLE(DeclineReason, kDeclineReasons)
CAREDESK_ENUM_TABLE(ReporterKind, kReporterKinds)
CAREDESK_ENUM_TABLE(HousingType, kHousingTypes)
CAREDESK_ENUM_TABLE(CrisisDismissal, kCrisisDismissals)
#undef CAREDESK_ENUM_TABLE

// --- Residents ----------------------------------------------------------------------

std::string NormalizePhone(std::string_view phone) {
  std::string out;
  for (const char c : phone) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      out.push_back(c);
    }
  }
  return out;
}

Result<Resident> ValidateNewResident(const NewResident& input, DistrictId district, TimePoint now) {
  constexpr std::size_t kMinPhoneDigits = 9;
  constexpr std::size_t kMaxPhoneDigits = 11;
  constexpr std::size_t kRrnDigits = 13;
  constexpr std::size_t kMaxTagChars = 40;
  std::vector<FieldViolation> v;
  Resident r;
  r.district_id = district;
  r.dong_id = input.dong_id;
  r.name = std::string(Trim(input.name));
  if (r.name.empty()) {
    v.push_back({"name", "required", "The resident's name is required (use 미상 if unknown).",
                 "대상자 이름을 입력해 주세요. 모르면 '미상'으로 적어 주세요."});
  } else {
    CheckText(v, "name", r.name, kMaxNameChars);
  }
  r.birth_date = std::string(Trim(input.birth_date));
  if (!r.birth_date.empty() && !IsValidBirthDate(r.birth_date)) {
    v.push_back({"birth_date", "invalid_date", "Use a real date as YYYY-MM-DD.",
                 "생년월일은 YYYY-MM-DD 형식의 올바른 날짜여야 합니다."});
  }
  r.phone = NormalizePhone(input.phone);
  if (!input.phone.empty() &&
      (r.phone.size() < kMinPhoneDigits || r.phone.size() > kMaxPhoneDigits || r.phone[0] != '0')) {
    v.push_back({"phone", "invalid_phone", "Use a Korean phone number such as 010-1234-5678.",
                 "전화번호는 010-1234-5678과 같은 형식이어야 합니다."});
  }
  r.address = std::string(Trim(input.address));
  CheckText(v, "address", r.address, kMaxAddressChars);
  r.household = input.household;
  if (r.household.members < 1 || r.household.members > kMaxHouseholdMembers) {
    v.push_back({"household.members", "out_of_range", "Must be between 1 and 30.",
                 "가구원 수는 1~30 사이여야 합니다."});
  }
  if (r.household.living_alone && r.household.members != 1) {
    v.push_back({"household.members", "inconsistent", "Someone living alone has 1 member.",
                 "1인 가구는 가구원 수가 1이어야 합니다."});
  }
  if (input.tags.size() > kMaxTags) {
    v.push_back({"tags", "too_many", "At most 16 tags.", "태그는 16개까지입니다."});
  }
  for (std::size_t i = 0; i < input.tags.size() && i < kMaxTags; ++i) {
    const auto tag = std::string(Trim(input.tags[i]));
    const auto field = "tags[" + std::to_string(i) + "]";
    if (tag.empty()) {
      v.push_back({field, "required", "Tags must not be empty.", "빈 태그는 쓸 수 없습니다."});
      continue;
    }
    CheckText(v, field, tag, kMaxTagChars);
    if (std::find(r.tags.begin(), r.tags.end(), tag) == r.tags.end()) {
      r.tags.push_back(tag);
    }
  }
  r.rrn = NormalizePhone(input.rrn);  // digits only, like a phone
  r.rrn_legal_basis = std::string(Trim(input.rrn_legal_basis));
  if (!input.rrn.empty()) {
    if (r.rrn.size() != kRrnDigits) {
      v.push_back({"rrn", "invalid_rrn", "A resident registration number has 13 digits.",
                   "주민등록번호는 13자리 숫자여야 합니다."});
    }
    if (r.rrn_legal_basis.empty()) {
      v.push_back({"rrn_legal_basis", "required",
                   "A resident registration number may be kept only with its legal basis.",
                   "주민등록번호는 처리 근거 법령을 함께 적어야만 보관할 수 있습니다."});
    }
  }
  CheckText(v, "rrn_legal_basis", r.rrn_legal_basis, kMaxAddressChars);
  r.safety_note = std::string(Trim(input.safety_note));
  r.flagged_malicious = input.flagged_malicious;
  r.contact_by = input.contact_by;
  CheckText(v, "safety_note", r.safety_note, kMaxSummaryChars);
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  r.created_at = now;
  return r;
}

std::string MaskPhone(std::string_view digits) {
  constexpr std::size_t kTail = 4;
  if (digits.size() < kTail + 3) {
    return std::string(digits.size(), '*');
  }
  const std::size_t head = digits.size() == 10 && digits.substr(0, 2) == "02" ? 2 : 3;
  return std::string(digits.substr(0, head)) + "-****-" +
         std::string(digits.substr(digits.size() - kTail));
}

std::string MaskName(std::string_view name) {
  const auto cps = CodePoints(name);
  if (cps.empty()) {
    return "";
  }
  if (cps.size() == 1) {
    return "*";
  }
  if (cps.size() == 2) {
    return cps[0] + "*";
  }
  std::string out = cps[0];
  for (std::size_t i = 1; i + 1 < cps.size(); ++i) {
    out += "*";
  }
  return out + cps.back();
}

std::string MaskBirthDate(std::string_view birth_date) {
  constexpr std::size_t kYear = 4;
  if (birth_date.size() < kYear) {
    return "";
  }
  return std::string(birth_date.substr(0, kYear)) + "-**-**";
}

std::string MaskAddress(std::string_view address) {
  // Keep the first two words (시/구 or 구/동), hide the rest.
  std::string out;
  int words = 0;
  for (std::size_t i = 0; i < address.size(); ++i) {
    if (address[i] == ' ') {
      ++words;
      if (words == 2) {
        return out + " ***";
      }
    }
    out.push_back(address[i]);
  }
  return words < 2 && !out.empty() ? out + " ***" : out;
}

std::string MaskRrn(std::string_view rrn) {
  constexpr std::size_t kFront = 6;
  if (rrn.size() <= kFront) {
    return std::string(rrn.size(), '*');
  }
  return std::string(rrn.substr(0, kFront)) + "-" + std::string(rrn.substr(kFront, 1)) + "******";
}

// --- Cases ---------------------------------------------------------------------------

bool CaseFile::HasNextStep() const {
  for (const auto& f : follow_ups) {
    if (f.IsOpen() && f.owner_id != 0) {
      return true;
    }
  }
  return std::any_of(referrals.begin(), referrals.end(),
                     [](const Referral& r) { return r.IsOpen() && r.referred_by != 0; });
}

std::optional<TimePoint> CaseFile::NextStepDue() const {
  std::optional<TimePoint> due;
  auto consider = [&due](TimePoint t) {
    if (!due || t < *due) {
      due = t;
    }
  };
  for (const auto& f : follow_ups) {
    if (f.IsOpen()) {
      consider(f.due_at);
    }
  }
  for (const auto& r : referrals) {
    if (r.status == ReferralStatus::kSent) {
      consider(r.accept_due_at);
    }
  }
  return due;
}

std::vector<CaseStatus> AllowedTransitions(CaseStatus from) {
  using S = CaseStatus;
  switch (from) {
    case S::kReceived:
      return {S::kInConsultation, S::kReferred, S::kOngoing, S::kCaseManagement};
    case S::kInConsultation:
      return {S::kReferred, S::kOngoing, S::kCaseManagement, S::kResolved};
    case S::kReferred:
      return {S::kInConsultation, S::kOngoing, S::kCaseManagement, S::kResolved};
    case S::kOngoing:
      return {S::kInConsultation, S::kReferred, S::kCaseManagement, S::kResolved};
    case S::kCaseManagement:
      return {S::kOngoing, S::kReferred, S::kResolved};
    case S::kResolved:
      return {S::kClosed, S::kInConsultation};
    case S::kClosed:
      return {S::kInConsultation};
  }
  return {};
}

Status CheckTransition(CaseStatus from, CaseStatus to) {
  const auto allowed = AllowedTransitions(from);
  if (std::find(allowed.begin(), allowed.end(), to) != allowed.end()) {
    return {};
  }
  std::string list;
  for (const auto s : allowed) {
    list += (list.empty() ? "" : ", ") + std::string(Code(s));
  }
  auto e =
      Error::Make(ErrorCode::kConflict,
                  "A case cannot go from '" + std::string(Code(from)) + "' to '" +
                      std::string(Code(to)) + "'. Allowed: " + list + ".",
                  "'" + std::string(LabelKo(from)) + "' 상태에서 '" + std::string(LabelKo(to)) +
                      "' 상태로 바꿀 수 없습니다. 가능한 상태: " + list + ".");
  for (const auto s : allowed) {
    e.details.push_back(
        {"status", "allowed_transition", std::string(Code(s)), std::string(LabelKo(s))});
  }
  return e;
}

Error RuleError(std::string_view rule, std::string message, std::string message_ko) {
  auto e = Error::Make(ErrorCode::kRuleViolated, message, message_ko);
  e.details.push_back({"", std::string(rule), std::move(message), std::move(message_ko)});
  return e;
}

Status CheckNextStepRule(const CaseFile& file) {
  if (!file.c.IsOpen() || file.HasNextStep()) {
    return {};
  }
  return RuleError("next_step_required",
                   "An open case must always have a next step: schedule a follow-up or refer it "
                   "(with a due date and an owner).",
                   "진행 중인 상담 건에는 항상 다음 조치가 있어야 합니다. 사후관리 일정을 잡거나 "
                   "기관에 연계해 주세요(기한과 담당자 포함).");
}

std::string FormatCaseNumber(int year, std::string_view dong_short_name, std::int64_t sequence) {
  constexpr int kSequenceWidth = 6;
  char seq[32];
  std::snprintf(seq, sizeof(seq), "%0*lld", kSequenceWidth, static_cast<long long>(sequence));
  return std::to_string(year) + "-" + std::string(dong_short_name) + "-" + seq;
}

}  // namespace caredesk::core
