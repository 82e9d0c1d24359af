#include "core/portal.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/code_table.hpp"
#include "core/text.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {
namespace {

constexpr std::array kPortalKinds = {
    CodeRow<PortalKind>{PortalKind::kAsk, "ask", "문의"},
    CodeRow<PortalKind>{PortalKind::kReport, "report", "이웃 알림"},
};
constexpr std::array kContactWays = {
    CodeRow<ContactWay>{ContactWay::kCall, "call", "전화"},
    CodeRow<ContactWay>{ContactWay::kSms, "sms", "문자"},
    CodeRow<ContactWay>{ContactWay::kAlimTalk, "alimtalk", "카카오 알림톡"},
};
constexpr std::array kContactTimes = {
    CodeRow<ContactTime>{ContactTime::kAny, "any", "아무 때나"},
    CodeRow<ContactTime>{ContactTime::kMorning, "morning", "오전(9~12시)"},
    CodeRow<ContactTime>{ContactTime::kAfternoon, "afternoon", "오후(12~18시)"},
    CodeRow<ContactTime>{ContactTime::kEvening, "evening", "저녁(18시 이후)"},
};

template <typename T, typename Table>
std::optional<T> ParseChoice(std::vector<FieldViolation>& v, const Table& table,
                             std::string_view field, std::string_view code) {
  auto parsed = ParseIn<T>(table, code);
  if (!parsed) {
    std::string allowed;
    for (const auto& row : table) {
      allowed += (allowed.empty() ? "" : ", ") + std::string(row.code);
    }
    v.push_back({std::string(field), "invalid_value", "Use one of: " + allowed + ".",
                 "다음 중 하나를 골라 주세요: " + allowed + "."});
  }
  return parsed;
}

void CheckRequiredText(std::vector<FieldViolation>& v, std::string_view field,
                       std::string_view value, std::size_t max_chars, std::string_view what_ko) {
  if (value.empty()) {
    v.push_back({std::string(field), "required", "This field is required.",
                 std::string(what_ko) + " 입력해 주세요."});
    return;
  }
  CheckText(v, field, value, max_chars);
}

void CheckPhone(std::vector<FieldViolation>& v, std::string_view field, std::string_view digits) {
  if (!IsPlausiblePhone(digits)) {
    v.push_back({std::string(field), "invalid_phone",
                 "Use a Korean phone number such as 010-1234-5678.",
                 "전화번호는 010-1234-5678과 같이 적어 주세요."});
  }
}

}  // namespace

std::string_view Code(PortalKind v) { return RowOf(kPortalKinds, v).code; }
std::string_view Code(ContactWay v) { return RowOf(kContactWays, v).code; }
std::string_view Code(ContactTime v) { return RowOf(kContactTimes, v).code; }
std::string_view LabelKo(ContactWay v) { return RowOf(kContactWays, v).label_ko; }
std::string_view LabelKo(ContactTime v) { return RowOf(kContactTimes, v).label_ko; }

template <>
std::optional<PortalKind> Parse<PortalKind>(std::string_view code) {
  return ParseIn<PortalKind>(kPortalKinds, code);
}
template <>
std::vector<PortalKind> AllValues<PortalKind>() {
  return ValuesOf<PortalKind>(kPortalKinds);
}
template <>
std::optional<ContactWay> Parse<ContactWay>(std::string_view code) {
  return ParseIn<ContactWay>(kContactWays, code);
}
template <>
std::vector<ContactWay> AllValues<ContactWay>() {
  return ValuesOf<ContactWay>(kContactWays);
}
template <>
std::optional<ContactTime> Parse<ContactTime>(std::string_view code) {
  return ParseIn<ContactTime>(kContactTimes, code);
}
template <>
std::vector<ContactTime> AllValues<ContactTime>() {
  return ValuesOf<ContactTime>(kContactTimes);
}

