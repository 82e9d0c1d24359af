// Welfare blind-spot screening (복지 사각지대 발굴): which households that agencies'
// risk indicators point at should a dong contact first, and why.
//
// The model is additive and explainable: every point a household gets comes with
// a reason a counselor can read. It is built to rank the short-but-many pattern
// high — several kinds of distress at once, recently, each too small for a rule —
// above one old, long-running signal (DOMAIN.md: the family the rule missed).
// Weights and rules are data (ScreeningModel) an admin edits; every run records
// the version it used. Pure: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/case.hpp"
#include "core/identity.hpp"
#include "core/result.hpp"
#include "core/working_days.hpp"

namespace caredesk::core {

// The kinds of distress. Breadth — how many different ones at once — is what
// the rule-based screening misses.
enum class RiskDomain { kIncome, kDebt, kHousing, kUtilities, kHealth, kIsolation };
std::string_view Code(RiskDomain d);
std::string_view KoreanName(RiskDomain d);
template <>
std::optional<RiskDomain> Parse<RiskDomain>(std::string_view code);
template <>
std::vector<RiskDomain> AllValues<RiskDomain>();

// One kind of risk indicator (위기 정보) an agency sends.
struct IndicatorDefinition {
  std::string code;     // "health_insurance_arrears"
  std::string name_ko;  // "건강보험료"
  RiskDomain domain = RiskDomain::kIncome;
  bool arrears = false;  // read as "N개월 체납"; the plain rule counts only these
  double weight = 0;     // points of a fresh signal
  // A long-lasting signal weighs more, but only a little (and at most up to
  // max_months): duration alone must not outrank breadth.
  double per_month = 0;
  int max_months = 12;
};

// The weights and rules. Version 1 is DefaultScreeningModel(); an admin's edit
// is saved as the next version.
struct ScreeningModel {
  int version = 1;
  std::vector<IndicatorDefinition> indicators;
  int recent_days = 90;        // a signal this young counts in full and towards breadth
  int half_life_days = 90;     // beyond recent_days a signal halves every half_life_days
  int lookback_days = 730;     // older signals are ignored
  double same_domain_factor = 0.5;  // a second signal of a domain already counted
  // Points by the number of different domains with a recent signal (index = count;
  // counts past the end use the last entry).
  std::vector<double> breadth_points = {0, 0, 15, 30, 45, 55, 60};
  // Vulnerability multiplies the signals (it never flags a household alone).
  int elderly_age = 65;
  double elderly = 0.25;
  double living_alone = 0.2;
  double middle_aged_alone = 0.15;  // 50-64 and living alone (the 나비남 outreach)
  double disability = 0.2;
  int large_household_members = 4;  // a proxy for children in the household
  double large_household = 0.1;
  double fragile_housing = 0.2;  // semi-basement, rooftop, gosiwon, vinyl house, shelter
  // History.
  double earlier_flag = 8;        // per earlier listing that linked no support
  int max_earlier_flags = 3;
  double unsupported_consultation = 40;  // consulted within history_days, no support linked
  int history_days = 365;
  double unreachable_before = 10;  // an earlier outreach could not reach them
  int no_need_days = 180;
  double no_need_recent = -25;       // judged "no need" recently and nothing new since
  double new_after_no_need = 15;     // ... but new signals arrived after that judgement
};

ScreeningModel DefaultScreeningModel();
// Every violation at once: unknown or duplicate codes, negative or absurd weights.
Status ValidateScreeningModel(const ScreeningModel& model);
const IndicatorDefinition* FindIndicator(const ScreeningModel& model, std::string_view code);

// What households.csv says about a household.
struct ScreenedHousehold {
  std::string household_id;
  std::string dong;  // as the file names it
  int head_birth_year = 0;
  int members = 1;
  bool living_alone = false;
  bool disability = false;
  HousingType housing = HousingType::kOther;
};

// One row of indicators.csv.
struct RiskSignal {
  std::string household_id;
  std::string indicator;
  int months = 0;  // how long it has lasted; 0 where that does not apply
  std::int64_t amount_krw = 0;
  Date reported_on{};
};

// What the screening found and did before, and what the desk knows.
enum class OutreachOutcome { kContacted, kUnreachable, kSupportLinked, kNoNeed };
std::string_view Code(OutreachOutcome o);
template <>
std::optional<OutreachOutcome> Parse<OutreachOutcome>(std::string_view code);
template <>
std::vector<OutreachOutcome> AllValues<OutreachOutcome>();
// Why a household needed nothing (coded, for the funnel report).
inline constexpr std::string_view kNoNeedReasons[] = {
    "already_supported", "recovered", "declined", "moved_away", "false_signal", "other"};
bool IsNoNeedReason(std::string_view code);

struct HouseholdHistory {
  int earlier_flags_unsupported = 0;  // listed before, no support linked
  std::optional<Date> last_unsupported_consultation;  // consulted, nothing linked
  std::optional<OutreachOutcome> last_outcome;
  std::optional<Date> last_outcome_on;
  bool under_management = false;  // an open case already: shown as such, not listed as new
  std::optional<CaseId> open_case;  // that case (the newest, if several)
};

struct ScoreReason {
  std::string code;  // indicator code, "breadth", "vulnerability", "history_…"
  std::string text_ko;
  double points = 0;  // what it added (for the multiplier: what it added in points)
};

struct HouseholdScore {
  double score = 0;
  int recent_domains = 0;
  std::vector<ScoreReason> reasons;  // largest first
  // "건강보험료 2개월 체납 + 전기요금 1개월 체납 + …: 서로 다른 위기 영역 3개가 최근 90일에 동시 발생"
  std::string summary_ko;
};

// Signals of other households and of unknown indicators are ignored; several
// reports of one indicator count once (the strongest: agencies re-send a
// signal each batch as it grows).
HouseholdScore ScoreHousehold(const ScreeningModel& model, const ScreenedHousehold& household,
                              std::span<const RiskSignal> signals, const HouseholdHistory& history,
                              Date as_of);

// The plain rule the national screening is often reduced to: any arrears of
// `months` months or more. Returns the longest such arrears (0: not flagged).
int RuleBaselineMonths(const ScreeningModel& model, std::span<const RiskSignal> signals,
                       int months = 3);

// A household as stored: the file's facts and the dong they name.
struct StoredHousehold {
  ScreenedHousehold household;
  DongId dong_id = 0;
};

// One household ready to be ranked.
struct ScreeningCandidate {
  std::string household_id;
  std::string dong;
  double score = 0;
  bool under_management = false;
  bool raised_again = false;  // screened before, found "no need" or unreachable
  std::optional<CaseId> open_case;  // under management: the case that looks after it
  StoredHousehold facts;      // carried along for the outreach list
};

struct OutreachEntry {
  std::size_t candidate = 0;  // index into the candidates
  int rank = 0;               // 1-based within its dong
};

// Each dong's outreach list: its top `capacity` by score (ties by household id)
// among households not under management.
std::vector<OutreachEntry> RankOutreach(std::span<const ScreeningCandidate> candidates,
                                        int capacity_per_dong);


// --- Streaming selection -----------------------------------------------------

// RankOutreach over a stream: keeps each dong's best `capacity` households (with
// their scores) while millions go past, and the households under management
// that would have made the list. Ties go to the smaller household id.
class OutreachSelector {
 public:
  explicit OutreachSelector(int capacity_per_dong) : capacity_(capacity_per_dong) {}
  void Offer(const ScreeningCandidate& candidate, HouseholdScore score);
  struct Selected {
    ScreeningCandidate candidate;
    HouseholdScore score;
    int rank = 0;  // 1-based within the dong; 0 for households under management
  };
  // Each dong's list best first, then its households under management.
  std::vector<Selected> Finish();
  std::int64_t offered() const { return offered_; }

