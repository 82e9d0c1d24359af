#include "core/report.hpp"

#include <gtest/gtest.h>

namespace caredesk::core {
namespace {

const ReportTable& TableOf(const Report& r, std::string_view code) {
  for (const auto& t : r.tables) {
    if (t.code == code) {
      return t;
    }
  }
  ADD_FAILURE() << "no table " << code;
  static const ReportTable kNone;
  return kNone;
}

std::size_t ColumnOf(const ReportTable& t, std::string_view code) {
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].code == code) {
      return i;
    }
  }
  ADD_FAILURE() << "no column " << code;
  return 0;
}

const std::vector<ReportCell>& RowOf(const ReportTable& t, std::string_view label) {
  for (const auto& row : t.rows) {
    if (row[0].text == label || row[0].code == label) {
      return row;
    }
  }
  ADD_FAILURE() << "no row " << label;
  static const std::vector<ReportCell> kNone(16);
  return kNone;
}

std::optional<double> At(const ReportTable& t, std::string_view row, std::string_view column) {
  return RowOf(t, row)[ColumnOf(t, column)].value;
}

bool HiddenAt(const ReportTable& t, std::string_view row, std::string_view column) {
  return RowOf(t, row)[ColumnOf(t, column)].suppressed;
}

ReportParameters Params(ReportKind kind) {
  ReportParameters p;
  p.kind = kind;
  p.period = {Date{2026, 11, 1}, Date{2026, 11, 30}};
  return p;
}

TEST(ReportPeriod, MonthsAndYears) {
  EXPECT_EQ(PreviousMonth(Date{2026, 12, 1}), (ReportPeriod{Date{2026, 11, 1}, Date{2026, 11, 30}}));
  EXPECT_EQ(PreviousMonth(Date{2027, 1, 15}), (ReportPeriod{Date{2026, 12, 1}, Date{2026, 12, 31}}));
  // A whole month maps to the month before, whatever its length.
  EXPECT_EQ(PreviousPeriod({Date{2026, 3, 1}, Date{2026, 3, 31}}),
            (ReportPeriod{Date{2026, 2, 1}, Date{2026, 2, 28}}));
  EXPECT_EQ(PreviousPeriod({Date{2026, 1, 1}, Date{2026, 3, 31}}),
            (ReportPeriod{Date{2025, 10, 1}, Date{2025, 12, 31}}));
  // Any other period: the same number of days just before.
  EXPECT_EQ(PreviousPeriod({Date{2026, 11, 10}, Date{2026, 11, 16}}),
            (ReportPeriod{Date{2026, 11, 3}, Date{2026, 11, 9}}));
  EXPECT_EQ(YearEarlier({Date{2028, 2, 1}, Date{2028, 2, 29}}),
            (ReportPeriod{Date{2027, 2, 1}, Date{2027, 2, 28}}));
  // 00:00 KST is 15:00 UTC the day before.
  const ReportPeriod nov{Date{2026, 11, 1}, Date{2026, 11, 30}};
  EXPECT_EQ(PeriodEnd(nov) - PeriodStart(nov), std::chrono::hours(24 * 30));
  EXPECT_EQ(KstDate(PeriodStart(nov)), (Date{2026, 11, 1}));
  EXPECT_EQ(KstDate(PeriodEnd(nov) - std::chrono::seconds(1)), (Date{2026, 11, 30}));
  EXPECT_EQ(KstDate(PeriodEnd(nov)), (Date{2026, 12, 1}));
}

TEST(ReportParameters, RefusesReversedLongAndUnknown) {
  ReportParameters p = Params(ReportKind::kIntake);
  EXPECT_TRUE(ValidateReportParameters(p).ok());
  p.period = {Date{2026, 11, 2}, Date{2026, 11, 1}};
  EXPECT_EQ(ValidateReportParameters(p).error().details.at(0).code, "before_from");
  p.period = {Date{2020, 1, 1}, Date{2026, 1, 1}};
  EXPECT_EQ(ValidateReportParameters(p).error().details.at(0).code, "too_long");
  p = Params(ReportKind::kIntake);
  p.scope.category = "nope";
  EXPECT_EQ(ValidateReportParameters(p).error().details.at(0).field, "category");
  EXPECT_EQ(Parse<ReportKind>("welfare_checks"), ReportKind::kWelfareChecks);
  EXPECT_EQ(Parse<ReportKind>("nope"), std::nullopt);
  for (const auto kind : AllReportKinds()) {
    EXPECT_EQ(Parse<ReportKind>(Code(kind)), kind);
    EXPECT_NE(PartsOf(kind), 0U);
  }
}

