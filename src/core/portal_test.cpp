#include "core/portal.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/working_days.hpp"

namespace caredesk::core {
namespace {

using std::chrono::minutes;

std::vector<std::string> Fields(const Error& e) {
  std::vector<std::string> out;
  for (const auto& d : e.details) {
    out.push_back(d.field + ":" + d.code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

PortalRequest Ask() {
  PortalRequest r;
  r.kind = "ask";
  r.text = "월세가 밀려서 걱정입니다.";
  r.dong_id = 3;
  r.name = " 김민수 ";
  r.phone = "010-2345-6789";
  return r;
}

TEST(PortalRequest, AnAskNeedsTextDongNameAndPhone) {
  PortalRequest r;
  const auto v = ValidatePortalRequest(r);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().code, ErrorCode::kValidationFailed);
  EXPECT_EQ(Fields(v.error()), (std::vector<std::string>{"dong_id:required", "name:required",
                                                         "phone:required", "text:required"}));
  // Every message has a Korean text for the form.
  for (const auto& d : v.error().details) {
    EXPECT_FALSE(d.message_ko.empty()) << d.field;
  }
}

TEST(PortalRequest, AValidAskIsNormalised) {
  auto r = Ask();
  r.contact_way = "sms";
  r.contact_time = "afternoon";
  const auto v = ValidatePortalRequest(r);
  ASSERT_TRUE(v.ok()) << Fields(v.error()).front();
  EXPECT_EQ(v->kind, PortalKind::kAsk);
  EXPECT_EQ(v->name, "김민수");
  EXPECT_EQ(v->phone, "01023456789");
  EXPECT_EQ(v->contact_way, ContactWay::kSms);
  EXPECT_EQ(v->contact_time, ContactTime::kAfternoon);
  EXPECT_EQ(PortalSummary(*v), "월세가 밀려서 걱정입니다.");
  EXPECT_NE(PortalFollowUpNote(*v).find("문자, 오후(12~18시)"), std::string::npos);
}

TEST(PortalRequest, BadChoicesPhonesAndLengthsAreNamed) {
  auto r = Ask();
  r.phone = "12345";
  r.contact_way = "pigeon";
  r.contact_time = "midnight";
  r.text = std::string(kMaxPortalTextChars + 1, 'a');
  const auto v = ValidatePortalRequest(r);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(Fields(v.error()),
            (std::vector<std::string>{"contact_time:invalid_value", "contact_way:invalid_value",
                                      "phone:invalid_phone", "text:too_long"}));
  r = Ask();
  r.text = "가";
  EXPECT_EQ(Fields(ValidatePortalRequest(r).error()), std::vector<std::string>{"text:too_short"});
  r.text = "\xff\xfe";
  EXPECT_EQ(Fields(ValidatePortalRequest(r).error()),
            std::vector<std::string>{"text:invalid_utf8"});
  r = Ask();
  r.kind = "complain";
  EXPECT_EQ(Fields(ValidatePortalRequest(r).error()),
            std::vector<std::string>{"kind:invalid_value"});
}

TEST(PortalRequest, AReportNeedsThePlaceButNoContact) {
  PortalRequest r;
  r.kind = "report";
  r.text = "옆집 할머니가 며칠째 안 보이세요.";
  r.dong_id = 2;
  EXPECT_EQ(Fields(ValidatePortalRequest(r).error()), std::vector<std::string>{"place:required"});
  r.place = "서교동 ○○빌라 2층";
  const auto v = ValidatePortalRequest(r);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->reporter_phone.empty());
  EXPECT_FALSE(v->texts);  // nobody asked to be texted
  EXPECT_EQ(PortalSummary(*v), "옆집 할머니가 며칠째 안 보이세요.\n[본 장소] 서교동 ○○빌라 2층");
  EXPECT_NE(PortalFollowUpNote(*v).find("신고자 연락처 없음"), std::string::npos);
  r.reporter_phone = "0101";
  EXPECT_EQ(Fields(ValidatePortalRequest(r).error()),
            std::vector<std::string>{"reporter_phone:invalid_phone"});
}

TEST(PortalRequest, TheHoneypotMarksARobot) {
  auto r = Ask();
  EXPECT_FALSE(IsRobot(r));
  r.website = "http://spam.example";
  EXPECT_TRUE(IsRobot(r));
  r.website = "   ";
  EXPECT_FALSE(IsRobot(r));
}

TEST(Receipt, IsReadAsResidentsTypeIt) {
  EXPECT_EQ(NormalizeReceipt("2026-서교-000123"), "2026-서교-000123");
  EXPECT_EQ(NormalizeReceipt(" 2026 서교 123 "), "2026-서교-000123");
  EXPECT_EQ(NormalizeReceipt("2026서교123"), "2026-서교-000123");
  EXPECT_EQ(NormalizeReceipt("2026-서교-000123\n"), "2026-서교-000123");
  EXPECT_EQ(NormalizeReceipt("2026-서교-"), std::nullopt);
  EXPECT_EQ(NormalizeReceipt("2026-000123"), std::nullopt);
  EXPECT_EQ(NormalizeReceipt("20a6-서교-1"), std::nullopt);
  EXPECT_EQ(NormalizeReceipt("2026-서교-1234567"), std::nullopt);
  EXPECT_EQ(NormalizeReceipt("2026-서교-12-3서"), std::nullopt);
  // A short name that ends in a digit (망원1동 -> 망원1).
  EXPECT_EQ(NormalizeReceipt("2026-망원1-000001"), "2026-망원1-000001");
  EXPECT_EQ(NormalizeReceipt("2026 망원1 1"), "2026-망원1-000001");
  EXPECT_EQ(NormalizeReceipt("2026망원1000001"), "2026-망원1-000001");
  EXPECT_EQ(NormalizeReceipt("2026-1-000001"), std::nullopt);
  EXPECT_EQ(NormalizeReceipt("2026-서교-abc"), std::nullopt);
  EXPECT_EQ(NormalizeReceipt(""), std::nullopt);
}

TEST(PublicStatus, TellsResidentsFewerThingsThanCounselors) {
  EXPECT_EQ(PublicStatusOf(CaseStatus::kReceived).code, "received");
  EXPECT_EQ(PublicStatusOf(CaseStatus::kInConsultation).code, "in_progress");
  EXPECT_EQ(PublicStatusOf(CaseStatus::kOngoing).code, "in_progress");
  EXPECT_EQ(PublicStatusOf(CaseStatus::kCaseManagement).code, "in_progress");
  EXPECT_EQ(PublicStatusOf(CaseStatus::kReferred).code, "referred");
  EXPECT_EQ(PublicStatusOf(CaseStatus::kResolved).code, "resolved");
  EXPECT_EQ(PublicStatusOf(CaseStatus::kClosed).label_ko, "종결");
}

TEST(Lookup, ChecksTheAskersPhoneOnly) {
  Case c;
  Resident r;
  r.phone = "01098765432";
  c.channel = Channel::kOnline;
  EXPECT_EQ(LookupPhoneOf(c, r), "01098765432");
  c.channel = Channel::kVisit;
  EXPECT_EQ(LookupPhoneOf(c, r), "01098765432");
  r.erased = true;
  EXPECT_EQ(LookupPhoneOf(c, r), "");
  c.channel = Channel::kThirdParty;
  c.reporter = {ReporterKind::kThirdParty, "이웃", "이웃", "010-1111-2222"};
  EXPECT_EQ(LookupPhoneOf(c, std::nullopt), "01011112222");
  c.channel = Channel::kOutreach;
  EXPECT_EQ(LookupPhoneOf(c, r), "");
  c.channel = Channel::kAutomatedCheckIn;
  EXPECT_EQ(LookupPhoneOf(c, r), "");

  EXPECT_TRUE(Last4Matches("01098765432", "5432"));
  EXPECT_FALSE(Last4Matches("01098765432", "5431"));
  EXPECT_FALSE(Last4Matches("", "5432"));
  EXPECT_FALSE(Last4Matches("01098765432", "432"));
}

TEST(Lookup, FiveWrongGuessesLockTheReceipt) {
  const TimePoint t0 = std::chrono::sys_days{std::chrono::year{2026} / 12 / 2};
  LookupThrottleState s;
  for (int i = 1; i < kMaxLookupFailures; ++i) {
    s = AfterFailure(s, t0 + minutes(i));
    EXPECT_EQ(s.failures, i);
    EXPECT_FALSE(IsLocked(s, t0 + minutes(i)));
  }
  s = AfterFailure(s, t0 + minutes(5));
  ASSERT_TRUE(IsLocked(s, t0 + minutes(5)));
  EXPECT_TRUE(IsLocked(s, t0 + minutes(19)));
  EXPECT_FALSE(IsLocked(s, t0 + minutes(20)));
  // After the lock the count starts again.
  s = AfterFailure(s, t0 + minutes(21));
  EXPECT_EQ(s.failures, 1);
  // Guesses spread out more than the window never lock.
  LookupThrottleState slow;
  for (int i = 0; i < 20; ++i) {
    const TimePoint at = t0 + i * (kLookupWindow + minutes(1)) / 4;  // 4 per window + 1 min
    slow = AfterFailure(slow, at);
    EXPECT_FALSE(IsLocked(slow, at)) << i;
  }
}

TEST(Lookup, ShowsStatusNextStepAndAnswersButNoNotes) {
  CaseFile f;
  f.c.number = "2026-서교-000007";
  f.c.received_on = "2026-12-01";
  f.c.status = CaseStatus::kInConsultation;
  f.c.primary_category = "housing";
  Consultation quiet;
  quiet.at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + std::chrono::hours(3);
  quiet.notes = "집주인과 갈등, 음주 문제 언급";  // the counselor's, never shown
  Consultation answered = quiet;
  answered.at += std::chrono::hours(2);
  answered.answer = "주거급여 신청을 도와드리겠습니다. 목요일에 전화드릴게요.";
  f.consultations = {answered, quiet};
  FollowUp next;
  next.due_at = std::chrono::sys_days{std::chrono::year{2026} / 12 / 3} + std::chrono::hours(5);
  next.owner_id = 4;
  f.follow_ups = {next};
  const auto v = PublicViewOf(f, "서교동");
  EXPECT_EQ(v.receipt, "2026-서교-000007");
  EXPECT_EQ(v.status.code, "in_progress");
  EXPECT_EQ(v.dong_name, "서교동");
  ASSERT_TRUE(v.next_step_on.has_value());
  EXPECT_EQ(FormatDate(*v.next_step_on), "2026-12-03");
  ASSERT_EQ(v.answers.size(), 1U);
  EXPECT_EQ(v.answers[0].text, answered.answer);
  // A resolved case has no next step to show.
  f.c.status = CaseStatus::kResolved;
  f.c.resolved_at = next.due_at;
  const auto done = PublicViewOf(f, "서교동");
  EXPECT_FALSE(done.next_step_on.has_value());
  ASSERT_TRUE(done.resolved_on.has_value());
}

}  // namespace
}  // namespace caredesk::core
