// The blind-spot screening end to end on SQLite and PostgreSQL: a run lists each
// dong's best households and opens outreach cases; the visit finds "no need" and
// the case closes; four months later new signals arrive and the household comes
// back raised_again, with its history in the reasons, near the top of its dong
// and on the same resident — the family of DOMAIN.md, found the second time.
// Dong staff see their own dong's list only; outcomes feed the funnel; an
// admin's edit of the weights is the next model version, and runs record it.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "core/screening_simulation.hpp"
#include "tests/integration/test_app.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::testing {
namespace {

using http::Json;
using std::chrono::hours;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

constexpr auto kDay = hours(24);

class ScreeningTest : public ::testing::TestWithParam<storage::Backend> {
 protected:
  void SetUp() override {
    config_ = TestConfig(GetParam(), dir_);
    app_ = StartApp(config_, &port_, {}, &clock_);
    ASSERT_NE(app_, nullptr);
    auto& dir = app_->storage().directory();
    const auto district = app_->district().id;
    seogyo_ = dir.EnsureDong(district, "서교동", "서교")->id;
    mangwon_ = dir.EnsureDong(district, "망원1동", "망원1")->id;
    sup_ = core::ActorOf(EnsureUser(*app_, "sup", "supervisor"), "127.0.0.1");
    kim_ = core::ActorOf(EnsureUser(*app_, "kim", "counselor", seogyo_), "127.0.0.1");
    EnsureUser(*app_, "lee", "counselor", mangwon_);
    EnsureUser(*app_, "admin", "admin");
  }

  core::Date Today() const { return core::KstDate(clock_.Now()); }

  // A simulated population in both dongs, as of today, its ids prefixed.
  void StorePopulation(std::int64_t households, std::uint64_t seed, const std::string& prefix,
                       std::vector<core::StoredHousehold> extra = {},
                       std::vector<core::RiskSignal> extra_signals = {}) {
    core::SimulationOptions o;
    o.households = households;
    o.seed = seed;
    o.dongs = {"서교동", "망원1동"};
    o.as_of = Today();
    core::SimulateScreening(o, [&](const core::SimulatedHousehold& h) {
      core::StoredHousehold s{h.household, h.household.dong == "서교동" ? seogyo_ : mangwon_};
      s.household.household_id = prefix + h.household.household_id;
      extra.push_back(s);
      for (auto sig : h.signals) {
        sig.household_id = s.household.household_id;
        extra_signals.push_back(sig);
      }
    });
    StoreScreeningData(*app_, extra, extra_signals);
  }

  core::StoredHousehold SeedFamily() const {
    core::StoredHousehold f;
    f.household.household_id = "SEED";
    f.household.head_birth_year = Today().year - 61;
    f.household.members = 4;
    f.household.housing = core::HousingType::kMultiFamily;
    f.dong_id = seogyo_;
    return f;
  }

  core::RiskSignal Signal(const std::string& code, int months, int days_ago) const {
    return {"SEED", code, months, 0, core::AddDays(Today(), -days_ago)};
  }

  const core::OutreachFlag* Find(const std::vector<core::OutreachFlag>& flags,
                                 const std::string& household) {
    const auto it = std::find_if(flags.begin(), flags.end(), [&](const core::OutreachFlag& f) {
      return f.household.household.household_id == household;
    });
    return it == flags.end() ? nullptr : &*it;
  }

