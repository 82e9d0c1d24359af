// The resident portal over HTTP on SQLite and PostgreSQL: a resident asks without an account
// and gets a receipt; the case waits in the dong's queue with a next step within one working
// day; a counselor answers; the resident sees the new status and the answer but never the
// notes. Wrong phone digits lock a receipt, per-address limits answer 429, the honeypot stores
// nothing, and every lookup is in the access records.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/working_days.hpp"
#include "tests/integration/test_app.hpp"

namespace caredesk::testing {
namespace {

using http::Json;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

HttpResult PublicPost(std::uint16_t port, const std::string& target, const Json& body) {
  return Request(port, "POST", target, body.dump());
}

class PortalTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    config_.portal.submissions_per_hour = 8;
    config_.portal.lookups_per_hour = 20;
    app_ = StartApp(config_, &port_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    mangwon_ = dir.EnsureDong(district, "망원1동", "망원1")->id;
    EnsureUser(*app_, "kim", "counselor", seogyo_);
    sup_ = EnsureUser(*app_, "park", "supervisor", seogyo_);
    EnsureUser(*app_, "district-sup", "supervisor");
    kim_ = SignIn(port_, "kim");
  }

  Json Ask(const std::string& text = "월세가 석 달 밀려서 집에서 나가야 할까 봐 걱정입니다.") {
    return Json{{"kind", "ask"},          {"text", text},
                {"dong_id", seogyo_},     {"name", "김민수"},
                {"phone", "010-2345-6789"}, {"contact_way", "sms"},
                {"contact_time", "afternoon"}};
  }
  HttpResult Submit(const Json& body) { return PublicPost(port_, "/api/v1/portal/requests", body); }
  HttpResult Lookup(const std::string& receipt, const std::string& last4) {
    return PublicPost(port_, "/api/v1/portal/lookup",
                      Json{{"receipt", receipt}, {"phone_last4", last4}});
  }
  Json CaseByNumber(const std::string& number) {
    const auto id = app_->case_repository().FindCaseByNumber(app_->district().id, number);
    EXPECT_TRUE(id.ok()) << number;
    return Body(kim_.Get("/api/v1/cases/" + std::to_string(id.ok() ? *id : 0)));
  }

  TempDir dir_;
  app::Config config_;
  std::uint16_t port_ = 0;
  std::unique_ptr<app::App> app_;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  core::User sup_;
  Client kim_;
};

TEST_P(PortalTest, AnAskBecomesACaseAnsweredAndLookedUp) {
  const auto choices = Request(port_, "GET", "/api/v1/portal/choices");
  ASSERT_EQ(choices.status, 200) << choices.body;
  EXPECT_EQ(Body(choices)["dongs"].size(), 2U);
  EXPECT_FALSE(Body(choices)["categories"].empty());

  const auto sent = Submit(Ask());
  ASSERT_EQ(sent.status, 201) << sent.body;
  const Json receipt = Body(sent);
  const std::string number = receipt["receipt"];
  EXPECT_TRUE(number.starts_with(std::to_string(core::KstDate(std::chrono::system_clock::now()).year) +
                                 "-서교-"))
      << number;
  EXPECT_EQ(receipt["dong_name"], "서교동");
  EXPECT_TRUE(receipt["lookup_possible"].get<bool>());

  // In the dong's queue: an online case, the dong supervisor's next step within one working day.
  const Json c = CaseByNumber(number);
  EXPECT_EQ(c["channel"], "online");
  EXPECT_EQ(c["status"], "received");
  EXPECT_EQ(c["dong_id"], seogyo_);
  EXPECT_EQ(c["primary_category"], "housing");  // the triage's suggestion for 월세
  ASSERT_EQ(c["follow_ups"].size(), 1U);
  const Json first = c["follow_ups"][0];
  EXPECT_EQ(first["owner_id"], sup_.id);
  auto calendar = app_->cases().Calendar();
  ASSERT_TRUE(calendar.ok());
  const auto today = core::KstDate(std::chrono::system_clock::now());
  EXPECT_EQ(receipt["next_step_on"], core::FormatDate(calendar->AddWorkingDays(today, 1)));
  EXPECT_NE(first["note"].get<std::string>().find("문자, 오후"), std::string::npos) << first;
  const Json todays = Body(kim_.Get("/api/v1/work/today"));
  const auto& queue = todays["new_in_dong"];
  EXPECT_TRUE(std::any_of(queue.begin(), queue.end(), [&](const Json& s) {
    return s["number"] == number;
  })) << todays;

  // Before any answer: received, the next step date, no answers.
  auto looked = Lookup(number, "6789");
  ASSERT_EQ(looked.status, 200) << looked.body;
  EXPECT_EQ(Body(looked)["status"]["code"], "received");
  EXPECT_EQ(Body(looked)["next_step_on"], receipt["next_step_on"]);
  EXPECT_TRUE(Body(looked)["answers"].empty());
  EXPECT_EQ(looked.headers.at("cache-control"), "no-store");

  // The counselor calls back and writes an answer for the resident.
  const auto consulted = kim_.Post(
      "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>()) + "/consultations",
      Json{{"kind", "call"},
           {"notes", "임대인과 갈등, 우울감 호소. 긴급복지 검토."},
           {"answer", "긴급 주거 지원을 알아보고 있습니다. 목요일에 다시 전화드리겠습니다."}}
          .dump());
  ASSERT_EQ(consulted.status, 200) << consulted.body;
  looked = Lookup(" " + number.substr(0, 4) + " 서교 " + number.substr(number.rfind('-') + 1), "6789");
  ASSERT_EQ(looked.status, 200) << looked.body;
  const Json view = Body(looked);
  EXPECT_EQ(view["status"]["code"], "in_progress");
  EXPECT_EQ(view["status"]["label_ko"], "상담 중");
  ASSERT_EQ(view["answers"].size(), 1U);
  EXPECT_EQ(view["answers"][0]["text"],
            "긴급 주거 지원을 알아보고 있습니다. 목요일에 다시 전화드리겠습니다.");
  // Never the counselor's notes, nor the resident's name or phone.
  EXPECT_EQ(looked.body.find("우울감"), std::string::npos);
  EXPECT_EQ(looked.body.find("김민수"), std::string::npos);
  EXPECT_EQ(looked.body.find("2345"), std::string::npos);

  // The resident is texted the receipt and that an answer is there.
  auto queued = app_->storage().outbox().ListOutbox(app_->district().id, {});
  ASSERT_TRUE(queued.ok());
  std::vector<core::NotificationKind> kinds;
  for (const auto& m : *queued) {
    kinds.push_back(m.n.kind);
  }
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), core::NotificationKind::kReceipt), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), core::NotificationKind::kAnswered), kinds.end());

  // Every lookup is in the access records, with the caller's address.
  auto records = app_->access_log().Search({.action = "portal_lookup"});
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2U);
  EXPECT_EQ((*records)[0].target_id, std::to_string(c["id"].get<std::int64_t>()));
  EXPECT_EQ((*records)[0].ip, "127.0.0.1");
  EXPECT_EQ((*records)[0].user_id, 0);
}

