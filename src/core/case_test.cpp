// The pure rules of cases: codes, residents' validation and masking, the
// status machine, the next-step promise, case numbers, and the policy.
#include "core/case.hpp"

#include <gtest/gtest.h>

#include <set>

namespace caredesk::core {
namespace {

TEST(CaseCodes, EveryCodeParsesBackToItsValue) {
  for (const auto v : AllValues<CaseStatus>()) {
    EXPECT_EQ(Parse<CaseStatus>(Code(v)), v);
  }
  for (const auto v : AllValues<Channel>()) {
    EXPECT_EQ(Parse<Channel>(Code(v)), v);
  }
  for (const auto v : AllValues<FollowUpKind>()) {
    EXPECT_EQ(Parse<FollowUpKind>(Code(v)), v);
  }
  EXPECT_EQ(Parse<Channel>("third_party"), Channel::kThirdParty);
  EXPECT_FALSE(Parse<Channel>("fax").has_value());
  EXPECT_FALSE(Parse<Urgency>("").has_value());
}

TEST(Residents, ValidationCollectsEveryProblem) {
  NewResident in;
  in.name = "  ";
  in.birth_date = "1950-02-30";
  in.phone = "12-34";
  in.rrn = "500101-1234567";
  in.household.members = 0;
  const auto r = ValidateNewResident(in, 1, TimePoint{});
  ASSERT_FALSE(r.ok());
  std::set<std::string> fields;
  for (const auto& d : r.error().details) {
    fields.insert(d.field);
  }
  EXPECT_EQ(fields, (std::set<std::string>{"name", "birth_date", "phone", "rrn_legal_basis",
                                           "household.members"}));
}

TEST(Residents, NormalisesPhoneAndKeepsRrnOnlyWithALegalBasis) {
  NewResident in;
  in.name = " 홍길동 ";
  in.birth_date = "1948-02-29";
  in.phone = "010-1234-5678";
  in.rrn = "480229-1234567";
  in.rrn_legal_basis = "국민기초생활 보장법 시행령 제41조";
  const auto r = ValidateNewResident(in, 1, TimePoint{});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "홍길동");
  EXPECT_EQ(r->phone, "01012345678");
  EXPECT_EQ(r->rrn, "4802291234567");
}

TEST(Masking, HidesTheMiddleOfEachIdentifier) {
  EXPECT_EQ(MaskPhone("01012345678"), "010-****-5678");
  EXPECT_EQ(MaskPhone("0212345678"), "02-****-5678");
  EXPECT_EQ(MaskName("홍길동"), "홍*동");
  EXPECT_EQ(MaskName("김구"), "김*");
  EXPECT_EQ(MaskName("남궁민수"), "남**수");
  EXPECT_EQ(MaskBirthDate("1948-02-29"), "1948-**-**");
  EXPECT_EQ(MaskAddress("서울 마포구 월드컵로 212 3층"), "서울 마포구 ***");
  EXPECT_EQ(MaskRrn("4802291234567"), "480229-1******");
  EXPECT_EQ(MaskPhone(""), "");
}

TEST(StatusMachine, RefusesIllegalTransitionsAndNamesTheAllowedOnes) {
  EXPECT_TRUE(CheckTransition(CaseStatus::kReceived, CaseStatus::kInConsultation).ok());
  EXPECT_TRUE(CheckTransition(CaseStatus::kResolved, CaseStatus::kClosed).ok());
  EXPECT_TRUE(CheckTransition(CaseStatus::kClosed, CaseStatus::kInConsultation).ok());
  const auto bad = CheckTransition(CaseStatus::kReceived, CaseStatus::kClosed);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kConflict);
  EXPECT_NE(bad.error().message.find("in_consultation"), std::string::npos);
  EXPECT_EQ(bad.error().details.size(), AllowedTransitions(CaseStatus::kReceived).size());
  EXPECT_FALSE(CheckTransition(CaseStatus::kClosed, CaseStatus::kResolved).ok());
}

