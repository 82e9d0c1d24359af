// The Ask-Anything desk end to end over HTTP, on SQLite and on PostgreSQL:
// intake to closure, welfare checks, third-party reports, the promise that
// every open case has a next step, search, concurrency and who sees what.
#include <gtest/gtest.h>

#include "core/access_record.hpp"
#include "tests/integration/test_app.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::testing {
namespace {

using namespace std::chrono_literals;
using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

std::string Encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0) {
      out.push_back(ch);
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0x0F]};
    }
  }
  return out;
}

std::string Code(const HttpResult& r) {
  const auto j = Body(r);
  return j.is_object() && j.contains("error") ? j["error"]["code"].get<std::string>() : "";
}

class CaseFlowTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_, {}, &clock_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    mangwon_ = dir.EnsureDong(district, "망원1동", "망원1")->id;
    core::Agency finance;
    finance.district_id = district;
    finance.name = "서민금융통합지원센터";
    finance.categories = {"finance"};
    finance.contact = "1397";
    finance.response_hours = 48;
    finance_ = dir.CreateAgency(finance)->id;
    core::Agency dispute = finance;
    dispute.name = "이웃분쟁조정센터";
    dispute.categories = {"neighbour_dispute"};
    dispute_ = dir.CreateAgency(dispute)->id;

    kim_id_ = EnsureUser(*app_, "kim", "counselor", seogyo_).id;
    EnsureUser(*app_, "park", "counselor", mangwon_);
    lee_id_ = EnsureUser(*app_, "lee", "case_manager", seogyo_).id;
    EnsureUser(*app_, "sup", "supervisor");
    EnsureUser(*app_, "admin1", "admin");
    EnsureUser(*app_, "auditor1", "auditor");
    EnsureUser(*app_, "officer", "agency_officer", std::nullopt, finance_);
    EnsureUser(*app_, "officer2", "agency_officer", std::nullopt, dispute_);
    kim_ = SignIn(port_, "kim");
  }

  // A walk-in about debt with a first consultation and a follow-up as next step.
  Json WalkIn(const Client& who, const std::string& summary = "카드빚 때문에 독촉 전화가 와요") {
    const auto r =
        who.Post("/api/v1/cases",
                 Json{{"channel", "visit"},
                      {"resident",
                       {{"name", "홍길동"},
                        {"birth_date", "1958-03-02"},
                        {"phone", "010-9876-5432"},
                        {"address", "서울 마포구 월드컵로 212"},
                        {"household", {{"living_alone", true}, {"members", 1}}},
                        {"tags", {"single_middle_aged_man"}}}},
                      {"confirm_new_resident", true},
                      {"primary_category", "finance"},
                      {"secondary_categories", {"mental_health"}},
                      {"summary", summary},
                      {"consultation",
                       {{"kind", "visit"}, {"notes", "채무 규모 약 3천만원, 월세 2개월 밀림"}}},
                      {"follow_up", {{"kind", "counseling"}, {"due", "2026-11-26"}}}}
                     .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  }

  std::string CasePath(const Json& c) {
    return "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>());
  }

  FakeClock clock_;
  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  core::AgencyId finance_ = 0;
  core::AgencyId dispute_ = 0;
  core::UserId kim_id_ = 0;
  core::UserId lee_id_ = 0;
  Client kim_;
};

