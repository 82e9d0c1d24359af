#include "core/screening_simulation.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <set>

namespace caredesk::core {
namespace {

// SplitMix64: small, fast and the same everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31U);
  }
  // [0, n)
  int Below(int n) { return static_cast<int>(Next() % static_cast<std::uint64_t>(n)); }
  // [lo, hi]
  int Range(int lo, int hi) { return lo + Below(hi - lo + 1); }
  bool Chance(double p) {
    constexpr double kScale = 1.0 / 18446744073709551616.0;  // 2^-64
    return static_cast<double>(Next()) * kScale < p;
  }
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(Below(static_cast<int>(items.size())))];
  }

 private:
  std::uint64_t state_;
};

using Codes = std::span<const std::string_view>;

constexpr std::array<std::string_view, 6> kUtilityArrears = {
    "electricity_arrears", "water_arrears", "gas_arrears",
    "electricity_arrears", "gas_arrears",   "water_arrears"};
constexpr std::array<std::string_view, 3> kUtilityCutoffs = {"electricity_cutoff", "water_cutoff",
                                                             "gas_cutoff"};
constexpr std::array<std::string_view, 3> kDebt = {"telecom_arrears", "financial_delinquency",
                                                   "pension_emergency_loan"};
constexpr std::array<std::string_view, 4> kHousing = {"rent_arrears", "management_fee_arrears",
                                                      "public_rent_arrears", "housing_unfit"};
constexpr std::array<std::string_view, 3> kHealth = {"health_insurance_arrears",
                                                     "catastrophic_medical_expense",
                                                     "long_hospitalisation"};
constexpr std::array<std::string_view, 6> kIncome = {
    "job_loss",          "business_closure",           "welfare_application_rejected",
    "pension_arrears",   "welfare_benefit_terminated", "no_employment_insurance_1y"};
constexpr std::array<std::string_view, 2> kIsolation = {"bereavement", "caregiver_burden"};
constexpr std::array<std::string_view, 4> kLongArrears = {
    "telecom_arrears", "pension_arrears", "management_fee_arrears", "health_insurance_arrears"};
constexpr std::array<std::string_view, 5> kShocks = {
    "job_loss", "business_closure", "bereavement", "long_hospitalisation",
    "emergency_support_received"};

const std::array<Codes, 6> kDomainCodes = {Codes(kUtilityArrears), Codes(kDebt), Codes(kHousing),
                                           Codes(kHealth),         Codes(kIncome),
                                           Codes(kIsolation)};

bool IsArrears(std::string_view code) { return code.ends_with("_arrears"); }

class Generator {
 public:
  Generator(const SimulationOptions& o, std::int64_t index)
      : o_(o), rng_(o.seed * 0x100000001B3ULL + static_cast<std::uint64_t>(index) + 1) {
    char id[32];
    std::snprintf(id, sizeof id, "H%07lld", static_cast<long long>(index + 1));
    out_.household.household_id = id;
  }

  SimulatedHousehold Make() {
    Demographics();
    // Vulnerable households fall into crisis more often.
    double p = o_.crisis_rate;
    if (out_.household.living_alone || Age() >= 65 || out_.household.disability) {
      p *= 1.6;
    }
    out_.in_crisis = rng_.Chance(p);
    if (out_.in_crisis) {
      Crisis();
    } else {
      Ordinary();
    }
    std::sort(out_.signals.begin(), out_.signals.end(),
              [](const RiskSignal& a, const RiskSignal& b) {
                return a.reported_on != b.reported_on ? a.reported_on < b.reported_on
                                                      : a.indicator < b.indicator;
              });
    return std::move(out_);
  }

 private:
  int Age() const { return o_.as_of.year - out_.household.head_birth_year; }