  FakeClock clock_;
  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  core::Actor sup_;
  core::Actor kim_;
};

TEST_P(ScreeningTest, AHouseholdFoundNoNeedComesBackWithItsHistoryNearTheTop) {
  // Round 1: the family has one month of health-insurance arrears and a business
  // closure; a small round, three households per dong.
  StorePopulation(40, 11, "R1-", {SeedFamily()},
                  {Signal("health_insurance_arrears", 1, 10), Signal("business_closure", 0, 20)});
  auto run1 = app_->screening().Run(sup_, {3, std::nullopt, true});
  ASSERT_TRUE(run1.ok()) << run1.error().message;
  EXPECT_EQ(run1->run.listed, 6);
  EXPECT_EQ(run1->run.cases_created, 6);
  EXPECT_EQ(run1->run.households_scored, 41);
  const auto* first = Find(run1->flags, "SEED");
  ASSERT_NE(first, nullptr) << "the family is not on round 1's list of 서교동";
  ASSERT_TRUE(first->case_id.has_value());
  EXPECT_EQ(first->state, core::FlagState::kListed);

  // The outreach case: a first-contact home visit within 7 days for a 서교동 counselor.
  auto c = app_->cases().GetCase(sup_, *first->case_id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->file.c.channel, core::Channel::kOutreach);
  EXPECT_EQ(c->file.c.dong_id, seogyo_);
  EXPECT_EQ(c->file.c.counselor_id, kim_.user_id);
  ASSERT_EQ(c->file.follow_ups.size(), 1U);
  EXPECT_EQ(c->file.follow_ups[0].kind, core::FollowUpKind::kHomeVisit);
  EXPECT_LE(c->file.follow_ups[0].due_at, clock_.Now() + 8 * kDay);

  // The visit: a consultation that links nothing; "no need"; the case closes.
  auto consulted = app_->cases().AddConsultation(
      kim_, *first->case_id, {"home_visit", "어머니와 딸 둘. 지원 기준에 맞지 않는다고 안내.", ""},
      std::nullopt, std::nullopt);
  ASSERT_TRUE(consulted.ok()) << consulted.error().message;
  auto no_need = app_->screening().RecordOutcome(kim_, first->id, {"no_need", "", "false_signal"});
  ASSERT_TRUE(no_need.ok()) << no_need.error().message;
  auto resolved = app_->cases().Resolve(kim_, *first->case_id, "지원 대상 아님으로 안내", std::nullopt);
  ASSERT_TRUE(resolved.ok()) << resolved.error().message;
  auto closed = app_->cases().Close(kim_, *first->case_id, "방문 상담으로 확인", std::nullopt);
  ASSERT_TRUE(closed.ok()) << closed.error().message;

  // Round 2, four months later: a new population and the family's new signals,
  // each too short for the rule.
  clock_.Advance(120 * kDay);
  StorePopulation(600, 12, "R2-", {SeedFamily()},
                  {Signal("health_insurance_arrears", 2, 10), Signal("electricity_arrears", 1, 12),
                   Signal("gas_arrears", 1, 12), Signal("business_closure", 0, 50)});
  auto run2 = app_->screening().Run(sup_, {5, std::nullopt, true});
  ASSERT_TRUE(run2.ok()) << run2.error().message;
  const auto* again = Find(run2->flags, "SEED");
  ASSERT_NE(again, nullptr) << "the family is not on round 2's list";
  EXPECT_EQ(again->state, core::FlagState::kRaisedAgain);
  EXPECT_GE(again->rank, 1);
  EXPECT_LE(again->rank, 5);
  std::vector<std::string> codes;
  for (const auto& r : again->reasons) {
    codes.push_back(r.code);
  }
  for (const auto* code : {"history_consultation", "history_new_after_no_need",
                           "history_earlier_flags", "breadth", "health_insurance_arrears"}) {
    EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
  }
  EXPECT_NE(again->summary_ko.find("서로 다른 위기 영역 3개"), std::string::npos)
      << again->summary_ko;
  // A new case for the same resident; round 1's households whose cases are still
  // open are shown as under management, with no second case.
  ASSERT_TRUE(again->case_id.has_value());
  auto second = app_->cases().GetCase(sup_, *again->case_id);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->file.c.resident_id, c->file.c.resident_id);
  std::int64_t managed = 0;
  for (const auto& f : run2->flags) {
    const auto& id = f.household.household.household_id;
    if (id != "SEED" && Find(run1->flags, id) != nullptr &&
        f.state != core::FlagState::kUnderManagement) {
      ADD_FAILURE() << id << " has an open outreach case but was listed again as new";
    }
    if (f.state == core::FlagState::kUnderManagement) {
      // The open case that looks after it (round 1's outreach case), not a new one.
      ++managed;
      ASSERT_TRUE(f.case_id.has_value());
      EXPECT_EQ(f.rank, 0);
      const auto open = std::find_if(run1->flags.begin(), run1->flags.end(), [&](const auto& g) {
        return g.household.household.household_id == f.household.household.household_id;
      });
      ASSERT_NE(open, run1->flags.end());
      EXPECT_EQ(f.case_id, open->case_id);
    }
  }
  EXPECT_EQ(run2->run.under_management, managed);
  EXPECT_EQ(run2->run.listed, 10);