TEST(HistogramPercentile, NearestRank) {
  const std::map<int, std::int64_t> h = {{1, 2}, {3, 1}, {10, 1}, {40, 1}};  // 1 1 3 10 40
  EXPECT_EQ(HistogramPercentile(h, 0.5), 3);
  EXPECT_EQ(HistogramPercentile(h, 0.9), 40);
  EXPECT_EQ(HistogramPercentile(h, 0.2), 1);
  EXPECT_EQ(HistogramPercentile({}, 0.5), std::nullopt);
  EXPECT_EQ(HistogramPercentile({{7, 10}}, 0.9), 7);
  // 10 values 1..10: the 90th percentile is the 9th.
  std::map<int, std::int64_t> ten;
  for (int i = 1; i <= 10; ++i) {
    ten[i] = 1;
  }
  EXPECT_EQ(HistogramPercentile(ten, 0.9), 9);
  EXPECT_EQ(HistogramPercentile(ten, 0.5), 5);
}

TEST(SuppressSmallCells, HidesSmallCellsAndOneMoreSoTheTotalCannotTell) {
  ReportTable t;
  t.columns = {ReportColumn{"label", "", "", CellKind::kLabel},
               ReportColumn{"count", "", "", CellKind::kCount},
               ReportColumn{"share", "", "", CellKind::kPercent, {1}}};
  auto row = [](std::string label, double n) {
    return std::vector<ReportCell>{ReportCell{std::nullopt, std::move(label)},
                                   ReportCell{n, ""}, ReportCell{n, ""}};
  };
  t.rows = {row("a", 10), row("b", 2), row("c", 5), row("d", 0), row("e", 7), row("합계", 24)};
  t.has_total = true;
  const int hidden = SuppressSmallCells(t);
  EXPECT_TRUE(t.rows[1][1].suppressed);  // 2: primary
  EXPECT_TRUE(t.rows[2][1].suppressed);  // 5: the smallest shown non-zero, so 24-10-7 is no answer
  EXPECT_FALSE(t.rows[0][1].suppressed);
  EXPECT_FALSE(t.rows[3][1].suppressed);  // zero says nothing about a person
  EXPECT_FALSE(t.rows[5][1].suppressed);
  EXPECT_TRUE(t.rows[1][2].suppressed);  // the shares of hidden counts
  EXPECT_TRUE(t.rows[2][2].suppressed);
  EXPECT_FALSE(t.rows[2][1].value.has_value());
  EXPECT_EQ(hidden, 4);

  // Two small cells already protect each other; a total of 1 or 2 is itself hidden.
  ReportTable u = t;
  for (auto& r : u.rows) {
    for (auto& c : r) {
      c.suppressed = false;
    }
  }
  u.rows = {row("a", 1), row("b", 1), row("c", 0), row("합계", 2)};
  SuppressSmallCells(u);
  EXPECT_TRUE(u.rows[0][1].suppressed);
  EXPECT_TRUE(u.rows[1][1].suppressed);
  EXPECT_TRUE(u.rows[3][1].suppressed);

  // One hidden cell and nothing else to hide beside it: the total goes.
  ReportTable w = u;
  w.rows = {row("a", 2), row("b", 0), row("합계", 2)};
  SuppressSmallCells(w);
  EXPECT_TRUE(w.rows[0][1].suppressed);
  EXPECT_TRUE(w.rows[2][1].suppressed);
}

TEST(SuppressSmallCells, RowTotalsAreProtectedToo) {
  ReportTable t;
  t.columns = {ReportColumn{"label", "", "", CellKind::kLabel},
               ReportColumn{"x", "", "", CellKind::kCount},
               ReportColumn{"y", "", "", CellKind::kCount},
               ReportColumn{"z", "", "", CellKind::kCount},
               ReportColumn{"total", "", "", CellKind::kCount, {}, true}};
  auto cell = [](double n) { return ReportCell{n, ""}; };
  t.rows = {{ReportCell{std::nullopt, "r"}, cell(1), cell(20), cell(30), cell(51)}};
  SuppressSmallCells(t);
  EXPECT_TRUE(t.rows[0][1].suppressed);
  EXPECT_TRUE(t.rows[0][2].suppressed);  // 20 < 30: the smallest other part
  EXPECT_FALSE(t.rows[0][3].suppressed);
  EXPECT_FALSE(t.rows[0][4].suppressed);
}