  void Demographics() {
    auto& h = out_.household;
    h.dong = o_.dongs[static_cast<std::size_t>(rng_.Below(static_cast<int>(o_.dongs.size())))];
    const int age_band = rng_.Below(100);
    const int age = age_band < 25   ? rng_.Range(25, 44)
                    : age_band < 55 ? rng_.Range(45, 64)
                    : age_band < 85 ? rng_.Range(65, 79)
                                    : rng_.Range(80, 95);
    h.head_birth_year = o_.as_of.year - age;
    h.living_alone = rng_.Chance(age >= 65 ? 0.45 : 0.3);
    h.members = h.living_alone ? 1 : rng_.Range(2, 5);
    h.disability = rng_.Chance(0.06);
    const int housing = rng_.Below(1000);
    h.housing = housing < 430   ? HousingType::kApartment
                : housing < 700 ? HousingType::kMultiFamily
                : housing < 800 ? HousingType::kDetached
                : housing < 870 ? HousingType::kSemiBasement
                : housing < 895 ? HousingType::kRooftop
                : housing < 925 ? HousingType::kGosiwon
                : housing < 930 ? HousingType::kVinylHouse
                : housing < 935 ? HousingType::kShelter
                                : HousingType::kOther;
  }

  // A signal of `code` lasting `months`, last reported `age_days` ago. Growing
  // arrears were reported in earlier monthly batches too, with fewer months.
  void Signal(std::string_view code, int months, int age_days) {
    const int repeats = IsArrears(code) ? std::min(months, rng_.Range(1, 5)) : 1;
    for (int r = 0; r < repeats; ++r) {
      RiskSignal s;
      s.household_id = out_.household.household_id;
      s.indicator = std::string(code);
      s.months = std::max(0, months - r);
      s.amount_krw = IsArrears(code) ? static_cast<std::int64_t>(rng_.Range(3, 90)) * 10000 *
                                           std::max(1, s.months)
                                     : 0;
      s.reported_on = AddDays(o_.as_of, -(age_days + 30 * r));
      out_.signals.push_back(std::move(s));
    }
  }

  // `n` signals from `n` different domains, short and recent.
  void Breadth(int n, int max_months, int max_age) {
    std::array<int, 6> domains = {0, 1, 2, 3, 4, 5};
    for (int i = 5; i > 0; --i) {
      std::swap(domains[static_cast<std::size_t>(i)],
                domains[static_cast<std::size_t>(rng_.Below(i + 1))]);
    }
    for (int i = 0; i < n; ++i) {
      const auto codes = kDomainCodes[static_cast<std::size_t>(domains[static_cast<std::size_t>(i)])];
      const auto code = rng_.Pick(codes);
      Signal(code, IsArrears(code) ? rng_.Range(1, max_months) : rng_.Range(0, 1),
             rng_.Range(0, max_age));
    }
  }

  void Crisis() {
    const int pattern = rng_.Below(100);
    if (pattern < 60) {
      out_.pattern = "short_but_many";
      Breadth(rng_.Range(3, 4), 2, 75);
      if (rng_.Chance(0.3)) {  // a second bill of the same kind
        Signal(rng_.Pick(Codes(kUtilityArrears)), 1, rng_.Range(0, 60));
      }
    } else if (pattern < 85) {
      out_.pattern = "deepening";
      Breadth(rng_.Range(2, 3), 2, 80);
      Signal(rng_.Pick(Codes(kLongArrears)), rng_.Range(3, 6), rng_.Range(0, 40));
    } else {
      out_.pattern = "acute";
      Signal(rng_.Chance(0.5) ? "eviction_notice" : "suicide_attempt_history", 0,
             rng_.Range(0, 45));
      Signal(rng_.Chance(0.5) ? rng_.Pick(Codes(kUtilityCutoffs)) : rng_.Pick(Codes(kIncome)), 1,
             rng_.Range(0, 60));
    }
    if (rng_.Chance(0.15)) {
      out_.history.last_unsupported_consultation = AddDays(o_.as_of, -rng_.Range(30, 300));
    }
  }

