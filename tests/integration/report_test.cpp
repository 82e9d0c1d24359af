// Performance reports over HTTP on SQLite and PostgreSQL, against numbers worked out by
// hand for a fixture made through the API on a fake clock: nine cases in 서교동 and one in
// 망원1동 opened on Monday 2026-11-23, three resolved the next day, follow-ups done on
// time, late and not at all, welfare checks reached and not, one referral answered after
// three hours. Small cells are hidden, with one more where a total would tell. Saved
// definitions, immutable editions (the monthly job on the 1st), exports, the auditor's
// paperless inspection, dong limits, and the weekly work report with its comment.
#include <gtest/gtest.h>

#include <set>

#include "tests/integration/test_app.hpp"
#include "tests/support/fake_clock.hpp"

namespace caredesk::testing {
namespace {

using http::Json;
using std::chrono::hours;

Json Body(const HttpResult& r) { return Json::parse(r.body, nullptr, false); }

const Json& Table(const Json& report, const std::string& code) {
  for (const auto& t : report["tables"]) {
    if (t["code"] == code) {
      return t;
    }
  }
  ADD_FAILURE() << "no table " << code << " in " << report.dump();
  static const Json kNone = Json::object();
  return kNone;
}

// The cell of the row whose label (or code) is `row`, in column `column`.
Json Cell(const Json& table, const std::string& row, const std::string& column) {
  std::size_t col = 0;
  for (std::size_t i = 0; i < table["columns"].size(); ++i) {
    if (table["columns"][i]["code"] == column) {
      col = i;
    }
  }
  for (const auto& r : table["rows"]) {
    if (r[0]["text"] == row || r[0].value("code", "") == row) {
      return r[col];
    }
  }
  ADD_FAILURE() << "no row " << row << " in " << table.dump();
  return Json::object();
}

Json Value(const Json& table, const std::string& row, const std::string& column) {
  return Cell(table, row, column)["value"];
}

bool Hidden(const Json& table, const std::string& row, const std::string& column) {
  return Cell(table, row, column).value("suppressed", false);
}

class ReportTest : public ::testing::TestWithParam<storage::Backend> {
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
    finance.kind = core::AgencyKind::kExternal;
    finance.categories = {"finance"};
    finance.response_hours = 72;
    finance_ = dir.CreateAgency(finance)->id;
    kim_id_ = EnsureUser(*app_, "kim", "counselor", seogyo_).id;
    EnsureUser(*app_, "park", "counselor", mangwon_);
    EnsureUser(*app_, "seogyo-sup", "supervisor", seogyo_);
    EnsureUser(*app_, "sup", "supervisor");
    EnsureUser(*app_, "auditor1", "auditor");
    EnsureUser(*app_, "admin1", "admin");
    EnsureUser(*app_, "officer", "agency_officer", std::nullopt, finance_);
    kim_ = Login("kim");
  }

  // Signs in again (after the fake clock's idle timeout, or as another user): the first
  // sign-in replaced the initial password.
  Client Login(const std::string& login) {
    const bool first = signed_in_.insert(login).second;
    return SignIn(port_, login, first ? kTestPassword : kChangedPassword);
  }

