// Sign-in, sessions, CSRF, lockout and role checks over HTTP, on both backends,
// with a fake clock for the timeouts.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/access_record.hpp"
#include "core/totp.hpp"
#include "tests/integration/test_app.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::testing {
namespace {

using namespace std::chrono_literals;
using http::Json;

class AuthTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_, {}, &clock_);
    ASSERT_NE(app_, nullptr);
    auto dong = app_->storage().directory().EnsureDong(app_->district().id, "서교동", "서교");
    ASSERT_TRUE(dong.ok());
    dong_ = dong->id;
    EnsureUser(*app_, "admin1", "admin");
    EnsureUser(*app_, "kim", "counselor", dong_);
  }

  HttpResult Login(const std::string& login, const std::string& password) {
    return Request(port_, "POST", "/api/v1/auth/login",
                   Json{{"login", login}, {"password", password}}.dump());
  }

  FakeClock clock_;
  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId dong_ = 0;
};

std::string Code(const HttpResult& r) {
  const auto j = Json::parse(r.body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"]["code"].get<std::string>() : "";
}

TEST_P(AuthTest, EveryApiRouteNeedsASession) {
  for (const auto& route : app_->router().Routes()) {
    if (route.path_template.rfind("/api/v1/", 0) != 0 ||
        route.path_template == "/api/v1/openapi.json" ||
        route.path_template == "/api/v1/auth/login" ||
        // The secret address is the credential: without it, nothing to find (404).
        route.path_template == "/api/v1/calendar-feeds/{file}" ||
        // Residents without an account (portal_test.cpp): public by design.
        route.path_template.rfind("/api/v1/portal/", 0) == 0) {
      continue;
    }
    std::string path = route.path_template;
    if (const auto p = path.find("{id}"); p != std::string::npos) {
      path.replace(p, 4, "1");
    }
    const auto r = Request(port_, route.method, path, route.method == "GET" ? "" : "{}");
    EXPECT_EQ(r.status, 401) << route.method << " " << route.path_template;
    EXPECT_EQ(Code(r), "unauthenticated");
  }
}

TEST_P(AuthTest, SessionCookieIsHttpOnlySecureAndStrict) {
  const auto r = Login("kim", kTestPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto cookie = r.headers.at("set-cookie");
  EXPECT_NE(cookie.find("caredesk_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("Secure"), std::string::npos);
  EXPECT_TRUE(Json::parse(r.body)["must_change_password"].get<bool>());
}

TEST_P(AuthTest, WrongPasswordAndUnknownLoginLookAlike) {
  const auto wrong = Login("kim", "Wrong-Pass-2026");
  const auto unknown = Login("nobody", "Wrong-Pass-2026");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(Json::parse(wrong.body)["error"]["message_ko"],
            Json::parse(unknown.body)["error"]["message_ko"]);
}

TEST_P(AuthTest, FiveFailuresLockTheAccountUntilAnAdminUnlocksIt) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(Login("kim", "Wrong-Pass-2026").status, 401);
  }
  const auto locked = Login("kim", kTestPassword);
  EXPECT_EQ(locked.status, 401);
  EXPECT_NE(Json::parse(locked.body)["error"]["message_ko"].get<std::string>().find("잠겼"),
            std::string::npos);
  const auto admin = SignIn(port_, "admin1");
  const auto kim = app_->storage().users().FindByLogin(app_->district().id, "kim");
  ASSERT_TRUE(kim.ok());
  EXPECT_TRUE(kim->locked_until.has_value());
  const auto unlocked = admin.Post("/api/v1/users/" + std::to_string(kim->id) + "/unlock", "{}");
  EXPECT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_EQ(Login("kim", kTestPassword).status, 200);
}

TEST_P(AuthTest, LockoutEndsByItselfAfterTheLockoutPeriod) {
  for (int i = 0; i < 5; ++i) {
    Login("kim", "Wrong-Pass-2026");
  }
  EXPECT_EQ(Login("kim", kTestPassword).status, 401);
  clock_.Advance(31min);
  EXPECT_EQ(Login("kim", kTestPassword).status, 200);
}

TEST_P(AuthTest, TheInitialPasswordMustBeChangedFirst) {
  const auto kim = SignIn(port_, "kim", kTestPassword, /*change_password=*/false);
  const auto blocked = kim.Get("/api/v1/dongs");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(Code(blocked), "password_change_required");
  EXPECT_EQ(kim.Get("/api/v1/auth/me").status, 200);
  const auto weak =
      kim.Post("/api/v1/auth/password",
               Json{{"current_password", kTestPassword}, {"new_password", "short"}}.dump());
  EXPECT_EQ(weak.status, 422);
  const auto ok = kim.Post(
      "/api/v1/auth/password",
      Json{{"current_password", kTestPassword}, {"new_password", kChangedPassword}}.dump());
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(kim.Get("/api/v1/dongs").status, 200);
  EXPECT_EQ(Login("kim", kTestPassword).status, 401);
  EXPECT_EQ(Login("kim", kChangedPassword).status, 200);
}

TEST_P(AuthTest, StateChangesNeedTheSessionsCsrfToken) {
  auto admin = SignIn(port_, "admin1");
  const std::string agency =
      R"({"name": "법률홈닥터", "kind": "external", "categories": ["legal"], "response_hours": 72})";
  auto no_token = admin;
  no_token.csrf.clear();
  const auto missing = no_token.Post("/api/v1/agencies", agency);
  EXPECT_EQ(missing.status, 403);
  EXPECT_EQ(Code(missing), "csrf_rejected");
  auto wrong = admin;
  wrong.csrf = std::string(admin.csrf.size(), '0');
  EXPECT_EQ(Code(wrong.Post("/api/v1/agencies", agency)), "csrf_rejected");
  EXPECT_TRUE(Json::parse(admin.Get("/api/v1/agencies").body)["items"].empty());
  EXPECT_EQ(admin.Post("/api/v1/agencies", agency).status, 201);
  EXPECT_EQ(no_token.Get("/api/v1/agencies").status, 200);  // reads need no token
}

TEST_P(AuthTest, IdleSessionsEndAfterThirtyMinutesActiveOnesDoNot) {
  const auto kim = SignIn(port_, "kim");
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(20min);
    EXPECT_EQ(kim.Get("/api/v1/dongs").status, 200) << "after " << (i + 1) * 20 << " min";
  }
  clock_.Advance(31min);
  const auto idle = kim.Get("/api/v1/dongs");
  EXPECT_EQ(idle.status, 401);
  EXPECT_NE(Json::parse(idle.body)["error"]["message_ko"].get<std::string>().find("사용하지 않아"),
            std::string::npos);
}

TEST_P(AuthTest, SessionsEndAtTheirAbsoluteLifetimeEvenWhenActive) {
  const auto kim = SignIn(port_, "kim");
  for (int i = 0; i < 35; ++i) {  // 35 x 20 min = 11 h 40 min
    clock_.Advance(20min);
    ASSERT_EQ(kim.Get("/api/v1/dongs").status, 200);
  }
  clock_.Advance(21min);
  EXPECT_EQ(kim.Get("/api/v1/dongs").status, 401);
}

TEST_P(AuthTest, LogoutAndRevokeEndSessions) {
  const auto first = SignIn(port_, "kim");
  const auto second = SignIn(port_, "kim", kChangedPassword, false);
  const auto list = Json::parse(second.Get("/api/v1/auth/sessions").body)["items"];
  ASSERT_EQ(list.size(), 2U);
  std::string other;
  for (const auto& s : list) {
    if (!s["current"].get<bool>()) {
      other = s["id"];
    }
  }
  ASSERT_FALSE(other.empty());
  EXPECT_EQ(second.Send("DELETE", "/api/v1/auth/sessions/" + other).status, 204);
  EXPECT_EQ(first.Get("/api/v1/dongs").status, 401);
  EXPECT_EQ(second.Send("DELETE", "/api/v1/auth/sessions/ffffffffffffffff").status, 404);
  EXPECT_EQ(second.Post("/api/v1/auth/logout", "").status, 204);
  EXPECT_EQ(second.Get("/api/v1/dongs").status, 401);
}

TEST_P(AuthTest, ChangingThePasswordSignsOutOtherSessions) {
  const auto first = SignIn(port_, "kim");  // changes to kChangedPassword
  const auto second = SignIn(port_, "kim", kChangedPassword, false);
  EXPECT_EQ(second
                .Post("/api/v1/auth/password", Json{{"current_password", kChangedPassword},
                                                    {"new_password", "Third-Pass-2026"}}
                                                   .dump())
                .status,
            204);
  EXPECT_EQ(first.Get("/api/v1/dongs").status, 401);
  EXPECT_EQ(second.Get("/api/v1/dongs").status, 200);
}

TEST_P(AuthTest, OnlyAdminsManageUsersAgenciesAndAccessRecords) {
  const auto admin = SignIn(port_, "admin1");
  const auto kim = SignIn(port_, "kim");
  const std::string new_user = Json{
      {"login", "lee"},
      {"display_name", "이상담"},
      {"role", "counselor"},
      {"dong_id", dong_},
      {"initial_password",
       "Welcome-2026!"}}.dump();
  EXPECT_EQ(Code(kim.Post("/api/v1/users", new_user)), "forbidden");
  EXPECT_EQ(Code(kim.Get("/api/v1/users")), "forbidden");
  EXPECT_EQ(Code(kim.Get("/api/v1/access-records")), "forbidden");
  EXPECT_EQ(Code(kim.Post("/api/v1/agencies", R"({"name": "x", "kind": "external",
      "categories": ["legal"], "response_hours": 1})")),
            "forbidden");
  const auto created = admin.Post("/api/v1/users", new_user);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_TRUE(Json::parse(created.body)["must_change_password"].get<bool>());
  EXPECT_EQ(admin.Post("/api/v1/users", new_user).status, 409);
  EXPECT_EQ(Json::parse(admin.Get("/api/v1/users").body)["items"].size(), 3U);
  EXPECT_EQ(SignIn(port_, "lee", "Welcome-2026!").csrf.empty(), false);
}

TEST_P(AuthTest, SignInsAndFailuresAreRecordedInAnIntactChain) {
  Login("kim", "Wrong-Pass-2026");
  const auto admin = SignIn(port_, "admin1");
  const auto failures = admin.Get("/api/v1/access-records?action=login_failed");
  ASSERT_EQ(failures.status, 200) << failures.body;
  const auto items = Json::parse(failures.body)["items"];
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0]["outcome"], "denied");
  EXPECT_EQ(items[0]["ip"], "127.0.0.1");
  core::ChainVerifier verifier(*app_->crypto().digester);
  verifier.Feed(*app_->access_log().ReadAfter(0, 1000));
  EXPECT_TRUE(verifier.report().intact) << verifier.report().problem;
  EXPECT_GE(verifier.report().checked, 4);  // failure, login, password change, read of records
}

