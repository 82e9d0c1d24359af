// Puts every API handler behind sign-in, CSRF protection and the one
// authorisation function. Handlers receive the signed-in context.
#pragma once

#include <functional>
#include <string>

#include "core/auth_service.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace caredesk::app {

inline constexpr std::string_view kSessionCookie = "caredesk_session";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

using AuthedHandler = std::function<http::Response(http::Request&, const core::AuthContext&)>;

struct GuardOptions {
  // Reachable while the user still has to replace the initial password
  // (who am I, change password, sign out).
  bool allow_pending_password_change = false;
  // Reachable before the second factor is given (verify the code, sign out).
  bool allow_pending_second_factor = false;
};

class AuthGuard {
 public:
  explicit AuthGuard(core::AuthService& auth) : auth_(auth) {}

  // A handler that authenticates the session cookie, checks the CSRF token on
  // state-changing methods, enforces the first-login password change, asks
  // core::Authorize for `action`, and only then calls `handler`.
  http::Handler Guard(core::Action action, AuthedHandler handler, GuardOptions options = {}) const;

  // The Set-Cookie value that installs or clears the session cookie.
  static std::string SessionCookie(const std::string& token, std::chrono::seconds max_age,
                                   bool secure);
  static std::string ClearedSessionCookie(bool secure);

 private:
  core::AuthService& auth_;
};

}  // namespace caredesk::app