ReportFacts Fixture() {
  ReportFacts f;
  f.intake = {{Channel::kVisit, "welfare", 6},
              {Channel::kVisit, "housing", 3},
              {Channel::kPhone, "welfare", 4},
              {Channel::kOnline, "housing", 1}};
  f.cohort_opened = 14;
  f.cohort_resolved = 7;
  f.days_to_resolution = {{0, 1}, {2, 3}, {5, 2}, {20, 1}, {45, 1}};  // 8 cases
  f.open_age_days = {{3, 4}, {12, 3}, {200, 1}};
  f.follow_ups = {{FollowUpKind::kWelfareCheck, FollowUpTiming::kOnTime, 8},
                  {FollowUpKind::kWelfareCheck, FollowUpTiming::kLate, 3},
                  {FollowUpKind::kWelfareCheck, FollowUpTiming::kOverdue, 4},
                  {FollowUpKind::kCounseling, FollowUpTiming::kOnTime, 5},
                  {FollowUpKind::kCounseling, FollowUpTiming::kCancelled, 2}};
  f.welfare_checks = {{FollowUpResult::kReached, 9},
                      {FollowUpResult::kNotReached, 4},
                      {FollowUpResult::kNeedsEscalation, 3}};
  f.referrals = {{11, ReferralStatus::kCompleted, 5, false, 3},
                 {11, ReferralStatus::kAccepted, 30, true, 2},
                 {11, ReferralStatus::kDeclined, 8, false, 3},
                 {12, ReferralStatus::kSent, std::nullopt, true, 1}};
  f.case_management = {{1, 4}, {2, 1}};
  f.missed_check_escalations = 3;
  f.outreach = {{1, 10, 6, 3, 2, 1}, {2, 5, 4, 0, 4, 0}};
  return f;
}

TEST(BuildReport, IntakeWithSharesAndSuppression) {
  const auto r = BuildReport(Params(ReportKind::kIntake), {Fixture()}, {}, {});
  const auto& ch = TableOf(r, "intake_by_channel");
  EXPECT_EQ(At(ch, "visit", "count"), 9);
  EXPECT_TRUE(HiddenAt(ch, "online", "count"));  // 1 case
  // The next smallest shown (4, phone) is hidden with it; the share follows its count.
  EXPECT_TRUE(HiddenAt(ch, "phone", "count"));
  EXPECT_TRUE(HiddenAt(ch, "phone", "share"));
  EXPECT_EQ(At(ch, "합계", "count"), 14);
  EXPECT_EQ(At(ch, "visit", "share"), 64.3);
  EXPECT_EQ(At(ch, "outreach", "count"), 0);
  const auto& cat = TableOf(r, "intake_by_category");
  EXPECT_EQ(At(cat, "welfare", "count"), 10);
  EXPECT_EQ(At(cat, "housing", "count"), 4);
  EXPECT_EQ(At(cat, "legal", "count"), 0);
  EXPECT_GT(r.suppressed_cells, 0);
}

TEST(BuildReport, ResolutionAndAges) {
  const auto r = BuildReport(Params(ReportKind::kResolution), {Fixture()}, {}, {});
  const auto& t = TableOf(r, "resolution");
  EXPECT_EQ(At(t, "전체", "resolution_rate"), 50.0);
  EXPECT_EQ(At(t, "전체", "resolved"), 8);
  EXPECT_EQ(At(t, "전체", "median_days"), 2);  // 0 2 2 2 5 5 20 45: the 4th
  EXPECT_EQ(At(t, "전체", "p90_days"), 45);    // rank ceil(7.2) = 8
  const auto& d = TableOf(r, "days_to_resolution");
  EXPECT_EQ(At(d, "2~7일", "count"), 5);
  EXPECT_TRUE(HiddenAt(d, "1일 이내", "count"));

  const auto a = BuildReport(Params(ReportKind::kOpenAge), {Fixture()}, {}, {});
  const auto& age = TableOf(a, "open_age");
  EXPECT_EQ(At(age, "7일 이내", "count"), 4);
  EXPECT_TRUE(HiddenAt(age, "181~365일", "count"));
  EXPECT_TRUE(HiddenAt(age, "8~30일", "count"));  // 3: else 8 - 4 - 3 tells the hidden 1
  EXPECT_EQ(At(age, "합계", "count"), 8);
}