TEST_P(PortalTest, TheSameNameAndPhoneIsTheResidentWeKnow) {
  const auto one = Submit(Ask());
  const auto two = Submit(Ask("지난번 문의에 더해 전기요금도 밀렸습니다."));
  ASSERT_EQ(one.status, 201);
  ASSERT_EQ(two.status, 201);
  const Json a = CaseByNumber(Body(one)["receipt"]);
  const Json b = CaseByNumber(Body(two)["receipt"]);
  EXPECT_EQ(a["resident_id"], b["resident_id"]);
  Json other = Ask();
  other["name"] = "김민지";
  const auto three = Submit(other);
  ASSERT_EQ(three.status, 201);
  EXPECT_NE(CaseByNumber(Body(three)["receipt"])["resident_id"], a["resident_id"]);
}

TEST_P(PortalTest, ANeighboursReportIsAThirdPartyCase) {
  const auto sent = Submit(Json{{"kind", "report"},
                                {"text", "옆집 할머니가 일주일째 안 보이시고 우편물이 쌓여 있어요."},
                                {"place", "망원동 ○○빌라 2층"},
                                {"dong_id", mangwon_},
                                {"reporter_phone", "010-5555-1234"},
                                {"relation", "이웃"}});
  ASSERT_EQ(sent.status, 201) << sent.body;
  const std::string number = Body(sent)["receipt"];
  EXPECT_NE(number.find("-망원1-"), std::string::npos);
  const auto id = app_->case_repository().FindCaseByNumber(app_->district().id, number);
  ASSERT_TRUE(id.ok());
  const auto file = app_->case_repository().GetCase(app_->district().id, *id);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->c.channel, core::Channel::kThirdParty);
  EXPECT_EQ(file->c.reporter.kind, core::ReporterKind::kThirdParty);
  EXPECT_EQ(file->c.reporter.contact, "01055551234");
  EXPECT_FALSE(file->c.resident_id.has_value());
  EXPECT_NE(file->c.summary.find("[본 장소] 망원동 ○○빌라 2층"), std::string::npos);
  // No dong supervisor in 망원1동: the district-wide one takes it.
  auto sup = app_->storage().users().FindByLogin(app_->district().id, "district-sup");
  ASSERT_TRUE(sup.ok());
  EXPECT_EQ(file->follow_ups.at(0).owner_id, sup->id);
  // The reporter looks it up with their own phone; nobody is texted about it.
  EXPECT_EQ(Lookup(number, "1234").status, 200);
  EXPECT_TRUE(Body(Lookup(number, "1234"))["third_party"].get<bool>());
  auto queued = app_->storage().outbox().ListOutbox(app_->district().id, {});
  ASSERT_TRUE(queued.ok());
  EXPECT_TRUE(queued->empty());

  // Without a phone: received, but there is nothing to look it up with.
  const auto anonymous = Submit(Json{{"kind", "report"},
                                     {"text", "밤마다 아이 우는 소리와 고함이 들립니다."},
                                     {"place", "서교동 △△아파트 3동"},
                                     {"dong_id", seogyo_}});
  ASSERT_EQ(anonymous.status, 201) << anonymous.body;
  EXPECT_FALSE(Body(anonymous)["lookup_possible"].get<bool>());
}