TEST_P(AuthTest, TotpSecondFactorGuardsSignInOnceEnabled) {
  const auto kim = SignIn(port_, "kim");
  const auto setup = kim.Post("/api/v1/auth/totp/setup", "");
  ASSERT_EQ(setup.status, 200) << setup.body;
  const auto secret = core::Base32Decode(Json::parse(setup.body)["secret"].get<std::string>());
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(
      Json::parse(setup.body)["provisioning_uri"].get<std::string>().rfind("otpauth://totp/", 0),
      0U);
  const auto& digester = *app_->crypto().digester;
  auto code_now = [&] { return core::TotpCode(digester, *secret, clock_.Now()); };
  auto code_json = [](const std::string& code) { return Json{{"code", code}}.dump(); };
  // A wrong first code does not switch it on.
  EXPECT_EQ(kim.Post("/api/v1/auth/totp/confirm", code_json("000000")).status, 422);
  ASSERT_EQ(kim.Post("/api/v1/auth/totp/confirm", code_json(code_now())).status, 204);

  // The next sign-in stops half way until the code is given.
  const auto again = SignIn(port_, "kim", kChangedPassword, false);
  const auto blocked = again.Get("/api/v1/dongs");
  EXPECT_EQ(blocked.status, 401);
  EXPECT_EQ(Code(blocked), "second_factor_required");
  EXPECT_EQ(again.Post("/api/v1/auth/totp/verify", code_json("123456")).status, 422);
  EXPECT_EQ(again.Get("/api/v1/dongs").status, 401);
  clock_.Advance(5min);  // a code from five minutes ago no longer works
  EXPECT_EQ(again.Post("/api/v1/auth/totp/verify", code_json(code_now())).status, 204);
  EXPECT_EQ(again.Get("/api/v1/dongs").status, 200);

  // Disabling needs a current code; afterwards sign-in is one step again.
  EXPECT_EQ(again.Post("/api/v1/auth/totp/disable", code_json("999999")).status, 422);
  EXPECT_EQ(again.Post("/api/v1/auth/totp/disable", code_json(code_now())).status, 204);
  EXPECT_EQ(SignIn(port_, "kim", kChangedPassword, false).Get("/api/v1/dongs").status, 200);
}

