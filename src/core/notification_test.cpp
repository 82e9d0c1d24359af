#include "core/notification.hpp"

#include <gtest/gtest.h>

namespace caredesk::core {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + hours(1);

CaseFile ResidentCase(Channel channel) {
  CaseFile f;
  f.c.id = 7;
  f.c.resident_id = 42;
  f.c.channel = channel;
  f.c.status = CaseStatus::kInConsultation;
  return f;
}

FollowUp Open(FollowUpId id, FollowUpKind kind, TimePoint due) {
  FollowUp f;
  f.id = id;
  f.kind = kind;
  f.due_at = due;
  f.owner_id = 3;
  return f;
}

std::vector<NotificationKind> Kinds(const std::vector<Notification>& ns) {
  std::vector<NotificationKind> out;
  for (const auto& n : ns) {
    out.push_back(n.kind);
  }
  return out;
}

TEST(PlanCaseNotifications, ANewCaseGetsAReceiptAndTheFirstContactDate) {
  auto f = ResidentCase(Channel::kPhone);
  f.c.id = 0;  // not stored yet: the repository fills the case id in
  // 2026-12-03 00:30 UTC is 09:30 on 3 December in Korea.
  f.follow_ups.push_back(
      Open(0, FollowUpKind::kWelfareCheck,
           std::chrono::sys_days{std::chrono::year{2026} / 12 / 3} + std::chrono::minutes(30)));
  const auto ns = PlanCaseNotifications(nullptr, f, kNow);
  ASSERT_EQ(Kinds(ns), (std::vector{NotificationKind::kReceipt, NotificationKind::kNextContact}));
  EXPECT_EQ(ns[0].resident_id, std::optional<ResidentId>(42));
  EXPECT_FALSE(ns[0].case_id.has_value());
  EXPECT_EQ(ns[0].queued_at, kNow);
  EXPECT_EQ(ns[1].params.at("date"), "12월 3일");
}

TEST(PlanCaseNotifications, OnlyResidentsWhoAskedThemselvesAreTexted) {
  for (const auto channel :
       {Channel::kThirdParty, Channel::kOutreach, Channel::kAutomatedCheckIn}) {
    EXPECT_TRUE(PlanCaseNotifications(nullptr, ResidentCase(channel), kNow).empty())
        << Code(channel);
  }
  auto anonymous = ResidentCase(Channel::kVisit);
  anonymous.c.resident_id.reset();
  EXPECT_TRUE(PlanCaseNotifications(nullptr, anonymous, kNow).empty());
  EXPECT_EQ(PlanCaseNotifications(nullptr, ResidentCase(Channel::kOnline), kNow).size(), 1U);
}

TEST(PlanCaseNotifications, AnAnswerForTheResidentIsAnnouncedOnce) {
  auto before = ResidentCase(Channel::kOnline);
  before.follow_ups.push_back(Open(1, FollowUpKind::kCounseling, kNow + hours(24)));
  auto after = before;
  Consultation note_only;
  note_only.notes = "통화함";
  after.consultations.push_back(note_only);
  EXPECT_TRUE(PlanCaseNotifications(&before, after, kNow).empty());
  auto answered = after;
  Consultation with_answer;
  with_answer.notes = "통화함";
  with_answer.answer = "주거급여를 신청해 드렸습니다.";
  answered.consultations.push_back(with_answer);
  EXPECT_EQ(Kinds(PlanCaseNotifications(&after, answered, kNow)),
            std::vector{NotificationKind::kAnswered});
  // The same answers again (another change of the case): nothing new to say.
  EXPECT_TRUE(PlanCaseNotifications(&answered, answered, kNow).empty());
  EXPECT_TRUE(ForResident(NotificationKind::kAnswered));
}

TEST(PlanCaseNotifications, AChangeTellsOnlyWhatIsNew) {
  auto before = ResidentCase(Channel::kVisit);
  before.follow_ups.push_back(Open(1, FollowUpKind::kCounseling, kNow + hours(24)));
  // Nothing new: no message (and no second receipt).
  EXPECT_TRUE(PlanCaseNotifications(&before, before, kNow).empty());

  // A referral acceptance check is not a contact with the resident; a new home visit is, and
  // the earliest new contact is the one announced.
  auto after = before;
  after.follow_ups.push_back(Open(0, FollowUpKind::kResolutionCheck, kNow + hours(2)));
  after.follow_ups.push_back(Open(0, FollowUpKind::kHomeVisit, kNow + hours(72)));
  after.follow_ups.push_back(Open(0, FollowUpKind::kWelfareCheck, kNow + hours(48)));
  const auto ns = PlanCaseNotifications(&before, after, kNow);
  ASSERT_EQ(Kinds(ns), (std::vector{NotificationKind::kNextContact}));
  EXPECT_EQ(ns[0].case_id, std::optional<CaseId>(7));
  EXPECT_EQ(ns[0].params.at("date"), "12월 3일");  // kNow + 48 h, in Korea

  auto resolved = before;
  resolved.c.status = CaseStatus::kResolved;
  EXPECT_EQ(Kinds(PlanCaseNotifications(&before, resolved, kNow)),
            (std::vector{NotificationKind::kResolved}));
  // Already resolved (e.g. closed now): not again.
  auto closed = resolved;
  closed.c.status = CaseStatus::kClosed;
  EXPECT_TRUE(PlanCaseNotifications(&resolved, closed, kNow).empty());
  // An erased resident is never texted.
  auto erased = resolved;
  erased.c.erased = true;
  EXPECT_TRUE(PlanCaseNotifications(&before, erased, kNow).empty());
}

TEST(MessageTemplates, EveryKindHasABuiltInTextForEachOfItsChannelsThatValidates) {
  for (const auto kind : AllValues<NotificationKind>()) {
    for (const auto channel : ChannelsFor(kind)) {
      const auto& t = DefaultTemplate(kind, channel);
      EXPECT_EQ(t.kind, kind);
      EXPECT_EQ(t.channel, channel);
      EXPECT_TRUE(ValidateTemplate(kind, channel, t.body).ok()) << Code(kind);
    }
  }
  EXPECT_EQ(ChannelsFor(NotificationKind::kReceipt).size(), 2U);
  EXPECT_EQ(ChannelsFor(NotificationKind::kOverdueDigest),
            std::vector{NotificationChannel::kEmail});
}

TEST(MessageTemplates, ValidationNamesWhatIsWrong) {
  const auto code = [](const Status& s) {
    return s.ok() ? std::string("ok") : s.error().details.at(0).code;
  };
  using K = NotificationKind;
  using C = NotificationChannel;
  EXPECT_EQ(code(ValidateTemplate(K::kReceipt, C::kSms, "접수번호 {{case_number}}")), "ok");
  EXPECT_EQ(code(ValidateTemplate(K::kReceipt, C::kSms, "  ")), "required");
  EXPECT_EQ(code(ValidateTemplate(K::kReceipt, C::kSms, std::string(1001, 'a'))), "too_long");
  EXPECT_EQ(code(ValidateTemplate(K::kReceipt, C::kSms, std::string(1000, 'a'))), "ok");
  // {{date}} belongs to the next-contact message only; {{name}} to none (no personal data).
  EXPECT_EQ(code(ValidateTemplate(K::kReceipt, C::kSms, "{{date}}")), "unknown_placeholder");
  EXPECT_EQ(code(ValidateTemplate(K::kNextContact, C::kSms, "{{date}}")), "ok");
  EXPECT_EQ(code(ValidateTemplate(K::kResolved, C::kSms, "{{name}}님")), "unknown_placeholder");
  EXPECT_EQ(code(ValidateTemplate(K::kResolved, C::kSms, "{{dong")), "unclosed_placeholder");
  EXPECT_EQ(code(ValidateTemplate(K::kOverdueDigest, C::kSms, "{{count}}")), "invalid_channel");
  const auto unknown = ValidateTemplate(K::kReceipt, C::kSms, "{{date}}");
  EXPECT_NE(unknown.error().details[0].message_ko.find("{{case_number}}"), std::string::npos);
}

TEST(MessageTemplates, RenderFillsEveryPlaceholderAndLeavesTheRest) {
  EXPECT_EQ(RenderTemplate(
                "[{{district}}] {{case_number}} / {{dong}} {{missing}}끝",
                {{"district", "마포구"}, {"case_number", "2026-서교-000001"}, {"dong", "서교동"}}),
            "[마포구] 2026-서교-000001 / 서교동 끝");
  EXPECT_EQ(RenderTemplate("no {{ close", {}), "no {{ close");
  EXPECT_EQ(RenderTemplate("", {}), "");
}

TEST(OutboxRetries, BackOffDoublesFromThirtySecondsUpToAnHour) {
  EXPECT_EQ(NextAttemptAt(kNow, 1) - kNow, seconds(30));
  EXPECT_EQ(NextAttemptAt(kNow, 2) - kNow, seconds(60));
  EXPECT_EQ(NextAttemptAt(kNow, 3) - kNow, seconds(120));
  EXPECT_EQ(NextAttemptAt(kNow, 8) - kNow, seconds(3600));
  EXPECT_EQ(NextAttemptAt(kNow, 50) - kNow, seconds(3600));
}

TEST(NotificationCodes, RoundTrip) {
  for (const auto v : AllValues<NotificationKind>()) {
    EXPECT_EQ(Parse<NotificationKind>(Code(v)), v);
  }
  for (const auto v : AllValues<OutboxStatus>()) {
    EXPECT_EQ(Parse<OutboxStatus>(Code(v)), v);
  }
  for (const auto v : AllValues<ContactPreference>()) {
    EXPECT_EQ(Parse<ContactPreference>(Code(v)), v);
  }
  EXPECT_FALSE(Parse<ContactPreference>("fax").has_value());
}

}  // namespace
}  // namespace caredesk::core