  void Ordinary() {
    const int pattern = rng_.Below(100);
    if (pattern < 40) {
      // Pays late, in one domain, sometimes for long: the rule's false alarms.
      out_.pattern = "slow_payer";
      const bool utilities = rng_.Chance(0.6);
      const int n = rng_.Range(1, 3);
      for (int i = 0; i < n; ++i) {
        const auto code = utilities ? rng_.Pick(Codes(kUtilityArrears))
                                    : (i == 0 ? std::string_view("telecom_arrears")
                                              : std::string_view("financial_delinquency"));
        Signal(code, rng_.Range(1, 8), rng_.Range(0, 330));
      }
    } else if (pattern < 65) {
      out_.pattern = "old_long_running";
      Signal(rng_.Pick(Codes(kLongArrears)), rng_.Range(3, 24), rng_.Range(100, 365));
    } else if (pattern < 90) {
      out_.pattern = "one_shock";
      Signal(rng_.Pick(Codes(kShocks)), rng_.Range(0, 2), rng_.Range(0, 120));
      if (rng_.Chance(0.3)) {
        Signal("no_employment_insurance_1y", 0, rng_.Range(0, 200));
      }
    } else {
      out_.pattern = "far_apart";
      Breadth(1, 3, 60);
      const auto codes = kDomainCodes[static_cast<std::size_t>(rng_.Below(6))];
      const auto code = rng_.Pick(codes);
      Signal(code, IsArrears(code) ? rng_.Range(1, 4) : 0, rng_.Range(200, 500));
    }
    if (rng_.Chance(0.04)) {
      out_.history.last_unsupported_consultation = AddDays(o_.as_of, -rng_.Range(30, 300));
    }
  }

  const SimulationOptions& o_;
  Rng rng_;
  SimulatedHousehold out_;
};

}  // namespace

void SimulateScreening(const SimulationOptions& options,
                       const std::function<void(const SimulatedHousehold&)>& emit) {
  if (options.dongs.empty()) {
    return;
  }
  for (std::int64_t i = 0; i < options.households; ++i) {
    emit(Generator(options, i).Make());
  }
}

RecallComparison CompareWithRule(const ScreeningModel& model,
                                 std::span<const SimulatedHousehold> population,
                                 int capacity_per_dong, Date as_of) {
  RecallComparison out;
  out.capacity_per_dong = capacity_per_dong;
  std::vector<ScreeningCandidate> by_model;
  std::vector<ScreeningCandidate> by_rule;
  for (const auto& h : population) {
    ++out.households;
    out.in_crisis += h.in_crisis ? 1 : 0;
    const auto score = ScoreHousehold(model, h.household, h.signals, h.history, as_of);
    by_model.push_back({h.household.household_id, h.household.dong, score.score, false});
    if (RuleBaselineMonths(model, h.signals) > 0) {
      // A dong team working the rule's list starts with the freshest report
      // (then the longest arrears): the rule's best case.
      int newest_age = model.lookback_days;
      int longest = 0;
      for (const auto& s : h.signals) {
        const auto* def = FindIndicator(model, s.indicator);
        if (def != nullptr && def->arrears && s.months >= 3) {
          newest_age = std::min(newest_age, std::max(0, DaysBetween(s.reported_on, as_of)));
          longest = std::max(longest, s.months);
        }
      }
      ++out.rule_flagged;
      by_rule.push_back({h.household.household_id, h.household.dong,
                         1 + model.lookback_days - newest_age + longest / 1000.0, false});
    }
  }
  std::map<std::string_view, bool> crisis;
  for (const auto& h : population) {
    crisis[h.household.household_id] = h.in_crisis;
  }
  // The rule lists no more than the model does in each dong.
  for (const auto& e : RankOutreach(by_model, capacity_per_dong)) {
    ++out.listed;
    out.model_found += crisis[by_model[e.candidate].household_id] ? 1 : 0;
  }
  for (const auto& e : RankOutreach(by_rule, capacity_per_dong)) {
    out.rule_found += crisis[by_rule[e.candidate].household_id] ? 1 : 0;
  }
  return out;
}

}  // namespace caredesk::core