TEST_P(AuthTest, GuessingTheSecondFactorLocksTheAccount) {
  const auto kim = SignIn(port_, "kim");
  const auto setup = kim.Post("/api/v1/auth/totp/setup", "");
  const auto secret = core::Base32Decode(Json::parse(setup.body)["secret"].get<std::string>());
  ASSERT_TRUE(secret.has_value());
  const auto code = core::TotpCode(*app_->crypto().digester, *secret, clock_.Now());
  ASSERT_EQ(kim.Post("/api/v1/auth/totp/confirm", Json{{"code", code}}.dump()).status, 204);
  const auto half = SignIn(port_, "kim", kChangedPassword, false);
  for (int i = 0; i < 5; ++i) {
    // Never a valid code: the real one plus one, modulo 10^6.
    const auto wrong = std::to_string((std::stoi(code) + 1 + i) % 1000000);
    half.Post("/api/v1/auth/totp/verify",
              Json{{"code", std::string(6 - wrong.size(), '0') + wrong}}.dump());
  }
  EXPECT_EQ(half.Get("/api/v1/dongs").status, 401);
  EXPECT_EQ(Login("kim", kChangedPassword).status, 401);  // locked
}

TEST_P(AuthTest, PreferencesAreKeptOnTheServerAndFollowTheUser) {
  // Before the initial password is changed the language can already be switched.
  const auto fresh = SignIn(port_, "kim", kTestPassword, false);
  const auto me = Json::parse(fresh.Get("/api/v1/auth/me").body);
  EXPECT_EQ(me["user"]["locale"], "ko");
  EXPECT_EQ(me["user"]["large_text"], false);
  const auto english = fresh.Send("PATCH", "/api/v1/auth/me", R"({"locale": "en"})");
  ASSERT_EQ(english.status, 200) << english.body;
  EXPECT_EQ(Json::parse(english.body)["user"]["locale"], "en");
  EXPECT_EQ(Json::parse(english.body)["user"]["large_text"], false);
  EXPECT_FALSE(Json::parse(english.body)["csrf_token"].get<std::string>().empty());

  const auto kim = SignIn(port_, "kim", kTestPassword, true);
  const auto both = kim.Send("PATCH", "/api/v1/auth/me", R"({"locale": "en", "large_text": true})");
  ASSERT_EQ(both.status, 200) << both.body;
  EXPECT_EQ(Json::parse(both.body)["user"]["large_text"], true);
  // A new sign-in, elsewhere: the same settings.
  const auto elsewhere = SignIn(port_, "kim", kChangedPassword, false);
  const auto again = Json::parse(elsewhere.Get("/api/v1/auth/me").body)["user"];
  EXPECT_EQ(again["locale"], "en");
  EXPECT_EQ(again["large_text"], true);
  ASSERT_EQ(elsewhere.Send("PATCH", "/api/v1/auth/me", R"({"locale": "ko"})").status, 200);
  EXPECT_EQ(Json::parse(elsewhere.Get("/api/v1/auth/me").body)["user"]["large_text"], true);

  // Bad values: 422 naming the field; the settings stay.
  const auto french = elsewhere.Send("PATCH", "/api/v1/auth/me", R"({"locale": "fr"})");
  EXPECT_EQ(french.status, 422);
  EXPECT_EQ(Json::parse(french.body)["error"]["details"][0]["field"], "locale");
  EXPECT_EQ(elsewhere.Send("PATCH", "/api/v1/auth/me", R"({"large_text": "yes"})").status, 422);
  EXPECT_EQ(elsewhere.Send("PATCH", "/api/v1/auth/me", R"({"theme": "dark"})").status, 422);
  EXPECT_EQ(Json::parse(elsewhere.Get("/api/v1/auth/me").body)["user"]["locale"], "ko");
  // Like every write, it needs the CSRF token.
  Client no_token = elsewhere;
  no_token.csrf.clear();
  const auto forged = no_token.Send("PATCH", "/api/v1/auth/me", R"({"locale": "en"})");
  EXPECT_EQ(forged.status, 403);
  EXPECT_EQ(Code(forged), "csrf_rejected");
}

