// Who is acting: users, roles, the actor of a request, and the rules for
// passwords, lockout and sessions (개인정보의 안전성 확보조치 기준). No I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "core/directory.hpp"
#include "core/result.hpp"

namespace caredesk::core {

using UserId = std::int64_t;
using TimePoint = std::chrono::system_clock::time_point;

enum class Role { kCounselor, kCaseManager, kAgencyOfficer, kSupervisor, kAuditor, kAdmin };
std::string_view RoleCode(Role role);
std::optional<Role> ParseRole(std::string_view code);
std::vector<Role> AllRoles();

struct User {
  UserId id = 0;
  DistrictId district_id = 0;
  std::string login;
  std::string display_name;
  Role role = Role::kCounselor;
  // A counselor/case manager belongs to a dong; a supervisor with no dong
  // oversees the whole district; an agency officer belongs to an agency.
  std::optional<DongId> dong_id;
  std::optional<AgencyId> agency_id;
  std::string password_hash;
  bool must_change_password = true;
  int failed_logins = 0;
  std::optional<TimePoint> locked_until;
  bool totp_enabled = false;
  Bytes totp_secret_sealed;  // sealed TOTP secret, empty when none
  bool active = true;
  // Preferences of the user's own: the interface language and large text.
  std::string locale = "ko";
  bool large_text = false;
  // Where CareDesk e-mails the user (overdue work, emergencies); empty: no e-mail.
  std::string email;
  std::int64_t version = 1;
};

// The interface languages: Korean (the default) and English.
inline constexpr std::string_view kLocales[] = {"ko", "en"};
bool IsSupportedLocale(std::string_view locale);

// The authenticated user behind a request, as the policy sees them.
struct Actor {
  UserId user_id = 0;
  DistrictId district_id = 0;
  Role role = Role::kCounselor;
  std::optional<DongId> dong_id;
  std::optional<AgencyId> agency_id;
  std::string ip;
};

Actor ActorOf(const User& user, std::string ip);

// --- Passwords --------------------------------------------------------------

inline constexpr std::size_t kMaxPasswordChars = 128;

// The Korean safeguards standard's guide: at least 10 characters mixing two of
// {upper, lower, digit, symbol}, or 8 mixing three; never containing the login.
// Returns every violation.
Status CheckPasswordPolicy(std::string_view password, std::string_view login);

// --- Lockout and sessions -----------------------------------------------------

struct SecurityPolicy {
  int max_failed_logins = 5;
  std::chrono::minutes lockout{30};
  std::chrono::minutes session_idle{30};
  std::chrono::hours session_absolute{12};
  // last_seen is written at most this often, so reads do not all become writes.
  std::chrono::seconds touch_interval{60};
};

bool IsLocked(const User& user, TimePoint now);

struct Session {
  std::string token_hash;  // SHA-256 of the cookie token; the token itself is never stored
  UserId user_id = 0;
  std::string csrf_token;
  TimePoint created_at;
  TimePoint last_seen_at;
  TimePoint expires_at;  // absolute lifetime
  std::string ip;
  std::string user_agent;
  bool second_factor_pending = false;
  std::optional<TimePoint> revoked_at;
};

enum class SessionState { kValid, kIdleExpired, kExpired, kRevoked };
SessionState EvaluateSession(const Session& s, TimePoint now, const SecurityPolicy& policy);

// --- Authorisation: every decision in one place ---------------------------------

enum class Action {
  kViewDirectory,    // dongs, desks, categories, agencies
  kManageDirectory,  // register agencies, edit desks
  kViewUsers,
  kManageUsers,  // create users, reset passwords, unlock
  // The staff directory: the district's active staff by name, role, dong and
  // agency, nothing about their accounts. Case workers name who did what on a
  // case and pick colleagues with it; admins run the system.
  kViewStaffDirectory,
  kViewAccessLog,     // search access records, monthly review
  kManageOwnAccount,  // own sessions, password, second factor
  kManageCalendar,    // public holidays used by the statutory clocks

  // Cases. Without a dong in the scope these are collection-level checks
  // (may the role touch cases at all); with one, record-level checks.
  kViewCases,        // lists, search, today's work
  kViewCase,         // one case, its timeline
  kCreateCase,       // intake in the scope's dong
  kWorkCase,         // consult, refer, follow up, escalate, resolve, close, reopen
  kRespondReferral,  // accept / decline / complete a referral sent to the actor's agency
  kViewResident,     // find residents (duplicate check), read one masked
  kUnmaskResident,   // read one resident's personal data in full, with a reason
  kEraseResident,    // lawful erasure (crypto-shredding)

  // The follow-up calendar. Without a dong: may the role list follow-ups at
  // all (within its case scope); with one: may it ask for that dong's (403
  // otherwise: dongs are no secret, their work is).
  kViewDongWork,
  // Aggregates (counts only, no personal data): the dashboard. Without a dong:
  // may the role read aggregates at all; with one: that dong's.
  kViewStats,
  kViewDistrictStats,  // the aggregates of the whole district
  // The actor's own saved case-list filters; with an owner in the scope, that
  // owner's filter (another user's is hidden: 404).
  kManageSavedFilters,
  // Category suggestions from keyword rules: no personal data kept, any staff role.
  kSuggestCategory,
  kManageTriage,  // the triage model's figures and retraining (reads the corrections' texts)
  // The message templates and the outbox (kinds, statuses, case numbers; never a recipient).
  kManageNotifications,
  // The blind-spot screening. Running it opens outreach cases in every dong: a
  // district-wide supervisor's decision. Outreach lists (households, scores,
  // reasons) and their outcomes follow the dong's work (kViewDongWork); the
  // model's weights hide nothing personal but are the admin's to change.
  kRunScreening,
  kViewOutreach,
  kRecordOutreachOutcome,
  kViewScreeningModel,
  kManageScreeningModel,
  kManageOpen311Clients,  // the civic apps' API keys (admin)
  // Performance reports and their editions (aggregates, small cells suppressed): case
  // workers for their dong, auditors and district-wide supervisors for the district (the
  // paperless inspection). Without a dong in the scope: the district's.
  kViewReports,
  // Saved report definitions and producing editions: supervisors, for their scope.
  kManageReports,
  // Weekly work reports: the own one; supervisors those of their dong's staff and dong;
  // auditors read any. A user's in `owner_id`, a dong's in `dong_id`.
  kViewWorkReport,
  kCommentWorkReport,  // the free-text comment: the report's own user, or its dong's supervisor
};

enum class Decision {
  kAllow,
  kForbidden,  // 403: the actor may know the record exists but may not do this
  kHidden,     // 404: the actor may not even know the record exists
};

// Optional facts about the record an action touches.
struct ResourceScope {
  std::optional<DistrictId> district_id;
  std::optional<DongId> dong_id;
  // For a case: who works on it and who it was shared with.
  std::vector<UserId> involved_users;
  // For a referral: the agency it was sent to.
  std::optional<AgencyId> agency_id;
  // For a record a user keeps for themselves (a saved filter): whose it is.
  std::optional<UserId> owner_id;
};

Decision Authorize(const Actor& actor, Action action, const ResourceScope& scope = {});

// The error for a non-allow decision (403 forbidden or 404 not found).
Error DecisionError(Decision decision);

}  // namespace caredesk::core
