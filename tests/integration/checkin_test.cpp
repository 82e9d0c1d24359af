// Automated check-ins over HTTP on SQLite and PostgreSQL: a counselor registers a resident's care
// robot; its signed reports become work by the escalation rule (two no-responses in a row: an
// urgent case with a home visit today; an emergency button: the same case raised to crisis with
// another visit); bad signatures, stale and replayed requests, unknown and deactivated devices
// are refused with a clear error and kept in the access records.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "app/route_helpers.hpp"
#include "core/working_days.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

class CheckinTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    mangwon_ = dir.EnsureDong(district, "망원1동", "망원1")->id;
    kim_id_ = EnsureUser(*app_, "kim", "counselor", seogyo_).id;
    EnsureUser(*app_, "lee", "counselor", mangwon_);
    kim_ = SignIn(port_, "kim");
    const auto r = kim_.Post("/api/v1/residents", Json{{"name", "박순자"},
                                                       {"birth_date", "1938-04-01"},
                                                       {"dong_id", seogyo_},
                                                       {"confirm_new", true}}
                                                      .dump());
    ASSERT_EQ(r.status, 201) << r.body;
    resident_ = Body(r)["id"].get<std::int64_t>();
    const auto d =
        kim_.Post("/api/v1/residents/" + std::to_string(resident_) + "/devices",
                  Json{{"device_uid", "HYODOL-2031"}, {"label", "거실 돌봄 로봇"}}.dump());
    ASSERT_EQ(d.status, 201) << d.body;
    device_id_ = Body(d)["device"]["id"].get<std::int64_t>();
    secret_ = Body(d)["secret"].get<std::string>();
  }

  static std::int64_t UnixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }

  // A report as the device sends it; `tamper` changes the request after signing.
  HttpResult Report(const std::string& result, const std::string& uid = "HYODOL-2031",
                    std::int64_t skew = 0, const std::string& secret = {}) {
    const std::string body = Json{{"result", result}}.dump();
    const std::string ts = std::to_string(UnixNow() + skew);
    const std::string nonce = "nonce-" + std::to_string(++serial_) + "-abcdefghij";
    const std::string key = secret.empty() ? secret_ : secret;
    last_headers_ = {{"X-Device-Id", uid},
                     {"X-Timestamp", ts},
                     {"X-Nonce", nonce},
                     {"X-Signature", app_->crypto().digester->HmacSha256Hex(
                                         core::Bytes(key.begin(), key.end()),
                                         core::CheckinSigningString(ts, nonce, body))}};
    last_body_ = body;
    return Resend();
  }
  HttpResult Resend() {
    return Request(port_, "POST", "/api/v1/checkins", last_body_, "application/json",
                   last_headers_);
  }

  std::string DetailCode(const HttpResult& r) {
    const Json j = Body(r);
    return j["error"]["details"].empty() ? "" : j["error"]["details"][0]["code"].get<std::string>();
  }

  // The open follow-ups `who` owns that are due by tomorrow (KST) or overdue, as work items. Not
  // just Today's lists: an escalation late in the evening is due within the hour, which may be
  // after midnight in Korea, i.e. tomorrow.
  Json OpenWork(const Client& who, core::UserId owner) {
    const auto today = core::KstDate(std::chrono::system_clock::now());
    const auto day = [](const core::Date& d, int plus) {
      const auto sys =
          std::chrono::sys_days{std::chrono::year{d.year} / static_cast<unsigned>(d.month) /
                                static_cast<unsigned>(d.day)} +
          std::chrono::days{plus};
      return core::FormatDate(core::KstDate(sys + std::chrono::hours(12)));
    };
    const Json overdue = Body(who.Get("/api/v1/work/today"))["overdue"];
    Json all = Json::array();
    for (const auto& item : overdue) {
      if (item["owner_id"] == owner && item["step_kind"] != "referral") {
        all.push_back(item);
      }
    }
    const Json calendar =
        Body(who.Get("/api/v1/follow-ups?from=" + day(today, 0) + "&to=" + day(today, 1) +
                     "&dong_id=" + std::to_string(seogyo_)));
    for (const auto& f : calendar["items"]) {
      const bool listed =
          std::any_of(all.begin(), all.end(), [&](const Json& w) { return w["id"] == f["id"]; });
      if (f["status"] == "open" && f["owner_id"] == owner && !listed) {
        Json w = f;
        w["step_kind"] = f["kind"];
        all.push_back(w);
      }
    }
    return all;
  }
  Json MyWork() { return OpenWork(kim_, kim_id_); }

  std::vector<core::AccessRecord> Refusals() {
    auto records = app_->access_log().Search({.action = "checkin_rejected"});
    EXPECT_TRUE(records.ok());
    return records.ok() ? *records : std::vector<core::AccessRecord>{};
  }

  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  Client kim_;
  core::UserId kim_id_ = 0;
  std::int64_t resident_ = 0;
  std::int64_t device_id_ = 0;
  std::string secret_;
  int serial_ = 0;
  std::map<std::string, std::string> last_headers_;
  std::string last_body_;
};

