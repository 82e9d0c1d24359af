#include "core/screening.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace caredesk::core {
namespace {

struct DomainName {
  RiskDomain value;
  std::string_view code;
  std::string_view ko;
};

constexpr std::array kDomains = {
    DomainName{RiskDomain::kIncome, "income", "소득"},
    DomainName{RiskDomain::kDebt, "debt", "부채"},
    DomainName{RiskDomain::kHousing, "housing", "주거"},
    DomainName{RiskDomain::kUtilities, "utilities", "공과금"},
    DomainName{RiskDomain::kHealth, "health", "건강"},
    DomainName{RiskDomain::kIsolation, "isolation", "고립·돌봄"},
};

struct OutcomeName {
  OutreachOutcome value;
  std::string_view code;
};

constexpr std::array kOutcomes = {
    OutcomeName{OutreachOutcome::kContacted, "contacted"},
    OutcomeName{OutreachOutcome::kUnreachable, "unreachable"},
    OutcomeName{OutreachOutcome::kSupportLinked, "support_linked"},
    OutcomeName{OutreachOutcome::kNoNeed, "no_need"},
};

constexpr double kMaxWeight = 1000;
constexpr int kMaxDays = 3650;
constexpr int kMaxMonths = 120;
constexpr double kTenths = 10.0;

double Round1(double v) { return std::round(v * kTenths) / kTenths; }

std::string Points(double v) {
  const double r = Round1(v);
  std::string s = std::to_string(r);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') {
    s.pop_back();
  }
  return s;
}

bool FragileHousing(HousingType h) {
  return h == HousingType::kSemiBasement || h == HousingType::kRooftop ||
         h == HousingType::kGosiwon || h == HousingType::kVinylHouse ||
         h == HousingType::kShelter;
}

std::string_view HousingKo(HousingType h) {
  switch (h) {
    case HousingType::kSemiBasement:
      return "반지하";
    case HousingType::kRooftop:
      return "옥탑방";
    case HousingType::kGosiwon:
      return "고시원";
    case HousingType::kVinylHouse:
      return "비닐하우스";
    case HousingType::kShelter:
      return "쉼터";
    default:
      return "주거 취약";
  }
}

// "건강보험료 2개월 체납", "사업 폐업", "장기 입원 3개월".
std::string SignalText(const IndicatorDefinition& def, int months) {
  if (def.arrears) {
    return months > 0 ? def.name_ko + " " + std::to_string(months) + "개월 체납"
                      : def.name_ko + " 체납";
  }
  return months > 0 ? def.name_ko + " " + std::to_string(months) + "개월" : def.name_ko;
}

IndicatorDefinition Def(std::string code, std::string name_ko, RiskDomain domain, bool arrears,
                        double weight, double per_month) {
  IndicatorDefinition d;
  d.code = std::move(code);
  d.name_ko = std::move(name_ko);
  d.domain = domain;
  d.arrears = arrears;
  d.weight = weight;
  d.per_month = per_month;
  return d;
}

}  // namespace

std::string_view Code(RiskDomain d) {
  for (const auto& n : kDomains) {
    if (n.value == d) {
      return n.code;
    }
  }
  return "income";
}

std::string_view KoreanName(RiskDomain d) {
  for (const auto& n : kDomains) {
    if (n.value == d) {
      return n.ko;
    }
  }
  return "소득";
}

template <>
std::optional<RiskDomain> Parse<RiskDomain>(std::string_view code) {
  for (const auto& n : kDomains) {
    if (n.code == code) {
      return n.value;
    }
  }
  return std::nullopt;
}

template <>
std::vector<RiskDomain> AllValues<RiskDomain>() {
  std::vector<RiskDomain> v;
  for (const auto& n : kDomains) {
    v.push_back(n.value);
  }
  return v;
}

std::string_view Code(OutreachOutcome o) {
  for (const auto& n : kOutcomes) {
    if (n.value == o) {
      return n.code;
    }
  }
  return "contacted";
}

template <>
std::optional<OutreachOutcome> Parse<OutreachOutcome>(std::string_view code) {
  for (const auto& n : kOutcomes) {
    if (n.code == code) {
      return n.value;
    }
  }
  return std::nullopt;
}

