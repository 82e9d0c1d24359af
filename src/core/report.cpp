#include "core/report.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <set>

#include "core/code_table.hpp"
#include "core/taxonomy.hpp"
#include "core/text.hpp"

namespace caredesk::core {
namespace {

struct KindRow {
  ReportKind value;
  std::string_view code;
  std::string_view label_ko;
  std::string_view label_en;
  unsigned parts;
};

constexpr unsigned kAllParts = kPartIntake | kPartResolution | kPartFollowUps |
                               kPartWelfareChecks | kPartReferrals | kPartEscalations |
                               kPartOutreach;

constexpr std::array kKinds = {
    KindRow{ReportKind::kSummary, "summary", "주요 실적 요약", "Summary", kAllParts},
    KindRow{ReportKind::kIntake, "intake", "경로·분야별 접수", "Intake by channel and category",
            kPartIntake},
    KindRow{ReportKind::kResolution, "resolution", "해결률과 해결 소요일",
            "Resolution rate and days to resolution", kPartResolution},
    KindRow{ReportKind::kOpenAge, "open_age", "미해결 사례 경과일", "Open cases by age",
            kPartOpenAge},
    KindRow{ReportKind::kFollowUps, "follow_ups", "후속조치 기한 준수",
            "Follow-ups on time and overdue", kPartFollowUps},
    KindRow{ReportKind::kWelfareChecks, "welfare_checks", "안부 확인 실적", "Welfare checks",
            kPartWelfareChecks},
    KindRow{ReportKind::kReferrals, "referrals", "기관별 연계 실적", "Referrals per agency",
            kPartReferrals},
    KindRow{ReportKind::kEscalations, "escalations", "사례관리 이관",
            "Escalations to case management", kPartEscalations},
    KindRow{ReportKind::kOutreach, "outreach", "복지 사각지대 발굴",
            "Blind-spot households reached", kPartOutreach},
};

const KindRow& KindOf(ReportKind kind) {
  for (const auto& row : kKinds) {
    if (row.value == kind) {
      return row;
    }
  }
  return kKinds[0];
}

constexpr std::array kTimings = {
    CodeRow<FollowUpTiming>{FollowUpTiming::kOnTime, "on_time", "기한 내 완료"},
    CodeRow<FollowUpTiming>{FollowUpTiming::kLate, "late", "기한 후 완료"},
    CodeRow<FollowUpTiming>{FollowUpTiming::kOverdue, "overdue", "기한 경과 미완료"},
    CodeRow<FollowUpTiming>{FollowUpTiming::kPending, "pending", "진행 중"},
    CodeRow<FollowUpTiming>{FollowUpTiming::kCancelled, "cancelled", "취소"},
};

constexpr std::array kSchedules = {
    CodeRow<ReportSchedule>{ReportSchedule::kNone, "none", "수동"},
    CodeRow<ReportSchedule>{ReportSchedule::kMonthly, "monthly", "매월 1일"},
};

// Korean and English names the tables show (the web app has its own for screens).
struct Names {
  std::string_view ko;
  std::string_view en;
};

Names ChannelNames(Channel c) {
  switch (c) {
    case Channel::kVisit:
      return {"방문", "Visit"};
    case Channel::kPhone:
      return {"전화", "Phone"};
    case Channel::kOnline:
      return {"온라인", "Online"};
    case Channel::kThirdParty:
      return {"제3자 신고", "Third-party report"};
    case Channel::kOutreach:
      return {"발굴", "Outreach"};
    case Channel::kAutomatedCheckIn:
      return {"자동 안부 확인", "Automated check-in"};
  }
  return {"", ""};
}

Names FollowUpKindNames(FollowUpKind k) {
  switch (k) {
    case FollowUpKind::kCounseling:
      return {"추가 상담", "Counseling"};
    case FollowUpKind::kWelfareCheck:
      return {"안부 확인", "Welfare check"};
    case FollowUpKind::kHomeVisit:
      return {"가정 방문", "Home visit"};
    case FollowUpKind::kResolutionCheck:
      return {"해결 확인", "Resolution check"};
    case FollowUpKind::kRelink:
      return {"재연계", "Re-link"};
    case FollowUpKind::kAssessment:
      return {"사례관리 초기 상담", "Assessment"};
  }
  return {"", ""};
}

Names ResultNames(FollowUpResult r) {
  switch (r) {
    case FollowUpResult::kReached:
      return {"연결됨", "Reached"};
    case FollowUpResult::kNotReached:
      return {"연결 안 됨", "Not reached"};
    case FollowUpResult::kResolved:
      return {"해결 확인", "Resolved"};
    case FollowUpResult::kNeedsEscalation:
      return {"조치 필요", "Needs escalation"};
  }
  return {"", ""};
}

// --- Cells ----------------------------------------------------------------------------

ReportColumn Col(std::string code, std::string ko, std::string en, CellKind kind,
                 std::vector<int> depends_on = {}, bool row_total = false) {
  ReportColumn c;
  c.code = std::move(code);
  c.label_ko = std::move(ko);
  c.label_en = std::move(en);
  c.kind = kind;
  c.depends_on = std::move(depends_on);
  c.row_total = row_total;
  return c;
}

ReportCell Label(std::string_view text) {
  ReportCell c;
  c.text = std::string(text);
  return c;
}

ReportCell Value(std::optional<double> v) {
  ReportCell c;
  c.value = v;
  return c;
}

ReportCell Count(std::int64_t n) { return Value(static_cast<double>(n)); }

ReportCell Hidden() {
  ReportCell c;
  c.suppressed = true;
  return c;
}

bool Small(std::int64_t n) { return n > 0 && n < kMinReportableCount; }

double Round1(double v) { return std::round(v * 10.0) / 10.0; }

// A percentage of `den`, none when there is no base.
std::optional<double> Percent(std::int64_t num, std::int64_t den) {
  if (den <= 0) {
    return std::nullopt;
  }
  return Round1(100.0 * static_cast<double>(num) / static_cast<double>(den));
}

std::int64_t Sum(const std::map<int, std::int64_t>& h) {
  std::int64_t n = 0;
  for (const auto& [k, v] : h) {
    n += v;
  }
  return n;
}

// The summary's figures: each is hidden when it is a small count or rests on one.
struct Figure {
  std::optional<double> value;
  bool hidden = false;
};

Figure CountFigure(std::int64_t n) {
  if (Small(n)) {
    return {std::nullopt, true};
  }
  return {static_cast<double>(n), false};
}

Figure RateFigure(std::int64_t num, std::int64_t den) {
  if (Small(num) || den < kMinReportableCount) {
    return {std::nullopt, den > 0};
  }
  return {Percent(num, den), false};
}

Figure MedianFigure(const std::map<int, std::int64_t>& h) {
  const std::int64_t n = Sum(h);
  if (n < kMinReportableCount) {
    return {std::nullopt, n > 0};
  }
  const auto p = HistogramPercentile(h, 0.5);
  return {p ? std::optional<double>(*p) : std::nullopt, false};
}

ReportCell CellOf(const Figure& f) {
  if (f.hidden) {
    return Hidden();
  }
  return Value(f.value);
}

std::optional<double> Change(const Figure& now, const Figure& before) {
  if (now.hidden || before.hidden || !now.value || !before.value || *before.value == 0) {
    return std::nullopt;
  }
  return Round1(100.0 * (*now.value - *before.value) / *before.value);
}

// --- Facts folded into the figures the tables show -------------------------------------

std::int64_t IntakeTotal(const ReportFacts& f) {
  std::int64_t n = 0;
  for (const auto& i : f.intake) {
    n += i.count;
  }
  return n;
}

struct FollowUpTotals {
  std::int64_t on_time = 0;
  std::int64_t late = 0;
  std::int64_t overdue = 0;
  std::int64_t pending = 0;
  std::int64_t cancelled = 0;
  void Add(FollowUpTiming t, std::int64_t n) {
    switch (t) {
      case FollowUpTiming::kOnTime:
        on_time += n;
        break;
      case FollowUpTiming::kLate:
        late += n;
        break;
      case FollowUpTiming::kOverdue:
        overdue += n;
        break;
      case FollowUpTiming::kPending:
        pending += n;
        break;
      case FollowUpTiming::kCancelled:
        cancelled += n;
        break;
    }
  }
  std::int64_t Due() const { return on_time + late + overdue; }
};

FollowUpTotals FollowUpsOf(const ReportFacts& f, std::optional<FollowUpKind> kind) {
  FollowUpTotals t;
  for (const auto& r : f.follow_ups) {
    if (!kind || r.kind == *kind) {
      t.Add(r.timing, r.count);
    }
  }
  return t;
}

struct CheckTotals {
  std::int64_t made = 0;
  std::int64_t reached = 0;  // a person answered: every result but "not reached"
};

CheckTotals ChecksOf(const ReportFacts& f) {
  CheckTotals t;
  for (const auto& [result, n] : f.welfare_checks) {
    t.made += n;
    if (result != FollowUpResult::kNotReached) {
      t.reached += n;
    }
  }
  return t;
}

struct ReferralTotals {
  std::int64_t sent = 0;
  std::int64_t accepted = 0;  // accepted, later completed or not
  std::int64_t declined = 0;
  std::int64_t completed = 0;
  std::int64_t waiting = 0;  // still not answered
  std::int64_t late = 0;
  std::map<int, std::int64_t> response_hours;
};

void AddReferral(ReferralTotals& t, const ReportFacts::Referrals& r) {
  t.sent += r.count;
  switch (r.status) {
    case ReferralStatus::kAccepted:
      t.accepted += r.count;
      break;
    case ReferralStatus::kCompleted:
      t.accepted += r.count;
      t.completed += r.count;
      break;
    case ReferralStatus::kDeclined:
      t.declined += r.count;
      break;
    case ReferralStatus::kSent:
      t.waiting += r.count;
      break;
    case ReferralStatus::kCancelled:
      break;
  }
  if (r.answered_late) {
    t.late += r.count;
  }
  if (r.response_hours) {
    t.response_hours[*r.response_hours] += r.count;
  }
}

ReferralTotals ReferralsOf(const ReportFacts& f) {
  ReferralTotals t;
  for (const auto& r : f.referrals) {
    AddReferral(t, r);
  }
  return t;
}

std::int64_t CaseManagementOf(const ReportFacts& f) {
  std::int64_t n = 0;
  for (const auto& [dong, count] : f.case_management) {
    n += count;
  }
  return n;
}

ReportFacts::Outreach OutreachOf(const ReportFacts& f) {
  ReportFacts::Outreach t;
  for (const auto& o : f.outreach) {
    t.flagged += o.flagged;
    t.contacted += o.contacted;
    t.support_linked += o.support_linked;
    t.no_need += o.no_need;
    t.unreachable += o.unreachable;
  }
  return t;
}

std::string NameOr(const std::map<std::int64_t, std::string>& names, std::int64_t id,
                   std::string_view prefix) {
  const auto it = names.find(id);
  return it != names.end() ? it->second : std::string(prefix) + " " + std::to_string(id);
}

// --- The tables of each kind --------------------------------------------------------------

ReportTable SummaryTable(const ReportInputs& in) {
  ReportTable t;
  t.code = "summary";
  t.title_ko = "주요 실적";
  t.title_en = "Headline figures";
  t.columns = {
      Col("measure", "지표", "Measure", CellKind::kLabel),
      Col("unit", "단위", "Unit", CellKind::kLabel),
      Col("current", "이번 기간", "This period", CellKind::kNumber),
      Col("previous", "직전 기간", "Previous period", CellKind::kNumber),
      Col("change_previous", "직전 대비 증감률(%)", "Change (%)", CellKind::kChange),
      Col("year_earlier", "전년 동기", "A year earlier", CellKind::kNumber),
      Col("change_year", "전년 대비 증감률(%)", "Year-over-year (%)", CellKind::kChange),
  };
  struct Measure {
    std::string_view ko;
    std::string_view en;
    std::string_view unit;
    Figure (*of)(const ReportFacts&);
  };
  static constexpr Measure kMeasures[] = {
      {"접수", "Cases opened", "건", [](const ReportFacts& f) { return CountFigure(IntakeTotal(f)); }},
      {"해결", "Cases resolved", "건",
       [](const ReportFacts& f) { return CountFigure(Sum(f.days_to_resolution)); }},
      {"해결률(기간 내 접수 기준)", "Resolution rate (cases opened)", "%",
       [](const ReportFacts& f) { return RateFigure(f.cohort_resolved, f.cohort_opened); }},
      {"해결 소요일 중앙값", "Median days to resolution", "일",
       [](const ReportFacts& f) { return MedianFigure(f.days_to_resolution); }},
      {"후속조치 기한 준수율", "Follow-ups done on time", "%",
       [](const ReportFacts& f) {
         const auto due = FollowUpsOf(f, std::nullopt);
         return RateFigure(due.on_time, due.Due());
       }},
      {"안부 확인 통화", "Welfare checks made", "건",
       [](const ReportFacts& f) { return CountFigure(ChecksOf(f).made); }},
      {"안부 확인 연결률", "Welfare checks reached", "%",
       [](const ReportFacts& f) {
         const auto checks = ChecksOf(f);
         return RateFigure(checks.reached, checks.made);
       }},
      {"기관 연계", "Referrals sent", "건",
       [](const ReportFacts& f) { return CountFigure(ReferralsOf(f).sent); }},
      {"연계 수락률", "Referral acceptance rate", "%",
       [](const ReportFacts& f) {
         const auto sent = ReferralsOf(f);
         return RateFigure(sent.accepted, sent.accepted + sent.declined);
       }},
      {"사례관리 이관", "Escalations to case management", "건",
       [](const ReportFacts& f) { return CountFigure(CaseManagementOf(f)); }},
      {"사각지대 가구 연락", "Blind-spot households contacted", "가구",
       [](const ReportFacts& f) { return CountFigure(OutreachOf(f).contacted); }},
      {"사각지대 가구 지원 연계", "Blind-spot households supported", "가구",
       [](const ReportFacts& f) { return CountFigure(OutreachOf(f).support_linked); }},
  };
  for (const auto& m : kMeasures) {
    const Figure now = m.of(in.current);
    const Figure prev = in.previous ? m.of(*in.previous) : Figure{};
    const Figure year = in.year_earlier ? m.of(*in.year_earlier) : Figure{};
    t.rows.push_back({Label(m.ko), Label(m.unit), CellOf(now), CellOf(prev),
                      Value(Change(now, prev)), CellOf(year), Value(Change(now, year))});
    t.rows.back()[0].text_en = std::string(m.en);
  }
  t.note_ko =
      "직전 기간은 같은 길이의 바로 앞 기간, 전년 동기는 1년 전 같은 날짜입니다. 3건 미만은 "
      "표시하지 않습니다.";
  return t;
}

std::vector<ReportTable> IntakeTables(const ReportFacts& f) {
  std::map<Channel, std::int64_t> by_channel;
  std::map<std::string, std::int64_t> by_category;
  for (const auto& i : f.intake) {
    by_channel[i.channel] += i.count;
    by_category[i.category] += i.count;
  }
  const std::int64_t total = IntakeTotal(f);
  auto shares = [&](ReportTable& t) {
    t.columns = {Col("label", t.columns.empty() ? "" : t.columns[0].label_ko, "", CellKind::kLabel),
                 Col("count", "접수(건)", "Cases", CellKind::kCount),
                 Col("share", "비율(%)", "Share (%)", CellKind::kPercent, {1})};
  };
  ReportTable channels;
  channels.code = "intake_by_channel";
  channels.title_ko = "경로별 접수";
  channels.title_en = "Intake by channel";
  shares(channels);
  channels.columns[0].label_ko = "접수 경로";
  channels.columns[0].label_en = "Channel";
  for (const Channel c : AllValues<Channel>()) {
    const auto n = by_channel[c];
    channels.rows.push_back({Label(ChannelNames(c).ko), Count(n), Value(Percent(n, total))});
    channels.rows.back()[0].text_en = std::string(ChannelNames(c).en);
    channels.rows.back()[0].code = std::string(Code(c));
  }
  channels.rows.push_back({Label("합계"), Count(total), Value(Percent(total, total))});
  channels.rows.back()[0].text_en = "Total";
  channels.has_total = true;

  ReportTable categories;
  categories.code = "intake_by_category";
  categories.title_ko = "분야별 접수(주 분야)";
  categories.title_en = "Intake by primary category";
  shares(categories);
  categories.columns[0].label_ko = "상담 분야";
  categories.columns[0].label_en = "Category";
  std::set<std::string> seen;
  auto add_category = [&](const std::string& code) {
    const auto n = by_category.count(code) ? by_category[code] : 0;
    const auto info = FindCategory(code);
    categories.rows.push_back(
        {Label(info ? info->label_ko : code), Count(n), Value(Percent(n, total))});
    categories.rows.back()[0].text_en = info ? std::string(info->label_en) : code;
    categories.rows.back()[0].code = code;
    seen.insert(code);
  };
  for (const auto& info : Categories()) {
    add_category(std::string(info.code));
  }
  for (const auto& [code, n] : by_category) {
    if (!seen.count(code)) {
      add_category(code);
    }
  }
  categories.rows.push_back({Label("합계"), Count(total), Value(Percent(total, total))});
  categories.rows.back()[0].text_en = "Total";
  categories.has_total = true;
  return {channels, categories};
}

struct Bucket {
  int from;
  int to;  // inclusive; INT_MAX: open-ended
  std::string_view ko;
  std::string_view en;
};

ReportTable BucketTable(std::string code, std::string title_ko, std::string title_en,
                        std::string count_ko, const std::map<int, std::int64_t>& h,
                        std::span<const Bucket> buckets) {
  ReportTable t;
  t.code = std::move(code);
  t.title_ko = std::move(title_ko);
  t.title_en = std::move(title_en);
  t.columns = {Col("days", "경과일", "Days", CellKind::kLabel),
               Col("count", std::move(count_ko), "Cases", CellKind::kCount),
               Col("share", "비율(%)", "Share (%)", CellKind::kPercent, {1})};
  const std::int64_t total = Sum(h);
  for (const auto& b : buckets) {
    std::int64_t n = 0;
    for (auto it = h.lower_bound(b.from); it != h.end() && it->first <= b.to; ++it) {
      n += it->second;
    }
    t.rows.push_back({Label(b.ko), Count(n), Value(Percent(n, total))});
    t.rows.back()[0].text_en = std::string(b.en);
  }
  t.rows.push_back({Label("합계"), Count(total), Value(Percent(total, total))});
  t.rows.back()[0].text_en = "Total";
  t.has_total = true;
  return t;
}

constexpr int kOpenEnded = 1 << 30;

std::vector<ReportTable> ResolutionTables(const ReportFacts& f) {
  ReportTable t;
  t.code = "resolution";
  t.title_ko = "해결률과 해결 소요일";
  t.title_en = "Resolution";
  t.columns = {
      Col("scope", "구분", "", CellKind::kLabel),
      Col("opened", "기간 내 접수(건)", "Opened", CellKind::kCount),
      Col("opened_resolved", "그중 기간 내 해결(건)", "Of which resolved", CellKind::kCount),
      Col("resolution_rate", "해결률(%)", "Resolution rate (%)", CellKind::kPercent, {1, 2}),
      Col("resolved", "기간 내 해결(건)", "Resolved in the period", CellKind::kCount),
      Col("median_days", "소요일 중앙값", "Median days", CellKind::kDays, {4}),
      Col("p90_days", "소요일 90백분위", "90th percentile days", CellKind::kDays, {4}),
  };
  const std::int64_t resolved = Sum(f.days_to_resolution);
  const auto days = [&](double q) -> std::optional<double> {
    if (resolved < kMinReportableCount) {
      return std::nullopt;
    }
    const auto p = HistogramPercentile(f.days_to_resolution, q);
    return p ? std::optional<double>(*p) : std::nullopt;
  };
  t.rows.push_back({Label("전체"), Count(f.cohort_opened), Count(f.cohort_resolved),
                    Value(f.cohort_opened < kMinReportableCount
                              ? std::nullopt
                              : Percent(f.cohort_resolved, f.cohort_opened)),
                    Count(resolved), Value(days(0.5)), Value(days(0.9))});
  t.rows.back()[0].text_en = "All";
  t.note_ko =
      "해결률은 기간 안에 접수되어 기간 안에 해결된 사례의 비율입니다. 소요일은 기간 안에 "
      "해결된 사례의 접수부터 해결까지 일수입니다.";
  static constexpr Bucket kBuckets[] = {
      {0, 1, "1일 이내", "Within 1 day"},      {2, 7, "2~7일", "2-7 days"},
      {8, 14, "8~14일", "8-14 days"},         {15, 30, "15~30일", "15-30 days"},
      {31, 90, "31~90일", "31-90 days"},      {91, kOpenEnded, "91일 이상", "91 days or more"},
  };
  return {t, BucketTable("days_to_resolution", "해결 소요일 분포", "Days to resolution",
                         "해결(건)", f.days_to_resolution, kBuckets)};
}

std::vector<ReportTable> OpenAgeTables(const ReportFacts& f) {
  static constexpr Bucket kBuckets[] = {
      {0, 7, "7일 이내", "Up to 7 days"},        {8, 30, "8~30일", "8-30 days"},
      {31, 90, "31~90일", "31-90 days"},        {91, 180, "91~180일", "91-180 days"},
      {181, 365, "181~365일", "181-365 days"},  {366, kOpenEnded, "1년 초과", "Over a year"},
  };
  auto t = BucketTable("open_age", "기간 말 미해결 사례의 접수 후 경과일", "Open cases by age",
                       "미해결(건)", f.open_age_days, kBuckets);
  t.note_ko = "기간 마지막 날 끝에 해결·종결되지 않은 사례를 접수일부터 센 일수로 나눕니다.";
  return {t};
}

std::vector<ReportTable> FollowUpTables(const ReportFacts& f) {
  ReportTable t;
  t.code = "follow_ups";
  t.title_ko = "기한이 기간 안에 있는 후속조치";
  t.title_en = "Follow-ups due in the period";
  t.columns = {
      Col("kind", "후속조치", "Follow-up", CellKind::kLabel),
      Col("on_time", "기한 내 완료", "Done on time", CellKind::kCount),
      Col("late", "기한 후 완료", "Done late", CellKind::kCount),
      Col("overdue", "기한 경과 미완료", "Overdue", CellKind::kCount),
      Col("pending", "기한 전 진행 중", "Not yet due", CellKind::kCount),
      Col("total", "합계", "Total", CellKind::kCount, {}, true),
      Col("on_time_rate", "기한 준수율(%)", "On time (%)", CellKind::kPercent, {1, 2, 3}),
  };
  auto row = [&](std::string_view ko, std::string_view en, const FollowUpTotals& s) {
    t.rows.push_back({Label(ko), Count(s.on_time), Count(s.late), Count(s.overdue),
                      Count(s.pending), Count(s.Due() + s.pending),
                      Value(s.Due() < kMinReportableCount ? std::nullopt
                                                          : Percent(s.on_time, s.Due()))});
    t.rows.back()[0].text_en = std::string(en);
  };
  for (const FollowUpKind k : AllValues<FollowUpKind>()) {
    row(FollowUpKindNames(k).ko, FollowUpKindNames(k).en, FollowUpsOf(f, k));
    t.rows.back()[0].code = std::string(Code(k));
  }
  row("합계", "Total", FollowUpsOf(f, std::nullopt));
  t.has_total = true;
  t.note_ko = "취소된 후속조치는 세지 않습니다. 기한 경과 여부는 자료 기준 시각으로 판단합니다.";
  return {t};
}

std::vector<ReportTable> WelfareCheckTables(const ReportFacts& f) {
  ReportTable t;
  t.code = "welfare_checks";
  t.title_ko = "안부 확인 통화 결과";
  t.title_en = "Welfare-check calls by result";
  t.columns = {Col("result", "결과", "Result", CellKind::kLabel),
               Col("count", "통화(건)", "Calls", CellKind::kCount),
               Col("share", "비율(%)", "Share (%)", CellKind::kPercent, {1})};
  const auto totals = ChecksOf(f);
  for (const FollowUpResult r : AllValues<FollowUpResult>()) {
    std::int64_t n = 0;
    for (const auto& [result, count] : f.welfare_checks) {
      if (result == r) {
        n += count;
      }
    }
    t.rows.push_back({Label(ResultNames(r).ko), Count(n), Value(Percent(n, totals.made))});
    t.rows.back()[0].text_en = std::string(ResultNames(r).en);
    t.rows.back()[0].code = std::string(Code(r));
  }
  t.rows.push_back({Label("합계"), Count(totals.made), Value(Percent(totals.made, totals.made))});
  t.rows.back()[0].text_en = "Total";
  t.has_total = true;

  ReportTable reach;
  reach.code = "welfare_check_reach";
  reach.title_ko = "안부 확인 연결률";
  reach.title_en = "Welfare checks reached";
  reach.columns = {Col("scope", "구분", "", CellKind::kLabel),
                   Col("made", "통화(건)", "Calls made", CellKind::kCount),
                   Col("reached", "연결(건)", "Reached", CellKind::kCount),
                   Col("reach_rate", "연결률(%)", "Reached (%)", CellKind::kPercent, {1, 2})};
  reach.rows.push_back({Label("전체"), Count(totals.made), Count(totals.reached),
                        Value(totals.made < kMinReportableCount
                                  ? std::nullopt
                                  : Percent(totals.reached, totals.made))});
  reach.rows.back()[0].text_en = "All";
  reach.note_ko = "연결은 \"연결 안 됨\"을 뺀 모든 결과(연결됨, 해결 확인, 조치 필요)입니다.";
  return {t, reach};
}

std::vector<ReportTable> ReferralTables(const ReportFacts& f, const ReportNames& names) {
  ReportTable t;
  t.code = "referrals";
  t.title_ko = "기관별 연계";
  t.title_en = "Referrals per agency";
  t.columns = {
      Col("agency", "기관", "Agency", CellKind::kLabel),
      Col("sent", "의뢰(건)", "Sent", CellKind::kCount),
      Col("accepted", "수락", "Accepted", CellKind::kCount),
      Col("declined", "거절", "Declined", CellKind::kCount),
      Col("waiting", "응답 대기", "Not answered", CellKind::kCount),
      Col("completed", "서비스 완료", "Completed", CellKind::kCount),
      Col("acceptance_rate", "수락률(%)", "Acceptance (%)", CellKind::kPercent, {2, 3}),
      Col("median_response_hours", "응답 시간 중앙값(시간)", "Median response (hours)",
          CellKind::kHours, {2, 3}),
      Col("late", "응답 기한 초과", "Answered late", CellKind::kCount),
  };
  std::map<AgencyId, ReferralTotals> per_agency;
  for (const auto& r : f.referrals) {
    AddReferral(per_agency[r.agency_id], r);
  }
  auto row = [&](std::string label, const ReferralTotals& s) {
    const std::int64_t answered = s.accepted + s.declined;
    const std::int64_t timed = Sum(s.response_hours);
    std::optional<double> median;
    if (timed >= kMinReportableCount) {
      if (const auto p = HistogramPercentile(s.response_hours, 0.5)) {
        median = *p;
      }
    }
    t.rows.push_back({Label(label), Count(s.sent), Count(s.accepted), Count(s.declined),
                      Count(s.waiting), Count(s.completed),
                      Value(answered < kMinReportableCount ? std::nullopt
                                                           : Percent(s.accepted, answered)),
                      Value(median), Count(s.late)});
  };
  std::vector<std::pair<std::string, const ReferralTotals*>> rows;
  for (const auto& [agency, totals] : per_agency) {
    rows.emplace_back(NameOr(names.agencies, agency, "기관"), &totals);
  }
  std::sort(rows.begin(), rows.end());
  for (const auto& [label, totals] : rows) {
    row(label, *totals);
  }
  row("합계", ReferralsOf(f));
  t.rows.back()[0].text_en = "Total";
  t.has_total = true;
  t.note_ko =
      "기간 안에 보낸 연계입니다. 수락률은 응답한 연계 중 수락한 비율, 응답 시간은 의뢰부터 "
      "수락·거절까지입니다.";
  return {t};
}

std::vector<ReportTable> EscalationTables(const ReportFacts& f, const ReportNames& names) {
  ReportTable t;
  t.code = "case_management";
  t.title_ko = "동별 사례관리 이관";
  t.title_en = "Escalations to case management per dong";
  t.columns = {Col("dong", "동", "Dong", CellKind::kLabel),
               Col("count", "이관(건)", "Escalations", CellKind::kCount)};
  std::vector<std::pair<std::string, std::int64_t>> rows;
  for (const auto& [dong, n] : f.case_management) {
    rows.emplace_back(NameOr(names.dongs, dong, "동"), n);
  }
  std::sort(rows.begin(), rows.end());
  for (const auto& [label, n] : rows) {
    t.rows.push_back({Label(label), Count(n)});
  }
  t.rows.push_back({Label("합계"), Count(CaseManagementOf(f))});
  t.rows.back()[0].text_en = "Total";
  t.has_total = true;

  ReportTable missed;
  missed.code = "missed_checks";
  missed.title_ko = "안부 확인 2회 연속 미연결로 긴급 전환";
  missed.title_en = "Escalated after two missed welfare checks";
  missed.columns = {Col("scope", "구분", "", CellKind::kLabel),
                    Col("count", "전환(건)", "Escalations", CellKind::kCount)};
  missed.rows.push_back({Label("전체"), Count(f.missed_check_escalations)});
  missed.rows.back()[0].text_en = "All";
  return {t, missed};
}

std::vector<ReportTable> OutreachTables(const ReportFacts& f, const ReportNames& names) {
  ReportTable t;
  t.code = "outreach";
  t.title_ko = "동별 복지 사각지대 발굴";
  t.title_en = "Blind-spot households per dong";
  t.columns = {
      Col("dong", "동", "Dong", CellKind::kLabel),
      Col("flagged", "발굴 대상(가구)", "Flagged", CellKind::kCount),
      Col("contacted", "연락됨", "Contacted", CellKind::kCount),
      Col("support_linked", "지원 연계", "Support linked", CellKind::kCount),
      Col("no_need", "지원 불필요", "No need", CellKind::kCount),
      Col("unreachable", "연락 안 됨", "Unreachable", CellKind::kCount),
  };
  auto row = [&](std::string label, const ReportFacts::Outreach& o) {
    t.rows.push_back({Label(label), Count(o.flagged), Count(o.contacted), Count(o.support_linked),
                      Count(o.no_need), Count(o.unreachable)});
  };
  std::vector<std::pair<std::string, ReportFacts::Outreach>> rows;
  for (const auto& o : f.outreach) {
    rows.emplace_back(NameOr(names.dongs, o.dong_id, "동"), o);
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [label, o] : rows) {
    row(label, o);
  }
  row("합계", OutreachOf(f));
  t.rows.back()[0].text_en = "Total";
  t.has_total = true;
  t.note_ko =
      "발굴 대상은 기간 안에 실행한 선별의 목록, 결과는 기간 안에 기록된 것입니다(가구 수).";
  return {t};
}

template <typename T, typename Table>
std::string_view CodeOf(const Table& table, T value) {
  return RowOf(table, value).code;
}

}  // namespace

std::string_view Code(ReportKind kind) { return KindOf(kind).code; }
std::string_view LabelKo(ReportKind kind) { return KindOf(kind).label_ko; }
std::string_view LabelEn(ReportKind kind) { return KindOf(kind).label_en; }
template <>
std::optional<ReportKind> Parse<ReportKind>(std::string_view code) {
  for (const auto& row : kKinds) {
    if (row.code == code) {
      return row.value;
    }
  }
  return std::nullopt;
}
std::vector<ReportKind> AllReportKinds() {
  std::vector<ReportKind> out;
  for (const auto& row : kKinds) {
    out.push_back(row.value);
  }
  return out;
}
unsigned PartsOf(ReportKind kind) { return KindOf(kind).parts; }

std::string_view Code(FollowUpTiming t) { return CodeOf(kTimings, t); }
std::string_view Code(ReportSchedule s) { return CodeOf(kSchedules, s); }
template <>
std::optional<ReportSchedule> Parse<ReportSchedule>(std::string_view code) {
  return ParseIn<ReportSchedule>(kSchedules, code);
}

Status ValidateReportParameters(const ReportParameters& p) {
  std::vector<FieldViolation> v;
  if (p.period.to < p.period.from) {
    v.push_back({"to", "before_from", "The period ends before it starts.",
                 "기간의 끝이 시작보다 앞섭니다."});
  } else if (DaysBetween(p.period.from, p.period.to) + 1 > kMaxReportPeriodDays) {
    v.push_back({"to", "too_long", "A report covers at most five years.",
                 "보고서 기간은 5년을 넘을 수 없습니다."});
  }
  if (p.scope.category && !FindCategory(*p.scope.category)) {
    // Sub-categories are not report scopes: they roll up into their category.
    v.push_back({"category", "unknown", "Unknown category.", "알 수 없는 상담 분야입니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return {};
}

ReportPeriod PreviousMonth(const Date& today) {
  Date first{today.year, today.month, 1};
  const Date last = AddDays(first, -1);
  return {Date{last.year, last.month, 1}, last};
}

ReportPeriod PreviousPeriod(const ReportPeriod& p) {
  const int days = DaysBetween(p.from, p.to) + 1;
  // Whole calendar months map to the month(s) before, not to the same number of days.
  const bool whole_months =
      p.from.day == 1 && AddDays(p.to, 1).day == 1;
  if (whole_months) {
    const int months = (p.to.year - p.from.year) * 12 + (p.to.month - p.from.month) + 1;
    int y = p.from.year;
    int m = p.from.month - months;
    while (m < 1) {
      m += 12;
      --y;
    }
    return {Date{y, m, 1}, AddDays(p.from, -1)};
  }
  return {AddDays(p.from, -days), AddDays(p.from, -1)};
}

ReportPeriod YearEarlier(const ReportPeriod& p) {
  auto back = [](const Date& d) {
    Date out{d.year - 1, d.month, d.day};
    if (!IsValidDate(out)) {
      out.day = 28;  // 29 February
    }
    return out;
  };
  return {back(p.from), back(p.to)};
}

TimePoint PeriodStart(const ReportPeriod& p) {
  using namespace std::chrono;
  const sys_days day{year{p.from.year} / month{static_cast<unsigned>(p.from.month)} /
                     static_cast<unsigned>(p.from.day)};
  return TimePoint{day} - hours{9};
}

TimePoint PeriodEnd(const ReportPeriod& p) {
  using namespace std::chrono;
  const sys_days day{year{p.to.year} / month{static_cast<unsigned>(p.to.month)} /
                     static_cast<unsigned>(p.to.day)};
  return TimePoint{day} + days{1} - hours{9};
}

std::optional<int> HistogramPercentile(const std::map<int, std::int64_t>& histogram, double q) {
  const std::int64_t n = Sum(histogram);
  if (n == 0) {
    return std::nullopt;
  }
  // Nearest rank: the smallest value with at least ceil(q * n) values at or below it.
  const auto rank = std::max<std::int64_t>(
      1, static_cast<std::int64_t>(std::ceil(q * static_cast<double>(n) - 1e-9)));
  std::int64_t seen = 0;
  for (const auto& [value, count] : histogram) {
    seen += count;
    if (seen >= rank) {
      return value;
    }
  }
  return histogram.rbegin()->first;
}

int SuppressSmallCells(ReportTable& table) {
  int hidden = 0;
  auto hide = [&](ReportCell& c) {
    if (!c.suppressed) {
      c.suppressed = true;
      c.value.reset();
      ++hidden;
    }
  };
  auto count_value = [](const ReportCell& c) -> std::int64_t {
    return c.value ? static_cast<std::int64_t>(*c.value) : 0;
  };
  const std::size_t cols = table.columns.size();
  // Primary suppression.
  for (auto& row : table.rows) {
    for (std::size_t c = 0; c < cols && c < row.size(); ++c) {
      if (table.columns[c].kind == CellKind::kCount && !row[c].suppressed &&
          Small(count_value(row[c]))) {
        hide(row[c]);
      }
    }
  }
  // Complementary suppression: a total minus the shown cells must not give a hidden one
  // away. Hiding one more cell in a column can expose a row, so repeat until stable.
  const std::size_t body_rows =
      table.has_total && !table.rows.empty() ? table.rows.size() - 1 : table.rows.size();
  bool changed = true;
  while (changed) {
    changed = false;
    auto protect = [&](std::vector<ReportCell*> cells, ReportCell* total) {
      if (total == nullptr || total->suppressed) {
        return;
      }
      int hidden_here = 0;
      ReportCell* smallest = nullptr;
      for (ReportCell* c : cells) {
        if (c->suppressed) {
          ++hidden_here;
        } else if (count_value(*c) > 0 &&
                   (smallest == nullptr || count_value(*c) < count_value(*smallest))) {
          smallest = c;
        }
      }
      if (hidden_here != 1) {
        return;
      }
      hide(smallest != nullptr ? *smallest : *total);
      changed = true;
    };
    if (table.has_total) {
      for (std::size_t c = 0; c < cols; ++c) {
        if (table.columns[c].kind != CellKind::kCount) {
          continue;
        }
        std::vector<ReportCell*> cells;
        for (std::size_t r = 0; r < body_rows; ++r) {
          cells.push_back(&table.rows[r][c]);
        }
        protect(cells, &table.rows.back()[c]);
      }
    }
    for (auto& row : table.rows) {
      for (std::size_t c = 0; c < cols; ++c) {
        if (!table.columns[c].row_total) {
          continue;
        }
        std::vector<ReportCell*> parts;
        for (std::size_t p = 0; p < c; ++p) {
          if (table.columns[p].kind == CellKind::kCount && !table.columns[p].row_total) {
            parts.push_back(&row[p]);
          }
        }
        protect(parts, &row[c]);
      }
    }
  }
  // A rate, median or share computed from a hidden count would give it away.
  for (auto& row : table.rows) {
    for (std::size_t c = 0; c < cols; ++c) {
      for (const int base : table.columns[c].depends_on) {
        if (static_cast<std::size_t>(base) < row.size() && row[base].suppressed) {
          hide(row[c]);
        }
      }
    }
  }
  return hidden;
}

Report BuildReport(const ReportParameters& p, const ReportInputs& in, const ReportNames& names,
                   TimePoint data_as_of) {
  Report r;
  r.parameters = p;
  r.data_as_of = data_as_of;
  const ReportFacts& f = in.current;
  switch (p.kind) {
    case ReportKind::kSummary:
      r.tables = {SummaryTable(in)};
      break;
    case ReportKind::kIntake:
      r.tables = IntakeTables(f);
      break;
    case ReportKind::kResolution:
      r.tables = ResolutionTables(f);
      break;
    case ReportKind::kOpenAge:
      r.tables = OpenAgeTables(f);
      break;
    case ReportKind::kFollowUps:
      r.tables = FollowUpTables(f);
      break;
    case ReportKind::kWelfareChecks:
      r.tables = WelfareCheckTables(f);
      break;
    case ReportKind::kReferrals:
      r.tables = ReferralTables(f, names);
      break;
    case ReportKind::kEscalations:
      r.tables = EscalationTables(f, names);
      break;
    case ReportKind::kOutreach:
      r.tables = OutreachTables(f, names);
      break;
  }
  for (auto& t : r.tables) {
    r.suppressed_cells += SuppressSmallCells(t);
    for (const auto& row : t.rows) {
      for (const auto& c : row) {
        if (c.suppressed && p.kind == ReportKind::kSummary) {
          ++r.suppressed_cells;  // the summary hides its cells as it builds them
        }
      }
    }
  }
  return r;
}

Status ValidateReportDefinition(const ReportDefinition& d) {
  std::vector<FieldViolation> v;
  const auto name = Trim(d.name);
  if (name.empty()) {
    v.push_back({"name", "required", "A name is required.", "이름을 입력하세요."});
  } else {
    CheckText(v, "name", name, kMaxReportNameChars);
  }
  if (d.scope.category && !FindCategory(*d.scope.category)) {
    v.push_back({"scope.category", "unknown", "Unknown category.", "알 수 없는 상담 분야입니다."});
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return {};
}

}  // namespace caredesk::core