TEST_P(CheckinTest, TwoMissedChecksOpenAnUrgentCaseAndAnEmergencyRaisesItToCrisis) {
  ASSERT_EQ(secret_.size(), 64U);
  auto r = Report("responded");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Body(r)["escalated"], false);
  r = Report("no_response");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Body(r)["escalated"], false);
  EXPECT_TRUE(MyWork().empty());

  // The second no-response in a row: an urgent case for the dong with a home visit today.
  r = Report("no_response");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Body(r)["escalated"], true);
  EXPECT_EQ(Body(r)["reason"], "no_response_twice");
  const Json work = MyWork();
  ASSERT_EQ(work.size(), 1U) << work.dump();
  const Json visit = work[0];
  EXPECT_EQ(visit["step_kind"], "home_visit");
  EXPECT_EQ(visit["urgency"], "urgent");
  const auto case_id = visit["case_id"].get<std::int64_t>();
  Json c = Body(kim_.Get("/api/v1/cases/" + std::to_string(case_id)));
  EXPECT_EQ(c["channel"], "automated_check_in");
  EXPECT_EQ(c["dong_id"], seogyo_);
  EXPECT_EQ(c["resident_id"], resident_);
  EXPECT_EQ(c["reporter"]["relation"], "안부 확인 기기");
  EXPECT_NE(c["summary"].get<std::string>().find("2번 연속 응답이 없습니다"), std::string::npos);

  // A third miss opens no more work.
  r = Report("no_response");
  EXPECT_EQ(Body(r)["escalated"], false);
  // The emergency button: the open case gets another visit, now, and becomes a crisis.
  r = Report("emergency_button");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Body(r)["reason"], "emergency_button");
  c = Body(kim_.Get("/api/v1/cases/" + std::to_string(case_id)));
  EXPECT_EQ(c["urgency"], "crisis");
  EXPECT_EQ(c["follow_ups"].size(), 2U) << c.dump();
  EXPECT_FALSE(Body(kim_.Get("/api/v1/work/today"))["crisis"].empty());
  EXPECT_EQ(MyWork().size(), 2U);

  const Json devices =
      Body(kim_.Get("/api/v1/residents/" + std::to_string(resident_) + "/devices"));
  ASSERT_EQ(devices["items"].size(), 1U);
  EXPECT_EQ(devices["items"][0]["last_result"], "emergency_button");
  EXPECT_EQ(devices["items"][0]["missed_in_a_row"], 3);
  EXPECT_EQ(devices["items"][0]["open_case_id"], case_id);
  EXPECT_FALSE(devices["items"][0].contains("secret"));
  EXPECT_TRUE(Refusals().empty());
}

TEST_P(CheckinTest, ForgedStaleReplayedUnknownAndDeactivatedReportsAreRefusedAndRecorded) {
  auto r = Report("emergency_button", "HYODOL-2031", 0, std::string(64, 'f'));
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(DetailCode(r), "bad_signature");
  r = Report("responded", "HYODOL-2031", -600);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(DetailCode(r), "stale_request");
  // A timestamp far out of any clock's range, or not a number: the same refusal.
  last_headers_["X-Timestamp"] = "9223372036854775807";
  EXPECT_EQ(DetailCode(Resend()), "stale_request");
  last_headers_["X-Timestamp"] = "-5";
  EXPECT_EQ(DetailCode(Resend()), "stale_request");
  r = Report("responded", "NO-SUCH-DEVICE");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(DetailCode(r), "unknown_device");
  r = Report("responded");
  ASSERT_EQ(r.status, 202) << r.body;
  r = Resend();  // the very same signed request again
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(DetailCode(r), "replayed");
  // A tampered body no longer matches its signature.
  last_body_ = Json{{"result", "emergency_button"}}.dump();
  last_headers_["X-Nonce"] = "another-nonce-0123456789";
  EXPECT_EQ(DetailCode(Resend()), "bad_signature");
  // Arbitrary bytes in the device id: refused and recorded, not a server error.
  r = Report("responded", "\xff\xfe-not-text");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(DetailCode(r), "malformed");
  r = Report("fine");
  EXPECT_EQ(r.status, 422) << r.body;
  last_headers_.erase("X-Signature");
  EXPECT_EQ(Resend().status, 401);

  const auto deactivated =
      kim_.Post("/api/v1/devices/" + std::to_string(device_id_) + "/deactivate", "");
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_EQ(Body(deactivated)["device"]["active"], false);
  r = Report("emergency_button");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(DetailCode(r), "inactive_device");

  std::vector<std::string> reasons;
  for (const auto& a : Refusals()) {
    EXPECT_EQ(a.outcome, "denied");
    EXPECT_EQ(a.role, "device");
    reasons.push_back(a.purpose);
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{"inactive_device", "bad_signature", "malformed",
                                               "bad_signature", "replayed", "unknown_device",
                                               "stale_request", "stale_request", "stale_request",
                                               "bad_signature"}));
  // Nothing was escalated by any of them.
  EXPECT_TRUE(MyWork().empty());
}