  Json Intake(const Client& who, const std::string& channel, const std::string& category,
              int n) {
    const auto r = who.Post(
        "/api/v1/cases",
        Json{{"channel", channel},
             {"resident",
              {{"name", "주민" + std::to_string(n)},
               {"birth_date", "1960-01-" + std::string(n < 10 ? "0" : "") + std::to_string(n)},
               {"phone", "010-5555-" + std::to_string(1000 + n)},
               {"address", "서울 마포구 월드컵로 " + std::to_string(n)}}},
             {"confirm_new_resident", true},
             {"primary_category", category},
             {"summary", "상담 " + std::to_string(n)},
             {"consultation", {{"kind", channel == "phone" ? "call" : "visit"}, {"notes", "첫 상담"}}},
             {"follow_up", {{"kind", "counseling"}, {"due", "2026-11-26"}}}}
            .dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return Body(r);
  }

  static std::string Path(const Json& c) {
    return "/api/v1/cases/" + std::to_string(c["id"].get<std::int64_t>());
  }
  static std::int64_t FirstFollowUp(const Json& c, const std::string& kind) {
    for (const auto& f : c["follow_ups"]) {
      if (f["kind"] == kind && f["status"] == "open") {
        return f["id"];
      }
    }
    return 0;
  }
  Json Result(const Client& who, std::int64_t follow_up, const std::string& result) {
    const auto r = who.Post(
        "/api/v1/follow-ups/" + std::to_string(follow_up) + "/result",
        Json{{"result", result}, {"next", {{"kind", "counseling"}, {"due", "2026-12-15"}}}}
            .dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return Body(r);
  }

  // The fixture; the clock ends on Friday 2026-11-27 18:00 KST.
  void MakeFixture() {
    // Monday 11-23: 6 visits about debt and 3 calls about housing in 서교동, 1 visit in 망원1동.
    for (int i = 1; i <= 6; ++i) {
      cases_.push_back(Intake(kim_, "visit", "finance", i));
    }
    for (int i = 7; i <= 9; ++i) {
      cases_.push_back(Intake(kim_, "phone", "housing", i));
    }
    const auto park = Login("park");
    Intake(park, "visit", "welfare", 10);
    // Welfare checks due Thursday on three housing cases.
    for (int i = 6; i <= 8; ++i) {
      const auto r = kim_.Post(Path(cases_[i]) + "/follow-ups",
                               Json{{"kind", "welfare_check"}, {"due", "2026-11-26"}}.dump());
      ASSERT_EQ(r.status, 200) << r.body;
      cases_[i] = Body(r);
    }
    // Tuesday: three debt cases resolved after one day (their follow-ups are cancelled).
    clock_.Advance(hours(24));
    kim_ = Login("kim");
    for (int i = 0; i < 3; ++i) {
      const auto r = kim_.Post(Path(cases_[i]) + "/resolve",
                               Json{{"resolution_note", "해결"}}.dump());
      ASSERT_EQ(r.status, 200) << r.body;
    }
    // Case 4 is referred; the centre accepts three hours later.
    const auto referred = kim_.Post(
        Path(cases_[3]) + "/referrals",
        Json{{"agency_id", finance_}, {"consent", {{"given_by", "본인"}, {"scope", {"summary"}}}}}
            .dump());
    ASSERT_EQ(referred.status, 200) << referred.body;
    const auto referral = Body(referred)["referrals"][0]["id"].get<std::int64_t>();
    clock_.Advance(hours(3));
    const auto officer = Login("officer");
    ASSERT_EQ(officer.Post("/api/v1/referrals/" + std::to_string(referral) + "/accept", "{}").status,
              200);
    // Wednesday: three counseling follow-ups done on time, and the three welfare checks.
    clock_.Advance(hours(21));
    kim_ = Login("kim");
    for (int i = 3; i < 6; ++i) {
      Result(kim_, FirstFollowUp(cases_[i], "counseling"), "reached");
    }
    Result(kim_, FirstFollowUp(cases_[6], "welfare_check"), "reached");
    Result(kim_, FirstFollowUp(cases_[7], "welfare_check"), "reached");
    Result(kim_, FirstFollowUp(cases_[8], "welfare_check"), "not_reached");
    // Friday: two counseling follow-ups done late; the last one stays overdue.
    clock_.Advance(hours(48));
    kim_ = Login("kim");
    Result(kim_, FirstFollowUp(cases_[6], "counseling"), "reached");
    Result(kim_, FirstFollowUp(cases_[7], "counseling"), "reached");
  }

  Json Run(const Client& who, const std::string& query, int status = 200) {
    const auto r = who.Get("/api/v1/reports/run?" + query);
    EXPECT_EQ(r.status, status) << query << " " << r.body;
    return Body(r);
  }

  FakeClock clock_;
  TempDir dir_;
  app::Config config_;
  std::unique_ptr<app::App> app_;
  std::uint16_t port_ = 0;
  core::DongId seogyo_ = 0;
  core::DongId mangwon_ = 0;
  core::AgencyId finance_ = 0;
  core::UserId kim_id_ = 0;
  Client kim_;
  std::vector<Json> cases_;
  std::set<std::string> signed_in_;
};

constexpr const char* kNovember = "from=2026-11-01&to=2026-11-30";

TEST_P(ReportTest, NumbersMatchTheFixtureWorkedOutByHand) {
  MakeFixture();
  const auto sup = Login("sup");
  const std::string nov = kNovember;

  // Intake, district: visit 7, phone 3; finance 6, housing 3, welfare 1 (hidden, and with it
  // housing, the smallest other, since 10 - 6 - 3 would tell).
  auto intake = Run(sup, "kind=intake&" + nov);
  EXPECT_EQ(Value(Table(intake, "intake_by_channel"), "visit", "count"), 7);
  EXPECT_EQ(Value(Table(intake, "intake_by_channel"), "phone", "count"), 3);
  EXPECT_EQ(Value(Table(intake, "intake_by_channel"), "phone", "share"), 30.0);
  EXPECT_EQ(Value(Table(intake, "intake_by_channel"), "합계", "count"), 10);
  const auto& by_category = Table(intake, "intake_by_category");
  EXPECT_EQ(Value(by_category, "finance", "count"), 6);
  EXPECT_TRUE(Hidden(by_category, "welfare", "count"));
  EXPECT_TRUE(Hidden(by_category, "housing", "count"));
  EXPECT_TRUE(Value(by_category, "housing", "count").is_null());
  EXPECT_GE(intake["suppressed_cells"].get<int>(), 4);  // two counts and their shares
  // Scoped to 서교동 nothing is small.
  intake = Run(sup, "kind=intake&" + nov + "&dong_id=" + std::to_string(seogyo_));
  EXPECT_EQ(Value(Table(intake, "intake_by_category"), "housing", "count"), 3);
  EXPECT_EQ(Value(Table(intake, "intake_by_channel"), "합계", "count"), 9);
  // By channel and by category.
  intake = Run(sup, "kind=intake&" + nov + "&channel=phone");
  EXPECT_EQ(Value(Table(intake, "intake_by_channel"), "합계", "count"), 3);
  intake = Run(sup, "kind=intake&" + nov + "&category=finance&counselor_id=" +
                        std::to_string(kim_id_));
  EXPECT_EQ(Value(Table(intake, "intake_by_category"), "finance", "count"), 6);
  EXPECT_EQ(Value(Table(intake, "intake_by_category"), "합계", "count"), 6);

  // Resolution: 3 of 10 opened were resolved, each after 1 day.
  const auto resolution = Run(sup, "kind=resolution&" + nov);
  const auto& res = Table(resolution, "resolution");
  EXPECT_EQ(Value(res, "전체", "opened"), 10);
  EXPECT_EQ(Value(res, "전체", "opened_resolved"), 3);
  EXPECT_EQ(Value(res, "전체", "resolution_rate"), 30.0);
  EXPECT_EQ(Value(res, "전체", "median_days"), 1);
  EXPECT_EQ(Value(res, "전체", "p90_days"), 1);
  EXPECT_EQ(Value(Table(resolution, "days_to_resolution"), "1일 이내", "count"), 3);

  // Open at the end of November: 7 cases opened 7 days before.
  const auto age = Run(sup, "kind=open_age&" + nov);
  EXPECT_EQ(Value(Table(age, "open_age"), "7일 이내", "count"), 7);
  EXPECT_EQ(Value(Table(age, "open_age"), "합계", "count"), 7);

  // Follow-ups due in November: 10 counseling, 3 cancelled by resolving: 3 done on time,
  // 2 late (hidden), 2 overdue (서교동's last and 망원1동's; hidden), total 7. Welfare
  // checks: 3 on time.
  const auto follow_ups = Run(sup, "kind=follow_ups&" + nov);
  const auto& fu = Table(follow_ups, "follow_ups");
  EXPECT_EQ(Value(fu, "counseling", "on_time"), 3);
  EXPECT_TRUE(Hidden(fu, "counseling", "late"));
  EXPECT_TRUE(Hidden(fu, "counseling", "overdue"));
  EXPECT_EQ(Value(fu, "counseling", "total"), 7);
  EXPECT_TRUE(Hidden(fu, "counseling", "on_time_rate"));  // rests on hidden counts
  EXPECT_EQ(Value(fu, "welfare_check", "on_time"), 3);
  EXPECT_EQ(Value(fu, "welfare_check", "on_time_rate"), 100.0);
  EXPECT_EQ(Value(fu, "합계", "on_time"), 6);
  // Resolving scheduled a resolution check for Friday 18:00: due now, not yet overdue.
  EXPECT_EQ(Value(fu, "resolution_check", "pending"), 3);
  EXPECT_EQ(Value(fu, "합계", "total"), 13);

  // Welfare checks: 3 made, 2 reached (hidden), so the rate is hidden too.
  const auto checks = Run(sup, "kind=welfare_checks&" + nov);
  EXPECT_EQ(Value(Table(checks, "welfare_check_reach"), "전체", "made"), 3);
  EXPECT_TRUE(Hidden(Table(checks, "welfare_check_reach"), "전체", "reached"));
  EXPECT_TRUE(Hidden(Table(checks, "welfare_check_reach"), "전체", "reach_rate"));

  // Referrals: one, accepted after 3 hours: a small cell everywhere.
  const auto referrals = Run(sup, "kind=referrals&" + nov);
  EXPECT_TRUE(Hidden(Table(referrals, "referrals"), "서민금융통합지원센터", "sent"));
  EXPECT_TRUE(Hidden(Table(referrals, "referrals"), "합계", "sent"));

  // The summary: this month against October (nothing) and November 2025 (nothing).
  const auto summary = Run(sup, "kind=summary&" + nov);
  const auto& s = Table(summary, "summary");
  EXPECT_EQ(Value(s, "접수", "current"), 10);
  EXPECT_EQ(Value(s, "접수", "previous"), 0);
  EXPECT_TRUE(Value(s, "접수", "change_previous").is_null());
  EXPECT_EQ(Value(s, "해결", "current"), 3);
  EXPECT_EQ(Value(s, "해결률(기간 내 접수 기준)", "current"), 30.0);
  EXPECT_EQ(Value(s, "안부 확인 통화", "current"), 3);
  EXPECT_TRUE(Hidden(s, "기관 연계", "current"));
  // December compared with November: intake -100 %.
  const auto december = Run(sup, "kind=summary&from=2026-12-01&to=2026-12-31");
  EXPECT_EQ(Value(Table(december, "summary"), "접수", "previous"), 10);
  EXPECT_EQ(Value(Table(december, "summary"), "접수", "change_previous"), -100.0);

  // No report shows a person.
  for (const auto* kind : {"intake", "resolution", "follow_ups", "referrals", "summary"}) {
    const auto r = sup.Get("/api/v1/reports/run?kind=" + std::string(kind) + "&" + nov);
    EXPECT_EQ(r.body.find("주민"), std::string::npos) << kind;
    EXPECT_EQ(r.body.find("2026-서교-"), std::string::npos) << kind;
  }
}

TEST_P(ReportTest, ScopesAndRoles) {
  MakeFixture();
  const std::string nov = kNovember;
  // A counselor's reports are of their dong; another dong's or the district's: 403.
  auto own = Run(kim_, "kind=intake&" + nov);
  EXPECT_EQ(own["scope"]["dong_id"], seogyo_);
  EXPECT_EQ(Value(Table(own, "intake_by_channel"), "합계", "count"), 9);
  Run(kim_, "kind=intake&" + nov + "&dong_id=" + std::to_string(mangwon_), 403);
  // The auditor reads the whole district: the paperless inspection.
  const auto auditor = Login("auditor1");
  EXPECT_EQ(Value(Table(Run(auditor, "kind=intake&" + nov), "intake_by_channel"), "합계", "count"),
            10);
  // Admins run the system, agencies see referrals: neither reads reports.
  Run(Login("admin1"), "kind=intake&" + nov, 403);
  Run(Login("officer"), "kind=intake&" + nov, 403);
  // Bad parameters: every violation at once.
  const auto bad = Run(auditor, "kind=nope&from=2026-11-31&to=2026-11-01&format=pdf", 422);
  EXPECT_EQ(bad["error"]["details"].size(), 3U) << bad.dump();
  const auto reversed = Run(auditor, "kind=intake&from=2026-11-30&to=2026-11-01", 422);
  EXPECT_EQ(reversed["error"]["details"][0]["code"], "before_from");
  // Counselors cannot save definitions; an auditor neither.
  const auto def = Json{{"name", "월간 접수"}, {"kind", "intake"}, {"schedule", "monthly"}}.dump();
  EXPECT_EQ(kim_.Post("/api/v1/reports/definitions", def).status, 403);
  EXPECT_EQ(auditor.Post("/api/v1/reports/definitions", def).status, 403);
}

TEST_P(ReportTest, DefinitionsEditionsAndTheMonthlySet) {
  MakeFixture();
  auto sup = Login("sup");
  auto made = sup.Post("/api/v1/reports/definitions",
                       Json{{"name", "월간 접수 현황"}, {"kind", "intake"}, {"schedule", "monthly"}}
                           .dump());
  ASSERT_EQ(made.status, 201) << made.body;
  const auto definition = Body(made)["id"].get<std::int64_t>();
  EXPECT_EQ(sup.Post("/api/v1/reports/definitions",
                     Json{{"name", "월간 접수 현황"}, {"kind", "intake"}}.dump())
                .status,
            409);
  // The 서교동 supervisor's definition is of 서교동, whatever it asks.
  const auto local = Login("seogyo-sup");
  made = local.Post("/api/v1/reports/definitions",
                    Json{{"name", "서교동 해결률"}, {"kind", "resolution"}, {"schedule", "monthly"}}
                        .dump());
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Body(made)["scope"]["dong_id"], seogyo_);
  EXPECT_EQ(local
                .Post("/api/v1/reports/definitions",
                      Json{{"name", "망원"}, {"kind", "intake"},
                           {"scope", {{"dong_id", mangwon_}}}}
                          .dump())
                .status,
            403);

  // The monthly job on 1 December produces November's set, once.
  clock_.Advance(hours(24 * 4));  // Tuesday 2026-12-01 18:00 KST
  auto run = app_->reports().ProduceMonthly(core::KstDate(clock_.Now()));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->produced, 2);
  run = app_->reports().ProduceMonthly(core::KstDate(clock_.Now()));
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->produced, 0);
  EXPECT_EQ(run->already_there, 2);

