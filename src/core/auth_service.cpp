#include "core/auth_service.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "core/totp.hpp"

namespace caredesk::core {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kCsrfBytes = 16;
constexpr std::size_t kPublicIdChars = 16;
constexpr std::size_t kMaxUserAgentChars = 200;
constexpr std::size_t kMaxLoginChars = 64;

Error Unauthenticated(std::string en, std::string ko) {
  return Error::Make(ErrorCode::kUnauthenticated, std::move(en), std::move(ko));
}

std::string Truncate(std::string s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) {
    return s;
  }
  s.resize(max_bytes);
  while (!s.empty() && !IsValidUtf8(s)) {
    s.pop_back();
  }
  return s;
}

}  // namespace

std::string SessionPublicId(const Session& s) { return s.token_hash.substr(0, kPublicIdChars); }

Error AuthService::InvalidCredentials() const {
  return Unauthenticated("The login or password is incorrect.",
                         "아이디 또는 비밀번호가 올바르지 않습니다.");
}

Status AuthService::Record(const Actor& actor, std::string action, std::string target_type,
                           std::string target_id, std::string purpose, std::string outcome) {
  AccessRecord r;
  r.at = p_.clock.Now();
  r.user_id = actor.user_id;
  r.role = actor.user_id == 0 ? "" : std::string(RoleCode(actor.role));
  r.ip = actor.ip;
  r.action = std::move(action);
  r.target_type = std::move(target_type);
  r.target_id = std::move(target_id);
  r.purpose = std::move(purpose);
  r.outcome = std::move(outcome);
  auto appended = p_.access_log.Append(r);
  if (!appended.ok()) {
    return std::move(appended).error();
  }
  return {};
}

Result<LoginResult> AuthService::Login(const std::string& login, const std::string& password,
                                       const std::string& ip, const std::string& user_agent) {
  const auto now = p_.clock.Now();
  Actor anonymous;
  anonymous.ip = ip;
  auto found = login.size() > kMaxLoginChars ? Result<User>(Error::NotFound("User", "사용자"))
                                             : p_.users.FindByLogin(district_, login);
  if (!found.ok()) {
    if (found.error().code != ErrorCode::kNotFound) {
      return std::move(found).error();
    }
    // Same work as a real check, so timing does not reveal which logins exist.
    (void)p_.hasher.Verify(p_.hasher.Hash("timing-equaliser"), password);
    (void)Record(anonymous, "login_failed", "user", "", "", "denied");
    return InvalidCredentials();
  }
  User user = std::move(*found);
  Actor who = ActorOf(user, ip);
  if (!user.active) {
    (void)Record(who, "login_failed", "user", std::to_string(user.id), "inactive", "denied");
    return InvalidCredentials();
  }
  if (IsLocked(user, now)) {
    (void)Record(who, "login_failed", "user", std::to_string(user.id), "locked", "denied");
    return Unauthenticated(
        "This account is locked after too many failed attempts. Try again later or ask an "
        "administrator to unlock it.",
        "로그인 실패가 여러 번 반복되어 계정이 잠겼습니다. 잠시 후 다시 시도하거나 관리자에게 "
        "잠금 해제를 요청해 주세요.");
  }
  if (!p_.hasher.Verify(user.password_hash, password)) {
    auto counted =
        p_.users.RecordFailedLogin(user.id, policy_.max_failed_logins, now + policy_.lockout);
    (void)Record(who, "login_failed", "user", std::to_string(user.id), "", "denied");
    if (counted.ok() && IsLocked(*counted, now)) {
      (void)Record(who, "account_locked", "user", std::to_string(user.id));
    }
    return InvalidCredentials();
  }
  if (user.failed_logins > 0 || user.locked_until) {
    if (auto s = p_.users.ResetFailedLogins(user.id); !s.ok()) {
      return std::move(s).error();
    }
  }
  if (p_.hasher.NeedsRehash(user.password_hash)) {
    user.password_hash = p_.hasher.Hash(password);
    if (auto updated = p_.users.Update(user); updated.ok()) {
      user = std::move(*updated);
    }
  }
  LoginResult result;
  result.token = p_.random.RandomHex(kTokenBytes);
  Session& s = result.session;
  s.token_hash = p_.digester.Sha256Hex(result.token);
  s.user_id = user.id;
  s.csrf_token = p_.random.RandomHex(kCsrfBytes);
  s.created_at = now;
  s.last_seen_at = now;
  s.expires_at = now + policy_.session_absolute;
  s.ip = ip;
  s.user_agent = Truncate(user_agent, kMaxUserAgentChars);
  s.second_factor_pending = user.totp_enabled;
  if (auto created = p_.sessions.Create(s); !created.ok()) {
    return std::move(created).error();
  }
  // Fail closed: a sign-in that cannot be recorded does not happen.
  if (auto recorded = Record(who, "login", "session", SessionPublicId(s)); !recorded.ok()) {
    (void)p_.sessions.Revoke(s.token_hash, now);
    return std::move(recorded).error();
  }
  result.user = std::move(user);
  return result;
}