template <>
std::vector<OutreachOutcome> AllValues<OutreachOutcome>() {
  std::vector<OutreachOutcome> v;
  for (const auto& n : kOutcomes) {
    v.push_back(n.value);
  }
  return v;
}

bool IsNoNeedReason(std::string_view code) {
  return std::find(std::begin(kNoNeedReasons), std::end(kNoNeedReasons), code) !=
         std::end(kNoNeedReasons);
}

ScreeningModel DefaultScreeningModel() {
  using D = RiskDomain;
  ScreeningModel m;
  // Weights: a fresh signal's points. Cut-offs weigh more than arrears of the
  // same utility; events that upend a household (closure, eviction, a suicide
  // attempt) most. per_month is kept small on purpose (see IndicatorDefinition).
  m.indicators = {
      Def("electricity_cutoff", "전기 단전", D::kUtilities, false, 14, 0.05),
      Def("electricity_arrears", "전기요금", D::kUtilities, true, 8, 0.08),
      Def("water_cutoff", "수도 단수", D::kUtilities, false, 14, 0.05),
      Def("water_arrears", "수도요금", D::kUtilities, true, 7, 0.08),
      Def("gas_cutoff", "가스 공급 중단", D::kUtilities, false, 13, 0.05),
      Def("gas_arrears", "가스요금", D::kUtilities, true, 7, 0.08),
      Def("health_insurance_arrears", "건강보험료", D::kHealth, true, 10, 0.08),
      Def("pension_arrears", "국민연금 보험료", D::kIncome, true, 6, 0.06),
      Def("telecom_arrears", "통신요금", D::kDebt, true, 5, 0.06),
      Def("rent_arrears", "월세", D::kHousing, true, 10, 0.08),
      Def("public_rent_arrears", "공공임대 임대료", D::kHousing, true, 10, 0.08),
      Def("management_fee_arrears", "관리비", D::kHousing, true, 7, 0.08),
      Def("financial_delinquency", "금융 연체", D::kDebt, false, 9, 0.05),
      Def("debt_adjustment_dropout", "채무조정 중도 탈락", D::kDebt, false, 11, 0),
      Def("job_loss", "실직", D::kIncome, false, 12, 0.03),
      Def("no_employment_insurance_1y", "1년 이상 고용보험 미가입", D::kIncome, false, 5, 0),
      Def("business_closure", "사업 폐업", D::kIncome, false, 14, 0.03),
      Def("catastrophic_medical_expense", "재난적 의료비", D::kHealth, false, 12, 0),
      Def("long_hospitalisation", "장기 입원", D::kHealth, false, 10, 0.05),
      Def("welfare_application_rejected", "복지급여 신청 탈락", D::kIncome, false, 12, 0),
      Def("welfare_benefit_terminated", "복지급여 중지", D::kIncome, false, 12, 0),
      Def("emergency_support_received", "긴급지원 수급", D::kIncome, false, 8, 0),
      Def("bereavement", "가구원 사망", D::kIsolation, false, 10, 0),
      Def("eviction_notice", "퇴거 통보", D::kHousing, false, 18, 0),
      Def("housing_unfit", "주거 환경 열악", D::kHousing, false, 8, 0),
      Def("caregiver_burden", "돌봄 부담", D::kIsolation, false, 10, 0.03),
      Def("suicide_attempt_history", "자살 시도 이력", D::kHealth, false, 30, 0),
      Def("pension_emergency_loan", "연금 긴급 대출", D::kDebt, false, 8, 0),
  };
  return m;
}

const IndicatorDefinition* FindIndicator(const ScreeningModel& model, std::string_view code) {
  for (const auto& d : model.indicators) {
    if (d.code == code) {
      return &d;
    }
  }
  return nullptr;
}