  sup = Login("sup");
  const auto auditor = Login("auditor1");
  const auto list = Body(auditor.Get("/api/v1/reports/editions"));
  ASSERT_EQ(list["items"].size(), 2U) << list.dump();
  std::int64_t edition = 0;
  for (const auto& e : list["items"]) {
    EXPECT_EQ(e["period"]["from"], "2026-11-01");
    EXPECT_EQ(e["period"]["to"], "2026-11-30");
    EXPECT_TRUE(e["produced_by"].is_null());  // the job
    if (e["definition_id"] == definition) {
      edition = e["id"];
    }
  }
  ASSERT_NE(edition, 0);
  // The 서교동 counselor sees only the 서교동 edition.
  kim_ = Login("kim");
  const auto kims = Body(kim_.Get("/api/v1/reports/editions"));
  ASSERT_EQ(kims["items"].size(), 1U);
  EXPECT_EQ(kims["items"][0]["definition_name"], "서교동 해결률");
  EXPECT_EQ(kim_.Get("/api/v1/reports/editions/" + std::to_string(edition)).status, 404);

  // An edition keeps its numbers after the records change: a new case in November... is
  // impossible now, so a December case; the November edition does not move.
  const auto before = Body(auditor.Get("/api/v1/reports/editions/" + std::to_string(edition)));
  EXPECT_EQ(Value(Table(before, "intake_by_channel"), "합계", "count"), 10);
  EXPECT_EQ(before["edition"]["content_sha256"].get<std::string>().size(), 64U);
  EXPECT_EQ(before["data_as_of"], "2026-12-01T09:00:00Z");
  // Producing November again by hand is refused: an edition is written once.
  const auto again = sup.Post("/api/v1/reports/definitions/" + std::to_string(definition) +
                                  "/editions",
                              Json{{"from", "2026-11-01"}, {"to", "2026-11-30"}}.dump());
  EXPECT_EQ(again.status, 409) << again.body;
  // Another period by hand: a new edition with the producer named.
  const auto week = sup.Post("/api/v1/reports/definitions/" + std::to_string(definition) +
                                 "/editions",
                             Json{{"from", "2026-11-23"}, {"to", "2026-11-29"}}.dump());
  ASSERT_EQ(week.status, 201) << week.body;
  EXPECT_FALSE(Body(week)["produced_by"].is_null());
  EXPECT_EQ(Value(Table(Body(week)["report"], "intake_by_channel"), "합계", "count"), 10);