bool IsPlausiblePhone(std::string_view digits) {
  constexpr std::size_t kMinDigits = 9;
  constexpr std::size_t kMaxDigits = 11;
  return digits.size() >= kMinDigits && digits.size() <= kMaxDigits && digits[0] == '0' &&
         std::all_of(digits.begin(), digits.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool IsRobot(const PortalRequest& in) { return !Trim(in.website).empty(); }

Result<PortalSubmission> ValidatePortalRequest(const PortalRequest& in) {
  std::vector<FieldViolation> v;
  PortalSubmission s;
  if (auto kind = ParseChoice<PortalKind>(v, kPortalKinds, "kind", in.kind)) {
    s.kind = *kind;
  }
  s.text = std::string(Trim(in.text));
  if (s.text.empty()) {
    v.push_back({"text", "required", "Tell us what it is about.",
                 s.kind == PortalKind::kAsk ? "어떤 일인지 적어 주세요." : "무엇을 보셨는지 적어 주세요."});
  } else if (IsValidUtf8(s.text) && CodePointCount(s.text) < kMinPortalTextChars) {
    v.push_back({"text", "too_short", "Please write a little more.", "조금 더 자세히 적어 주세요."});
  } else {
    CheckText(v, "text", s.text, kMaxPortalTextChars);
  }
  s.category = std::string(Trim(in.category));
  if (!in.dong_id || *in.dong_id <= 0) {
    v.push_back({"dong_id", "required", "Choose your neighbourhood (dong).",
                 "사는 동(주민센터)을 골라 주세요."});
  } else {
    s.dong_id = *in.dong_id;
  }
  if (s.kind == PortalKind::kAsk) {
    s.name = std::string(Trim(in.name));
    CheckRequiredText(v, "name", s.name, kMaxPortalNameChars, "성함을");
    s.phone = NormalizePhone(in.phone);
    if (Trim(in.phone).empty()) {
      v.push_back({"phone", "required", "A phone number is needed to reach you back.",
                   "연락드릴 전화번호를 입력해 주세요."});
    } else {
      CheckPhone(v, "phone", s.phone);
    }
    if (auto way = ParseChoice<ContactWay>(v, kContactWays, "contact_way", in.contact_way)) {
      s.contact_way = *way;
    }
    if (auto time = ParseChoice<ContactTime>(v, kContactTimes, "contact_time", in.contact_time)) {
      s.contact_time = *time;
    }
    s.texts = in.texts;
  } else {
    s.place = std::string(Trim(in.place));
    CheckRequiredText(v, "place", s.place, kMaxPortalPlaceChars, "어디에서 보셨는지");
    s.reporter_name = std::string(Trim(in.reporter_name));
    CheckText(v, "reporter_name", s.reporter_name, kMaxPortalNameChars);
    s.reporter_phone = NormalizePhone(in.reporter_phone);
    if (!Trim(in.reporter_phone).empty()) {
      CheckPhone(v, "reporter_phone", s.reporter_phone);
    }
    s.relation = std::string(Trim(in.relation));
    CheckText(v, "relation", s.relation, kMaxPortalRelationChars);
    // The subject has not asked for anything: no text messages go to anyone.
    s.texts = false;
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return s;
}

std::string PortalSummary(const PortalSubmission& s) {
  if (s.kind == PortalKind::kAsk) {
    return s.text;
  }
  return s.text + "\n[본 장소] " + s.place;
}

std::string PortalFollowUpNote(const PortalSubmission& s) {
  if (s.kind == PortalKind::kAsk) {
    return "온라인 접수: 1근무일 안에 연락해 주세요. 연락 희망: " +
           std::string(LabelKo(s.contact_way)) + ", " + std::string(LabelKo(s.contact_time)) +
           (s.texts ? "." : ". 문자 알림은 원하지 않음.");
  }
  return "이웃 신고(온라인): 1근무일 안에 확인해 주세요." +
         std::string(s.reporter_phone.empty() ? " 신고자 연락처 없음."
                                              : " 신고자에게 확인 결과를 알릴 수 있음.");
}

namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

std::optional<std::string> NormalizeReceipt(std::string_view typed) {
  constexpr std::size_t kYearDigits = 4;
  constexpr std::size_t kSeqDigits = 6;
  // Split on spaces, hyphens and dots; keep digits and the dong's (non-ASCII) short name.
  std::vector<std::string> parts(1);
  for (const char c : Trim(typed)) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '-' || c == ' ' || c == '.' || c == '\t' || c == '\n' || c == '\r') {
      if (!parts.back().empty()) {
        parts.emplace_back();
      }
    } else if (std::isdigit(u) != 0 || u >= 0x80) {
      parts.back().push_back(c);
    } else {
      return std::nullopt;
    }
  }
  if (parts.back().empty()) {
    parts.pop_back();
  }
  std::string year;
  std::string dong;
  std::string seq;
  if (parts.size() == 3) {
    // "2026-망원1-000123": the short name may end in digits.
    year = parts[0];
    dong = parts[1];
    seq = parts[2];
  } else if (parts.size() == 1) {
    // "2026망원1000123": year, the name, then the sequence. A name ending in digits is told
    // apart only when the sequence was typed with its six digits.
    const std::string& all = parts[0];
    if (all.size() < kYearDigits) {
      return std::nullopt;
    }
    year = all.substr(0, kYearDigits);
    std::size_t i = kYearDigits;
    while (i < all.size() && static_cast<unsigned char>(all[i]) >= 0x80) {
      ++i;
    }
    std::size_t digits_from = i;
    dong = all.substr(kYearDigits, i - kYearDigits);
    seq = all.substr(digits_from);
    if (seq.size() > kSeqDigits && AllDigits(seq)) {
      dong += seq.substr(0, seq.size() - kSeqDigits);
      seq = seq.substr(seq.size() - kSeqDigits);
    }
  } else {
    return std::nullopt;
  }
  const bool name_ok = !dong.empty() && static_cast<unsigned char>(dong[0]) >= 0x80 &&
                       IsValidUtf8(dong);
  if (year.size() != kYearDigits || !AllDigits(year) || !name_ok || !AllDigits(seq) ||
      seq.size() > kSeqDigits) {
    return std::nullopt;
  }
  seq.insert(0, kSeqDigits - seq.size(), '0');
  return year + "-" + dong + "-" + seq;
}

PublicStatus PublicStatusOf(CaseStatus status) {
  switch (status) {
    case CaseStatus::kReceived:
      return {"received", "접수됨", "Received",
              "담당 주민센터에서 내용을 확인하고 있습니다. 곧 연락드리겠습니다."};
    case CaseStatus::kReferred:
      return {"referred", "전문기관 연계", "Referred",
              "도움을 줄 수 있는 기관에 연결했습니다. 담당자가 계속 살펴봅니다."};
    case CaseStatus::kResolved:
      return {"resolved", "해결됨", "Resolved", "문의하신 일이 해결된 것으로 기록되었습니다."};
    case CaseStatus::kClosed:
      return {"closed", "종결", "Closed", "상담이 마무리되었습니다."};
    case CaseStatus::kInConsultation:
    case CaseStatus::kOngoing:
    case CaseStatus::kCaseManagement:
      break;
  }
  return {"in_progress", "상담 중", "In progress", "담당자가 상담하며 해결 방법을 찾고 있습니다."};
}

std::string LookupPhoneOf(const Case& c, const std::optional<Resident>& resident) {
  switch (c.channel) {
    case Channel::kVisit:
    case Channel::kPhone:
    case Channel::kOnline:
      if (c.reporter.kind == ReporterKind::kSelf && resident && !resident->erased) {
        return resident->phone;
      }
      return NormalizePhone(c.reporter.contact);
    case Channel::kThirdParty:
      return NormalizePhone(c.reporter.contact);
    case Channel::kOutreach:
    case Channel::kAutomatedCheckIn:
      break;
  }
  return {};
}

bool Last4Matches(std::string_view phone_digits, std::string_view last4) {
  constexpr std::size_t kDigits = 4;
  if (last4.size() != kDigits || phone_digits.size() < kDigits) {
    return false;
  }
  // Constant time over the four digits: the comparison itself tells nothing.
  unsigned diff = 0;
  const auto tail = phone_digits.substr(phone_digits.size() - kDigits);
  for (std::size_t i = 0; i < kDigits; ++i) {
    diff |= static_cast<unsigned>(tail[i] ^ last4[i]);
  }
  return diff == 0;
}

LookupThrottleState AfterFailure(const LookupThrottleState& s, TimePoint now) {
  LookupThrottleState out = s;
  if (!out.window_started_at || now - *out.window_started_at > kLookupWindow) {
    out.window_started_at = now;
    out.failures = 0;
  }
  ++out.failures;
  if (out.failures >= kMaxLookupFailures) {
    out.locked_until = now + kLookupLockout;
    // A new window starts after the lockout: the next wrong guess counts from one.
    out.window_started_at.reset();
    out.failures = 0;
  }
  return out;
}

bool IsLocked(const LookupThrottleState& s, TimePoint now) {
  return s.locked_until && now < *s.locked_until;
}

PublicCaseView PublicViewOf(const CaseFile& file, std::string dong_name) {
  PublicCaseView v;
  v.receipt = file.c.number;
  v.received_on = file.c.received_on;
  v.status = PublicStatusOf(file.c.status);
  v.category = file.c.primary_category;
  v.dong_name = std::move(dong_name);
  v.third_party = file.c.reporter.kind == ReporterKind::kThirdParty;
  if (file.c.IsOpen()) {
    if (const auto due = file.NextStepDue()) {
      v.next_step_on = KstDate(*due);
    }
  }
  if (file.c.resolved_at) {
    v.resolved_on = KstDate(*file.c.resolved_at);
  }
  for (const auto& x : file.consultations) {
    if (!x.answer.empty()) {
      v.answers.push_back({x.at, x.answer});
    }
  }
  std::sort(v.answers.begin(), v.answers.end(),
            [](const PublicAnswer& a, const PublicAnswer& b) { return a.at < b.at; });
  return v;
}

}  // namespace caredesk::core