 private:
  int capacity_;
  std::int64_t offered_ = 0;
  std::map<std::string, std::vector<Selected>> listed_;   // per dong: a min-heap
  std::map<std::string, std::vector<Selected>> managed_;  // per dong
};

// --- Runs, outreach lists and outcomes ---------------------------------------

using ScreeningRunId = std::int64_t;
using OutreachFlagId = std::int64_t;

// One `caredesk screen import`, as recorded.
struct ScreeningImport {
  std::int64_t id = 0;
  DistrictId district_id = 0;
  TimePoint imported_at;
  std::string imported_by;  // who ran it (the operating-system user of the CLI)
  std::string source;       // the file names
  std::int64_t households = 0;
  std::int64_t signals = 0;
  std::int64_t skipped = 0;  // bad rows, reported and left out
  std::vector<Date> batches;  // the reported_on dates replaced
};

struct ScreeningRun {
  ScreeningRunId id = 0;
  DistrictId district_id = 0;
  int model_version = 1;
  Date as_of{};
  int capacity_per_dong = 0;
  UserId created_by = 0;
  TimePoint created_at;
  std::int64_t households_scored = 0;
  std::int64_t listed = 0;
  std::int64_t raised_again = 0;
  std::int64_t under_management = 0;
  std::int64_t cases_created = 0;
};

// How a household is on a run's list.
enum class FlagState {
  kListed,           // new on the list: an outreach case was opened
  kRaisedAgain,      // listed again after "no need" or "unreachable", with that history
  kUnderManagement,  // would be listed, but an open case already looks after it
};
std::string_view Code(FlagState s);
template <>
std::optional<FlagState> Parse<FlagState>(std::string_view code);

struct OutreachFlag {
  OutreachFlagId id = 0;
  ScreeningRunId run_id = 0;
  DistrictId district_id = 0;
  StoredHousehold household;
  int rank = 0;
  double score = 0;
  std::vector<ScoreReason> reasons;
  std::string summary_ko;
  FlagState state = FlagState::kListed;
  // The outreach case opened for it; under management: the open case that looks after it.
  std::optional<CaseId> case_id;
  std::optional<OutreachOutcome> outcome;
  std::string outcome_detail;  // support linked: which; otherwise a short note
  std::string no_need_reason;  // one of kNoNeedReasons
  std::optional<TimePoint> outcome_at;
  UserId outcome_by = 0;
};

// --- Funnel ------------------------------------------------------------------

// flagged -> contacted -> assessed -> linked -> outcome, counted per listing.
struct OutreachFunnel {
  std::int64_t flagged = 0;
  std::int64_t contacted = 0;   // any outcome but unreachable
  std::int64_t assessed = 0;    // a consultation recorded on its outreach case
  std::int64_t linked = 0;      // support linked
  std::int64_t outcome = 0;     // a final outcome: support linked, no need or unreachable
  std::int64_t unreachable = 0;
  std::int64_t no_need = 0;
  std::int64_t raised_again = 0;  // listed again after "no need" or "unreachable"
};

}  // namespace caredesk::core
