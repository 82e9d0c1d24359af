#include "core/identity.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"

namespace caredesk::core {
namespace {

struct RoleName {
  Role role;
  std::string_view code;
};

constexpr RoleName kRoles[] = {
    {Role::kCounselor, "counselor"},
    {Role::kCaseManager, "case_manager"},
    {Role::kAgencyOfficer, "agency_officer"},
    {Role::kSupervisor, "supervisor"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::string_view RoleCode(Role role) {
  for (const auto& r : kRoles) {
    if (r.role == role) {
      return r.code;
    }
  }
  return "counselor";
}

std::optional<Role> ParseRole(std::string_view code) {
  for (const auto& r : kRoles) {
    if (r.code == code) {
      return r.role;
    }
  }
  return std::nullopt;
}

std::vector<Role> AllRoles() {
  std::vector<Role> out;
  for (const auto& r : kRoles) {
    out.push_back(r.role);
  }
  return out;
}

bool IsSupportedLocale(std::string_view locale) {
  return std::find(std::begin(kLocales), std::end(kLocales), locale) != std::end(kLocales);
}

Actor ActorOf(const User& user, std::string ip) {
  return Actor{user.id, user.district_id, user.role, user.dong_id, user.agency_id, std::move(ip)};
}

Status CheckPasswordPolicy(std::string_view password, std::string_view login) {
  constexpr std::size_t kMinWithThreeClasses = 8;
  constexpr std::size_t kMinWithTwoClasses = 10;
  std::vector<FieldViolation> v;
  bool upper = false;
  bool lower = false;
  bool digit = false;
  bool symbol = false;
  for (const char ch : password) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isupper(c) != 0) {
      upper = true;
    } else if (std::islower(c) != 0) {
      lower = true;
    } else if (std::isdigit(c) != 0) {
      digit = true;
    } else {
      symbol = true;
    }
  }
  const int classes = int{upper} + int{lower} + int{digit} + int{symbol};
  const std::size_t length = CodePointCount(password);
  const bool long_enough = (classes >= 3 && length >= kMinWithThreeClasses) ||
                           (classes >= 2 && length >= kMinWithTwoClasses);
  if (!IsValidUtf8(password) || length > kMaxPasswordChars) {
    v.push_back({"password", "invalid", "Passwords must be valid text of at most 128 characters.",
                 "비밀번호는 128자 이하의 올바른 문자여야 합니다."});
  } else if (!long_enough) {
    v.push_back({"password", "too_weak",
                 "Use at least 10 characters mixing two of upper case, lower case, digits and "
                 "symbols, or 8 characters mixing three.",
                 "영문 대문자·소문자·숫자·특수문자 중 2종류 이상을 조합해 10자 이상, 또는 3종류 "
                 "이상을 조합해 8자 이상으로 정해 주세요."});
  }
  if (!login.empty() && Lower(password).find(Lower(login)) != std::string::npos) {
    v.push_back({"password", "contains_login", "The password must not contain the login name.",
                 "비밀번호에 아이디를 포함할 수 없습니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return {};
}

bool IsLocked(const User& user, TimePoint now) {
  return user.locked_until.has_value() && *user.locked_until > now;
}

SessionState EvaluateSession(const Session& s, TimePoint now, const SecurityPolicy& policy) {
  if (s.revoked_at) {
    return SessionState::kRevoked;
  }
  if (now >= s.expires_at) {
    return SessionState::kExpired;
  }
  if (now - s.last_seen_at >= policy.session_idle) {
    return SessionState::kIdleExpired;
  }
  return SessionState::kValid;
}

namespace {

bool WorksOnCases(Role role) {
  return role == Role::kCounselor || role == Role::kCaseManager || role == Role::kSupervisor;
}

// Whether a case worker may see a record with `scope`: a dong-less supervisor
// sees the district; everyone else their dong plus what they work on or was
// shared with them. A dong-less counselor (the district desk) sees only the latter.
bool CaseInReach(const Actor& actor, const ResourceScope& scope) {
  if (actor.role == Role::kSupervisor && !actor.dong_id) {
    return true;
  }
  if (actor.dong_id && scope.dong_id && *actor.dong_id == *scope.dong_id) {
    return true;
  }
  return std::find(scope.involved_users.begin(), scope.involved_users.end(), actor.user_id) !=
         scope.involved_users.end();
}

Decision CaseDecision(const Actor& actor, Action action, const ResourceScope& scope) {
  if (action == Action::kRespondReferral) {
    if (actor.role != Role::kAgencyOfficer) {
      return Decision::kForbidden;
    }
    if (!scope.agency_id) {
      return Decision::kAllow;  // collection level: the own inbox
    }
    return actor.agency_id && *actor.agency_id == *scope.agency_id ? Decision::kAllow
                                                                   : Decision::kHidden;
  }
  if (action == Action::kEraseResident) {
    // Lawful erasure reveals nothing; a district-wide supervisor or an admin decides it.
    const bool may =
        actor.role == Role::kAdmin || (actor.role == Role::kSupervisor && !actor.dong_id);
    return may ? Decision::kAllow : Decision::kForbidden;
  }
  if (!WorksOnCases(actor.role)) {
    // Auditors read aggregates, admins run the system, agencies see referrals only:
    // none of them opens a case or a resident.
    return Decision::kForbidden;
  }
  if (action == Action::kCreateCase) {
    // Intake in the own dong; the district desk and district-wide supervisors take any dong.
    const bool other_dong = actor.dong_id && scope.dong_id && *actor.dong_id != *scope.dong_id;
    return other_dong ? Decision::kForbidden : Decision::kAllow;
  }
  if (!scope.dong_id && scope.involved_users.empty()) {
    return Decision::kAllow;  // collection level
  }
  return CaseInReach(actor, scope) ? Decision::kAllow : Decision::kHidden;
}

// Aggregates reveal no personal data: case workers read their dong's,
// auditors and district-wide supervisors the whole district's.
Decision StatsDecision(const Actor& actor, Action action, const ResourceScope& scope) {
  const bool district_wide =
      actor.role == Role::kAuditor || (actor.role == Role::kSupervisor && !actor.dong_id);
  if (action == Action::kViewDistrictStats) {
    return district_wide ? Decision::kAllow : Decision::kForbidden;
  }
  if (!WorksOnCases(actor.role) && actor.role != Role::kAuditor) {
    return Decision::kForbidden;
  }
  if (!scope.dong_id || district_wide) {
    return Decision::kAllow;
  }
  return actor.dong_id && *actor.dong_id == *scope.dong_id ? Decision::kAllow
                                                           : Decision::kForbidden;
}

Decision ReportDecision(const Actor& actor, Action action, const ResourceScope& scope) {
  const bool district_wide =
      actor.role == Role::kAuditor || (actor.role == Role::kSupervisor && !actor.dong_id);
  const bool own_dong = actor.dong_id && scope.dong_id && *actor.dong_id == *scope.dong_id;
  // Without a district or a dong in the scope: may the role do this at all.
  const bool collection = !scope.district_id && !scope.dong_id && !scope.owner_id;
  switch (action) {
    case Action::kViewReports:
      if (!WorksOnCases(actor.role) && actor.role != Role::kAuditor) {
        return Decision::kForbidden;
      }
      return collection || district_wide || own_dong ? Decision::kAllow : Decision::kForbidden;
    case Action::kManageReports:
      if (actor.role != Role::kSupervisor) {
        return Decision::kForbidden;
      }
      return collection || !actor.dong_id || own_dong ? Decision::kAllow : Decision::kForbidden;
    case Action::kViewWorkReport:
    case Action::kCommentWorkReport: {
      const bool reader = action == Action::kViewWorkReport && actor.role == Role::kAuditor;
      if (reader) {
        return Decision::kAllow;
      }
      if (!WorksOnCases(actor.role)) {
        return Decision::kForbidden;
      }
      if (collection) {
        return Decision::kAllow;
      }
      if (scope.owner_id) {
        if (*scope.owner_id == actor.user_id) {
          return Decision::kAllow;
        }
        // A colleague's: their supervisor (same dong) or a district-wide one.
        const bool supervises = actor.role == Role::kSupervisor &&
                                (!actor.dong_id || own_dong);
        return supervises ? Decision::kAllow : Decision::kForbidden;
      }
      // A dong's: its staff read it, its supervisor (or a district-wide one) comments.
      if (action == Action::kViewWorkReport) {
        return own_dong || (actor.role == Role::kSupervisor && !actor.dong_id)
                   ? Decision::kAllow
                   : Decision::kForbidden;
      }
      return actor.role == Role::kSupervisor && (!actor.dong_id || own_dong)
                 ? Decision::kAllow
                 : Decision::kForbidden;
    }
    default:
      return Decision::kForbidden;
  }
}

Decision WorkDecision(const Actor& actor, Action action, const ResourceScope& scope) {
  if (!WorksOnCases(actor.role)) {
    return Decision::kForbidden;
  }
  if (action == Action::kManageSavedFilters) {
    if (!scope.owner_id) {
      return Decision::kAllow;  // collection level: the own filters
    }
    return *scope.owner_id == actor.user_id ? Decision::kAllow : Decision::kHidden;
  }
  // kViewDongWork
  if (!scope.dong_id || (actor.role == Role::kSupervisor && !actor.dong_id)) {
    return Decision::kAllow;
  }
  return actor.dong_id && *actor.dong_id == *scope.dong_id ? Decision::kAllow
                                                           : Decision::kForbidden;
}

}  // namespace

Decision Authorize(const Actor& actor, Action action, const ResourceScope& scope) {
  // Records of another district do not exist for this actor.
  if (scope.district_id && *scope.district_id != actor.district_id) {
    return Decision::kHidden;
  }
  switch (action) {
    case Action::kViewDirectory:
    case Action::kManageOwnAccount:
    case Action::kSuggestCategory:
      return Decision::kAllow;
    case Action::kViewStaffDirectory:
      // Agency officers see referrals, auditors aggregates: neither needs colleagues' names.
      return WorksOnCases(actor.role) || actor.role == Role::kAdmin ? Decision::kAllow
                                                                    : Decision::kForbidden;
    case Action::kManageDirectory:
    case Action::kViewUsers:
    case Action::kManageUsers:
    case Action::kViewAccessLog:
    case Action::kManageCalendar:
    case Action::kManageTriage:
    case Action::kManageNotifications:
    case Action::kManageScreeningModel:
    case Action::kManageOpen311Clients:
      return actor.role == Role::kAdmin ? Decision::kAllow : Decision::kForbidden;
    case Action::kRunScreening:
      return actor.role == Role::kSupervisor && !actor.dong_id ? Decision::kAllow
                                                               : Decision::kForbidden;
    case Action::kViewScreeningModel:
      return WorksOnCases(actor.role) || actor.role == Role::kAdmin ||
                     actor.role == Role::kAuditor
                 ? Decision::kAllow
                 : Decision::kForbidden;
    case Action::kViewCases:
    case Action::kViewCase:
    case Action::kCreateCase:
    case Action::kWorkCase:
    case Action::kRespondReferral:
    case Action::kViewResident:
    case Action::kUnmaskResident:
    case Action::kEraseResident:
      return CaseDecision(actor, action, scope);
    case Action::kViewStats:
    case Action::kViewDistrictStats:
      return StatsDecision(actor, action, scope);
    case Action::kViewReports:
    case Action::kManageReports:
    case Action::kViewWorkReport:
    case Action::kCommentWorkReport:
      return ReportDecision(actor, action, scope);
    case Action::kViewDongWork:
    case Action::kViewOutreach:
    case Action::kRecordOutreachOutcome:
    case Action::kManageSavedFilters:
      return WorkDecision(actor, action, scope);
  }
  return Decision::kForbidden;
}

Error DecisionError(Decision decision) {
  if (decision == Decision::kHidden) {
    return Error::Make(ErrorCode::kNotFound, "Not found.", "찾을 수 없습니다.");
  }
  return Error::Make(ErrorCode::kForbidden, "You do not have permission for this.",
                     "이 작업을 할 권한이 없습니다.");
}

}  // namespace caredesk::core