Result<AuthContext> AuthService::Authenticate(const std::string& token, const std::string& ip) {
  if (token.empty()) {
    return Unauthenticated("Please sign in.", "로그인해 주세요.");
  }
  const auto now = p_.clock.Now();
  auto session = p_.sessions.Find(p_.digester.Sha256Hex(token));
  if (!session.ok()) {
    if (session.error().code == ErrorCode::kNotFound) {
      return Unauthenticated("Please sign in.", "로그인해 주세요.");
    }
    return std::move(session).error();
  }
  switch (EvaluateSession(*session, now, policy_)) {
    case SessionState::kValid:
      break;
    case SessionState::kIdleExpired:
      return Unauthenticated(
          "Your session ended after a period of inactivity. Please sign in again.",
          "일정 시간 사용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요.");
    case SessionState::kExpired:
    case SessionState::kRevoked:
      return Unauthenticated("Your session has ended. Please sign in again.",
                             "로그인이 만료되었습니다. 다시 로그인해 주세요.");
  }
  auto user = p_.users.Get(session->user_id);
  if (!user.ok() && user.error().code != ErrorCode::kNotFound) {
    // The database failing (503) is not a signed-out user: the client keeps its session.
    return std::move(user).error();
  }
  if (!user.ok() || !user->active) {
    return Unauthenticated("Please sign in.", "로그인해 주세요.");
  }
  if (now - session->last_seen_at >= policy_.touch_interval) {
    if (auto touched = p_.sessions.Touch(session->token_hash, now); touched.ok()) {
      session->last_seen_at = now;
    }
  }
  AuthContext ctx{ActorOf(*user, ip), std::move(*user), std::move(*session)};
  return ctx;
}

Status AuthService::Logout(const AuthContext& ctx) {
  auto s = p_.sessions.Revoke(ctx.session.token_hash, p_.clock.Now());
  if (s.ok()) {
    (void)Record(ctx.actor, "logout", "session", SessionPublicId(ctx.session));
  }
  return s;
}

Status AuthService::ChangePassword(const AuthContext& ctx, const std::string& current,
                                   const std::string& replacement) {
  if (!p_.hasher.Verify(ctx.user.password_hash, current)) {
    return Error::Validation({{"current_password", "incorrect", "The current password is wrong.",
                               "현재 비밀번호가 올바르지 않습니다."}});
  }
  if (current == replacement) {
    return Error::Validation(
        {{"new_password", "unchanged", "The new password must differ from the current one.",
          "새 비밀번호는 현재 비밀번호와 달라야 합니다."}});
  }
  if (auto policy = CheckPasswordPolicy(replacement, ctx.user.login); !policy.ok()) {
    auto e = std::move(policy).error();
    for (auto& d : e.details) {
      d.field = "new_password";
    }
    return e;
  }
  User updated = ctx.user;
  updated.password_hash = p_.hasher.Hash(replacement);
  updated.must_change_password = false;
  auto saved = p_.users.Update(updated);
  if (!saved.ok()) {
    return std::move(saved).error();
  }
  // Anyone else signed in with the old password is signed out.
  if (auto revoked =
          p_.sessions.RevokeAllForUser(ctx.user.id, p_.clock.Now(), ctx.session.token_hash);
      !revoked.ok()) {
    return revoked;
  }
  (void)Record(ctx.actor, "password_changed", "user", std::to_string(ctx.user.id));
  return {};
}

