// The secret iCalendar feed of a case worker's open work, over HTTP on SQLite and PostgreSQL:
// only the owner's follow-ups and referral deadlines, no resident named, the address as the
// credential (a new one stops the old, revoking or deactivating stops it), creating and revoking
// on the access record.
#include <gtest/gtest.h>

#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

class CalendarFeedTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    core::Agency a;
    a.district_id = district;
    a.name = "서민금융통합지원센터";
    a.kind = core::AgencyKind::kExternal;
    a.categories = {"finance"};
    a.contact = "1397";
    a.response_hours = 48;
    agency_ = dir.CreateAgency(a)->id;
    EnsureUser(*app_, "kim", "counselor", seogyo_);
    EnsureUser(*app_, "park", "counselor", seogyo_);
    EnsureUser(*app_, "auditor1", "auditor");
    kim_ = SignIn(port_, "kim");
    park_ = SignIn(port_, "park");
  }

  std::string Intake(const Client& c, const Json& next_step) {
    Json body = {
        {"channel", "visit"},
        {"dong_id", seogyo_},
        {"primary_category", "finance"},
        {"summary", "카드빚 독촉 때문에 잠을 못 자요"},
        {"resident", {{"name", "홍길동"}, {"birth_date", "1950-03-15"}, {"dong_id", seogyo_}}},
        {"confirm_new_resident", true}};
    body.update(next_step);
    const auto r = c.Post("/api/v1/cases", body.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r)["number"].get<std::string>();
  }

  HttpResult Feed(const std::string& path) { return Request(port_, "GET", path); }

  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  core::AgencyId agency_ = 0;
  Client kim_;
  Client park_;
};

TEST_P(CalendarFeedTest, TheOwnersOpenWorkWithoutResidentsUntilRevoked) {
  const auto visit = Intake(kim_, {{"follow_up", {{"kind", "home_visit"}}}});
  const auto referral =
      Intake(kim_, {{"referral",
                     {{"agency_id", agency_},
                      {"consent", {{"given_by", "본인"}, {"scope", {"name", "phone"}}}}}}});
  const auto theirs = Intake(park_, {{"follow_up", {{"kind", "welfare_check"}}}});

  EXPECT_EQ(Body(kim_.Get("/api/v1/auth/me/calendar-feed")),
            (Json{{"active", false}, {"created_at", nullptr}}));
  auto created = kim_.Post("/api/v1/auth/me/calendar-feed", "");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string path = Body(created)["path"].get<std::string>();
  ASSERT_EQ(path.rfind("/api/v1/calendar-feeds/", 0), 0U) << path;
  EXPECT_EQ(Body(kim_.Get("/api/v1/auth/me/calendar-feed"))["active"], true);

  // No session needed: the address is the credential.
  auto feed = Feed(path);
  ASSERT_EQ(feed.status, 200) << feed.body;
  EXPECT_EQ(feed.headers["content-type"], "text/calendar; charset=utf-8");
  EXPECT_EQ(feed.body.rfind("BEGIN:VCALENDAR\r\n", 0), 0U);
  EXPECT_NE(feed.body.find("SUMMARY:가정 방문 · " + visit), std::string::npos) << feed.body;
  EXPECT_NE(feed.body.find("SUMMARY:연계 회신 기한 · " + referral), std::string::npos);
  EXPECT_NE(feed.body.find("서민금융통합지원센터"), std::string::npos);
  EXPECT_EQ(feed.body.find(theirs), std::string::npos) << "another counselor's work";
  for (const auto* personal : {"홍길동", "1950", "카드빚"}) {
    EXPECT_EQ(feed.body.find(personal), std::string::npos) << personal;
  }

  // A new address stops the old one.
  const std::string next = Body(kim_.Post("/api/v1/auth/me/calendar-feed", ""))["path"];
  EXPECT_NE(next, path);
  EXPECT_EQ(Feed(path).status, 404);
  EXPECT_EQ(Feed(next).status, 200);
  // Wrong or malformed addresses: the same 404.
  EXPECT_EQ(Feed("/api/v1/calendar-feeds/" + std::string(64, 'a') + ".ics").status, 404);
  EXPECT_EQ(Feed("/api/v1/calendar-feeds/short.ics").status, 404);
  // Revoked: gone.
  EXPECT_EQ(kim_.Send("DELETE", "/api/v1/auth/me/calendar-feed").status, 204);
  EXPECT_EQ(Feed(next).status, 404);
  EXPECT_EQ(Body(kim_.Get("/api/v1/auth/me/calendar-feed"))["active"], false);

  // Creating and revoking are on the access record.
  auto records = app_->access_log().Search({.target_type = "calendar_feed"});
  ASSERT_TRUE(records.ok());
  std::vector<std::string> actions;
  for (const auto& r : *records) {
    actions.push_back(r.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"revoke", "create", "create"}));
}

TEST_P(CalendarFeedTest, ADeactivatedAccountOrOneThatDoesNoCaseWorkHasNoFeed) {
  Intake(kim_, {{"follow_up", {{"kind", "counseling"}}}});
  const std::string path = Body(kim_.Post("/api/v1/auth/me/calendar-feed", ""))["path"];
  ASSERT_EQ(Feed(path).status, 200);
  auto kim = app_->storage().users().FindByLogin(app_->district().id, "kim");
  ASSERT_TRUE(kim.ok());
  kim->active = false;
  ASSERT_TRUE(app_->storage().users().Update(*kim).ok());
  EXPECT_EQ(Feed(path).status, 404);

  // Auditors and admins have no case work to put in a calendar.
  const auto auditor = SignIn(port_, "auditor1");
  EXPECT_EQ(auditor.Post("/api/v1/auth/me/calendar-feed", "").status, 403);
  EXPECT_EQ(auditor.Get("/api/v1/auth/me/calendar-feed").status, 403);
  EXPECT_EQ(Request(port_, "POST", "/api/v1/auth/me/calendar-feed", "").status, 401);
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarFeedTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