Status ValidateScreeningModel(const ScreeningModel& m) {
  std::vector<FieldViolation> v;
  auto bad = [&](std::string field, std::string en, std::string ko) {
    v.push_back({std::move(field), "out_of_range", std::move(en), std::move(ko)});
  };
  auto weight = [&](const std::string& field, double w, double lo) {
    if (!std::isfinite(w) || w < lo || w > kMaxWeight) {
      bad(field, "Use a number from " + Points(lo) + " to 1000.",
          Points(lo) + "에서 1000 사이의 숫자를 쓰세요.");
    }
  };
  if (m.indicators.empty()) {
    v.push_back({"indicators", "required", "At least one indicator is needed.",
                 "위기 정보 항목이 하나 이상 있어야 합니다."});
  }
  std::set<std::string> codes;
  for (std::size_t i = 0; i < m.indicators.size(); ++i) {
    const auto& d = m.indicators[i];
    const std::string at = "indicators[" + std::to_string(i) + "]";
    const bool code_ok = !d.code.empty() && d.code.size() <= 64 &&
                         std::all_of(d.code.begin(), d.code.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                         });
    if (!code_ok) {
      v.push_back({at + ".code", "invalid", "Use lower-case letters, digits and _ (at most 64).",
                   "영문 소문자, 숫자, _ 로 64자까지 쓰세요."});
    } else if (!codes.insert(d.code).second) {
      v.push_back({at + ".code", "duplicate", "This indicator code appears twice.",
                   "같은 위기 정보 코드가 두 번 있습니다."});
    }
    if (d.name_ko.empty() || d.name_ko.size() > 200) {
      v.push_back({at + ".name_ko", "required", "A Korean name is required.",
                   "한국어 이름을 쓰세요."});
    }
    weight(at + ".weight", d.weight, 0);
    weight(at + ".per_month", d.per_month, 0);
    if (d.max_months < 0 || d.max_months > kMaxMonths) {
      bad(at + ".max_months", "Use 0 to 120 months.", "0에서 120개월 사이로 쓰세요.");
    }
  }
  if (m.recent_days < 1 || m.recent_days > kMaxDays) {
    bad("recent_days", "Use 1 to 3650 days.", "1에서 3650일 사이로 쓰세요.");
  }
  if (m.half_life_days < 1 || m.half_life_days > kMaxDays) {
    bad("half_life_days", "Use 1 to 3650 days.", "1에서 3650일 사이로 쓰세요.");
  }
  if (m.lookback_days < m.recent_days || m.lookback_days > kMaxDays) {
    bad("lookback_days", "Use recent_days to 3650 days.", "recent_days에서 3650일 사이로 쓰세요.");
  }
  if (m.history_days < 1 || m.history_days > kMaxDays) {
    bad("history_days", "Use 1 to 3650 days.", "1에서 3650일 사이로 쓰세요.");
  }
  if (m.no_need_days < 1 || m.no_need_days > kMaxDays) {
    bad("no_need_days", "Use 1 to 3650 days.", "1에서 3650일 사이로 쓰세요.");
  }
  if (!std::isfinite(m.same_domain_factor) || m.same_domain_factor < 0 ||
      m.same_domain_factor > 1) {
    bad("same_domain_factor", "Use a number from 0 to 1.", "0에서 1 사이의 숫자를 쓰세요.");
  }
  if (m.breadth_points.empty() || m.breadth_points.size() > 10) {
    bad("breadth_points", "Give 1 to 10 numbers.", "숫자를 1개에서 10개까지 쓰세요.");
  }
  for (std::size_t i = 0; i < m.breadth_points.size(); ++i) {
    weight("breadth_points[" + std::to_string(i) + "]", m.breadth_points[i], 0);
  }
  for (const auto& [field, w] :
       {std::pair{"elderly", m.elderly}, {"living_alone", m.living_alone},
        {"middle_aged_alone", m.middle_aged_alone}, {"disability", m.disability},
        {"large_household", m.large_household}, {"fragile_housing", m.fragile_housing}}) {
    if (!std::isfinite(w) || w < 0 || w > 5) {
      bad(field, "Use a factor from 0 to 5.", "0에서 5 사이의 배율을 쓰세요.");
    }
  }
  weight("earlier_flag", m.earlier_flag, 0);
  weight("unsupported_consultation", m.unsupported_consultation, 0);
  weight("unreachable_before", m.unreachable_before, 0);
  weight("new_after_no_need", m.new_after_no_need, 0);
  weight("no_need_recent", m.no_need_recent, -kMaxWeight);
  if (m.max_earlier_flags < 0 || m.max_earlier_flags > 100) {
    bad("max_earlier_flags", "Use 0 to 100.", "0에서 100 사이로 쓰세요.");
  }
  if (m.elderly_age < 40 || m.elderly_age > 100 || m.large_household_members < 2 ||
      m.large_household_members > kMaxHouseholdMembers) {
    bad("elderly_age", "Ages 40-100 and households of 2-30.", "나이는 40-100, 가구원은 2-30.");
  }
  if (!v.empty()) {
    return Error::Validation(std::move(v));
  }
  return {};
}

