// Sign-in, sessions and accounts: the use cases behind /api/v1/auth and
// /api/v1/users. Pure logic over ports; thread-safe if the ports are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/access_record.hpp"
#include "core/identity.hpp"
#include "core/ports/clock.hpp"
#include "core/ports/crypto.hpp"
#include "core/ports/identity_repository.hpp"

namespace caredesk::core {

struct AuthPorts {
  UserRepository& users;
  SessionRepository& sessions;
  AccessLog& access_log;
  PasswordHasher& hasher;
  Sealer& sealer;
  RandomSource& random;
  Digester& digester;
  const Clock& clock;
};

struct LoginResult {
  std::string token;  // goes into the HttpOnly cookie; never stored
  Session session;
  User user;
};

// The signed-in context of a request.
struct AuthContext {
  Actor actor;
  User user;
  Session session;
};

struct NewUser {
  std::string login;
  std::string display_name;
  std::string role;
  std::optional<DongId> dong_id;
  std::optional<AgencyId> agency_id;
  std::string initial_password;
  std::string email;  // optional: overdue and emergency e-mails go there
};

// An administrator's change to an account; absent fields stay as they are.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<std::optional<DongId>> dong_id;  // present and empty: no dong
  std::optional<std::optional<AgencyId>> agency_id;
  std::optional<bool> active;
  std::optional<std::string> email;  // empty: no e-mail
};

// The signed-in user's own settings; absent fields stay as they are.
struct PreferencesPatch {
  std::optional<std::string> locale;  // "ko" or "en"
  std::optional<bool> large_text;
  std::optional<std::string> email;  // empty: no e-mail
};

class AuthService {
 public:
  AuthService(AuthPorts ports, SecurityPolicy policy, DistrictId district)
      : p_(ports), policy_(policy), district_(district) {}

  // Checks the password, counts failures, locks after too many, and opens a
  // session. Unknown logins and wrong passwords get the same answer.
  Result<LoginResult> Login(const std::string& login, const std::string& password,
                            const std::string& ip, const std::string& user_agent);

  // Resolves the session cookie. kUnauthenticated when missing, expired (idle
  // or absolute), revoked, or the account is inactive. Touches the session.
  Result<AuthContext> Authenticate(const std::string& token, const std::string& ip);

  Status Logout(const AuthContext& ctx);

  // Verifies the current password, applies the policy, revokes the user's other sessions.
  Status ChangePassword(const AuthContext& ctx, const std::string& current,
                        const std::string& replacement);

  // Second factor (TOTP, RFC 6238). Setup stores a new sealed secret (not yet
  // active) and returns it for the authenticator app; Confirm activates it
  // with a first code; Verify completes a sign-in of an account that has it;
  // Disable needs a current code.
  struct TotpSetup {
    std::string secret_base32;
    std::string provisioning_uri;
  };
  Result<TotpSetup> BeginTotpSetup(const AuthContext& ctx);
  Status ConfirmTotp(const AuthContext& ctx, const std::string& code);
  Status VerifySecondFactor(const AuthContext& ctx, const std::string& code);
  Status DisableTotp(const AuthContext& ctx, const std::string& code);

  // The interface language and large-text setting. 422 for an unsupported
  // locale; 412 when the account changed since the request was authenticated.
  Result<User> UpdatePreferences(const AuthContext& ctx, const PreferencesPatch& patch);

  Result<std::vector<Session>> ListSessions(const AuthContext& ctx);
  // `session_id` is the public id (SessionPublicId). kNotFound for sessions of others.
  Status RevokeSession(const AuthContext& ctx, const std::string& session_id);

  // Administration (policy: kManageUsers / kViewUsers).
  Result<User> CreateUser(const AuthContext& ctx, const NewUser& input);
  Result<std::vector<User>> ListUsers(const AuthContext& ctx);
  // The staff directory (policy: kViewStaffDirectory): the district's active
  // users matching `filter`, sorted by display name. Not recorded in the access
  // records: staff names and roles are not residents' personal data.
  Result<std::vector<User>> ListStaff(const AuthContext& ctx, const StaffFilter& filter);
  Result<User> UnlockUser(const AuthContext& ctx, UserId id);
  // Changes an account's name, role, dong, agency or active flag. The result
  // must make sense (counselors and case managers have a dong, agency officers
  // an agency); an admin can neither deactivate themselves nor give up their
  // own admin role (422, rule "own_account"). Deactivating revokes every
  // session of the user. 412 when `if_match` is stale; recorded as user_updated.
  Result<User> UpdateUser(const AuthContext& ctx, UserId id, const UserPatch& patch,
                          std::optional<std::int64_t> if_match);

  // Seeds an account without an acting admin (demo data, first admin). The
  // password must still pass the policy; the user must change it at first login.
  Result<User> Bootstrap(const NewUser& input);

  // Records an access to personal data or to the security of accounts.
  Status Record(const Actor& actor, std::string action, std::string target_type,
                std::string target_id, std::string purpose = {}, std::string outcome = "allowed");

  const SecurityPolicy& policy() const { return policy_; }

 private:
  Result<User> MakeUser(const NewUser& input);
  Error InvalidCredentials() const;
  bool CheckTotp(const User& user, const std::string& code);

  AuthPorts p_;
  SecurityPolicy policy_;
  DistrictId district_;
};

// The id of a session that its owner may see and revoke: a prefix of the
// token hash (the token itself never leaves the cookie).
std::string SessionPublicId(const Session& s);

}  // namespace caredesk::core