namespace {

std::string TotpContext(UserId id) { return "user.totp:" + std::to_string(id); }

Error WrongCode() {
  return Error::Validation(
      {{"code", "incorrect", "The code is not correct. Check the time on the phone.",
        "인증 코드가 올바르지 않습니다. 휴대전화 시간이 맞는지 확인해 주세요."}});
}

}  // namespace

bool AuthService::CheckTotp(const User& user, const std::string& code) {
  if (user.totp_secret_sealed.empty()) {
    return false;
  }
  auto secret = p_.sealer.Open(user.totp_secret_sealed, TotpContext(user.id));
  if (!secret.ok()) {
    return false;
  }
  const Bytes key(secret->begin(), secret->end());
  return VerifyTotp(p_.digester, key, code, p_.clock.Now());
}

Result<AuthService::TotpSetup> AuthService::BeginTotpSetup(const AuthContext& ctx) {
  if (ctx.user.totp_enabled) {
    return Error::Make(ErrorCode::kConflict, "A second factor is already active; disable it first.",
                       "2단계 인증이 이미 켜져 있습니다. 먼저 해제해 주세요.");
  }
  const Bytes secret = p_.random.RandomBytes(kTotpSecretBytes);
  User updated = ctx.user;
  updated.totp_secret_sealed =
      p_.sealer.Seal(std::string(secret.begin(), secret.end()), TotpContext(ctx.user.id));
  updated.totp_enabled = false;
  auto saved = p_.users.Update(updated);
  if (!saved.ok()) {
    return std::move(saved).error();
  }
  (void)Record(ctx.actor, "totp_setup_started", "user", std::to_string(ctx.user.id));
  return TotpSetup{Base32Encode(secret), TotpProvisioningUri("CareDesk", ctx.user.login, secret)};
}

Status AuthService::ConfirmTotp(const AuthContext& ctx, const std::string& code) {
  if (ctx.user.totp_enabled || ctx.user.totp_secret_sealed.empty()) {
    return Error::Make(ErrorCode::kConflict, "Start the second-factor setup first.",
                       "먼저 2단계 인증 설정을 시작해 주세요.");
  }
  if (!CheckTotp(ctx.user, code)) {
    return WrongCode();
  }
  User updated = ctx.user;
  updated.totp_enabled = true;
  auto saved = p_.users.Update(updated);
  if (!saved.ok()) {
    return std::move(saved).error();
  }
  (void)Record(ctx.actor, "totp_enabled", "user", std::to_string(ctx.user.id));
  return {};
}

Status AuthService::VerifySecondFactor(const AuthContext& ctx, const std::string& code) {
  if (!ctx.session.second_factor_pending) {
    return {};
  }
  if (!CheckTotp(ctx.user, code)) {
    // Wrong codes count like wrong passwords, so the six digits cannot be guessed.
    auto counted = p_.users.RecordFailedLogin(ctx.user.id, policy_.max_failed_logins,
                                              p_.clock.Now() + policy_.lockout);
    (void)Record(ctx.actor, "second_factor_failed", "user", std::to_string(ctx.user.id), "",
                 "denied");
    if (counted.ok() && IsLocked(*counted, p_.clock.Now())) {
      (void)p_.sessions.Revoke(ctx.session.token_hash, p_.clock.Now());
    }
    return WrongCode();
  }
  if (auto s = p_.sessions.MarkSecondFactorDone(ctx.session.token_hash); !s.ok()) {
    return s;
  }
  (void)p_.users.ResetFailedLogins(ctx.user.id);
  (void)Record(ctx.actor, "second_factor_passed", "session", SessionPublicId(ctx.session));
  return {};
}