TEST_P(CaseFlowTest, WalkInToReferralToResolvedToClosed) {
  const auto created = WalkIn(kim_);
  EXPECT_EQ(created["number"], "2026-서교-000001");
  EXPECT_EQ(created["status"], "in_consultation");
  EXPECT_EQ(created["resident"]["name"], "홍*동");  // masked until unmasked
  EXPECT_EQ(created["resident"]["phone"], "010-****-5432");
  ASSERT_EQ(created["clocks"].size(), 2U);
  EXPECT_EQ(created["clocks"][0]["kind"], "answer");
  const auto path = CasePath(created);

  // Refer to the finance centre with the resident's consent.
  const auto referred =
      kim_.Post(path + "/referrals",
                Json{{"agency_id", finance_},
                     {"consent", {{"given_by", "본인"}, {"scope", {"name", "phone", "summary"}}}},
                     {"request_note", "채무조정 상담 요청"}}
                    .dump());
  ASSERT_EQ(referred.status, 200) << referred.body;
  EXPECT_EQ(Body(referred)["status"], "referred");
  const auto referral_id = Body(referred)["referrals"][0]["id"].get<std::int64_t>();
  const auto referral_path = "/api/v1/referrals/" + std::to_string(referral_id);

  // The agency sees only what the consent covers.
  const auto officer = SignIn(port_, "officer");
  const auto inbox = Body(officer.Get("/api/v1/referrals"));
  ASSERT_EQ(inbox["items"].size(), 1U);
  EXPECT_EQ(inbox["items"][0]["case_number"], "2026-서교-000001");
  const auto detail = Body(officer.Get(referral_path));
  EXPECT_EQ(detail["shared"]["name"], "홍길동");
  EXPECT_EQ(detail["shared"]["phone"], "01098765432");
  EXPECT_FALSE(detail["shared"].contains("address"));
  EXPECT_EQ(officer.Get(path).status, 403);  // never the case itself
  // Another agency does not even learn the referral exists.
  EXPECT_EQ(SignIn(port_, "officer2").Get(referral_path).status, 404);

  EXPECT_EQ(officer.Post(referral_path + "/accept", "{}").status, 200);
  EXPECT_EQ(officer.Post(referral_path + "/accept", "{}").status, 409);
  const auto completed =
      officer.Post(referral_path + "/complete", Json{{"outcome", "개인회생 신청 지원"}}.dump());
  ASSERT_EQ(completed.status, 200) << completed.body;

  // The counselor now has a resolution check; the case is under follow-up.
  auto c = Body(kim_.Get(path));
  EXPECT_EQ(c["status"], "ongoing");
  std::int64_t check_id = 0;
  for (const auto& f : c["follow_ups"]) {
    if (f["kind"] == "resolution_check" && f["status"] == "open") {
      check_id = f["id"];
    }
  }
  ASSERT_NE(check_id, 0) << c.dump();

  // Resolving needs a note, and the other open follow-up is cancelled by it.
  EXPECT_EQ(Code(kim_.Post(path + "/resolve", "{}")), "validation_failed");
  const auto resolved =
      kim_.Post(path + "/resolve", Json{{"resolution_note", "개인회생 인가, 독촉 중단"}}.dump());
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(Body(resolved)["status"], "resolved");

  // Closing needs the resident's confirmation (or a reason).
  const auto early = kim_.Post(path + "/close", "{}");
  EXPECT_EQ(early.status, 422);
  EXPECT_EQ(Body(early)["error"]["details"][0]["code"], "resolution_unconfirmed");
  c = Body(kim_.Get(path));
  std::int64_t confirm_id = 0;
  for (const auto& f : c["follow_ups"]) {
    if (f["kind"] == "resolution_check" && f["status"] == "open") {
      confirm_id = f["id"];
    }
  }
  ASSERT_NE(confirm_id, 0);
  const auto confirmed = kim_.Post("/api/v1/follow-ups/" + std::to_string(confirm_id) + "/result",
                                   Json{{"result", "resolved"}, {"note", "독촉 멈춤 확인"}}.dump());
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  const auto closed = kim_.Post(path + "/close", "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(Body(closed)["status"], "closed");
  EXPECT_EQ(Body(closed)["clocks"][0]["state"], "met");

  // The timeline tells the whole story, in order.
  const auto timeline = Body(kim_.Get(path + "/timeline"))["items"];
  std::vector<std::string> kinds;
  for (const auto& e : timeline) {
    kinds.push_back(e["kind"]);
  }
  for (const auto* kind : {"received", "consultation_added", "referral_sent", "referral_accepted",
                           "referral_completed", "resolved", "resolution_confirmed", "closed"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end()) << kind;
  }
  EXPECT_EQ(kinds.front(), "received");
  EXPECT_EQ(kinds.back(), "closed");

  // Reopen needs a reason and a next step.
  EXPECT_EQ(kim_.Post(path + "/reopen", Json{{"reason", "다시 독촉"}}.dump()).status, 422);
  const auto reopened = kim_.Post(
      path + "/reopen", Json{{"reason", "다시 독촉"}, {"next", {{"kind", "counseling"}}}}.dump());
  ASSERT_EQ(reopened.status, 200) << reopened.body;
  EXPECT_EQ(Body(reopened)["status"], "in_consultation");
}

TEST_P(CaseFlowTest, WeeklyWelfareChecksAndTwoMissesEscalate) {
  const auto created = WalkIn(kim_, "혼자 사시는 어르신, 연락이 잘 안 됨");
  const auto path = CasePath(created);
  auto c = Body(kim_.Post(
      path + "/follow-ups",
      Json{{"kind", "welfare_check"}, {"due", "2026-11-24"}, {"recurrence_days", 7}}.dump()));
  ASSERT_TRUE(c.contains("follow_ups")) << c.dump();
  // Keep it under follow-up (unresolved).
  ASSERT_EQ(kim_.Post(path + "/transition", Json{{"status", "ongoing"}}.dump()).status, 200);

  auto open_check = [&](const Json& file) -> std::int64_t {
    for (const auto& f : file["follow_ups"]) {
      if (f["kind"] == "welfare_check" && f["status"] == "open") {
        return f["id"];
      }
    }
    return 0;
  };
  auto record = [&](std::int64_t id, const char* result) {
    const auto r = kim_.Post("/api/v1/follow-ups/" + std::to_string(id) + "/result",
                             Json{{"result", result}}.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  };

  // Week 1: reached. The next weekly check is scheduled by itself.
  c = record(open_check(c), "reached");
  const auto second = open_check(c);
  ASSERT_NE(second, 0);
  EXPECT_EQ(c["urgency"], "normal");
  // Week 2: not reached. One miss is not yet an alarm.
  clock_.Advance(7 * 24h);
  kim_ = SignIn(port_, "kim", kChangedPassword, false);  // the idle session ended meanwhile
  c = record(second, "not_reached");
  EXPECT_EQ(c["urgency"], "normal");
  // Week 3: not reached again: urgent, with a home visit next working day.
  clock_.Advance(7 * 24h);
  kim_ = SignIn(port_, "kim", kChangedPassword, false);
  c = record(open_check(c), "not_reached");
  EXPECT_EQ(c["urgency"], "urgent");
  int home_visits = 0;
  for (const auto& f : c["follow_ups"]) {
    if (f["kind"] == "home_visit" && f["status"] == "open") {
      ++home_visits;
      EXPECT_EQ(f["owner_id"], kim_id_);
    }
  }
  EXPECT_EQ(home_visits, 1);
  EXPECT_NE(open_check(c), 0);  // the weekly checks go on
}

TEST_P(CaseFlowTest, ThirdPartyReportAboutANeighbour) {
  const auto r = kim_.Post("/api/v1/cases",
                           Json{{"channel", "third_party"},
                                {"reporter",
                                 {{"kind", "third_party"},
                                  {"relation", "이웃"},
                                  {"name", "김이웃"},
                                  {"contact", "010-1111-2222"}}},
                                {"primary_category", "welfare"},
                                {"urgency", "urgent"},
                                {"summary", "옆집 할머니가 며칠째 안 보이고 우편물이 쌓여 있어요"},
                                {"follow_up", {{"kind", "home_visit"}}}}
                               .dump());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto c = Body(r);
  EXPECT_EQ(c["channel"], "third_party");
  EXPECT_TRUE(c["resident"].is_null());  // not yet identified
  EXPECT_EQ(c["reporter"]["relation"], "이웃");
  EXPECT_EQ(c["status"], "received");
  // A third-party channel with the resident as reporter is inconsistent.
  const auto wrong = kim_.Post("/api/v1/cases", Json{{"channel", "third_party"},
                                                     {"primary_category", "welfare"},
                                                     {"summary", "x"},
                                                     {"follow_up", {{"kind", "counseling"}}}}
                                                    .dump());
  EXPECT_EQ(wrong.status, 422);
  // It shows in today's work of the dong as new.
  const auto today = Body(kim_.Get("/api/v1/work/today"));
  ASSERT_EQ(today["new_in_dong"].size(), 1U) << today.dump();
}

TEST_P(CaseFlowTest, IllegalTransitionsAndMissingNextStepsAreRefused) {
  // No next step at intake: 422 naming the rule.
  const auto none = kim_.Post("/api/v1/cases", Json{{"channel", "phone"},
                                                    {"primary_category", "housing"},
                                                    {"summary", "전세 사기 피해가 걱정돼요"}}
                                                   .dump());
  EXPECT_EQ(none.status, 422);
  EXPECT_EQ(Body(none)["error"]["details"][0]["code"], "next_step_required");

  const auto created = WalkIn(kim_);
  const auto path = CasePath(created);
  const auto follow_up = created["follow_ups"][0]["id"].get<std::int64_t>();
  // Completing the only follow-up without a next one would leave the case without a next step.
  const auto broken = kim_.Post("/api/v1/follow-ups/" + std::to_string(follow_up) + "/result",
                                Json{{"result", "reached"}}.dump());
  EXPECT_EQ(broken.status, 422);
  EXPECT_EQ(Body(broken)["error"]["details"][0]["code"], "next_step_required");
  // With the next step in the same request it is fine.
  const auto fine = kim_.Post(
      "/api/v1/follow-ups/" + std::to_string(follow_up) + "/result",
      Json{{"result", "reached"}, {"next", {{"kind", "welfare_check"}, {"due", "2026-12-01"}}}}
          .dump());
  EXPECT_EQ(fine.status, 200) << fine.body;

  // in_consultation -> closed is illegal: 409 with the allowed transitions.
  const auto illegal = kim_.Post(path + "/close", Json{{"unconfirmed_reason", "x"}}.dump());
  EXPECT_EQ(illegal.status, 409);
  EXPECT_NE(Body(illegal)["error"]["message"].get<std::string>().find("resolved"),
            std::string::npos);
  EXPECT_EQ(Code(kim_.Post(path + "/transition", Json{{"status", "received"}}.dump())), "conflict");
  EXPECT_EQ(Code(kim_.Post(path + "/transition", Json{{"status", "flying"}}.dump())),
            "validation_failed");
}

TEST_P(CaseFlowTest, StaleVersionsGet412NeverASilentOverwrite) {
  const auto created = WalkIn(kim_);
  const auto path = CasePath(created);
  const auto version = created["version"].get<std::int64_t>();
  auto patch = [&](std::int64_t v, const Json& body) {
    return Request(port_, "PATCH", path, body.dump(), "application/json", [&] {
      auto h = kim_.Headers();
      h["If-Match"] = "\"" + std::to_string(v) + "\"";
      return h;
    }());
  };
  const auto first = patch(version, {{"urgency", "urgent"}});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.headers.at("etag"), "\"" + std::to_string(version + 1) + "\"");
  const auto stale = patch(version, {{"urgency", "crisis"}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(Body(kim_.Get(path))["urgency"], "urgent");
}

TEST_P(CaseFlowTest, SearchFindsAnyTwoConsecutiveSyllablesWithinScope) {
  WalkIn(kim_, "윗집 층간소음 때문에 잠을 못 자요");
  WalkIn(kim_, "월세가 3개월 밀렸어요");
  auto search = [&](const Client& who, const std::string& q) {
    return who.Get("/api/v1/cases/search?q=" + Encode(q));
  };
  for (const auto* q : {"소음", "층간", "간소", "층간 소음", "잠을", "윗집", "3개월", "밀렸어"}) {
    const auto r = search(kim_, q);
    ASSERT_EQ(r.status, 200) << q << r.body;
    EXPECT_EQ(Body(r)["items"].size(), 1U) << q;
  }
  // 월세 is in the second summary and in both first consultation notes.
  EXPECT_EQ(Body(search(kim_, "월세"))["items"].size(), 2U);
  // Notes count too: both walk-ins share the first consultation's words.
  const auto debt = search(kim_, "채무");
  EXPECT_EQ(Body(debt)["items"].size(), 2U) << debt.body;
  EXPECT_EQ(Body(search(kim_, "소금"))["items"].size(), 0U);
  EXPECT_EQ(search(kim_, "소").status, 422);
  // A counselor of another dong finds nothing.
  EXPECT_EQ(Body(search(SignIn(port_, "park"), "소음"))["items"].size(), 0U);
  EXPECT_EQ(search(SignIn(port_, "auditor1"), "소음").status, 403);
}

TEST_P(CaseFlowTest, WhoSeesWhat) {
  const auto created = WalkIn(kim_);
  const auto path = CasePath(created);
  EXPECT_EQ(SignIn(port_, "park").Get(path).status, 404);  // other dong: does not exist
  EXPECT_EQ(SignIn(port_, "lee").Get(path).status, 200);   // same dong
  EXPECT_EQ(SignIn(port_, "sup").Get(path).status, 200);   // district-wide
  const auto admin = SignIn(port_, "admin1");
  EXPECT_EQ(admin.Get(path).status, 403);  // no case content for admins
  EXPECT_EQ(SignIn(port_, "auditor1").Get(path).status, 403);
  EXPECT_EQ(admin.Get("/api/v1/cases/999999").status, 403);  // no probing
  // Sharing opens it to the other dong's counselor.
  const auto park = SignIn(port_, "park", kChangedPassword, false);
  const auto park_id = Body(park.Get("/api/v1/auth/me"))["user"]["id"];
  ASSERT_EQ(kim_.Send("PATCH", path, Json{{"shared_with", {park_id}}}.dump()).status, 200);
  EXPECT_EQ(park.Get(path).status, 200);
  // The monthly review flags that read outside park's own dong.
  const auto review = admin.Get("/api/v1/access-records/review?month=2026-11");
  ASSERT_EQ(review.status, 200) << review.body;
  bool flagged = false;
  const Json users = Body(review)["users"];  // a range-for over a temporary's member would dangle
  for (const auto& u : users) {
    if (u["user_id"] == park_id) {
      EXPECT_EQ(u["outside_dong"], 1);
      flagged = u["flags"] == Json::array({"outside_dong"});
    }
  }
  EXPECT_TRUE(flagged) << review.body;
  // Park cannot create cases in 서교동.
  const auto foreign = park.Post("/api/v1/cases", Json{{"channel", "visit"},
                                                       {"dong_id", seogyo_},
                                                       {"primary_category", "other"},
                                                       {"summary", "x"},
                                                       {"follow_up", {{"kind", "counseling"}}}}
                                                      .dump());
  EXPECT_EQ(foreign.status, 403);
}

TEST_P(CaseFlowTest, UnmaskingNeedsAReasonAndEveryLookIsRecorded) {
  const auto created = WalkIn(kim_);
  const auto resident =
      "/api/v1/residents/" + std::to_string(created["resident_id"].get<std::int64_t>());
  EXPECT_EQ(Body(kim_.Get(resident))["name"], "홍*동");
  EXPECT_EQ(kim_.Post(resident + "/unmask", "{}").status, 422);
  const auto full = kim_.Post(resident + "/unmask", Json{{"reason", "방문 상담 본인 확인"}}.dump());
  ASSERT_EQ(full.status, 200) << full.body;
  EXPECT_EQ(Body(full)["name"], "홍길동");
  EXPECT_EQ(Body(full)["masked"], false);
  kim_.Get(CasePath(created));

  const auto admin = SignIn(port_, "admin1");
  const auto unmasks = Body(admin.Get("/api/v1/access-records?action=unmask"))["items"];
  ASSERT_EQ(unmasks.size(), 1U);
  EXPECT_EQ(unmasks[0]["purpose"], "방문 상담 본인 확인");
  EXPECT_EQ(unmasks[0]["user_id"], kim_id_);
  EXPECT_EQ(Body(admin.Get("/api/v1/access-records?action=read&target_type=case"))["items"].size(),
            1U);
  core::ChainVerifier verifier(*app_->crypto().digester);
  verifier.Feed(*app_->access_log().ReadAfter(0, 10000));
  EXPECT_TRUE(verifier.report().intact) << verifier.report().problem;
}

TEST_P(CaseFlowTest, DuplicateResidentsAreOfferedNotCreated) {
  WalkIn(kim_);
  const auto again = kim_.Post(
      "/api/v1/residents",
      Json{{"name", "홍길동"}, {"birth_date", "1958-03-02"}, {"dong_id", seogyo_}}.dump());
  ASSERT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(Body(again)["error"]["details"][0]["code"], "possible_duplicate");
  const auto by_phone = Body(kim_.Get("/api/v1/residents?phone=01098765432"))["items"];
  ASSERT_EQ(by_phone.size(), 1U);
  EXPECT_EQ(by_phone[0]["phone"], "010-****-5432");
  EXPECT_EQ(kim_.Post("/api/v1/residents", Json{{"name", "홍길동"},
                                                {"birth_date", "1958-03-02"},
                                                {"dong_id", seogyo_},
                                                {"confirm_new", true}}
                                               .dump())
                .status,
            201);
}

TEST_P(CaseFlowTest, DeclinedReferralsComeBackToTheCounselor) {
  const auto created = WalkIn(kim_);
  const auto path = CasePath(created);
  const auto referred = Body(kim_.Post(
      path + "/referrals",
      Json{{"agency_id", finance_}, {"consent", {{"given_by", "본인"}, {"scope", Json::array()}}}}
          .dump()));
  const auto rid = referred["referrals"][0]["id"].get<std::int64_t>();
  const auto officer = SignIn(port_, "officer");
  const auto rpath = "/api/v1/referrals/" + std::to_string(rid);
  EXPECT_EQ(officer.Post(rpath + "/decline", "{}").status, 422);  // a coded reason is required
  EXPECT_EQ(Code(officer.Post(rpath + "/decline", Json{{"reason", "busy"}}.dump())),
            "validation_failed");
  ASSERT_EQ(officer.Post(rpath + "/decline", Json{{"reason", "not_eligible"}}.dump()).status, 200);
  const auto c = Body(kim_.Get(path));
  EXPECT_EQ(c["status"], "in_consultation");
  bool relink = false;
  for (const auto& f : c["follow_ups"]) {
    relink = relink || (f["kind"] == "relink" && f["owner_id"] == kim_id_ && f["status"] == "open");
  }
  EXPECT_TRUE(relink) << c.dump();
  EXPECT_TRUE(officer.Get(rpath).status == 200);
  EXPECT_TRUE(Body(officer.Get(rpath))["shared"].empty());  // consent covered nothing
}

TEST_P(CaseFlowTest, ClosedCasesAreAnonymisedAfterTheRetentionPeriod) {
  const auto created = WalkIn(kim_);
  const auto path = CasePath(created);
  const auto resident = created["resident_id"].get<std::int64_t>();
  ASSERT_EQ(kim_.Post(path + "/resolve", Json{{"resolution_note", "해결"}}.dump()).status, 200);
  ASSERT_EQ(kim_.Post(path + "/close", Json{{"unconfirmed_reason", "연락 두절"}}.dump()).status,
            200);
  // The job runs at start (on the background thread, or here if this tick comes first);
  // after that it is not due again the same day.
  // (Other jobs, such as the hourly monthly reports, share the runner.)
  auto ran = [](const std::vector<std::string>& jobs) {
    return std::find(jobs.begin(), jobs.end(), "retention") != jobs.end();
  };
  app_->jobs().Tick();
  EXPECT_FALSE(ran(app_->jobs().Tick()));
  EXPECT_FALSE(Body(kim_.Get(path))["erased"].get<bool>());

  clock_.Advance(5 * 366 * 24h);
  EXPECT_TRUE(ran(app_->jobs().Tick()));
  EXPECT_FALSE(ran(app_->jobs().Tick()));  // once a day, across servers
  kim_ = SignIn(port_, "kim", kChangedPassword, false);
  const auto c = Body(kim_.Get(path));
  EXPECT_TRUE(c["erased"].get<bool>());
  EXPECT_EQ(c["summary"], "");
  EXPECT_TRUE(c["resident_id"].is_null());
  EXPECT_EQ(c["consultations"][0]["notes"], "");
  EXPECT_EQ(c["primary_category"], "finance");  // aggregates still count it
  EXPECT_EQ(c["status"], "closed");
  // The resident had no other case: erased too.
  auto r = app_->case_repository().GetResident(app_->district().id, resident);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->erased);
  EXPECT_TRUE(r->name.empty());
  // Search no longer finds it.
  EXPECT_EQ(Body(kim_.Get("/api/v1/cases/search?q=" + Encode("채무")))["items"].size(), 0U);
  // And the anonymisation is in the access records.
  const auto admin = SignIn(port_, "admin1");
  EXPECT_EQ(Body(admin.Get("/api/v1/access-records?action=anonymise"))["items"].size(), 1U);
}

TEST_P(CaseFlowTest, AResidentOfAnotherDongCannotBeUsedByIdAtIntake) {
  const auto created = WalkIn(kim_);
  const auto park = SignIn(port_, "park");
  const auto r = park.Post("/api/v1/cases", Json{{"channel", "visit"},
                                                 {"resident_id", created["resident_id"]},
                                                 {"primary_category", "other"},
                                                 {"summary", "x"},
                                                 {"follow_up", {{"kind", "counseling"}}}}
                                                .dump());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Body(r)["error"]["details"][0]["code"], "not_found");
}

TEST_P(CaseFlowTest, ResidentsAreUpdatedWithVersionsAndCanBeFlagged) {
  const auto created = WalkIn(kim_);
  const auto path =
      "/api/v1/residents/" + std::to_string(created["resident_id"].get<std::int64_t>());
  const auto version = created["resident"]["version"].get<std::int64_t>();
  auto patch = [&](std::int64_t v, const Json& body) {
    auto h = kim_.Headers();
    h["If-Match"] = "\"" + std::to_string(v) + "\"";
    return Request(port_, "PATCH", path, body.dump(), "application/json", h);
  };
  const auto moved = patch(version, {{"phone", "010-5555-6666"},
                                     {"household", {{"living_alone", false}, {"members", 2}}},
                                     {"flagged_malicious", true},
                                     {"safety_note", "방문 시 2인 1조"}});
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(Body(moved)["phone"], "010-****-6666");
  EXPECT_EQ(Body(moved)["flagged_malicious"], true);
  EXPECT_EQ(Body(moved)["household"]["members"], 2);
  EXPECT_EQ(Body(moved)["name"], "홍*동");  // untouched fields stay
  EXPECT_EQ(patch(version, {{"phone", "010-7777-8888"}}).status, 412);
  EXPECT_EQ(patch(version + 1, {{"phone", "12"}}).status, 422);
  // The old phone no longer finds the resident; the new one does.
  EXPECT_TRUE(Body(kim_.Get("/api/v1/residents?phone=01098765432"))["items"].empty());
  EXPECT_EQ(Body(kim_.Get("/api/v1/residents?phone=01055556666"))["items"].size(), 1U);
  // Another dong's counselor cannot touch it.
  EXPECT_EQ(Request(port_, "PATCH", path, R"({"phone": "010-1212-3434"})", "application/json",
                    SignIn(port_, "park").Headers())
                .status,
            404);
}

TEST_P(CaseFlowTest, AdminsAddSubCategoriesThatCasesCanUse) {
  const auto admin = SignIn(port_, "admin1");
  const auto made = admin.Post("/api/v1/categories/housing/subcategories",
                               Json{{"slug", "jeonse_fraud"}, {"label_ko", "전세사기"}}.dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Body(made)["code"], "housing.jeonse_fraud");
  EXPECT_EQ(admin
                .Post("/api/v1/categories/housing/subcategories",
                      Json{{"slug", "jeonse_fraud"}, {"label_ko", "x"}}.dump())
                .status,
            409);
  EXPECT_EQ(admin
                .Post("/api/v1/categories/nonsense/subcategories",
                      Json{{"slug", "x"}, {"label_ko", "x"}}.dump())
                .status,
            404);
  EXPECT_EQ(admin
                .Post("/api/v1/categories/housing/subcategories",
                      Json{{"slug", "Bad Slug"}, {"label_ko", "x"}}.dump())
                .status,
            422);
  const Json categories = Body(kim_.Get("/api/v1/categories"))["items"];
  EXPECT_EQ(categories.size(), 16U);  // the fixed ones are all still there
  EXPECT_EQ(categories[1]["subcategories"][0]["label_ko"], "전세사기");

  const auto c = kim_.Post("/api/v1/cases", Json{{"channel", "phone"},
                                                 {"primary_category", "housing.jeonse_fraud"},
                                                 {"summary", "전세 보증금을 못 돌려받고 있어요"},
                                                 {"follow_up", {{"kind", "counseling"}}}}
                                                .dump());
  ASSERT_EQ(c.status, 201) << c.body;
  EXPECT_EQ(kim_.Post("/api/v1/cases", Json{{"channel", "phone"},
                                            {"primary_category", "housing.unknown_sub"},
                                            {"summary", "x"},
                                            {"follow_up", {{"kind", "counseling"}}}}
                                           .dump())
                .status,
            422);
  // Filtering by the top-level category finds cases of its sub-categories.
  EXPECT_EQ(Body(kim_.Get("/api/v1/cases?category=housing"))["items"].size(), 1U);
  EXPECT_EQ(Body(kim_.Get("/api/v1/cases?category=housing.jeonse_fraud"))["items"].size(), 1U);
}

TEST_P(CaseFlowTest, StatutoryDeadlinesPerCategoryAreConfigurable) {
  // Built in: 7 working days. Received Monday 2026-11-23 (that day counts): due Tue 12-01.
  const auto created = WalkIn(kim_);
  EXPECT_EQ(created["clocks"][0]["due"], "2026-12-01") << created["clocks"].dump();
  const Json rules = Body(kim_.Get("/api/v1/clock-rules"))["items"];
  ASSERT_EQ(rules.size(), 16U);
  EXPECT_EQ(rules[13]["category"], "legal");
  EXPECT_EQ(rules[13]["answer_working_days"], 14);
  const auto admin = SignIn(port_, "admin1");
  EXPECT_EQ(Request(port_, "PUT", "/api/v1/clock-rules/finance",
                    Json{{"answer_working_days", 3},
                         {"extension_working_days", 3},
                         {"progress_notice_days", 10}}
                        .dump(),
                    "application/json", admin.Headers())
                .status,
            200);
  // The case (finance) now shows the new deadline: 3 working days from Monday.
  const auto c = Body(kim_.Get(CasePath(created)));
  EXPECT_EQ(c["clocks"][0]["due"], "2026-11-25");
  EXPECT_EQ(Request(port_, "PUT", "/api/v1/clock-rules/finance",
                    Json{{"answer_working_days", 0},
                         {"extension_working_days", 3},
                         {"progress_notice_days", 10}}
                        .dump(),
                    "application/json", admin.Headers())
                .status,
            422);
}

TEST_P(CaseFlowTest, FollowUpCalendarShowsWhatFallsDueInTheRangeAndScope) {
  const auto a = WalkIn(kim_);  // counseling due 2026-11-26
  const auto a_path = CasePath(a);
  const auto first = a["follow_ups"][0]["id"].get<std::int64_t>();
  auto schedule = [&](const std::string& path, const Json& body) {
    const auto r = kim_.Post(path + "/follow-ups", body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  };
  schedule(a_path, {{"kind", "welfare_check"}, {"due", "2026-12-10"}});
  schedule(a_path, {{"kind", "home_visit"}, {"due", "2027-01-20"}});  // outside the range
  schedule(a_path, {{"kind", "counseling"}, {"due", "2026-12-03"}, {"owner_id", lee_id_}});
  ASSERT_EQ(kim_.Post("/api/v1/follow-ups/" + std::to_string(first) + "/result",
                      Json{{"result", "reached"}}.dump())
                .status,
            200);
  // A resolved case: its counseling is cancelled (not on the calendar), its resolution check is.
  const auto b = WalkIn(kim_, "월세가 밀렸어요");
  ASSERT_EQ(
      kim_.Post(CasePath(b) + "/resolve", Json{{"resolution_note", "주거급여 연계"}}.dump()).status,
      200);
  // Another dong's case.
  const auto park = SignIn(port_, "park");
  const auto m = WalkIn(park, "층간소음");

  const auto calendar = kim_.Get("/api/v1/follow-ups?from=2026-11-23&to=2026-12-31");
  ASSERT_EQ(calendar.status, 200) << calendar.body;
  const Json body = Body(calendar);
  EXPECT_EQ(body["from"], "2026-11-23");
  EXPECT_EQ(body["to"], "2026-12-31");
  EXPECT_EQ(body["truncated"], false);
  std::vector<std::string> seen;
  for (const auto& item : body["items"]) {
    EXPECT_NE(item["case_id"], m["id"]) << "another dong's follow-up on the calendar";
    EXPECT_EQ(item["dong_id"], seogyo_);
    EXPECT_FALSE(item.contains("summary") || item.contains("resident") || item.contains("note"));
    seen.push_back(item["due_date"].get<std::string>() + " " + item["kind"].get<std::string>() +
                   " " + item["status"].get<std::string>());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "2026-11-26 counseling done", "2026-11-26 resolution_check open",
                      "2026-12-03 counseling open", "2026-12-10 welfare_check open"}))
      << body.dump();
  const auto& done = body["items"][0];
  EXPECT_EQ(done["id"], first);
  EXPECT_EQ(done["case_number"], a["number"]);
  EXPECT_EQ(done["result"], "reached");
  EXPECT_EQ(done["owner_id"], kim_id_);
  EXPECT_EQ(done["owner_display_name"], "kim 테스트");
  EXPECT_EQ(done["urgency"], "normal");
  EXPECT_EQ(body["items"][2]["owner_id"], lee_id_);

  // A narrower range, one owner, the range rules.
  EXPECT_EQ(Body(kim_.Get("/api/v1/follow-ups?from=2026-12-04&to=2026-12-31"))["items"].size(), 1U);
  const auto lees = Body(kim_.Get("/api/v1/follow-ups?from=2026-11-23&to=2026-12-31&counselor_id=" +
                                  std::to_string(lee_id_)))["items"];
  ASSERT_EQ(lees.size(), 1U);
  EXPECT_EQ(lees[0]["due_date"], "2026-12-03");
  const auto long_range = kim_.Get("/api/v1/follow-ups?from=2026-11-01&to=2027-01-02");
  EXPECT_EQ(long_range.status, 422);
  EXPECT_EQ(Body(long_range)["error"]["details"][0]["code"], "range_too_long");
  EXPECT_EQ(kim_.Get("/api/v1/follow-ups?from=2026-11-01&to=2027-01-01").status, 200);  // 62 days
  EXPECT_EQ(kim_.Get("/api/v1/follow-ups?from=2026-12-31&to=2026-12-01").status, 422);
  EXPECT_EQ(kim_.Get("/api/v1/follow-ups?to=2026-12-01").status, 422);
  EXPECT_EQ(kim_.Get("/api/v1/follow-ups?from=2026-11-31&to=2026-12-01").status, 422);

  // Another dong is not kim's to see; a district-wide supervisor sees it; auditors see none.
  EXPECT_EQ(kim_.Get("/api/v1/follow-ups?from=2026-11-23&to=2026-12-31&dong_id=" +
                     std::to_string(mangwon_))
                .status,
            403);
  const auto sup = SignIn(port_, "sup");
  const auto theirs = Body(sup.Get("/api/v1/follow-ups?from=2026-11-23&to=2026-12-31&dong_id=" +
                                   std::to_string(mangwon_)))["items"];
  ASSERT_EQ(theirs.size(), 1U);
  EXPECT_EQ(theirs[0]["case_id"], m["id"]);
  EXPECT_EQ(
      SignIn(port_, "auditor1").Get("/api/v1/follow-ups?from=2026-11-23&to=2026-12-31").status,
      403);

  // Every calendar read is in the access records.
  const auto admin = SignIn(port_, "admin1");
  const auto lists =
      Body(admin.Get("/api/v1/access-records?action=list&target_type=follow_up&user_id=" +
                     std::to_string(kim_id_)))["items"];
  EXPECT_EQ(lists.size(), 4U) << lists.dump();  // the four successful reads above
}

