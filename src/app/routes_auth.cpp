#include <algorithm>
#include <iterator>

#include "app/route_helpers.hpp"
#include "app/routes.hpp"
#include "http/json_io.hpp"

namespace caredesk::app {
namespace {

using http::Json;

Json UserJson(const core::User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"display_name", u.display_name},
          {"role", core::RoleCode(u.role)},
          {"dong_id", u.dong_id ? Json(*u.dong_id) : Json(nullptr)},
          {"agency_id", u.agency_id ? Json(*u.agency_id) : Json(nullptr)},
          {"must_change_password", u.must_change_password},
          {"locked", u.locked_until.has_value()},
          {"totp_enabled", u.totp_enabled},
          {"active", u.active},
          {"locale", u.locale},
          {"large_text", u.large_text},
          {"email", u.email},
          {"version", u.version}};
}

Json SessionJson(const core::Session& s, const core::Session& current) {
  return {{"id", core::SessionPublicId(s)},
          {"created_at", Iso8601(s.created_at)},
          {"last_seen_at", Iso8601(s.last_seen_at)},
          {"expires_at", Iso8601(s.expires_at)},
          {"ip", s.ip},
          {"user_agent", s.user_agent},
          {"current", s.token_hash == current.token_hash}};
}

Json RecordJson(const core::AccessRecord& r) {
  return {{"id", r.id},
          {"at", Iso8601(r.at)},
          {"user_id", r.user_id},
          {"role", r.role},
          {"ip", r.ip},
          {"action", r.action},
          {"target_type", r.target_type},
          {"target_id", r.target_id},
          {"purpose", r.purpose},
          {"outcome", r.outcome}};
}

// What a colleague sees of a user in the staff directory: who they are and
// where they work, nothing about their account (login, lock, second factor).
Json StaffJson(const core::User& u) {
  return {{"id", u.id},
          {"display_name", u.display_name},
          {"role", core::RoleCode(u.role)},
          {"dong_id", u.dong_id ? Json(*u.dong_id) : Json(nullptr)},
          {"agency_id", u.agency_id ? Json(*u.agency_id) : Json(nullptr)}};
}

// The roles the staff directory can be filtered by: the people a case is worked with.
constexpr core::Role kStaffDirectoryRoles[] = {core::Role::kCounselor, core::Role::kCaseManager,
                                               core::Role::kSupervisor, core::Role::kAgencyOfficer};