Status AuthService::DisableTotp(const AuthContext& ctx, const std::string& code) {
  if (!ctx.user.totp_enabled) {
    return Error::Make(ErrorCode::kConflict, "No second factor is active.",
                       "2단계 인증이 켜져 있지 않습니다.");
  }
  if (!CheckTotp(ctx.user, code)) {
    return WrongCode();
  }
  User updated = ctx.user;
  updated.totp_enabled = false;
  updated.totp_secret_sealed.clear();
  auto saved = p_.users.Update(updated);
  if (!saved.ok()) {
    return std::move(saved).error();
  }
  (void)Record(ctx.actor, "totp_disabled", "user", std::to_string(ctx.user.id));
  return {};
}

namespace {

// An e-mail address as staff type it: empty (none), or one '@' with text on both sides and a dot
// in the domain, no spaces; at most 254 characters (RFC 5321).
void CheckEmail(std::string& email, std::vector<FieldViolation>& v) {
  email = std::string(Trim(email));
  if (email.empty()) {
    return;
  }
  constexpr std::size_t kMaxEmail = 254;
  const auto at = email.find('@');
  const bool ok = email.size() <= kMaxEmail && at != std::string::npos && at > 0 &&
                  email.find('@', at + 1) == std::string::npos &&
                  email.find('.', at + 2) != std::string::npos && email.back() != '.' &&
                  std::none_of(email.begin(), email.end(), [](char c) {
                    return std::isspace(static_cast<unsigned char>(c)) != 0 ||
                           static_cast<unsigned char>(c) < 0x20;
                  });
  if (!ok) {
    v.push_back({"email", "invalid", "Give an e-mail address like name@mapo.go.kr.",
                 "name@mapo.go.kr 같은 이메일 주소를 입력해 주세요."});
  }
}

}  // namespace

Result<User> AuthService::UpdatePreferences(const AuthContext& ctx, const PreferencesPatch& patch) {
  if (patch.locale && !IsSupportedLocale(*patch.locale)) {
    return Error::Validation({{"locale", "invalid_choice", "Use ko or en.",
                               "ko(한국어) 또는 en(영어) 중 하나여야 합니다."}});
  }
  User updated = ctx.user;
  updated.locale = patch.locale.value_or(updated.locale);
  updated.large_text = patch.large_text.value_or(updated.large_text);
  if (patch.email) {
    std::vector<FieldViolation> v;
    updated.email = *patch.email;
    CheckEmail(updated.email, v);
    if (!v.empty()) {
      return Error::Validation(std::move(v));
    }
  }
  if (updated.locale == ctx.user.locale && updated.large_text == ctx.user.large_text &&
      updated.email == ctx.user.email) {
    return updated;  // nothing to write
  }
  return p_.users.Update(updated);
}

Result<std::vector<Session>> AuthService::ListSessions(const AuthContext& ctx) {
  return p_.sessions.ListActive(ctx.user.id, p_.clock.Now());
}

Status AuthService::RevokeSession(const AuthContext& ctx, const std::string& session_id) {
  auto sessions = p_.sessions.ListActive(ctx.user.id, p_.clock.Now());
  if (!sessions.ok()) {
    return std::move(sessions).error();
  }
  for (const auto& s : *sessions) {
    if (SessionPublicId(s) == session_id) {
      auto revoked = p_.sessions.Revoke(s.token_hash, p_.clock.Now());
      if (revoked.ok()) {
        (void)Record(ctx.actor, "session_revoked", "session", session_id);
      }
      return revoked;
    }
  }
  return Error::NotFound("Session", "세션");
}

