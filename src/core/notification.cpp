#include "core/notification.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "core/text.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

namespace {

template <typename E, std::size_t N>
std::string_view CodeIn(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [e, code] : table) {
    if (e == v) {
      return code;
    }
  }
  return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view code) {
  for (const auto& [e, c] : table) {
    if (c == code) {
      return e;
    }
  }
  return std::nullopt;
}

template <typename E, std::size_t N>
std::vector<E> ValuesIn(const std::array<std::pair<E, std::string_view>, N>& table) {
  std::vector<E> out;
  for (const auto& [e, c] : table) {
    out.push_back(e);
  }
  return out;
}

constexpr std::array<std::pair<NotificationKind, std::string_view>, 6> kKinds{{
    {NotificationKind::kReceipt, "receipt"},
    {NotificationKind::kNextContact, "next_contact"},
    {NotificationKind::kResolved, "resolved"},
    {NotificationKind::kAnswered, "answered"},
    {NotificationKind::kOverdueDigest, "overdue_digest"},
    {NotificationKind::kEmergencyCheckin, "emergency_checkin"},
}};

constexpr std::array<std::pair<NotificationChannel, std::string_view>, 3> kChannels{{
    {NotificationChannel::kSms, "sms"},
    {NotificationChannel::kAlimTalk, "alimtalk"},
    {NotificationChannel::kEmail, "email"},
}};

constexpr std::array<std::pair<ContactPreference, std::string_view>, 3> kPreferences{{
    {ContactPreference::kSms, "sms"},
    {ContactPreference::kAlimTalk, "alimtalk"},
    {ContactPreference::kNone, "none"},
}};

constexpr std::array<std::pair<OutboxStatus, std::string_view>, 4> kStatuses{{
    {OutboxStatus::kPending, "pending"},
    {OutboxStatus::kSent, "sent"},
    {OutboxStatus::kSkipped, "skipped"},
    {OutboxStatus::kDead, "dead"},
}};

Error Invalid(std::string field, std::string code, std::string message, std::string message_ko) {
  return Error::Validation(
      {{std::move(field), std::move(code), std::move(message), std::move(message_ko)}});
}

bool ContactsResident(FollowUpKind kind) {
  return kind == FollowUpKind::kCounseling || kind == FollowUpKind::kWelfareCheck ||
         kind == FollowUpKind::kHomeVisit;
}

bool Knew(const CaseFile& before, const FollowUp& f) {
  return f.id != 0 && std::any_of(before.follow_ups.begin(), before.follow_ups.end(),
                                  [&](const FollowUp& b) { return b.id == f.id; });
}

MessageTemplate Builtin(NotificationKind kind, NotificationChannel channel, std::string body) {
  MessageTemplate t;
  t.kind = kind;
  t.channel = channel;
  t.body = std::move(body);
  return t;
}

}  // namespace

std::string_view Code(NotificationKind v) { return CodeIn(kKinds, v); }
template <>
std::optional<NotificationKind> Parse<NotificationKind>(std::string_view code) {
  return ParseIn(kKinds, code);
}
template <>
std::vector<NotificationKind> AllValues<NotificationKind>() {
  return ValuesIn(kKinds);
}

std::string_view Code(NotificationChannel v) { return CodeIn(kChannels, v); }
template <>
std::optional<NotificationChannel> Parse<NotificationChannel>(std::string_view code) {
  return ParseIn(kChannels, code);
}
template <>
std::vector<NotificationChannel> AllValues<NotificationChannel>() {
  return ValuesIn(kChannels);
}

std::string_view Code(ContactPreference v) { return CodeIn(kPreferences, v); }
template <>
std::optional<ContactPreference> Parse<ContactPreference>(std::string_view code) {
  return ParseIn(kPreferences, code);
}
template <>
std::vector<ContactPreference> AllValues<ContactPreference>() {
  return ValuesIn(kPreferences);
}

std::string_view Code(OutboxStatus v) { return CodeIn(kStatuses, v); }
template <>
std::optional<OutboxStatus> Parse<OutboxStatus>(std::string_view code) {
  return ParseIn(kStatuses, code);
}
template <>
std::vector<OutboxStatus> AllValues<OutboxStatus>() {
  return ValuesIn(kStatuses);
}

