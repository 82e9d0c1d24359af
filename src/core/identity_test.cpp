#include "core/identity.hpp"

#include <gtest/gtest.h>

namespace caredesk::core {
namespace {

using namespace std::chrono_literals;

TEST(PasswordPolicy, FollowsTheSafeguardsStandard) {
  EXPECT_TRUE(CheckPasswordPolicy("Abcdefg1", "kim").ok());     // 8 chars, 3 classes
  EXPECT_TRUE(CheckPasswordPolicy("abcdefgh12", "kim").ok());   // 10 chars, 2 classes
  EXPECT_FALSE(CheckPasswordPolicy("abcdefg1", "kim").ok());    // 8 chars, 2 classes
  EXPECT_FALSE(CheckPasswordPolicy("Abcdef1", "kim").ok());     // 7 chars
  EXPECT_FALSE(CheckPasswordPolicy("abcdefghij", "kim").ok());  // 1 class
  EXPECT_FALSE(CheckPasswordPolicy(std::string(129, 'a') + "A1", "kim").ok());
}

TEST(PasswordPolicy, RejectsPasswordsContainingTheLogin) {
  auto s = CheckPasswordPolicy("Counselor.Kim2026", "kim");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().details[0].code, "contains_login");
  EXPECT_FALSE(s.error().details[0].message_ko.empty());
}

TEST(Session, ExpiresWhenIdleOrTooOldOrRevoked) {
  SecurityPolicy policy;
  const TimePoint t0{std::chrono::hours(1000)};
  Session s;
  s.created_at = t0;
  s.last_seen_at = t0;
  s.expires_at = t0 + policy.session_absolute;
  EXPECT_EQ(EvaluateSession(s, t0 + 29min, policy), SessionState::kValid);
  EXPECT_EQ(EvaluateSession(s, t0 + 30min, policy), SessionState::kIdleExpired);
  s.last_seen_at = t0 + 11h + 59min;
  EXPECT_EQ(EvaluateSession(s, t0 + 12h, policy), SessionState::kExpired);
  s.last_seen_at = t0;
  s.revoked_at = t0 + 1min;
  EXPECT_EQ(EvaluateSession(s, t0 + 2min, policy), SessionState::kRevoked);
}

TEST(Lockout, LockedOnlyUntilTheGivenTime) {
  User u;
  const TimePoint t0{std::chrono::hours(1000)};
  EXPECT_FALSE(IsLocked(u, t0));
  u.locked_until = t0 + 30min;
  EXPECT_TRUE(IsLocked(u, t0 + 29min));
  EXPECT_FALSE(IsLocked(u, t0 + 30min));
}

TEST(Authorize, AdministrationIsForAdminsAndOtherDistrictsAreHidden) {
  for (const Role role : AllRoles()) {
    Actor a;
    a.district_id = 1;
    a.role = role;
    const bool admin = role == Role::kAdmin;
    EXPECT_EQ(Authorize(a, Action::kViewDirectory), Decision::kAllow);
    EXPECT_EQ(Authorize(a, Action::kManageOwnAccount), Decision::kAllow);
    EXPECT_EQ(Authorize(a, Action::kManageUsers), admin ? Decision::kAllow : Decision::kForbidden)
        << RoleCode(role);
    EXPECT_EQ(Authorize(a, Action::kViewAccessLog),
              admin ? Decision::kAllow : Decision::kForbidden);
    EXPECT_EQ(Authorize(a, Action::kManageDirectory),
              admin ? Decision::kAllow : Decision::kForbidden);
    EXPECT_EQ(Authorize(a, Action::kViewDirectory, ResourceScope{2, std::nullopt}),
              Decision::kHidden);
  }
  EXPECT_EQ(DecisionError(Decision::kHidden).code, ErrorCode::kNotFound);
  EXPECT_EQ(DecisionError(Decision::kForbidden).code, ErrorCode::kForbidden);
}

Actor ActorAs(Role role, std::optional<DongId> dong, UserId id = 7) {
  Actor a;
  a.user_id = id;
  a.district_id = 1;
  a.role = role;
  a.dong_id = dong;
  return a;
}

ResourceScope DongScope(DongId dong) {
  ResourceScope s;
  s.dong_id = dong;
  return s;
}

TEST(Authorize, TheFollowUpCalendarIsForCaseWorkersOfTheirOwnDong) {
  constexpr DongId kOwn = 1;
  constexpr DongId kOther = 2;
  for (const Role role : {Role::kCounselor, Role::kCaseManager, Role::kSupervisor}) {
    const auto a = ActorAs(role, kOwn);
    EXPECT_EQ(Authorize(a, Action::kViewDongWork), Decision::kAllow) << RoleCode(role);
    EXPECT_EQ(Authorize(a, Action::kViewDongWork, DongScope(kOwn)), Decision::kAllow);
    EXPECT_EQ(Authorize(a, Action::kViewDongWork, DongScope(kOther)), Decision::kForbidden);
  }
  EXPECT_EQ(
      Authorize(ActorAs(Role::kSupervisor, std::nullopt), Action::kViewDongWork, DongScope(kOther)),
      Decision::kAllow);
  // The district desk (a counselor without a dong) lists only what it works on.
  EXPECT_EQ(
      Authorize(ActorAs(Role::kCounselor, std::nullopt), Action::kViewDongWork, DongScope(kOwn)),
      Decision::kForbidden);
  for (const Role role : {Role::kAgencyOfficer, Role::kAuditor, Role::kAdmin}) {
    EXPECT_EQ(Authorize(ActorAs(role, std::nullopt), Action::kViewDongWork), Decision::kForbidden)
        << RoleCode(role);
  }
}

TEST(Authorize, AggregatesAreForCaseWorkersAndAuditorsNeverForAgenciesOrAdmins) {
  constexpr DongId kOwn = 1;
  constexpr DongId kOther = 2;
  const auto counselor = ActorAs(Role::kCounselor, kOwn);
  EXPECT_EQ(Authorize(counselor, Action::kViewStats, DongScope(kOwn)), Decision::kAllow);
  EXPECT_EQ(Authorize(counselor, Action::kViewStats, DongScope(kOther)), Decision::kForbidden);
  EXPECT_EQ(Authorize(counselor, Action::kViewDistrictStats), Decision::kForbidden);
  const auto auditor = ActorAs(Role::kAuditor, std::nullopt);
  EXPECT_EQ(Authorize(auditor, Action::kViewStats, DongScope(kOther)), Decision::kAllow);
  EXPECT_EQ(Authorize(auditor, Action::kViewDistrictStats), Decision::kAllow);
  const auto supervisor = ActorAs(Role::kSupervisor, std::nullopt);
  EXPECT_EQ(Authorize(supervisor, Action::kViewStats, DongScope(kOther)), Decision::kAllow);
  EXPECT_EQ(Authorize(supervisor, Action::kViewDistrictStats), Decision::kAllow);
  const auto dong_supervisor = ActorAs(Role::kSupervisor, kOwn);
  EXPECT_EQ(Authorize(dong_supervisor, Action::kViewStats, DongScope(kOther)),
            Decision::kForbidden);
  EXPECT_EQ(Authorize(dong_supervisor, Action::kViewDistrictStats), Decision::kForbidden);
  for (const Role role : {Role::kAgencyOfficer, Role::kAdmin}) {
    EXPECT_EQ(Authorize(ActorAs(role, std::nullopt), Action::kViewStats), Decision::kForbidden);
    EXPECT_EQ(Authorize(ActorAs(role, std::nullopt), Action::kViewDistrictStats),
              Decision::kForbidden);
  }
}

TEST(Authorize, SavedFiltersBelongToTheirOwnerAndCategorySuggestionsToEveryone) {
  const auto me = ActorAs(Role::kCounselor, 1, 7);
  ResourceScope mine;
  mine.owner_id = 7;
  ResourceScope theirs;
  theirs.owner_id = 8;
  EXPECT_EQ(Authorize(me, Action::kManageSavedFilters), Decision::kAllow);
  EXPECT_EQ(Authorize(me, Action::kManageSavedFilters, mine), Decision::kAllow);
  EXPECT_EQ(Authorize(me, Action::kManageSavedFilters, theirs), Decision::kHidden);
  EXPECT_EQ(Authorize(ActorAs(Role::kAuditor, std::nullopt), Action::kManageSavedFilters),
            Decision::kForbidden);
  for (const Role role : AllRoles()) {
    EXPECT_EQ(Authorize(ActorAs(role, std::nullopt), Action::kSuggestCategory), Decision::kAllow);
  }
}

TEST(Authorize, TheStaffDirectoryIsForCaseWorkersAndAdminsOnly) {
  for (const Role role : AllRoles()) {
    const bool may = role == Role::kCounselor || role == Role::kCaseManager ||
                     role == Role::kSupervisor || role == Role::kAdmin;
    EXPECT_EQ(Authorize(ActorAs(role, 1), Action::kViewStaffDirectory),
              may ? Decision::kAllow : Decision::kForbidden)
        << RoleCode(role);
    EXPECT_EQ(Authorize(ActorAs(role, std::nullopt), Action::kViewStaffDirectory),
              may ? Decision::kAllow : Decision::kForbidden)
        << RoleCode(role);
  }
}

TEST(Roles, RoundTripTheirCodes) {
  for (const Role role : AllRoles()) {
    EXPECT_EQ(ParseRole(RoleCode(role)), role);
  }
  EXPECT_FALSE(ParseRole("root").has_value());
}

TEST(Authorize, OnlyAnAdminRetrainsTheTriage) {
  // Retraining reads the corrections, which are residents' own words from the cases.
  for (const Role role : AllRoles()) {
    EXPECT_EQ(Authorize(ActorAs(role, std::nullopt), Action::kManageTriage),
              role == Role::kAdmin ? Decision::kAllow : Decision::kForbidden)
        << RoleCode(role);
  }
}

}  // namespace
}  // namespace caredesk::core