TEST_P(CheckinTest, AnEmergencyOpensACrisisCaseEvenWhenItsOwnerHasLeft) {
  // The counselor who registered the device has left: the dong's supervisor gets the visit.
  const auto sup = EnsureUser(*app_, "sup", "supervisor", seogyo_);
  auto kim = app_->storage().users().FindByLogin(app_->district().id, "kim");
  ASSERT_TRUE(kim.ok());
  kim->active = false;
  ASSERT_TRUE(app_->storage().users().Update(*kim).ok());
  const auto before = std::chrono::system_clock::now();
  const auto r = Report("emergency_button");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(Body(r)["escalated"], true);
  const auto supervisor = SignIn(port_, "sup");
  const Json today = Body(supervisor.Get("/api/v1/work/today"));
  const Json work = OpenWork(supervisor, sup.id);
  ASSERT_EQ(work.size(), 1U) << work.dump();
  const Json visit = work[0];
  EXPECT_EQ(visit["owner_id"], sup.id);
  EXPECT_EQ(visit["urgency"], "crisis");
  EXPECT_EQ(visit["step_kind"], "home_visit");
  // Within the hour.
  const auto due = app::ParseRfc3339(visit["due_at"].get<std::string>());
  ASSERT_TRUE(due.has_value());
  EXPECT_LE(*due, before + std::chrono::minutes(61));
  EXPECT_GE(*due, before + std::chrono::minutes(59));
  EXPECT_FALSE(today["crisis"].empty());
  // The dong's supervisor is also e-mailed, through the outbox (in the case's transaction).
  auto queued = app_->storage().outbox().ListOutbox(app_->district().id, {});
  ASSERT_TRUE(queued.ok());
  const auto alert = std::find_if(queued->begin(), queued->end(), [&](const auto& m) {
    return m.n.kind == core::NotificationKind::kEmergencyCheckin;
  });
  ASSERT_NE(alert, queued->end());
  EXPECT_EQ(alert->n.user_id, std::optional<core::UserId>(sup.id));
  EXPECT_EQ(alert->n.case_id, std::optional<core::CaseId>(visit["case_id"].get<std::int64_t>()));
}

TEST_P(CheckinTest, RegistrationIsValidatedAndLimitedToTheResidentsDong) {
  const std::string path = "/api/v1/residents/" + std::to_string(resident_) + "/devices";
  auto r = kim_.Post(path, Json{{"device_uid", "HYODOL-2031"}, {"label", "또 하나"}}.dump());
  EXPECT_EQ(r.status, 409) << r.body;
  r = kim_.Post(path, Json{{"device_uid", "로봇 1"}, {"label", ""}, {"kind", "phone"}}.dump());
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r)["error"]["details"].size(), 3U) << r.body;
  // Another dong's counselor: the resident does not exist for her.
  const auto lee = SignIn(port_, "lee");
  EXPECT_EQ(lee.Post(path, Json{{"device_uid", "X-1"}, {"label", "로봇"}}.dump()).status, 404);
  EXPECT_EQ(lee.Get(path).status, 404);
  EXPECT_EQ(lee.Post("/api/v1/devices/" + std::to_string(device_id_) + "/deactivate", "").status,
            404);
}

INSTANTIATE_TEST_SUITE_P(Backends, CheckinTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