bool ForResident(NotificationKind kind) {
  return kind == NotificationKind::kReceipt || kind == NotificationKind::kNextContact ||
         kind == NotificationKind::kResolved || kind == NotificationKind::kAnswered;
}

std::vector<NotificationChannel> ChannelsFor(NotificationKind kind) {
  if (ForResident(kind)) {
    return {NotificationChannel::kSms, NotificationChannel::kAlimTalk};
  }
  return {NotificationChannel::kEmail};
}

bool GoesBy(NotificationKind kind, NotificationChannel channel) {
  const auto channels = ChannelsFor(kind);
  return std::find(channels.begin(), channels.end(), channel) != channels.end();
}

bool ResidentAskedThemselves(Channel channel) {
  return channel == Channel::kVisit || channel == Channel::kPhone || channel == Channel::kOnline;
}

std::vector<Notification> PlanCaseNotifications(const CaseFile* before, const CaseFile& after,
                                                TimePoint now) {
  std::vector<Notification> out;
  const Case& c = after.c;
  if (!c.resident_id || c.erased || !ResidentAskedThemselves(c.channel)) {
    return out;
  }
  const auto message = [&](NotificationKind kind) {
    Notification n;
    n.kind = kind;
    n.resident_id = c.resident_id;
    n.queued_at = now;
    if (c.id != 0) {
      n.case_id = c.id;
    }
    return n;
  };
  if (before == nullptr) {
    out.push_back(message(NotificationKind::kReceipt));
  }
  // The earliest follow-up this change added that contacts the resident.
  const FollowUp* next = nullptr;
  for (const auto& f : after.follow_ups) {
    if (!f.IsOpen() || !ContactsResident(f.kind) || (before != nullptr && Knew(*before, f))) {
      continue;
    }
    if (next == nullptr || f.due_at < next->due_at) {
      next = &f;
    }
  }
  if (next != nullptr) {
    auto n = message(NotificationKind::kNextContact);
    const auto day = KstDate(next->due_at);
    n.params["date"] = std::to_string(day.month) + "월 " + std::to_string(day.day) + "일";
    out.push_back(std::move(n));
  }
  const bool was_resolved = before != nullptr && before->c.status == CaseStatus::kResolved;
  if (c.status == CaseStatus::kResolved && !was_resolved && before != nullptr) {
    out.push_back(message(NotificationKind::kResolved));
  }
  const auto answers = [](const CaseFile& f) {
    return std::count_if(f.consultations.begin(), f.consultations.end(),
                         [](const Consultation& x) { return !x.answer.empty(); });
  };
  if (answers(after) > (before == nullptr ? 0 : answers(*before))) {
    out.push_back(message(NotificationKind::kAnswered));
  }
  return out;
}

const std::vector<MessageTemplate>& DefaultTemplates() {
  using K = NotificationKind;
  using C = NotificationChannel;
  static const std::vector<MessageTemplate> kAll = [] {
    const std::string receipt =
        "[{{district}}] 상담이 접수되었습니다. 접수번호 {{case_number}}. {{dong}} 주민센터에서 "
        "연락드리겠습니다.";
    const std::string next =
        "[{{district}}] {{dong}} 주민센터입니다. {{date}}에 다시 연락드리겠습니다. (접수번호 "
        "{{case_number}})";
    const std::string resolved =
        "[{{district}}] 접수번호 {{case_number}} 상담을 마무리했습니다. 다시 도움이 필요하면 "
        "언제든 {{dong}} 주민센터로 연락 주세요.";
    const std::string answered =
        "[{{district}}] 접수번호 {{case_number}} 문의에 {{dong}} 주민센터의 답변이 "
        "등록되었습니다. 온라인 창구의 '처리 상황 확인'에서 보실 수 있습니다.";
    return std::vector<MessageTemplate>{
        Builtin(K::kReceipt, C::kSms, receipt),
        Builtin(K::kReceipt, C::kAlimTalk, receipt),
        Builtin(K::kNextContact, C::kSms, next),
        Builtin(K::kNextContact, C::kAlimTalk, next),
        Builtin(K::kResolved, C::kSms, resolved),
        Builtin(K::kResolved, C::kAlimTalk, resolved),
        Builtin(K::kAnswered, C::kSms, answered),
        Builtin(K::kAnswered, C::kAlimTalk, answered),
        Builtin(K::kOverdueDigest, C::kEmail,
                "기한이 지난 일이 {{count}}건 있습니다: {{case_numbers}}\n"
                "CareDesk의 '오늘 할 일'에서 확인해 주세요."),
        Builtin(K::kEmergencyCheckin, C::kEmail,
                "[긴급] 돌봄 기기에서 긴급 호출이 왔습니다. 상담 건 {{case_number}} ({{dong}}).\n"
                "1시간 안에 가정 방문이 필요합니다. CareDesk에서 바로 확인해 주세요."),
    };
  }();
  return kAll;
}