HouseholdScore ScoreHousehold(const ScreeningModel& model, const ScreenedHousehold& household,
                              std::span<const RiskSignal> signals, const HouseholdHistory& history,
                              Date as_of) {
  // The strongest report of each indicator.
  struct Counted {
    const IndicatorDefinition* def;
    double points;
    int months;
    int age_days;
  };
  std::map<std::string_view, Counted> strongest;
  std::optional<Date> newest;
  for (const auto& s : signals) {
    if (s.household_id != household.household_id) {
      continue;
    }
    const auto* def = FindIndicator(model, s.indicator);
    if (def == nullptr) {
      continue;
    }
    const int age = std::max(0, DaysBetween(s.reported_on, as_of));
    if (age > model.lookback_days) {
      continue;
    }
    const int months = std::clamp(s.months, 0, def->max_months);
    double recency = 1;
    if (age > model.recent_days) {
      recency = std::exp2(-static_cast<double>(age - model.recent_days) / model.half_life_days);
    }
    const double points = def->weight * (1 + def->per_month * months) * recency;
    auto [it, inserted] = strongest.try_emplace(def->code, Counted{def, points, s.months, age});
    if (!inserted && points > it->second.points) {
      it->second = Counted{def, points, s.months, age};
    }
    if (!newest || s.reported_on > *newest) {
      newest = s.reported_on;
    }
  }

  HouseholdScore out;
  std::vector<Counted> counted;
  counted.reserve(strongest.size());
  for (const auto& [code, c] : strongest) {
    counted.push_back(c);
  }
  std::sort(counted.begin(), counted.end(), [](const Counted& a, const Counted& b) {
    return a.points != b.points ? a.points > b.points : a.def->code < b.def->code;
  });

  // Signals: a second one of a domain already counted adds less (three utility
  // bills unpaid are one kind of trouble, not three).
  double base = 0;
  std::set<RiskDomain> seen;
  std::set<RiskDomain> recent;
  std::vector<std::string> signal_texts;
  for (const auto& c : counted) {
    const double points = seen.insert(c.def->domain).second ? c.points
                                                             : c.points * model.same_domain_factor;
    base += points;
    std::string text = SignalText(*c.def, c.months);
    if (c.age_days > model.recent_days) {
      text += " (" + std::to_string(c.age_days) + "일 전)";
    } else {
      recent.insert(c.def->domain);
    }
    signal_texts.push_back(text);
    out.reasons.push_back({c.def->code, text, points});
  }
  out.recent_domains = static_cast<int>(recent.size());
  if (!model.breadth_points.empty() && out.recent_domains > 0) {
    const auto i = std::min<std::size_t>(out.recent_domains, model.breadth_points.size() - 1);
    const double points = model.breadth_points[i];
    if (points > 0) {
      std::string names;
      for (const auto d : recent) {
        names += (names.empty() ? "" : ", ") + std::string(KoreanName(d));
      }
      out.reasons.push_back({"breadth",
                             "서로 다른 위기 영역 " + std::to_string(out.recent_domains) + "개(" +
                                 names + ")가 최근 " + std::to_string(model.recent_days) +
                                 "일에 동시 발생",
                             points});
      base += points;
    }
  }

  // Vulnerability multiplies what the signals say.
  double factor = 0;
  std::vector<std::string> vulnerable;
  const int age = household.head_birth_year > 0 ? as_of.year - household.head_birth_year : 0;
  if (age >= model.elderly_age) {
    factor += model.elderly;
    vulnerable.emplace_back("노인 가구(가구주 " + std::to_string(age) + "세)");
  }
  if (household.living_alone) {
    factor += model.living_alone;
    vulnerable.emplace_back("1인 가구");
    if (age >= 50 && age < model.elderly_age) {
      factor += model.middle_aged_alone;
      vulnerable.emplace_back("중장년 1인 가구");
    }
  }
  if (household.disability) {
    factor += model.disability;
    vulnerable.emplace_back("장애인 가구");
  }
  if (household.members >= model.large_household_members) {
    factor += model.large_household;
    vulnerable.emplace_back(std::to_string(household.members) + "인 가구");
  }
  if (FragileHousing(household.housing)) {
    factor += model.fragile_housing;
    vulnerable.emplace_back(HousingKo(household.housing));
  }
  double score = base;
  if (factor > 0 && base > 0) {
    std::string names;
    for (const auto& n : vulnerable) {
      names += (names.empty() ? "" : ", ") + n;
    }
    const double added = base * factor;
    out.reasons.push_back(
        {"vulnerability", "취약 요인 ×" + Points(1 + factor) + ": " + names, added});
    score += added;
  }

  // History.
  if (history.earlier_flags_unsupported > 0 && model.max_earlier_flags > 0) {
    const int n = std::min(history.earlier_flags_unsupported, model.max_earlier_flags);
    const double points = model.earlier_flag * n;
    out.reasons.push_back({"history_earlier_flags",
                           "이전 발굴 " + std::to_string(history.earlier_flags_unsupported) +
                               "회, 지원 연계 없음",
                           points});
    score += points;
  }
  if (history.last_unsupported_consultation) {
    const int days = DaysBetween(*history.last_unsupported_consultation, as_of);
    if (days >= 0 && days <= model.history_days) {
      const int months_ago = days / 30;
      const std::string when = months_ago > 0 ? std::to_string(months_ago) + "개월 전"
                                              : std::to_string(days) + "일 전";
      out.reasons.push_back({"history_consultation",
                             when + " 상담에서 연계된 지원 없음",
                             model.unsupported_consultation});
      score += model.unsupported_consultation;
    }
  }
  if (history.last_outcome && history.last_outcome_on) {
    const int days = DaysBetween(*history.last_outcome_on, as_of);
    // Older outcomes add nothing but stay in the reasons: a household raised
    // again comes with its history, never silently.
    if (*history.last_outcome == OutreachOutcome::kUnreachable) {
      const double points = days <= model.history_days ? model.unreachable_before : 0;
      out.reasons.push_back({"history_unreachable",
                             "이전 발굴 때 연락 안 됨(" + FormatDate(*history.last_outcome_on) + ")",
                             points});
      score += points;
    }
    if (*history.last_outcome == OutreachOutcome::kNoNeed && days > model.no_need_days) {
      out.reasons.push_back({"history_no_need",
                             "이전 '지원 불필요' 판정(" + FormatDate(*history.last_outcome_on) + ")",
                             0});
    }
    if (*history.last_outcome == OutreachOutcome::kNoNeed && days <= model.no_need_days) {
      if (newest && *newest > *history.last_outcome_on) {
        out.reasons.push_back({"history_new_after_no_need",
                               "'지원 불필요' 판정(" + FormatDate(*history.last_outcome_on) +
                                   ") 이후 새 위기 정보",
                               model.new_after_no_need});
        score += model.new_after_no_need;
      } else {
        out.reasons.push_back({"history_no_need",
                               "최근 '지원 불필요' 판정(" + FormatDate(*history.last_outcome_on) +
                                   "), 이후 새 위기 정보 없음",
                               model.no_need_recent});
        score += model.no_need_recent;
      }
    }
  }
  out.score = Round1(std::max(0.0, score));
  for (auto& r : out.reasons) {
    r.points = Round1(r.points);
  }
  std::stable_sort(out.reasons.begin(), out.reasons.end(),
                   [](const ScoreReason& a, const ScoreReason& b) { return a.points > b.points; });

  // The one line a list shows: the signals, then what makes them a crisis.
  std::string summary;
  for (const auto& t : signal_texts) {
    summary += (summary.empty() ? "" : " + ") + t;
  }
  if (household.living_alone) {
    summary += (summary.empty() ? "" : " + ") + std::string("1인 가구");
  }
  if (out.recent_domains >= 2) {
    summary += ": 서로 다른 위기 영역 " + std::to_string(out.recent_domains) + "개가 최근 " +
               std::to_string(model.recent_days) + "일에 동시 발생";
  }
  out.summary_ko = std::move(summary);
  return out;
}