namespace {

// What every account needs for its role: a dong for counselors and case
// managers, an agency for agency officers.
void CheckRoleScope(Role role, const std::optional<DongId>& dong,
                    const std::optional<AgencyId>& agency, std::vector<FieldViolation>& v) {
  if ((role == Role::kCounselor || role == Role::kCaseManager) && !dong) {
    v.push_back({"dong_id", "required", "Counselors and case managers belong to a dong.",
                 "상담 직원과 사례관리사는 소속 동이 있어야 합니다."});
  }
  if (role == Role::kAgencyOfficer && !agency) {
    v.push_back({"agency_id", "required", "Agency officers belong to an agency.",
                 "연계 기관 담당자는 소속 기관이 있어야 합니다."});
  }
}

// 422 with details[0] = {field, "own_account"}: a rule about the admin's own account.
Error OwnAccountRule(std::string field, const std::string& en, const std::string& ko) {
  auto e = Error::Make(ErrorCode::kRuleViolated, en, ko);
  e.details.push_back({std::move(field), "own_account", en, ko});
  return e;
}

void CheckDisplayName(std::string_view name, std::vector<FieldViolation>& v) {
  if (name.empty() || !IsValidUtf8(name) || CodePointCount(name) > kMaxNameChars) {
    v.push_back({"display_name", "required", "A name of at most 100 characters is required.",
                 "이름을 100자 이하로 입력해 주세요."});
  }
}

}  // namespace

Result<User> AuthService::MakeUser(const NewUser& input) {
  std::vector<FieldViolation> v;
  const auto login = std::string(Trim(input.login));
  const bool login_ok =
      !login.empty() && login.size() <= kMaxLoginChars &&
      std::all_of(login.begin(), login.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
      });
  if (!login_ok) {
    v.push_back({"login", "invalid", "Use 1-64 letters, digits, '.', '_' or '-'.",
                 "아이디는 영문·숫자·'.'·'_'·'-'로 1~64자여야 합니다."});
  }
  const auto name = std::string(Trim(input.display_name));
  CheckDisplayName(name, v);
  const auto role = ParseRole(input.role);
  if (!role) {
    v.push_back({"role", "invalid_choice", "Unknown role.", "알 수 없는 역할입니다."});
  } else {
    CheckRoleScope(*role, input.dong_id, input.agency_id, v);
  }
  std::string email = input.email;
  CheckEmail(email, v);
  if (auto policy = CheckPasswordPolicy(input.initial_password, login); !policy.ok()) {
    for (auto d : policy.error().details) {
      d.field = "initial_password";
      v.push_back(std::move(d));
    }
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  User u;
  u.district_id = district_;
  u.login = login;
  u.display_name = name;
  u.role = *role;
  u.dong_id = input.dong_id;
  u.agency_id = input.agency_id;
  u.email = email;
  u.password_hash = p_.hasher.Hash(input.initial_password);
  u.must_change_password = true;
  return p_.users.Create(u);
}