  // Over HTTP: the counselor of 서교동 sees 서교동's list only, and records the outcome.
  auto kim = SignIn(port_, "kim");
  auto lee = SignIn(port_, "lee");
  const auto run_path = "/api/v1/screening/runs/" + std::to_string(run2->run.id);
  const auto list = kim.Get(run_path + "/flags?purpose=" + "visit");
  ASSERT_EQ(list.status, 200) << list.body;
  const auto items = Body(list)["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& f : items) {
    EXPECT_EQ(f["dong_id"], seogyo_);
  }
  EXPECT_EQ(kim.Get(run_path + "/flags?dong_id=" + std::to_string(mangwon_)).status, 403);
  const auto flag_path = "/api/v1/screening/flags/" + std::to_string(again->id) + "/outcome";
  EXPECT_EQ(lee.Post(flag_path, Json{{"outcome", "contacted"}}.dump()).status, 404);
  const auto bad = kim.Post(flag_path, Json{{"outcome", "no_need"}}.dump());
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Body(bad)["error"]["details"][0]["field"], "no_need_reason");
  const auto unknown = kim.Post(flag_path, Json{{"outcome", "maybe"}}.dump());
  EXPECT_EQ(unknown.status, 422);
  const auto linked = kim.Post(
      flag_path, Json{{"outcome", "support_linked"}, {"detail", "긴급복지 생계지원"}}.dump());
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(Body(linked)["flag"]["outcome"], "support_linked");
  EXPECT_EQ(Body(linked)["flag"]["outcome_detail"], "긴급복지 생계지원");

  // The funnel of round 2 in 서교동: flagged 5, 1 contacted and linked, none assessed yet.
  auto funnel = Body(kim.Get(run_path))["funnel"];
  EXPECT_EQ(funnel["flagged"], 5);
  EXPECT_EQ(funnel["contacted"], 1);
  EXPECT_EQ(funnel["linked"], 1);
  EXPECT_EQ(funnel["assessed"], 0);
  EXPECT_EQ(funnel["raised_again"], 1);
  const auto consult =
      kim.Post("/api/v1/cases/" + std::to_string(*again->case_id) + "/consultations",
               Json{{"kind", "home_visit"}, {"notes", "긴급복지 신청 도움"}}.dump());
  ASSERT_EQ(consult.status, 200) << consult.body;
  funnel = Body(kim.Get(run_path))["funnel"];
  EXPECT_EQ(funnel["assessed"], 1);
  // All rounds, the whole district (a district-wide supervisor).
  auto sup = SignIn(port_, "sup");
  const auto all = Body(sup.Get("/api/v1/screening/funnel"))["funnel"];
  EXPECT_EQ(all["flagged"], 16);
  EXPECT_EQ(all["no_need"], 1);
  EXPECT_EQ(all["linked"], 1);

  // Reading a list is in the access records, with its purpose.
  core::AccessRecordFilter filter;
  filter.target_type = "screening_run";
  filter.action = "read";
  auto records = app_->access_log().Search(filter);
  ASSERT_TRUE(records.ok());
  ASSERT_FALSE(records->empty());
  EXPECT_EQ(records->front().user_id, kim_.user_id);
  EXPECT_EQ(records->front().purpose, "visit");

  // The list as a file to take on the visits: masked by default, a purpose required, each
  // export an access record; unmasked only for the dong's own case workers.
  const std::string household = items[0]["household_id"];
  EXPECT_EQ(kim.Get(run_path + "/flags/export").status, 422);  // no purpose
  const auto masked = kim.Get(run_path + "/flags/export?purpose=home-visits");
  ASSERT_EQ(masked.status, 200) << masked.body;
  EXPECT_EQ(masked.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(masked.body.find(household), std::string::npos) << masked.body;
  EXPECT_NE(masked.body.find("**" + household.substr(household.size() - 2)), std::string::npos);
  EXPECT_EQ(masked.body.find("기간,"), std::string::npos);  // a list, not a period's report
  EXPECT_NE(masked.body.find("마스킹됨"), std::string::npos);
  EXPECT_NE(masked.body.find("년대"), std::string::npos);
  const auto unmasked = kim.Get(run_path + "/flags/export?purpose=home-visits&unmasked=true");
  ASSERT_EQ(unmasked.status, 200) << unmasked.body;
  EXPECT_NE(unmasked.body.find(household), std::string::npos);
  EXPECT_EQ(sup.Get(run_path + "/flags/export?purpose=x&unmasked=true").status, 403);  // no dong
  const auto xlsx = kim.Get(run_path + "/flags/export?purpose=home-visits&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  filter.action = "export";
  records = app_->access_log().Search(filter);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2U);  // csv and xlsx
  EXPECT_EQ(records->front().purpose, "home-visits");
  filter.action = "export_unmasked";
  records = app_->access_log().Search(filter);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 1U);
}