  // Deleting the definition keeps its editions.
  EXPECT_EQ(sup.Send("DELETE", "/api/v1/reports/definitions/" + std::to_string(definition)).status,
            204);
  EXPECT_EQ(auditor.Get("/api/v1/reports/editions/" + std::to_string(edition)).status, 200);
}

TEST_P(ReportTest, CsvAndXlsxExports) {
  MakeFixture();
  const auto sup = Login("sup");
  const auto csv = sup.Get(std::string("/api/v1/reports/run?kind=intake&") + kNovember +
                           "&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers.at("content-type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body.substr(0, 3), "\xEF\xBB\xBF");  // the BOM, for Excel
  EXPECT_NE(csv.body.find("경로별 접수"), std::string::npos);
  EXPECT_NE(csv.body.find("방문,7,70\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("복지,*,*\r\n"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("기간,2026-11-01 ~ 2026-11-30"), std::string::npos);
  EXPECT_NE(csv.body.find("자료 기준 시각"), std::string::npos);
  EXPECT_NE(csv.headers.at("content-disposition").find("caredesk-intake-2026-11-01_2026-11-30.csv"),
            std::string::npos);
  const auto xlsx = sup.Get(std::string("/api/v1/reports/run?kind=intake&") + kNovember +
                            "&format=xlsx");
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");  // a zip: opened by LibreOffice in report_xlsx_test.sh
}

TEST_P(ReportTest, WeeklyWorkReportWithItsComment) {
  MakeFixture();
  // Kim's week of 23 November, from the records.
  auto week = kim_.Get("/api/v1/work-reports?week=2026-11-25");
  ASSERT_EQ(week.status, 200) << week.body;
  auto r = Body(week);
  EXPECT_EQ(r["week"], "2026-11-23");
  EXPECT_EQ(r["week_end"], "2026-11-29");
  std::map<std::string, std::int64_t> lines;
  for (const auto& l : r["lines"]) {
    lines[l["code"]] = l["value"];
  }
  EXPECT_EQ(lines["cases_opened"], 9);
  EXPECT_EQ(lines["cases_resolved"], 3);
  EXPECT_EQ(lines["follow_ups_done"], 8);  // 5 counseling + 3 welfare checks
  EXPECT_EQ(lines["follow_ups_done_late"], 2);
  EXPECT_EQ(lines["welfare_checks"], 3);
  EXPECT_EQ(lines["referrals_sent"], 1);
  EXPECT_EQ(lines["referrals_answered"], 1);
  // The last counseling follow-up, and the three resolution checks due on Friday.
  EXPECT_EQ(lines["follow_ups_overdue"], 4);
  EXPECT_EQ(r["comment"]["version"], 0);

  // Only the comment is editable, with the version it was read at.
  const auto body = Json{{"week", "2026-11-23"}, {"comment", "주거 상담이 늘었습니다."}}.dump();
  auto saved = Request(port_, "PUT", "/api/v1/work-reports/comment", body, "application/json",
                       kim_.Headers());
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(Body(saved)["comment"]["text"], "주거 상담이 늘었습니다.");
  EXPECT_EQ(Body(saved)["comment"]["version"], 1);
  // A second writer who read it before it existed (no If-Match) must not overwrite it.
  const auto stale = Request(port_, "PUT", "/api/v1/work-reports/comment", body,
                             "application/json", kim_.Headers());
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto headers = kim_.Headers();
  headers["If-Match"] = "\"1\"";
  EXPECT_EQ(Request(port_, "PUT", "/api/v1/work-reports/comment",
                    Json{{"week", "2026-11-23"}, {"comment", "수정"}}.dump(), "application/json",
                    headers)
                .status,
            200);
  // The comment is sealed at rest.
  auto raw = app_->storage().database().Transact(
      storage::sql::TxMode::kRead, [](storage::sql::Connection& c) -> core::Result<std::string> {
        const auto rows = c.Execute("SELECT comment_sealed FROM work_report_comments", {});
        const auto& b = std::get<storage::sql::Blob>(rows.rows.at(0).at(0)).bytes;
        return std::string(b.begin(), b.end());
      });
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find("수정"), std::string::npos);

  // The 서교동 supervisor reads Kim's and the dong's; Park (망원1동) neither.
  const auto local = Login("seogyo-sup");
  EXPECT_EQ(local.Get("/api/v1/work-reports?week=2026-11-23&user_id=" + std::to_string(kim_id_))
                .status,
            200);
  const auto dong =
      Body(local.Get("/api/v1/work-reports?week=2026-11-23&dong_id=" + std::to_string(seogyo_)));
  EXPECT_EQ(dong["subject_name"], "서교동");
  const auto park = Login("park");
  EXPECT_EQ(park.Get("/api/v1/work-reports?week=2026-11-23&user_id=" + std::to_string(kim_id_))
                .status,
            403);
  EXPECT_EQ(park.Get("/api/v1/work-reports?week=2026-11-23&dong_id=" + std::to_string(seogyo_))
                .status,
            403);
  // Kim cannot comment on the dong's report; the dong's supervisor can.
  EXPECT_EQ(Request(port_, "PUT", "/api/v1/work-reports/comment",
                    Json{{"week", "2026-11-23"}, {"dong_id", seogyo_}, {"comment", "x"}}.dump(),
                    "application/json", kim_.Headers())
                .status,
            403);
  EXPECT_EQ(Request(port_, "PUT", "/api/v1/work-reports/comment",
                    Json{{"week", "2026-11-23"}, {"dong_id", seogyo_}, {"comment", "잘했어요"}}.dump(),
                    "application/json", local.Headers())
                .status,
            200);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportTest,
                         ::testing::Values(storage::Backend::kSqlite, storage::Backend::kPostgres),
                         [](const ::testing::TestParamInfo<storage::Backend>& param_info) {
                           return BackendName(param_info.param);
                         });

}  // namespace
}  // namespace caredesk::testing
