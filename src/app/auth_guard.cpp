#include "app/auth_guard.hpp"

#include "http/json_io.hpp"

namespace caredesk::app {
namespace {

bool ChangesState(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Compares without an early exit, so timing does not reveal a prefix.
bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

}  // namespace

http::Handler AuthGuard::Guard(core::Action action, AuthedHandler handler,
                               GuardOptions options) const {
  return [this, action, handler = std::move(handler), options](http::Request& req) {
    const auto token = req.CookieValue(kSessionCookie).value_or("");
    auto ctx = auth_.Authenticate(token, req.remote_ip);
    if (!ctx.ok()) {
      return http::ErrorResponse(ctx.error(), req.request_id);
    }
    // Double-submit token: a cross-site form cannot read it, so it cannot send it.
    if (ChangesState(req.method) &&
        !ConstantTimeEquals(req.Header(kCsrfHeader), ctx->session.csrf_token)) {
      return http::ErrorResponse(
          core::Error::Make(core::ErrorCode::kCsrfRejected,
                            "The request lacks this session's CSRF token (X-CSRF-Token).",
                            "보안 토큰(X-CSRF-Token)이 없거나 올바르지 않습니다. 새로 고친 뒤 다시 "
                            "시도해 주세요."),
          req.request_id);
    }
    if (ctx->session.second_factor_pending && !options.allow_pending_second_factor) {
      return http::ErrorResponse(
          core::Error::Make(core::ErrorCode::kSecondFactorRequired,
                            "Enter the code from your authenticator app to finish signing in.",
                            "인증 앱의 6자리 코드를 입력해 로그인을 마쳐 주세요."),
          req.request_id);
    }
    if (ctx->user.must_change_password && !options.allow_pending_password_change) {
      return http::ErrorResponse(core::Error::Make(core::ErrorCode::kPasswordChangeRequired,
                                                   "Please change your initial password first.",
                                                   "처음 받은 비밀번호를 먼저 변경해 주세요."),
                                 req.request_id);
    }
    if (const auto d = core::Authorize(ctx->actor, action); d != core::Decision::kAllow) {
      return http::ErrorResponse(core::DecisionError(d), req.request_id);
    }
    return handler(req, *ctx);
  };
}

std::string AuthGuard::SessionCookie(const std::string& token, std::chrono::seconds max_age,
                                     bool secure) {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

std::string AuthGuard::ClearedSessionCookie(bool secure) {
  return std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "");
}

}  // namespace caredesk::app