TEST_P(CaseFlowTest, DashboardCountsMatchTheCasesCreated) {
  WalkIn(kim_);                                    // finance, in consultation
  const auto b = WalkIn(kim_, "월세가 밀렸어요");  // finance, resolved below
  ASSERT_EQ(
      kim_.Post("/api/v1/cases", Json{{"channel", "third_party"},
                                      {"reporter", {{"kind", "third_party"}, {"relation", "이웃"}}},
                                      {"primary_category", "welfare"},
                                      {"summary", "옆집 어르신이 며칠째 안 보여요"},
                                      {"follow_up", {{"kind", "home_visit"}}}}
                                     .dump())
          .status,
      201);
  ASSERT_EQ(
      kim_.Post(CasePath(b) + "/resolve", Json{{"resolution_note", "주거급여 연계"}}.dump()).status,
      200);
  const auto park_id = EnsureUser(*app_, "park", "counselor", mangwon_).id;
  WalkIn(SignIn(port_, "park"), "층간소음");
  // Friday: the next steps due Thursday are overdue (kim: the walk-in's counseling, the
  // home visit and the resolution check; park: one).
  clock_.Advance(4 * 24h);
  kim_ = SignIn(port_, "kim", kChangedPassword, false);
  const auto sup = SignIn(port_, "sup");

  auto board = [](const Client& who, const std::string& query = "") {
    const auto r = who.Get("/api/v1/stats/dashboard" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  };
  auto count_of = [](const Json& list, const char* key, const Json& value) -> std::int64_t {
    for (const auto& item : list) {
      if (item[key] == value) {
        return item["count"];
      }
    }
    return 0;
  };
  const Json district = board(sup);
  EXPECT_TRUE(district["dong_id"].is_null());
  EXPECT_EQ(district["weeks"], 12);
  EXPECT_EQ(district["as_of"], "2026-11-27T09:00:00Z");
  ASSERT_EQ(district["open_by_status"].size(), 5U);  // every open status, zeros included
  EXPECT_EQ(count_of(district["open_by_status"], "status", "in_consultation"), 2);
  EXPECT_EQ(count_of(district["open_by_status"], "status", "received"), 1);
  EXPECT_EQ(count_of(district["open_by_status"], "status", "referred"), 0);
  EXPECT_EQ(district["open_by_category"], (Json::array({{{"category", "finance"}, {"count", 2}},
                                                        {{"category", "welfare"}, {"count", 1}}})));
  EXPECT_EQ(district["overdue_by_owner"],
            (Json::array({{{"user_id", kim_id_}, {"display_name", "kim 테스트"}, {"count", 3}},
                          {{"user_id", park_id}, {"display_name", "park 테스트"}, {"count", 1}}})));
  const Json& weeks = district["intake_by_channel"];
  ASSERT_EQ(weeks.size(), 12U);
  EXPECT_EQ(weeks[0]["week_start"], "2026-09-07");
  EXPECT_EQ(weeks[11]["week_start"], "2026-11-23");  // the current week, a Monday
  EXPECT_EQ(weeks[11]["counts"]["visit"], 3);
  EXPECT_EQ(weeks[11]["counts"]["third_party"], 1);
  EXPECT_EQ(weeks[11]["counts"]["online"], 0);
  EXPECT_EQ(weeks[11]["counts"].size(), 6U);
  EXPECT_EQ(weeks[11]["total"], 4);
  EXPECT_EQ(weeks[10]["total"], 0);
  EXPECT_EQ(district.dump().find("홍"), std::string::npos);  // no personal data

  // One dong: what sup sees of 서교동 is what kim sees by default.
  const Json seogyo = board(sup, "?dong_id=" + std::to_string(seogyo_));
  const Json mine = board(kim_);
  EXPECT_EQ(mine["dong_id"], seogyo_);
  for (const auto* key :
       {"open_by_status", "open_by_category", "overdue_by_owner", "intake_by_channel"}) {
    EXPECT_EQ(mine[key], seogyo[key]) << key;
  }
  EXPECT_EQ(count_of(mine["open_by_status"], "status", "in_consultation"), 1);
  EXPECT_EQ(mine["overdue_by_owner"].size(), 1U);
  EXPECT_EQ(mine["intake_by_channel"][11]["total"], 3);
  EXPECT_EQ(kim_.Get("/api/v1/stats/dashboard?dong_id=" + std::to_string(mangwon_)).status, 403);

  // Auditors read aggregates; agencies and admins do not.
  EXPECT_EQ(board(SignIn(port_, "auditor1"))["open_by_status"], district["open_by_status"]);
  EXPECT_EQ(SignIn(port_, "officer").Get("/api/v1/stats/dashboard").status, 403);
  EXPECT_EQ(SignIn(port_, "admin1").Get("/api/v1/stats/dashboard").status, 403);

  // Weeks are whole Mondays-to-Sundays: a week later the intake is in the previous bucket.
  EXPECT_EQ(sup.Get("/api/v1/stats/dashboard?weeks=0").status, 422);
  EXPECT_EQ(sup.Get("/api/v1/stats/dashboard?weeks=105").status, 422);
  EXPECT_EQ(board(sup, "?weeks=104")["intake_by_channel"].size(), 104U);
  clock_.Advance(7 * 24h);
  const Json later = board(SignIn(port_, "sup", kChangedPassword, false), "?weeks=2");
  ASSERT_EQ(later["intake_by_channel"].size(), 2U);
  EXPECT_EQ(later["intake_by_channel"][0]["week_start"], "2026-11-23");
  EXPECT_EQ(later["intake_by_channel"][0]["total"], 4);
  EXPECT_EQ(later["intake_by_channel"][1]["week_start"], "2026-11-30");
  EXPECT_EQ(later["intake_by_channel"][1]["total"], 0);
}

TEST_P(CaseFlowTest, SavedFiltersAreEachUsersOwnAndLimited) {
  EXPECT_EQ(Body(kim_.Get("/api/v1/saved-filters"))["items"], Json::array());
  const auto saved = kim_.Post(
      "/api/v1/saved-filters",
      Json{{"name", "  위기 사례 "}, {"query", {{"urgency", "crisis"}, {"open", "true"}}}}.dump());
  ASSERT_EQ(saved.status, 201) << saved.body;
  const Json filter = Body(saved);
  EXPECT_EQ(filter["name"], "위기 사례");
  EXPECT_EQ(filter["query"], (Json{{"open", "true"}, {"urgency", "crisis"}}));
  EXPECT_EQ(filter["created_at"], "2026-11-23T09:00:00Z");
  const auto path = "/api/v1/saved-filters/" + std::to_string(filter["id"].get<std::int64_t>());
  EXPECT_EQ(saved.headers.at("location"), path);
  const Json listed = Body(kim_.Get("/api/v1/saved-filters"))["items"];
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0], filter);
  // The query is what the case list takes.
  std::string q;
  for (const auto& [k, v] : filter["query"].items()) {
    q += (q.empty() ? "?" : "&") + k + "=" + v.get<std::string>();
  }
  EXPECT_EQ(kim_.Get("/api/v1/cases" + q).status, 200);

  // Bad input: every problem named.
  auto refused = [&](const Json& body) {
    const auto r = kim_.Post("/api/v1/saved-filters", body.dump());
    EXPECT_EQ(r.status, 422) << body.dump() << r.body;
    const auto details = Body(r)["error"]["details"];
    return details.empty() ? std::string()
                           : details[0]["field"].get<std::string>() + ":" +
                                 details[0]["code"].get<std::string>();
  };
  EXPECT_EQ(refused({{"name", "홍길동 검색"}, {"query", {{"q", "홍길동"}}}}), "query.q:not_saved");
  EXPECT_EQ(refused({{"name", ""}, {"query", Json::object()}}), "name:invalid");
  EXPECT_EQ(refused({{"name", std::string(61, 'a')}, {"query", Json::object()}}), "name:invalid");
  EXPECT_EQ(refused({{"name", "x"}}), "query:required");
  EXPECT_EQ(refused({{"name", "x"}, {"query", {{"open", true}}}}), "query.open:wrong_type");
  EXPECT_EQ(refused({{"name", "x"}, {"query", {{"sort", "name"}}}}), "query.sort:unknown_field");
  EXPECT_EQ(refused({{"name", "x"}, {"query", {{"status", "flying"}}}}), "query.status:invalid");

  // Someone else's filter: not theirs to see or delete.
  const auto lee = SignIn(port_, "lee");
  EXPECT_EQ(Body(lee.Get("/api/v1/saved-filters"))["items"], Json::array());
  const auto foreign = lee.Send("DELETE", path);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(Body(foreign)["error"]["message"],
            Body(lee.Send("DELETE", "/api/v1/saved-filters/999999"))["error"]["message"]);
  EXPECT_EQ(SignIn(port_, "auditor1").Get("/api/v1/saved-filters").status, 403);

  // At most 50 each.
  for (int i = 2; i <= core::kMaxSavedFiltersPerUser; ++i) {
    ASSERT_EQ(kim_.Post("/api/v1/saved-filters", Json{{"name", "조건 " + std::to_string(i)},
                                                      {"query", {{"status", "received"}}}}
                                                     .dump())
                  .status,
              201);
  }
  const auto over = kim_.Post("/api/v1/saved-filters",
                              Json{{"name", "하나 더"}, {"query", Json::object()}}.dump());
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(Body(over)["error"]["details"][0]["code"], "too_many_saved_filters");
  EXPECT_EQ(lee.Post("/api/v1/saved-filters",
                     Json{{"name", "이씨 조건"}, {"query", Json::object()}}.dump())
                .status,
            201);  // the limit is per user
  EXPECT_EQ(kim_.Send("DELETE", path).status, 204);
  EXPECT_EQ(kim_.Send("DELETE", path).status, 404);
  EXPECT_EQ(Body(kim_.Get("/api/v1/saved-filters"))["items"].size(), 49U);
  EXPECT_EQ(kim_.Post("/api/v1/saved-filters",
                      Json{{"name", "하나 더"}, {"query", Json::object()}}.dump())
                .status,
            201);
}