TEST_P(ScreeningTest, AnAdminsEditIsTheNextModelVersionAndRunsRecordIt) {
  StorePopulation(200, 21, "M-");
  auto admin = SignIn(port_, "admin");
  auto sup = SignIn(port_, "sup");
  const auto model = Body(sup.Get("/api/v1/screening/model"))["model"];
  EXPECT_EQ(model["version"], 1);
  EXPECT_EQ(model["indicators"].size(), 28U);

  // Bad edits: every violation at once, nothing saved.
  const auto bad = admin.Send("PUT", "/api/v1/screening/model",
                             Json{{"same_domain_factor", 3}, {"recent_days", "soon"}}.dump());
  ASSERT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Body(bad)["error"]["details"].size(), 1U);  // the type error comes first
  const auto out_of_range = admin.Send("PUT", "/api/v1/screening/model",
                                      Json{{"same_domain_factor", 3}, {"earlier_flag", -1}}.dump());
  ASSERT_EQ(out_of_range.status, 422) << out_of_range.body;
  EXPECT_EQ(Body(out_of_range)["error"]["details"].size(), 2U);
  EXPECT_EQ(sup.Send("PUT", "/api/v1/screening/model", Json{{"recent_days", 60}}.dump()).status, 403);
  EXPECT_EQ(Body(sup.Get("/api/v1/screening/model"))["model"]["version"], 1);

  // A good one: version 2, the rest kept.
  auto indicators = model["indicators"];
  indicators.push_back({{"code", "school_absence"},
                        {"name_ko", "자녀 장기 결석"},
                        {"domain", "isolation"},
                        {"arrears", false},
                        {"weight", 9},
                        {"per_month", 0},
                        {"max_months", 12}});
  const auto saved = admin.Send("PUT", "/api/v1/screening/model",
                               Json{{"recent_days", 60}, {"indicators", indicators}}.dump());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["model"]["version"], 2);
  EXPECT_EQ(Body(saved)["model"]["recent_days"], 60);
  EXPECT_EQ(Body(saved)["model"]["half_life_days"], 90);
  EXPECT_EQ(Body(saved)["model"]["indicators"].size(), 29U);

  // A dry run from the web app: the lists, stored nowhere, under version 2.
  const auto dry = sup.Post("/api/v1/screening/runs",
                            Json{{"capacity_per_dong", 4}, {"dry_run", true}}.dump());
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(Body(dry)["run"]["model_version"], 2);
  EXPECT_EQ(Body(dry)["flags"].size(), 8U);
  EXPECT_EQ(Body(dry)["run"]["listed"], 8);  // counted from its lists, stored nowhere
  EXPECT_EQ(Body(sup.Get("/api/v1/screening/runs"))["items"].size(), 0U);
  // Bad input.
  EXPECT_EQ(sup.Post("/api/v1/screening/runs", Json{{"capacity_per_dong", 0}}.dump()).status, 422);
  EXPECT_EQ(sup.Post("/api/v1/screening/runs",
                     Json{{"capacity_per_dong", 3}, {"as_of", "2099-01-01"}}.dump())
                .status,
            422);
  EXPECT_EQ(sup.Post("/api/v1/screening/runs", "{\"capacity_per_dong\": 3,").status, 400);
  // The real one.
  const auto real = sup.Post("/api/v1/screening/runs", Json{{"capacity_per_dong", 4}}.dump());
  ASSERT_EQ(real.status, 201) << real.body;
  const auto run = Body(real)["run"];
  EXPECT_EQ(run["model_version"], 2);
  EXPECT_EQ(run["listed"], 8);
  EXPECT_EQ(run["cases_created"], 8);
  EXPECT_EQ(run["households_scored"], 200);
  const auto runs = Body(sup.Get("/api/v1/screening/runs"))["items"];
  ASSERT_EQ(runs.size(), 1U);
  EXPECT_EQ(runs[0]["id"], run["id"]);
}

INSTANTIATE_TEST_SUITE_P(Backends, ScreeningTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