int RuleBaselineMonths(const ScreeningModel& model, std::span<const RiskSignal> signals,
                       int months) {
  int longest = 0;
  for (const auto& s : signals) {
    const auto* def = FindIndicator(model, s.indicator);
    if (def != nullptr && def->arrears && s.months >= months) {
      longest = std::max(longest, s.months);
    }
  }
  return longest;
}

std::vector<OutreachEntry> RankOutreach(std::span<const ScreeningCandidate> candidates,
                                        int capacity_per_dong) {
  std::vector<std::size_t> order;
  order.reserve(candidates.size());
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!candidates[i].under_management && candidates[i].score > 0) {
      order.push_back(i);
    }
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const auto& x = candidates[a];
    const auto& y = candidates[b];
    if (x.dong != y.dong) {
      return x.dong < y.dong;
    }
    if (x.score != y.score) {
      return x.score > y.score;
    }
    return x.household_id < y.household_id;
  });
  std::vector<OutreachEntry> out;
  std::string_view dong;
  int rank = 0;
  for (const auto i : order) {
    if (candidates[i].dong != dong) {
      dong = candidates[i].dong;
      rank = 0;
    }
    if (rank < capacity_per_dong) {
      out.push_back({i, ++rank});
    }
  }
  return out;
}


std::string_view Code(FlagState s) {
  switch (s) {
    case FlagState::kListed:
      return "listed";
    case FlagState::kRaisedAgain:
      return "raised_again";
    case FlagState::kUnderManagement:
      return "under_management";
  }
  return "listed";
}