Result<User> AuthService::CreateUser(const AuthContext& ctx, const NewUser& input) {
  if (auto d = Authorize(ctx.actor, Action::kManageUsers); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto created = MakeUser(input);
  if (created.ok()) {
    (void)Record(ctx.actor, "user_created", "user", std::to_string(created->id));
  }
  return created;
}

Result<std::vector<User>> AuthService::ListUsers(const AuthContext& ctx) {
  if (auto d = Authorize(ctx.actor, Action::kViewUsers); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return p_.users.List(district_);
}

Result<std::vector<User>> AuthService::ListStaff(const AuthContext& ctx,
                                                 const StaffFilter& filter) {
  if (auto d = Authorize(ctx.actor, Action::kViewStaffDirectory); d != Decision::kAllow) {
    return DecisionError(d);
  }
  return p_.users.ListActive(district_, filter);
}

Result<User> AuthService::UnlockUser(const AuthContext& ctx, UserId id) {
  if (auto d = Authorize(ctx.actor, Action::kManageUsers); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto user = p_.users.Get(id);
  if (!user.ok() || user->district_id != district_) {
    return Error::NotFound("User", "사용자");
  }
  if (auto s = p_.users.ResetFailedLogins(id); !s.ok()) {
    return std::move(s).error();
  }
  (void)Record(ctx.actor, "user_unlocked", "user", std::to_string(id));
  return p_.users.Get(id);
}

Result<User> AuthService::UpdateUser(const AuthContext& ctx, UserId id, const UserPatch& patch,
                                     std::optional<std::int64_t> if_match) {
  if (auto d = Authorize(ctx.actor, Action::kManageUsers); d != Decision::kAllow) {
    return DecisionError(d);
  }
  auto found = p_.users.Get(id);
  if (!found.ok() || found->district_id != district_) {
    if (!found.ok() && found.error().code != ErrorCode::kNotFound) {
      return std::move(found).error();
    }
    return Error::NotFound("User", "사용자");
  }
  const User before = std::move(*found);
  if (if_match && *if_match != before.version) {
    return Error::Make(ErrorCode::kPreconditionFailed,
                       "This account was changed by someone else. Reload and try again.",
                       "다른 사용자가 먼저 변경했습니다. 새로 고친 뒤 다시 시도해 주세요.");
  }
  std::vector<FieldViolation> v;
  User after = before;
  if (patch.display_name) {
    after.display_name = std::string(Trim(*patch.display_name));
    CheckDisplayName(after.display_name, v);
  }
  if (patch.role) {
    if (const auto role = ParseRole(*patch.role)) {
      after.role = *role;
    } else {
      v.push_back({"role", "invalid_choice", "Unknown role.", "알 수 없는 역할입니다."});
    }
  }
  if (patch.dong_id) {
    after.dong_id = *patch.dong_id;
  }
  if (patch.agency_id) {
    after.agency_id = *patch.agency_id;
  }
  if (patch.active) {
    after.active = *patch.active;
  }
  if (patch.email) {
    after.email = *patch.email;
    CheckEmail(after.email, v);
  }
  if (v.empty()) {
    CheckRoleScope(after.role, after.dong_id, after.agency_id, v);
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  // An admin must not lock themselves (and perhaps everyone) out of administration.
  if (id == ctx.user.id && !after.active) {
    return OwnAccountRule("active", "You cannot deactivate your own account.",
                          "자신의 계정은 비활성화할 수 없습니다.");
  }
  if (id == ctx.user.id && after.role != Role::kAdmin) {
    return OwnAccountRule("role", "You cannot remove your own administrator role.",
                          "자신의 관리자 역할은 해제할 수 없습니다.");
  }
  std::string changed;
  auto note = [&changed](bool differs, const char* what) {
    if (differs) {
      changed += (changed.empty() ? "" : ",") + std::string(what);
    }
  };
  note(after.display_name != before.display_name, "display_name");
  note(after.role != before.role, "role");
  note(after.dong_id != before.dong_id, "dong_id");
  note(after.agency_id != before.agency_id, "agency_id");
  note(after.active != before.active, after.active ? "reactivated" : "deactivated");
  if (changed.empty()) {
    return before;
  }
  auto saved = p_.users.Update(after);
  if (!saved.ok()) {
    return saved;
  }
  if (!saved->active) {
    // A deactivated account is signed out everywhere, not only refused at its next request.
    if (auto revoked = p_.sessions.RevokeAllForUser(id, p_.clock.Now(), ""); !revoked.ok()) {
      return std::move(revoked).error();
    }
  }
  (void)Record(ctx.actor, "user_updated", "user", std::to_string(id), changed);
  return saved;
}

Result<User> AuthService::Bootstrap(const NewUser& input) { return MakeUser(input); }

}  // namespace caredesk::core