// Without a model (the tests' configuration): the keyword rules, with the words they found.
TEST_P(CaseFlowTest, CategorySuggestionsComeFromTheConcernsOwnWords) {
  const auto r =
      kim_.Post("/api/v1/triage", Json{{"text", "윗집 층간 소음 때문에 잠을 못 자요"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  const Json t = Body(r);
  EXPECT_EQ(t["model"], "rules");
  ASSERT_EQ(t["categories"].size(), 2U) << t.dump();
  EXPECT_EQ(t["categories"][0]["code"], "neighbour_dispute");
  EXPECT_EQ(t["categories"][0]["matched"], (Json{"층간소음", "윗집"}));
  EXPECT_DOUBLE_EQ(t["categories"][0]["score"].get<double>(), 0.66);
  EXPECT_EQ(t["categories"][1]["code"], "mental_health");
  EXPECT_EQ(t["crisis"], (Json{{"flag", false}, {"terms", Json::array()}}));

  const auto crisis =
      Body(kim_.Post("/api/v1/triage", Json{{"text", "며칠째 굶고 있어요. 죽고 싶어요"}}.dump()));
  EXPECT_EQ(crisis["crisis"]["flag"], true);
  EXPECT_EQ(crisis["crisis"]["terms"], (Json{"죽고 싶", "며칠째 굶", "굶고 있"}));
  const auto hot = Body(kim_.Post("/api/v1/triage", Json{{"text", "더워 죽겠어요"}}.dump()));
  EXPECT_EQ(hot["crisis"]["flag"], false);
  EXPECT_EQ(hot["categories"], Json::array());

  // Any staff role may ask; the text is kept nowhere.
  for (const auto* login : {"officer", "auditor1", "admin1", "sup"}) {
    EXPECT_EQ(
        SignIn(port_, login).Post("/api/v1/triage", Json{{"text", "기초수급 신청"}}.dump()).status,
        200)
        << login;
  }
  const auto admin = SignIn(port_, "admin1", kChangedPassword, false);
  const auto records = admin.Get("/api/v1/access-records?limit=1000").body;
  EXPECT_EQ(records.find("굶고"), std::string::npos);
  EXPECT_EQ(records.find("triage"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, CaseFlowTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
