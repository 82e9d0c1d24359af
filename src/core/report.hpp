// Performance reports (실적 보고): every number a welfare manager is asked for, computed
// from the same records, reproducibly. A report is a kind, a period and a scope; the
// storage adapter counts (aggregates only, never a person), and this file turns the
// counts into tables, suppressing small cells so nobody can be re-identified. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/directory.hpp"
#include "core/result.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

using ReportDefinitionId = std::int64_t;
using ReportEditionId = std::int64_t;

enum class ReportKind {
  kSummary,        // the headline figures with month-over-month and year-over-year change
  kIntake,         // cases opened, by channel and by category
  kResolution,     // resolution rate, median and p90 days to resolution
  kOpenAge,        // cases open at the end of the period, by age
  kFollowUps,      // follow-ups due in the period: on time, late, overdue
  kWelfareChecks,  // welfare-check calls made and reached
  kReferrals,      // per agency: sent, acceptance rate, response time, outcome
  kEscalations,    // hand-overs to case management, missed-check escalations
  kOutreach,       // blind-spot households flagged, contacted, supported
};
std::string_view Code(ReportKind kind);
std::string_view LabelKo(ReportKind kind);
std::string_view LabelEn(ReportKind kind);
template <>
std::optional<ReportKind> Parse<ReportKind>(std::string_view code);
std::vector<ReportKind> AllReportKinds();

// Who and what a report counts. Empty fields: everything in the district.
struct ReportScope {
  std::optional<DongId> dong_id;
  std::optional<UserId> counselor_id;  // the case's counselor
  std::optional<std::string> category;  // primary category
  std::optional<Channel> channel;
  bool operator==(const ReportScope&) const = default;
};

// A period of whole KST days, both ends included.
struct ReportPeriod {
  Date from{};
  Date to{};
  bool operator==(const ReportPeriod&) const = default;
};
inline constexpr int kMaxReportPeriodDays = 5 * 366 + 1;

struct ReportParameters {
  ReportKind kind = ReportKind::kSummary;
  ReportPeriod period;
  ReportScope scope;
};

// 422 with every violation: a reversed or too long period, an unknown category.
Status ValidateReportParameters(const ReportParameters& p);

// The calendar month before the one `today` lies in (the monthly set's period).
ReportPeriod PreviousMonth(const Date& today);
// The period of the same length just before `p`, and the same dates a year earlier
// (29 February becomes 28 February).
ReportPeriod PreviousPeriod(const ReportPeriod& p);
ReportPeriod YearEarlier(const ReportPeriod& p);

// [from, to) in UTC time points: 00:00 KST of `from` to 00:00 KST of the day after `to`.
TimePoint PeriodStart(const ReportPeriod& p);
TimePoint PeriodEnd(const ReportPeriod& p);

// --- What storage counts ------------------------------------------------------------

// Which groups of facts a report needs, so storage counts nothing else.
enum ReportPart : unsigned {
  kPartIntake = 1U << 0U,
  kPartResolution = 1U << 1U,
  kPartOpenAge = 1U << 2U,
  kPartFollowUps = 1U << 3U,
  kPartWelfareChecks = 1U << 4U,
  kPartReferrals = 1U << 5U,
  kPartEscalations = 1U << 6U,
  kPartOutreach = 1U << 7U,
};
unsigned PartsOf(ReportKind kind);

struct ReportFactsQuery {
  TimePoint from;   // inclusive
  TimePoint to;     // exclusive
  TimePoint as_of;  // open follow-ups due before this are overdue
  ReportScope scope;
  unsigned parts = 0;
};

// How a follow-up due in the period went, as of the data-as-of time.
enum class FollowUpTiming { kOnTime, kLate, kOverdue, kPending, kCancelled };
std::string_view Code(FollowUpTiming t);

// Counts only: never a name, a text or a single case's identity.
struct ReportFacts {
  struct Intake {
    Channel channel = Channel::kVisit;
    std::string category;
    std::int64_t count = 0;
  };
  std::vector<Intake> intake;  // cases opened in the period
  // The cohort opened in the period and how many of it were resolved before its end.
  std::int64_t cohort_opened = 0;
  std::int64_t cohort_resolved = 0;
  // Cases resolved in the period by whole days from opening to resolution.
  std::map<int, std::int64_t> days_to_resolution;
  // Cases open at the end of the period by whole days since opening.
  std::map<int, std::int64_t> open_age_days;
  struct FollowUps {
    FollowUpKind kind = FollowUpKind::kCounseling;
    FollowUpTiming timing = FollowUpTiming::kOnTime;
    std::int64_t count = 0;
  };
  std::vector<FollowUps> follow_ups;  // due in the period
  // Welfare-check calls done in the period, by result.
  std::vector<std::pair<FollowUpResult, std::int64_t>> welfare_checks;
  struct Referrals {
    AgencyId agency_id = 0;
    ReferralStatus status = ReferralStatus::kSent;
    std::optional<int> response_hours;  // sent -> accepted / declined, whole hours
    bool answered_late = false;         // answered (or still not) after the acceptance deadline
    std::int64_t count = 0;
  };
  std::vector<Referrals> referrals;  // sent in the period
  std::vector<std::pair<DongId, std::int64_t>> case_management;  // escalations in the period
  std::int64_t missed_check_escalations = 0;
  struct Outreach {
    DongId dong_id = 0;
    std::int64_t flagged = 0;         // listed by a screening run made in the period
    std::int64_t contacted = 0;       // an outcome other than unreachable recorded in the period
    std::int64_t support_linked = 0;  // of those, support linked
    std::int64_t no_need = 0;
    std::int64_t unreachable = 0;
  };
  std::vector<Outreach> outreach;
};

