// A synthetic population for the blind-spot screening, with a known ground
// truth: which households are in crisis. Used by tests (does the model find
// them, and does it beat the plain rule?) and by `caredesk screen simulate` for
// benchmarks. Deterministic for a seed (its own generator, not <random>'s
// distributions, so every platform draws the same population). Pure.
//
// Crisis households show the patterns the national screening misses or finds:
// short-but-many (several domains at once, each signal 1-2 months: the rule
// misses it), deepening trouble (the rule may catch one long arrears) and acute
// events. Households not in crisis are slow payers in one domain (often 3+
// months: the rule's false alarms), one old long-running arrears, one recent
// shock, or unrelated signals far apart in time. Growing arrears are re-sent
// monthly, as agencies do, so a household has several rows.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/screening.hpp"

namespace caredesk::core {

struct SimulatedHousehold {
  ScreenedHousehold household;
  std::vector<RiskSignal> signals;
  HouseholdHistory history;  // not in the files: for tests of the history weights
  bool in_crisis = false;
  std::string pattern;  // "short_but_many", "slow_payer", …
};

struct SimulationOptions {
  std::int64_t households = 1000;
  std::uint64_t seed = 1;
  std::vector<std::string> dongs;  // at least one
  Date as_of{2026, 12, 1};
  double crisis_rate = 0.04;
};

// Calls `emit` once per household, in household id order (H0000001, …).
void SimulateScreening(const SimulationOptions& options,
                       const std::function<void(const SimulatedHousehold&)>& emit);

// Recall at a fixed outreach capacity: of the households in crisis, how many
// the model's lists and the rule's lists (rule-flagged households, longest
// arrears first) reach.
struct RecallComparison {
  std::int64_t households = 0;
  std::int64_t in_crisis = 0;
  int capacity_per_dong = 0;
  std::int64_t listed = 0;           // by the model (the rule lists at most as many per dong)
  std::int64_t model_found = 0;
  std::int64_t rule_flagged = 0;     // by the rule, before the capacity
  std::int64_t rule_found = 0;       // within the capacity
  double ModelRecall() const { return Ratio(model_found); }
  double RuleRecall() const { return Ratio(rule_found); }
  double Ratio(std::int64_t n) const {
    return in_crisis == 0 ? 0 : static_cast<double>(n) / static_cast<double>(in_crisis);
  }
};

RecallComparison CompareWithRule(const ScreeningModel& model,
                                 std::span<const SimulatedHousehold> population,
                                 int capacity_per_dong, Date as_of);

}  // namespace caredesk::core