TEST_P(AuthTest, AdminsChangeAccountsAndDeactivationSignsTheUserOut) {
  const auto admin = SignIn(port_, "admin1");
  const auto admin_id = Json::parse(admin.Get("/api/v1/auth/me").body)["user"]["id"];
  const auto kim = SignIn(port_, "kim");
  const auto kim_user = Json::parse(kim.Get("/api/v1/auth/me").body)["user"];
  const auto path = "/api/v1/users/" + std::to_string(kim_user["id"].get<std::int64_t>());
  auto patch = [&](const Client& who, const std::string& target, const Json& body,
                   std::optional<std::int64_t> version = std::nullopt) {
    auto h = who.Headers();
    if (version) {
      h["If-Match"] = "\"" + std::to_string(*version) + "\"";
    }
    return Request(port_, "PATCH", target, body.dump(), "application/json", h);
  };

  const auto renamed = patch(admin, path, {{"display_name", "  김상담 "}}, kim_user["version"]);
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  const auto after = Json::parse(renamed.body);
  EXPECT_EQ(after["display_name"], "김상담");
  EXPECT_EQ(after["version"], kim_user["version"].get<std::int64_t>() + 1);
  EXPECT_EQ(renamed.headers.at("etag"), "\"" + std::to_string(after["version"].get<int>()) + "\"");
  EXPECT_EQ(patch(admin, path, {{"display_name", "덮어쓰기"}}, kim_user["version"]).status, 412);
  // The role takes effect at once: a district-wide supervisor has no dong.
  const auto promoted = patch(admin, path, {{"role", "supervisor"}, {"dong_id", nullptr}});
  ASSERT_EQ(promoted.status, 200) << promoted.body;
  EXPECT_EQ(Json::parse(promoted.body)["role"], "supervisor");
  EXPECT_TRUE(Json::parse(promoted.body)["dong_id"].is_null());
  EXPECT_EQ(Json::parse(kim.Get("/api/v1/auth/me").body)["user"]["role"], "supervisor");

  // The result must make sense, and refer to the district's own dongs and agencies.
  auto refused = [&](const Json& body) {
    const auto r = patch(admin, path, body);
    EXPECT_EQ(r.status, 422) << body.dump() << r.body;
    const auto d = Json::parse(r.body)["error"]["details"];
    return d.empty() ? std::string()
                     : d[0]["field"].get<std::string>() + ":" + d[0]["code"].get<std::string>();
  };
  EXPECT_EQ(refused({{"role", "counselor"}}), "dong_id:required");
  EXPECT_EQ(refused({{"role", "agency_officer"}}), "agency_id:required");
  EXPECT_EQ(refused({{"role", "root"}}), "role:invalid_choice");
  EXPECT_EQ(refused({{"display_name", " "}}), "display_name:required");
  EXPECT_EQ(refused({{"role", "counselor"}, {"dong_id", 999999}}), "dong_id:not_found");
  EXPECT_EQ(refused({{"login", "renamed"}}), "login:unknown_field");
  ASSERT_EQ(patch(admin, path, {{"role", "counselor"}, {"dong_id", dong_}}).status, 200);

  // Deactivated: signed out everywhere at once, and no new sign-in.
  const auto second = SignIn(port_, "kim", kChangedPassword, false);
  const auto off = patch(admin, path, {{"active", false}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(Json::parse(off.body)["active"], false);
  EXPECT_EQ(kim.Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(second.Get("/api/v1/auth/me").status, 401);
  EXPECT_EQ(Login("kim", kChangedPassword).status, 401);
  const auto kim_id = kim_user["id"].get<core::UserId>();
  EXPECT_TRUE(app_->storage().sessions().ListActive(kim_id, clock_.Now())->empty());
  ASSERT_EQ(patch(admin, path, {{"active", true}}).status, 200);
  EXPECT_EQ(Login("kim", kChangedPassword).status, 200);

  // An admin cannot lock themselves out.
  const auto self = "/api/v1/users/" + std::to_string(admin_id.get<std::int64_t>());
  const auto own_off = patch(admin, self, {{"active", false}});
  EXPECT_EQ(own_off.status, 422);
  EXPECT_EQ(Json::parse(own_off.body)["error"]["details"][0]["code"], "own_account");
  EXPECT_EQ(Json::parse(own_off.body)["error"]["details"][0]["field"], "active");
  EXPECT_EQ(patch(admin, self, {{"role", "supervisor"}}).status, 422);
  EXPECT_EQ(patch(admin, self, {{"display_name", "관리자"}}).status, 200);
  EXPECT_EQ(patch(admin, "/api/v1/users/999999", {{"active", false}}).status, 404);
  EXPECT_EQ(patch(SignIn(port_, "kim", kChangedPassword, false), path, {{"active", false}}).status,
            403);

  // Every change is in the access records, with what changed.
  const auto records = Json::parse(
      admin.Get("/api/v1/access-records?action=user_updated&target_id=" + std::to_string(kim_id))
          .body)["items"];
  std::vector<std::string> purposes;
  for (const auto& r : records) {
    purposes.push_back(r["purpose"]);
    EXPECT_EQ(r["user_id"], admin_id);
  }
  EXPECT_EQ(purposes, (std::vector<std::string>{"reactivated", "deactivated", "role,dong_id",
                                                "role,dong_id", "display_name"}));
}

INSTANTIATE_TEST_SUITE_P(Backends, AuthTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

// The raw SQLite file (and its WAL) never holds a password, only Argon2id hashes.
TEST(AuthStorage, PasswordsAreNeverStoredInTheClear) {
  TempDir dir;
  std::uint16_t port = 0;
  const auto config = TestConfig(storage::Backend::kSqlite, dir);
  auto app = StartApp(config, &port);
  ASSERT_NE(app, nullptr);
  EnsureUser(*app, "kim", "admin");
  SignIn(port, "kim");
  app->Stop();
  const std::string path = config.storage.url.substr(std::string("sqlite://").size());
  std::stringstream raw;
  for (const auto& file : {path, path + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    raw << in.rdbuf();
  }
  EXPECT_EQ(raw.str().find(kTestPassword), std::string::npos);
  EXPECT_EQ(raw.str().find(kChangedPassword), std::string::npos);
  EXPECT_NE(raw.str().find("$argon2id$"), std::string::npos);
}

}  // namespace
}  // namespace caredesk::testing