// --- The tables -----------------------------------------------------------------------

// Cells with 1 or 2 cases are suppressed; see SuppressSmallCells.
inline constexpr std::int64_t kMinReportableCount = 3;

// kNumber: a figure of any unit (the summary), already suppressed where it must be.
enum class CellKind { kLabel, kCount, kPercent, kDays, kHours, kChange, kNumber };

struct ReportColumn {
  std::string code;
  std::string label_ko;
  std::string label_en;
  CellKind kind = CellKind::kCount;
  // Columns this one is computed from: hidden when any of them is hidden in the row.
  std::vector<int> depends_on;
  // The sum of the count columns before it in its row.
  bool row_total = false;
};

struct ReportCell {
  std::optional<double> value;  // none: not applicable (no base), or suppressed
  std::string text;             // labels, in Korean
  std::string text_en;          // labels, in English (empty: the Korean one)
  std::string code;             // the API code a label row stands for, if any
  bool suppressed = false;
};

struct ReportTable {
  std::string code;
  std::string title_ko;
  std::string title_en;
  std::vector<ReportColumn> columns;
  std::vector<std::vector<ReportCell>> rows;  // the last row is the total when has_total
  bool has_total = false;
  std::string note_ko;
};

struct Report {
  ReportParameters parameters;
  TimePoint data_as_of;
  std::vector<ReportTable> tables;
  int suppressed_cells = 0;
};

// Names the tables show for the ids in the facts.
struct ReportNames {
  std::map<DongId, std::string> dongs;
  std::map<AgencyId, std::string> agencies;
};

// The facts a kind needs for its period; a summary also needs the previous period's and
// the year-earlier period's.
struct ReportInputs {
  ReportFacts current;
  std::optional<ReportFacts> previous;
  std::optional<ReportFacts> year_earlier;
};

Report BuildReport(const ReportParameters& p, const ReportInputs& inputs, const ReportNames& names,
                   TimePoint data_as_of);

// The nearest-rank percentile (0 < q <= 1) of a histogram; nullopt when empty.
std::optional<int> HistogramPercentile(const std::map<int, std::int64_t>& histogram, double q);

// Suppresses every count cell of 1 or 2, then, in each count column with a total, one
// more cell (the smallest shown non-zero one) where only one would be hidden, so the
// total cannot give it away; rates and figures computed from a hidden count or from
// fewer than kMinReportableCount cases are hidden too (BuildReport does that). Returns
// how many cells it hid.
int SuppressSmallCells(ReportTable& table);

// --- Saved definitions and editions ------------------------------------------------------

enum class ReportSchedule { kNone, kMonthly };
std::string_view Code(ReportSchedule s);
template <>
std::optional<ReportSchedule> Parse<ReportSchedule>(std::string_view code);

struct ReportDefinition {
  ReportDefinitionId id = 0;
  DistrictId district_id = 0;
  std::string name;
  UserId owner_id = 0;
  ReportKind kind = ReportKind::kSummary;
  ReportScope scope;
  // Monthly definitions are produced on the 1st for the month before.
  ReportSchedule schedule = ReportSchedule::kNone;
  TimePoint created_at;
  std::int64_t version = 1;
};
inline constexpr std::size_t kMaxReportNameChars = 100;
Status ValidateReportDefinition(const ReportDefinition& d);

// An edition is produced once and never changed: the definition as it was, the period,
// the data-as-of time and the tables (stored as the API's JSON), with a SHA-256 of that
// JSON so a number quoted to the council can be traced to it.
struct ReportEdition {
  ReportEditionId id = 0;
  DistrictId district_id = 0;
  std::optional<ReportDefinitionId> definition_id;
  std::string definition_name;
  ReportParameters parameters;
  TimePoint data_as_of;
  TimePoint produced_at;
  UserId produced_by = 0;  // 0: the monthly job
  std::string content_json;
  std::string content_sha256;
};

}  // namespace caredesk::core