// The query of GET /staff: ?role=<one of kStaffDirectoryRoles>&dong_id=<id>.
core::Result<core::StaffFilter> ReadStaffFilter(const http::Request& req) {
  std::vector<core::FieldViolation> v;
  core::StaffFilter filter;
  if (const auto q = req.QueryParam("role")) {
    filter.role = core::ParseRole(*q);
    if (!filter.role || std::find(std::begin(kStaffDirectoryRoles), std::end(kStaffDirectoryRoles),
                                  *filter.role) == std::end(kStaffDirectoryRoles)) {
      v.push_back(
          {"role", "invalid_choice",
           "Role must be counselor, case_manager, supervisor or agency_officer.",
           "역할은 counselor, case_manager, supervisor, agency_officer 중 하나여야 합니다."});
    }
  }
  if (const auto q = req.QueryParam("dong_id")) {
    filter.dong_id = ParsePositive(*q);
    if (!filter.dong_id) {
      v.push_back({"dong_id", "invalid", "Must be a positive integer.", "양의 정수여야 합니다."});
    }
  }
  if (!v.empty()) {
    return core::Error::Validation(std::move(v));
  }
  return filter;
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, core::AuthService& auth, const AuthGuard& guard,
                        core::AccessLog& access_log, bool secure_cookie) {
  router.Post("/api/v1/auth/login", [&auth, secure_cookie](http::Request& req) {
    auto body = http::ParseJsonObject(req);
    if (!body.ok()) {
      return Fail(body.error(), req);
    }
    http::ObjectReader r(*body, {"login", "password"});
    const auto login = r.RequiredString("login");
    const auto password = r.RequiredString("password");
    if (auto s = r.Finish(); !s.ok()) {
      return Fail(s.error(), req);
    }
    auto result = auth.Login(login, password, req.remote_ip, std::string(req.Header("user-agent")));
    if (!result.ok()) {
      return Fail(result.error(), req);
    }
    auto res =
        http::JsonResponse(200, {{"user", UserJson(result->user)},
                                 {"csrf_token", result->session.csrf_token},
                                 {"must_change_password", result->user.must_change_password},
                                 {"second_factor_required", result->session.second_factor_pending},
                                 {"expires_at", Iso8601(result->session.expires_at)}});
    const auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(
        result->session.expires_at - result->session.created_at);
    res.headers.emplace_back("Set-Cookie",
                             AuthGuard::SessionCookie(result->token, lifetime, secure_cookie));
    return res;
  });

  const GuardOptions pending{.allow_pending_password_change = true,
                             .allow_pending_second_factor = true};
  const GuardOptions pending_password{.allow_pending_password_change = true};

  // POST {"code": "123456"} routes of the second factor.
  auto code_route =
      [&](const char* path, GuardOptions options,
          core::Status (core::AuthService::*op)(const core::AuthContext&, const std::string&)) {
        router.Post(path, guard.Guard(
                              core::Action::kManageOwnAccount,
                              [&auth, op](http::Request& req, const core::AuthContext& ctx) {
                                auto body = http::ParseJsonObject(req);
                                if (!body.ok()) {
                                  return Fail(body.error(), req);
                                }
                                http::ObjectReader r(*body, {"code"});
                                const auto code = r.RequiredString("code");
                                if (auto s = r.Finish(); !s.ok()) {
                                  return Fail(s.error(), req);
                                }
                                if (auto s = (auth.*op)(ctx, code); !s.ok()) {
                                  return Fail(s.error(), req);
                                }
                                http::Response res;
                                res.status = 204;
                                return res;
                              },
                              options));
      };
  code_route("/api/v1/auth/totp/verify", pending, &core::AuthService::VerifySecondFactor);
  code_route("/api/v1/auth/totp/confirm", pending_password, &core::AuthService::ConfirmTotp);
  code_route("/api/v1/auth/totp/disable", {}, &core::AuthService::DisableTotp);
  router.Post("/api/v1/auth/totp/setup",
              guard.Guard(
                  core::Action::kManageOwnAccount,
                  [&auth](http::Request& req, const core::AuthContext& ctx) {
                    auto setup = auth.BeginTotpSetup(ctx);
                    if (!setup.ok()) {
                      return Fail(setup.error(), req);
                    }
                    return http::JsonResponse(200, {{"secret", setup->secret_base32},
                                                    {"provisioning_uri", setup->provisioning_uri}});
                  },
                  pending_password));
  router.Post("/api/v1/auth/logout",
              guard.Guard(
                  core::Action::kManageOwnAccount,
                  [&auth, secure_cookie](http::Request& req, const core::AuthContext& ctx) {
                    if (auto s = auth.Logout(ctx); !s.ok()) {
                      return Fail(s.error(), req);
                    }
                    http::Response res;
                    res.status = 204;
                    res.headers.emplace_back("Set-Cookie",
                                             AuthGuard::ClearedSessionCookie(secure_cookie));
                    return res;
                  },
                  pending));

  router.Get("/api/v1/auth/me",
             guard.Guard(
                 core::Action::kManageOwnAccount,
                 [](http::Request&, const core::AuthContext& ctx) {
                   return http::JsonResponse(
                       200, {{"user", UserJson(ctx.user)}, {"csrf_token", ctx.session.csrf_token}});
                 },
                 pending));
  // The own preferences; reachable on the first-login password screen, so the
  // language can be switched there.
  router.Add("PATCH", "/api/v1/auth/me",
             guard.Guard(
                 core::Action::kManageOwnAccount,
                 [&auth](http::Request& req, const core::AuthContext& ctx) {
                   auto body = http::ParseJsonObject(req);
                   if (!body.ok()) {
                     return Fail(body.error(), req);
                   }
                   http::ObjectReader r(*body, {"locale", "large_text", "email"});
                   core::PreferencesPatch patch;
                   patch.locale = r.OptionalString("locale");
                   patch.large_text = r.OptionalBool("large_text");
                   patch.email = r.OptionalString("email");
                   if (auto s = r.Finish(); !s.ok()) {
                     return Fail(s.error(), req);
                   }
                   auto user = auth.UpdatePreferences(ctx, patch);
                   if (!user.ok()) {
                     return Fail(user.error(), req);
                   }
                   return http::JsonResponse(
                       200, {{"user", UserJson(*user)}, {"csrf_token", ctx.session.csrf_token}});
                 },
                 pending_password));

  router.Post("/api/v1/auth/password",
              guard.Guard(
                  core::Action::kManageOwnAccount,
                  [&auth](http::Request& req, const core::AuthContext& ctx) {
                    auto body = http::ParseJsonObject(req);
                    if (!body.ok()) {
                      return Fail(body.error(), req);
                    }
                    http::ObjectReader r(*body, {"current_password", "new_password"});
                    const auto current = r.RequiredString("current_password");
                    const auto replacement = r.RequiredString("new_password");
                    if (auto s = r.Finish(); !s.ok()) {
                      return Fail(s.error(), req);
                    }
                    if (auto s = auth.ChangePassword(ctx, current, replacement); !s.ok()) {
                      return Fail(s.error(), req);
                    }
                    http::Response res;
                    res.status = 204;
                    return res;
                  },
                  pending));

  router.Get("/api/v1/auth/sessions",
             guard.Guard(core::Action::kManageOwnAccount,
                         [&auth](http::Request& req, const core::AuthContext& ctx) {
                           auto sessions = auth.ListSessions(ctx);
                           if (!sessions.ok()) {
                             return Fail(sessions.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& s : *sessions) {
                             items.push_back(SessionJson(s, ctx.session));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  router.Add("DELETE", "/api/v1/auth/sessions/{id}",
             guard.Guard(core::Action::kManageOwnAccount, [&auth](http::Request& req,
                                                                  const core::AuthContext& ctx) {
               if (auto s = auth.RevokeSession(ctx, req.path_params.at("id")); !s.ok()) {
                 return Fail(s.error(), req);
               }
               http::Response res;
               res.status = 204;
               return res;
             }));

  router.Get("/api/v1/users",
             guard.Guard(core::Action::kViewUsers,
                         [&auth](http::Request& req, const core::AuthContext& ctx) {
                           auto users = auth.ListUsers(ctx);
                           if (!users.ok()) {
                             return Fail(users.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& u : *users) {
                             items.push_back(UserJson(u));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  // The staff directory (직원 명부): names for the counselors on cases, the
  // owners of follow-ups and the actors of timelines, and the case managers to
  // escalate to. Not recorded in the access records: staff names and roles are
  // not residents' personal data.
  router.Get("/api/v1/staff",
             guard.Guard(core::Action::kViewStaffDirectory,
                         [&auth](http::Request& req, const core::AuthContext& ctx) {
                           auto filter = ReadStaffFilter(req);
                           if (!filter.ok()) {
                             return Fail(filter.error(), req);
                           }
                           auto staff = auth.ListStaff(ctx, *filter);
                           if (!staff.ok()) {
                             return Fail(staff.error(), req);
                           }
                           Json items = Json::array();
                           for (const auto& u : *staff) {
                             items.push_back(StaffJson(u));
                           }
                           return http::JsonResponse(200, {{"items", items}});
                         }));

  router.Post("/api/v1/users",
              guard.Guard(core::Action::kManageUsers,
                          [&auth](http::Request& req, const core::AuthContext& ctx) {
                            auto body = http::ParseJsonObject(req);
                            if (!body.ok()) {
                              return Fail(body.error(), req);
                            }
                            http::ObjectReader r(*body, {"login", "display_name", "role", "dong_id",
                                                         "agency_id", "initial_password", "email"});
                            core::NewUser input;
                            input.login = r.RequiredString("login");
                            input.display_name = r.RequiredString("display_name");
                            input.role = r.RequiredString("role");
                            input.dong_id = r.OptionalId("dong_id");
                            input.agency_id = r.OptionalId("agency_id");
                            input.initial_password = r.RequiredString("initial_password");
                            input.email = r.OptionalString("email").value_or("");
                            if (auto s = r.Finish(); !s.ok()) {
                              return Fail(s.error(), req);
                            }
                            auto created = auth.CreateUser(ctx, input);
                            if (!created.ok()) {
                              return Fail(created.error(), req);
                            }
                            auto res = http::JsonResponse(201, UserJson(*created));
                            res.headers.emplace_back(
                                "Location", "/api/v1/users/" + std::to_string(created->id));
                            return res;
                          }));

  router.Post("/api/v1/users/{id}/unlock",
              guard.Guard(core::Action::kManageUsers,
                          [&auth](http::Request& req, const core::AuthContext& ctx) {
                            const auto id = ParsePositive(req.path_params.at("id"));
                            if (!id) {
                              return Fail(core::Error::NotFound("User", "사용자"), req);
                            }
                            auto user = auth.UnlockUser(ctx, *id);
                            if (!user.ok()) {
                              return Fail(user.error(), req);
                            }
                            return http::JsonResponse(200, UserJson(*user));
                          }));

  router.Add("PATCH", "/api/v1/users/{id}",
             guard.Guard(core::Action::kManageUsers, [&auth](http::Request& req,
                                                             const core::AuthContext& ctx) {
               const auto id = ParsePositive(req.path_params.at("id"));
               if (!id) {
                 return Fail(core::Error::NotFound("User", "사용자"), req);
               }
               auto if_match = IfMatchVersion(req);
               if (!if_match.ok()) {
                 return Fail(if_match.error(), req);
               }
               auto body = http::ParseJsonObject(req);
               if (!body.ok()) {
                 return Fail(body.error(), req);
               }
               http::ObjectReader r(
                   *body, {"display_name", "role", "dong_id", "agency_id", "active", "email"});
               core::UserPatch patch;
               patch.display_name = r.OptionalString("display_name");
               patch.role = r.OptionalString("role");
               // Present and null clears the dong (a district-wide supervisor) or the agency.
               if (body->contains("dong_id")) {
                 patch.dong_id = r.OptionalId("dong_id");
               }
               if (body->contains("agency_id")) {
                 patch.agency_id = r.OptionalId("agency_id");
               }
               patch.active = r.OptionalBool("active");
               patch.email = r.OptionalString("email");
               if (auto s = r.Finish(); !s.ok()) {
                 return Fail(s.error(), req);
               }
               auto user = auth.UpdateUser(ctx, *id, patch, *if_match);
               if (!user.ok()) {
                 return Fail(user.error(), req);
               }
               auto res = http::JsonResponse(200, UserJson(*user));
               res.headers.emplace_back("ETag", "\"" + std::to_string(user->version) + "\"");
               return res;
             }));

  router.Get("/api/v1/access-records",
             guard.Guard(core::Action::kViewAccessLog,
                         [&access_log, &auth](http::Request& req, const core::AuthContext& ctx) {
                           core::AccessRecordFilter f;
                           if (auto v = req.QueryParam("user_id")) {
                             f.user_id = ParsePositive(*v);
                           }
                           if (auto v = req.QueryParam("action")) {
                             f.action = *v;
                           }
                           if (auto v = req.QueryParam("target_type")) {
                             f.target_type = *v;
                           }
                           if (auto v = req.QueryParam("target_id")) {
                             f.target_id = *v;
                           }
                           if (auto v = req.QueryParam("before_id")) {
                             f.before_id = ParsePositive(*v).value_or(0);
                           }
                           if (auto v = req.QueryParam("limit")) {
                             f.limit = static_cast<int>(ParsePositive(*v).value_or(100));
                           }
                           auto records = access_log.Search(f);
                           if (!records.ok()) {
                             return Fail(records.error(), req);
                           }
                           // Reading the access records is itself recorded.
                           (void)auth.Record(ctx.actor, "read", "access_records", "");
                           Json items = Json::array();
                           for (const auto& r : *records) {
                             items.push_back(RecordJson(r));
                           }
                           Json out = {{"items", items}};
                           if (!records->empty() && static_cast<int>(records->size()) == f.limit) {
                             out["next_before_id"] = records->back().id;
                           }
                           return http::JsonResponse(200, out);
                         }));
}

}  // namespace caredesk::app