TEST_P(PortalTest, CrisisWordsMakeACrisisCase) {
  const auto sent = Submit(Ask("더 이상 살고 싶지 않아요. 죽고 싶다는 생각만 듭니다."));
  ASSERT_EQ(sent.status, 201) << sent.body;
  EXPECT_EQ(CaseByNumber(Body(sent)["receipt"])["urgency"], "crisis");
}

TEST_P(PortalTest, BadFormsAreRefusedWithEveryField) {
  auto r = Submit(Json{{"kind", "ask"}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(Body(r)["error"]["code"], "validation_failed");
  EXPECT_EQ(Body(r)["error"]["details"].size(), 4U) << r.body;  // text, dong, name, phone
  Json unknown_dong = Ask();
  unknown_dong["dong_id"] = 999999;
  r = Submit(unknown_dong);
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(Body(r)["error"]["details"][0]["code"], "unknown_dong");
  Json extra = Ask();
  extra["ssn"] = "900101-1234567";
  EXPECT_EQ(Submit(extra).status, 422);
  Json bad_category = Ask();
  bad_category["category"] = "astrology";
  EXPECT_EQ(Submit(bad_category).status, 422);
  // Not JSON, not a JSON object, too large.
  EXPECT_EQ(Request(port_, "POST", "/api/v1/portal/requests", "text=hi", "text/plain").status, 415);
  EXPECT_EQ(Request(port_, "POST", "/api/v1/portal/requests", "{\"kind\":").status, 400);
  EXPECT_EQ(Request(port_, "POST", "/api/v1/portal/requests", "[1]").status, 422);
  Json huge = Ask();
  huge["text"] = std::string(20000, 'a');
  EXPECT_EQ(Submit(huge).status, 413);
  // Nothing of it was stored.
  auto list = app_->case_repository().ListCases(app_->district().id, {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_P(PortalTest, TheHoneypotStoresNothing) {
  Json robot = Ask();
  robot["website"] = "http://cheap-pills.example";
  const auto r = Submit(robot);
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_FALSE(Body(r).contains("receipt"));
  auto list = app_->case_repository().ListCases(app_->district().id, {});
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  auto records = app_->access_log().Search({.action = "portal_submit_robot"});
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1U);
}

TEST_P(PortalTest, GuessingThePhoneDigitsLocksTheReceipt) {
  const auto sent = Submit(Ask());
  ASSERT_EQ(sent.status, 201);
  const std::string number = Body(sent)["receipt"];
  // A receipt that does not exist and wrong digits get the same answer.
  EXPECT_EQ(Lookup("2026-서교-999999", "6789").status, 404);
  for (int i = 0; i < core::kMaxLookupFailures - 1; ++i) {
    const auto wrong = Lookup(number, "000" + std::to_string(i));
    ASSERT_EQ(wrong.status, 404) << wrong.body;
    EXPECT_EQ(Body(wrong)["error"]["code"], "not_found");
  }
  const auto locked = Lookup(number, "0009");
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(Body(locked)["error"]["code"], "rate_limited");
  EXPECT_GT(std::stoi(locked.headers.at("retry-after")), 800);
  // Locked: the right digits too, so that the lock tells nothing.
  EXPECT_EQ(Lookup(number, "6789").status, 429);
  auto refused = app_->access_log().Search({.action = "portal_lookup_failed"});
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->size(), static_cast<std::size_t>(core::kMaxLookupFailures + 1));
  EXPECT_EQ(refused->front().outcome, "denied");
  auto locked_records = app_->access_log().Search({.action = "portal_lookup_locked"});
  ASSERT_TRUE(locked_records.ok());
  EXPECT_EQ(locked_records->size(), 1U);
  // Malformed input is a validation error, not a guess.
  const auto malformed = Lookup("hello", "12");
  ASSERT_EQ(malformed.status, 422);
  EXPECT_EQ(Body(malformed)["error"]["details"].size(), 2U);
}

TEST_P(PortalTest, OneAddressCannotFloodTheForms) {
  int accepted = 0;
  int limited = 0;
  for (int i = 0; i < config_.portal.submissions_per_hour + 2; ++i) {
    const auto r = Submit(Ask("층간 소음 때문에 잠을 못 잡니다. 상담 부탁드립니다 " + std::to_string(i)));
    if (r.status == 201) {
      ++accepted;
    } else if (r.status == 429) {
      ++limited;
      EXPECT_FALSE(r.headers.at("retry-after").empty());
    }
  }
  EXPECT_EQ(accepted, config_.portal.submissions_per_hour);
  EXPECT_EQ(limited, 2);
  // Lookups have their own allowance, spent by guesses at many receipts.
  int lookups_limited = 0;
  for (int i = 0; i < config_.portal.lookups_per_hour + 1; ++i) {
    if (Lookup("2026-서교-" + std::to_string(500000 + i), "1234").status == 429) {
      ++lookups_limited;
    }
  }
  EXPECT_EQ(lookups_limited, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PortalTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