TEST(BuildReport, FollowUpsChecksReferralsEscalationsOutreach) {
  const ReportNames names{{{1, "서교동"}, {2, "망원1동"}}, {{11, "정신건강복지센터"}, {12, "법률홈닥터"}}};
  const auto f = BuildReport(Params(ReportKind::kFollowUps), {Fixture()}, names, {});
  const auto& fu = TableOf(f, "follow_ups");
  EXPECT_EQ(At(fu, "welfare_check", "total"), 15);
  EXPECT_EQ(At(fu, "welfare_check", "on_time_rate"), 53.3);  // 8 of 15
  EXPECT_EQ(At(fu, "counseling", "on_time_rate"), 100.0);
  EXPECT_EQ(At(fu, "합계", "on_time"), 13);
  EXPECT_EQ(At(fu, "합계", "total"), 20);  // cancelled ones are not counted

  const auto w = BuildReport(Params(ReportKind::kWelfareChecks), {Fixture()}, names, {});
  EXPECT_EQ(At(TableOf(w, "welfare_check_reach"), "전체", "made"), 16);
  EXPECT_EQ(At(TableOf(w, "welfare_check_reach"), "전체", "reached"), 12);
  EXPECT_EQ(At(TableOf(w, "welfare_check_reach"), "전체", "reach_rate"), 75.0);

  const auto ref = BuildReport(Params(ReportKind::kReferrals), {Fixture()}, names, {});
  const auto& rt = TableOf(ref, "referrals");
  // 8 sent is hidden with the other agency's 1, which the total 9 would give away.
  EXPECT_TRUE(HiddenAt(rt, "정신건강복지센터", "sent"));
  EXPECT_EQ(At(rt, "정신건강복지센터", "accepted"), 5);
  EXPECT_EQ(At(rt, "정신건강복지센터", "acceptance_rate"), 62.5);  // 5 of 8 answered
  EXPECT_EQ(At(rt, "정신건강복지센터", "median_response_hours"), 8);  // 5 5 5 8 8 8 30 30
  EXPECT_TRUE(HiddenAt(rt, "법률홈닥터", "sent"));
  EXPECT_EQ(At(rt, "합계", "sent"), 9);

  const auto e = BuildReport(Params(ReportKind::kEscalations), {Fixture()}, names, {});
  EXPECT_EQ(At(TableOf(e, "case_management"), "서교동", "count"), std::nullopt);  // 4: hidden
  EXPECT_TRUE(HiddenAt(TableOf(e, "case_management"), "망원1동", "count"));      // 1
  EXPECT_TRUE(HiddenAt(TableOf(e, "case_management"), "서교동", "count"));  // complementary
  EXPECT_EQ(At(TableOf(e, "missed_checks"), "전체", "count"), 3);

  const auto o = BuildReport(Params(ReportKind::kOutreach), {Fixture()}, names, {});
  const auto& ot = TableOf(o, "outreach");
  EXPECT_EQ(At(ot, "합계", "flagged"), 15);
  EXPECT_EQ(At(ot, "서교동", "contacted"), 6);
  EXPECT_TRUE(HiddenAt(ot, "서교동", "no_need"));   // 2
  EXPECT_TRUE(HiddenAt(ot, "망원1동", "no_need"));  // 4, to protect it
  EXPECT_EQ(At(ot, "망원1동", "contacted"), 4);
}

TEST(BuildReport, SummaryComparesWithThePreviousPeriodAndTheYearBefore) {
  ReportFacts before = Fixture();
  before.intake = {{Channel::kVisit, "welfare", 10}};
  ReportFacts year = Fixture();
  year.intake = {{Channel::kVisit, "welfare", 2}};  // small: hidden, no change shown
  const auto r = BuildReport(Params(ReportKind::kSummary), {Fixture(), before, year}, {}, {});
  const auto& t = TableOf(r, "summary");
  EXPECT_EQ(At(t, "접수", "current"), 14);
  EXPECT_EQ(At(t, "접수", "previous"), 10);
  EXPECT_EQ(At(t, "접수", "change_previous"), 40.0);
  EXPECT_TRUE(HiddenAt(t, "접수", "year_earlier"));
  EXPECT_EQ(At(t, "접수", "change_year"), std::nullopt);
  EXPECT_EQ(At(t, "해결률(기간 내 접수 기준)", "current"), 50.0);
  EXPECT_EQ(At(t, "연계 수락률", "current"), 62.5);
  EXPECT_EQ(At(t, "사각지대 가구 지원 연계", "current"), 3);
}

TEST(ReportDefinition, Validation) {
  ReportDefinition d;
  d.name = "  ";
  EXPECT_EQ(ValidateReportDefinition(d).error().details.at(0).code, "required");
  d.name = std::string(101, 'a');
  EXPECT_EQ(ValidateReportDefinition(d).error().details.at(0).code, "too_long");
  d.name = "월간 실적";
  EXPECT_TRUE(ValidateReportDefinition(d).ok());
  EXPECT_EQ(Parse<ReportSchedule>("monthly"), ReportSchedule::kMonthly);
}

}  // namespace
}  // namespace caredesk::core