TEST(NextStep, AnOpenCaseNeedsAnOpenFollowUpOrReferral) {
  CaseFile file;
  file.c.status = CaseStatus::kInConsultation;
  const auto refused = CheckNextStepRule(file);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRuleViolated);
  EXPECT_EQ(refused.error().details.at(0).code, "next_step_required");

  FollowUp done;
  done.owner_id = 7;
  done.status = FollowUpStatus::kDone;
  file.follow_ups.push_back(done);
  EXPECT_FALSE(CheckNextStepRule(file).ok());  // a done follow-up is no next step

  Referral r;
  r.referred_by = 7;
  r.status = ReferralStatus::kAccepted;
  file.referrals.push_back(r);
  EXPECT_TRUE(CheckNextStepRule(file).ok());

  file.referrals[0].status = ReferralStatus::kDeclined;
  EXPECT_FALSE(CheckNextStepRule(file).ok());
  file.c.status = CaseStatus::kClosed;
  EXPECT_TRUE(CheckNextStepRule(file).ok());  // closed cases need nothing
}

TEST(NextStep, TheEarliestDueStepIsTheNextDue) {
  CaseFile file;
  FollowUp a;
  a.due_at = TimePoint(std::chrono::hours(50));
  FollowUp b;
  b.due_at = TimePoint(std::chrono::hours(20));
  b.status = FollowUpStatus::kDone;
  Referral r;
  r.accept_due_at = TimePoint(std::chrono::hours(30));
  file.follow_ups = {a, b};
  file.referrals = {r};
  EXPECT_EQ(file.NextStepDue(), TimePoint(std::chrono::hours(30)));
}

TEST(CaseNumbers, YearDongAndSixDigits) {
  EXPECT_EQ(FormatCaseNumber(2026, "서교", 123), "2026-서교-000123");
  EXPECT_EQ(FormatCaseNumber(2027, "망원1", 1), "2027-망원1-000001");
}

Actor MakeActor(Role role, std::optional<DongId> dong, UserId id = 10) {
  Actor a;
  a.user_id = id;
  a.district_id = 1;
  a.role = role;
  a.dong_id = dong;
  return a;
}

ResourceScope CaseIn(DongId dong, std::vector<UserId> involved = {99}) {
  ResourceScope s;
  s.district_id = 1;
  s.dong_id = dong;
  s.involved_users = std::move(involved);
  return s;
}

TEST(CasePolicy, DongCounselorsSeeTheirDongAndWhatIsSharedWithThem) {
  const auto kim = MakeActor(Role::kCounselor, 3);
  EXPECT_EQ(Authorize(kim, Action::kViewCase, CaseIn(3)), Decision::kAllow);
  EXPECT_EQ(Authorize(kim, Action::kViewCase, CaseIn(4)), Decision::kHidden);
  EXPECT_EQ(Authorize(kim, Action::kViewCase, CaseIn(4, {99, 10})), Decision::kAllow);
  EXPECT_EQ(Authorize(kim, Action::kCreateCase, CaseIn(4)), Decision::kForbidden);
  EXPECT_EQ(Authorize(kim, Action::kCreateCase, CaseIn(3)), Decision::kAllow);
}

TEST(CasePolicy, SupervisorsSeeTheirScopeAndOthersNeverOpenACase) {
  EXPECT_EQ(Authorize(MakeActor(Role::kSupervisor, std::nullopt), Action::kViewCase, CaseIn(4)),
            Decision::kAllow);
  EXPECT_EQ(Authorize(MakeActor(Role::kSupervisor, 3), Action::kWorkCase, CaseIn(4)),
            Decision::kHidden);
  for (const auto role : {Role::kAdmin, Role::kAuditor, Role::kAgencyOfficer}) {
    EXPECT_EQ(Authorize(MakeActor(role, 3), Action::kViewCase, CaseIn(3)), Decision::kForbidden);
    EXPECT_EQ(Authorize(MakeActor(role, 3), Action::kViewCases), Decision::kForbidden);
  }
  auto officer = MakeActor(Role::kAgencyOfficer, std::nullopt);
  officer.agency_id = 5;
  ResourceScope referral;
  referral.district_id = 1;
  referral.agency_id = 5;
  EXPECT_EQ(Authorize(officer, Action::kRespondReferral, referral), Decision::kAllow);
  referral.agency_id = 6;
  EXPECT_EQ(Authorize(officer, Action::kRespondReferral, referral), Decision::kHidden);
  EXPECT_EQ(Authorize(MakeActor(Role::kCounselor, 3), Action::kRespondReferral, referral),
            Decision::kForbidden);
  ResourceScope other_district = CaseIn(3);
  other_district.district_id = 2;
  EXPECT_EQ(Authorize(MakeActor(Role::kCounselor, 3), Action::kViewCase, other_district),
            Decision::kHidden);
}

}  // namespace
}  // namespace caredesk::core