template <>
std::optional<FlagState> Parse<FlagState>(std::string_view code) {
  for (const auto s : {FlagState::kListed, FlagState::kRaisedAgain, FlagState::kUnderManagement}) {
    if (Code(s) == code) {
      return s;
    }
  }
  return std::nullopt;
}

namespace {

// Better first: higher score, then the smaller household id.
bool Better(const OutreachSelector::Selected& a, const OutreachSelector::Selected& b) {
  if (a.score.score != b.score.score) {
    return a.score.score > b.score.score;
  }
  return a.candidate.household_id < b.candidate.household_id;
}

}  // namespace

void OutreachSelector::Offer(const ScreeningCandidate& candidate, HouseholdScore score) {
  ++offered_;
  if (score.score <= 0 || capacity_ <= 0) {
    return;
  }
  Selected s{candidate, std::move(score), 0};
  if (candidate.under_management) {
    managed_[candidate.dong].push_back(std::move(s));
    return;
  }
  auto& heap = listed_[candidate.dong];
  // std::*_heap with Better keeps the worst kept household at the front.
  if (static_cast<int>(heap.size()) < capacity_) {
    heap.push_back(std::move(s));
    std::push_heap(heap.begin(), heap.end(), Better);
    return;
  }
  if (Better(s, heap.front())) {
    std::pop_heap(heap.begin(), heap.end(), Better);
    heap.back() = std::move(s);
    std::push_heap(heap.begin(), heap.end(), Better);
  }
}

std::vector<OutreachSelector::Selected> OutreachSelector::Finish() {
  std::vector<Selected> out;
  std::set<std::string> dongs;
  for (const auto& [dong, list] : listed_) {
    dongs.insert(dong);
  }
  for (const auto& [dong, list] : managed_) {
    dongs.insert(dong);
  }
  for (const auto& dong : dongs) {
    auto& list = listed_[dong];
    std::sort(list.begin(), list.end(), Better);
    for (std::size_t i = 0; i < list.size(); ++i) {
      list[i].rank = static_cast<int>(i + 1);
    }
    // Managed households that would have made the list: shown, not counted. The
    // bar is the last listed household's (taken before any is appended).
    auto& managed = managed_[dong];
    std::sort(managed.begin(), managed.end(), Better);
    const bool full = static_cast<int>(list.size()) >= capacity_;
    const std::optional<Selected> bar = full ? std::optional<Selected>(list.back()) : std::nullopt;
    for (auto& m : managed) {
      if (bar && Better(*bar, m)) {
        break;
      }
      list.push_back(std::move(m));
    }
    for (auto& s : list) {
      out.push_back(std::move(s));
    }
  }
  listed_.clear();
  managed_.clear();
  return out;
}

}  // namespace caredesk::core