const MessageTemplate& DefaultTemplate(NotificationKind kind, NotificationChannel channel) {
  for (const auto& t : DefaultTemplates()) {
    if (t.kind == kind && t.channel == channel) {
      return t;
    }
  }
  // Every kind has an e-mail or SMS text; a channel it does not go by falls back to the first.
  for (const auto& t : DefaultTemplates()) {
    if (t.kind == kind) {
      return t;
    }
  }
  return DefaultTemplates().front();
}

std::vector<std::string_view> PlaceholdersOf(NotificationKind kind) {
  switch (kind) {
    case NotificationKind::kReceipt:
    case NotificationKind::kResolved:
    case NotificationKind::kAnswered:
    case NotificationKind::kEmergencyCheckin:
      return {"district", "dong", "case_number"};
    case NotificationKind::kNextContact:
      return {"district", "dong", "case_number", "date"};
    case NotificationKind::kOverdueDigest:
      return {"district", "count", "case_numbers"};
  }
  return {};
}

Status ValidateTemplate(NotificationKind kind, NotificationChannel channel, std::string_view body) {
  if (!GoesBy(kind, channel)) {
    return Invalid("channel", "invalid_channel", "This message does not go by that channel.",
                   "이 알림은 그 경로로 보내지 않습니다.");
  }
  if (Trim(body).empty()) {
    return Invalid("body", "required", "Write the message text.", "문구를 입력해 주세요.");
  }
  if (CodePointCount(body) > kMaxTemplateChars) {
    return Invalid("body", "too_long", "The text is longer than 1000 characters.",
                   "문구가 1000자를 넘습니다.");
  }
  const auto allowed = PlaceholdersOf(kind);
  for (std::size_t pos = body.find("{{"); pos != std::string_view::npos;
       pos = body.find("{{", pos + 2)) {
    const auto end = body.find("}}", pos + 2);
    if (end == std::string_view::npos) {
      return Invalid("body", "unclosed_placeholder", "A {{ is not closed with }}.",
                     "{{ 를 }} 로 닫아 주세요.");
    }
    const auto name = body.substr(pos + 2, end - pos - 2);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string names;
      for (const auto a : allowed) {
        names += (names.empty() ? "{{" : ", {{") + std::string(a) + "}}";
      }
      return Invalid(
          "body", "unknown_placeholder",
          "{{" + std::string(name) + "}} is not a placeholder of this message; use " + names + ".",
          "{{" + std::string(name) + "}} 는 이 알림에서 쓸 수 없습니다. 쓸 수 있는 것: " + names);
    }
  }
  return {};
}

std::string RenderTemplate(std::string_view body,
                           const std::map<std::string, std::string>& params) {
  std::string out;
  out.reserve(body.size());
  std::size_t at = 0;
  while (at < body.size()) {
    const auto open = body.find("{{", at);
    const auto close = open == std::string_view::npos ? open : body.find("}}", open + 2);
    if (close == std::string_view::npos) {
      out.append(body.substr(at));
      break;
    }
    out.append(body.substr(at, open - at));
    const auto it = params.find(std::string(body.substr(open + 2, close - open - 2)));
    if (it != params.end()) {
      out += it->second;
    }
    at = close + 2;
  }
  return out;
}

TimePoint NextAttemptAt(TimePoint now, int attempts) {
  constexpr std::chrono::seconds kFirst{30};
  constexpr std::chrono::seconds kMax{3600};
  std::chrono::seconds delay = kFirst;
  for (int i = 1; i < attempts && delay < kMax; ++i) {
    delay *= 2;
  }
  return now + std::min(delay, kMax);
}

}  // namespace caredesk::core
